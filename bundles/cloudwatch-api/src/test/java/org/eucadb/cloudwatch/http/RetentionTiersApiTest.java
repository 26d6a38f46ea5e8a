package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.cloudwatch.MetricRollups;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Old ranges through the API as AWS serves them: after the rollups and expiry, data 100 days old
 * exists only in the hourly tier; statistics come from it at whole-hour periods, percentiles
 * only within the 15 days the stored values are kept.
 */
public class RetentionTiersApiTest {
    private static ApiFixture fx;
    private static Instant hour;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start();
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        MetricKey k = MetricKey.of(ApiFixture.KEY.accountId(), "App/Old", "Latency", Map.of("Host", "a"));
        Instant old = hour.minus(Duration.ofDays(100));
        Instant recent = hour.minus(Duration.ofDays(5));
        // Straight into the store: PutMetricData takes nothing older than two weeks.
        fx.store.append(List.of(MetricDatum.value(k, old.plusSeconds(600), 10, "Milliseconds"),
                MetricDatum.value(k, old.plusSeconds(1200), 20, "Milliseconds"),
                MetricDatum.value(k, recent.plusSeconds(600), 30, "Milliseconds")));
        MetricRollups rollups = new MetricRollups(fx.vm);
        rollups.rollUp(Instant.now());
        Map<String, Integer> dropped = rollups.expire(Instant.now());
        assertTrue(dropped.toString(), dropped.get("datapoint") > 0 && dropped.get("datapoint_5m") > 0);
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    private static GetMetricStatisticsResponse stats(Instant from, Instant to, int period) {
        return fx.cw.getMetricStatistics(r -> r.namespace("App/Old").metricName("Latency")
                .dimensions(Dimension.builder().name("Host").value("a").build()).startTime(from).endTime(to)
                .period(period).statistics(Statistic.SAMPLE_COUNT, Statistic.AVERAGE, Statistic.MAXIMUM)
                .extendedStatistics("p50"));
    }

    @Test
    public void aHundredDaysAgoComesFromTheHourlyTierWithoutPercentiles() {
        List<Datapoint> points = stats(hour.minus(Duration.ofDays(110)), hour, 7200).datapoints().stream()
                .sorted((a, b) -> a.timestamp().compareTo(b.timestamp())).toList();
        assertEquals(2, points.size());
        Datapoint old = points.get(0);
        assertEquals(hour.minus(Duration.ofDays(100)), old.timestamp());
        assertEquals(2.0, old.sampleCount(), 0.0);
        assertEquals(15.0, old.average(), 0.0);
        assertEquals(20.0, old.maximum(), 0.0);
        assertEquals(Map.of(), old.extendedStatistics());
        Datapoint recent = points.get(1);
        assertEquals(hour.minus(Duration.ofDays(5)), recent.timestamp());
        assertEquals(30.0, recent.maximum(), 0.0);
        assertEquals(Map.of("p50", 30.0), recent.extendedStatistics());
    }

    @Test
    public void periodsNoTierHoldingTheRangeFitsHaveNoPoints() {
        Instant day = hour.minus(Duration.ofDays(100));
        assertEquals(0, stats(day, day.plus(Duration.ofDays(1)), 60).datapoints().size());
        // A whole-hour period from a start off the hour cannot use the hourly tier either.
        assertEquals(0, stats(day.plusSeconds(60), day.plus(Duration.ofDays(1)), 3600).datapoints().size());
        assertEquals(1, stats(day, day.plus(Duration.ofDays(1)), 3600).datapoints().size());
    }
}
