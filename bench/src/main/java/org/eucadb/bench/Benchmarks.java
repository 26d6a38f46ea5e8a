package org.eucadb.bench;

import java.util.Set;

/**
 * Runs every benchmark; each prints its figures and its ratio to a baseline measured in the same
 * run. {@code -Dbench.skip=ingest,statistics,reporting} leaves some out (.ci/run runs the ingest
 * benchmark in a JVM of its own with a 256 MB heap).
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> skip = Set.of(System.getProperty("bench.skip", "").split(","));
        if (!skip.contains("ingest")) {
            MetricIngestBench.main(args);
        }
        if (!skip.contains("statistics")) {
            MetricStatisticsBench.main(args);
        }
        if (!skip.contains("reporting")) {
            ReportingBench.main(args);
        }
    }
}
