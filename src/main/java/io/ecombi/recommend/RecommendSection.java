package io.ecombi.recommend;

import io.ecombi.result.Finding;
import io.ecombi.result.Table;

/**
 * What to offer each customer, as readers get it (run result "recommend", laid out by
 * templates/sections/recommend.ftlh): whether the co-purchase rules were published and why, the
 * time-split check against the most-popular baseline, and the strongest rules when published.
 *
 * @param published whether the rules beat the baseline and the recommendations are published
 * @param verdict   the verdict in words, with the hit rates
 * @param refusal   the same as a finding for the page's warning style (null when published)
 * @param check     the check: hit rate at k of the rules and of the baseline
 * @param rules     the strongest rules (null when not published)
 */
public record RecommendSection(boolean published, String verdict, Finding refusal, Table check, Table rules) {
}
