package org.eucadb.reporting;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers in written reports: plain decimal, at most 6 places, no trailing zeros. */
final class ReportNumbers {
    private ReportNumbers() {
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
