package io.ecombi.clv;

import io.ecombi.result.Finding;
import io.ecombi.result.Table;

/**
 * What a customer is worth, as readers get it (run result "clv", laid out by
 * templates/sections/clv.ftlh): predicted CLV or historical value and why, by RFM segment, the top
 * customers, the hold-out check against the baseline and the fitted models. Figures in sentences are
 * already written by the report's rules (Formats); tables hold raw values with their kinds.
 *
 * @param predicted         whether the values are predicted (else historical, see reason)
 * @param reason            why not predicted (null when predicted)
 * @param refusal           the same as a finding for the page's warning style (null when predicted)
 * @param asOf              the as-of date
 * @param customers         known customers with a purchase to the as-of date ("4,338")
 * @param predictedTotal    the predicted discounted net revenue of the next 12 months, all customers (null when not predicted)
 * @param purchases12m      their expected repeat purchases in the next 12 months (null when not predicted)
 * @param historicalTotal   their net revenue to date
 * @param discountRate      the annual discount rate ("10.0%")
 * @param segments          by RFM segment (predicted columns only when predicted)
 * @param topCustomers      the customers with the highest predicted (else historical) value
 * @param holdout           the check per frequency bucket, mean repeat purchases per customer (null when it did not run)
 * @param holdoutStart      the hold-out's first day
 * @param holdoutEnd        its last day (the as-of date)
 * @param holdoutCustomers  customers who bought before it
 * @param modelError        mean error per customer of the model ("0.512")
 * @param baselineError     the same of the baseline
 * @param modelBucketError  error over the frequency buckets of the model ("8.3%")
 * @param baselineBucketError the same of the baseline
 * @param beatBaseline      whether the model beat the baseline on both
 * @param fits              the fitted models, parameters and log-likelihood of both parts
 */
public record ClvSection(boolean predicted, String reason, Finding refusal, String asOf, String customers, String predictedTotal,
                         String purchases12m, String historicalTotal, String discountRate, Table segments, Table topCustomers,
                         Table holdout, String holdoutStart, String holdoutEnd, String holdoutCustomers, String modelError,
                         String baselineError, String modelBucketError, String baselineBucketError, boolean beatBaseline, Table fits) {
}
