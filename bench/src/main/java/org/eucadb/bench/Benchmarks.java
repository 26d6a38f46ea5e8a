package org.eucadb.bench;

/** Runs every benchmark; each prints its figures and its ratio to a baseline measured in the same run. */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        MetricIngestBench.main(args);
        MetricStatisticsBench.main(args);
        ReportingBench.main(args);
    }
}
