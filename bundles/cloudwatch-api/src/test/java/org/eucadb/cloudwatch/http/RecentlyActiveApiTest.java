package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.RecentlyActive;

/** ListMetrics RecentlyActive=PT3H over the SDK (CBOR) and awscli (Query), on real PostgreSQL. */
public class RecentlyActiveApiTest {
    private static ApiFixture fx;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start();
        Instant now = Instant.now();
        fx.cw.putMetricData(r -> r.namespace("App/Recent").metricData(
                MetricDatum.builder().metricName("Fresh").value(1.0).timestamp(now).build(),
                MetricDatum.builder().metricName("Stale").value(1.0).timestamp(now).build()));
        // Stale last received data four hours ago, as if nothing had been put since.
        try (Connection c = fx.pg.superuserConnection("frontend"); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE cloudwatch.metric SET last_seen = now() - interval '4 hours'"
                    + " WHERE namespace = 'App/Recent' AND metric_name = 'Stale'"));
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    private static Set<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::metricName).collect(Collectors.toSet());
    }

    @Test
    public void onlyMetricsWithDataInTheLastThreeHoursAreListed() {
        assertEquals(Set.of("Fresh", "Stale"), names(fx.cw.listMetrics(r -> r.namespace("App/Recent")).metrics()));
        assertEquals(Set.of("Fresh"), names(fx.cw.listMetrics(r -> r.namespace("App/Recent")
                .recentlyActive(RecentlyActive.PT3_H)).metrics()));
    }

    @Test
    public void aNewMetricIsRecentlyActiveAtOnce() throws Exception {
        fx.cw.putMetricData(r -> r.namespace("App/New").metricData(MetricDatum.builder().metricName("Born")
                .value(1.0).build()));
        assertEquals(Set.of("Born"), names(fx.cw.listMetrics(r -> r.namespace("App/New")
                .recentlyActive(RecentlyActive.PT3_H)).metrics()));
    }

    @Test
    public void anotherValueIsRefused() {
        assertEquals("InvalidParameterValue", ApiFixture.errorCode(() -> fx.cw.listMetrics(r -> r
                .recentlyActive("PT1H"))));
    }

    @Test
    public void debiansAwscliFiltersToo() throws Exception {
        String out = fx.awscli("list-metrics", "--namespace", "App/Recent", "--recently-active", "PT3H", "--output",
                "text");
        assertTrue(out, out.contains("METRICS\tFresh\tApp/Recent"));
        assertTrue(out, !out.contains("Stale"));
    }
}
