package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;

/** What a PutMetricData body comes to through one reader or another: the data stored, or the error answered. */
final class PutMetricDataOutcome {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final String ACCOUNT = "123456789012";

    private PutMetricDataOutcome() {
    }

    /** Through the tree every other operation reads, or the PutMetricData reader of the body's format. */
    static String of(boolean cbor, byte[] body, boolean streaming) {
        try {
            if (streaming) {
                return "stored " + stored(cbor ? WireFormat.cborPutMetricData(body) : WireFormat.jsonPutMetricData(body));
            }
            return "stored " + stored(RequestParams.ofTree(cbor ? WireFormat.cborTree(body) : WireFormat.jsonTree(body)));
        } catch (ApiException e) {
            return e.code() + ": " + e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static List<MetricDatum> stored(PutMetricDataInput in) throws Exception {
        Keeping store = new Keeping();
        MetricActions.putMetricData(in, ACCOUNT, store, NOW);
        return store.data;
    }

    static List<MetricDatum> stored(RequestParams in) throws Exception {
        Keeping store = new Keeping();
        MetricActions.putMetricData(in, ACCOUNT, store, NOW);
        return store.data;
    }

    /** A store that keeps what it is given, in memory. */
    static final class Keeping implements MetricStore {
        final List<MetricDatum> data = new ArrayList<>();

        @Override
        public void append(List<MetricDatum> batch) {
            data.addAll(batch);
        }

        @Override
        public List<MetricDatapoint> read(MetricKey key, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public org.eucadb.api.cloudwatch.MetricListing listMetrics(String a, Optional<String> n, Optional<String> m,
                Map<String, String> d, Optional<Instant> since, Optional<String> after, int limit) {
            return new org.eucadb.api.cloudwatch.MetricListing(List.of(), Optional.empty());
        }
    }
}
