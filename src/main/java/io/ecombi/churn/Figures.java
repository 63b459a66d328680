package io.ecombi.churn;

import io.ecombi.report.Formats;
import io.ecombi.result.Kind;

/** The churn section's figures in words, as {@link Formats} writes them; currency is the symbol money is shown with. */
record Figures(String currency) {
    String count(long n) {
        return Formats.value(Kind.COUNT, n, currency, true);
    }

    String num(double v) {
        return Formats.value(Kind.NUMBER, v, currency, false);
    }

    /** A change, with its sign: +0.05, -0.012. */
    String signed(double v) {
        return (v >= 0 ? "+" : "") + num(v);
    }

    /** A share as a percent: 0.25 is 25%. */
    String pct(double share) {
        return Formats.value(Kind.PERCENT, 100 * share, currency, false);
    }

    String money(double v) {
        return Formats.money(currency, v);
    }
}
