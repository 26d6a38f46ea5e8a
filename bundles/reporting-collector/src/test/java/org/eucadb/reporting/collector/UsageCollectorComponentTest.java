package org.eucadb.reporting.collector;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eucadb.api.reporting.UsageCollectorStatus;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.testsupport.aws.FakeEc2;
import org.junit.Test;

/** The DS component as Config Admin drives it: it polls on its own, and a bad change keeps what is in force. */
public class UsageCollectorComponentTest extends CollectorTestBase {

    @Test
    public void itPollsOnItsOwnAndABadChangeKeepsTheConfigurationInForce() throws Exception {
        fx.ec2.put(new FakeEc2.Volume("vol-1", 1, "z1", Instant.now().minusSeconds(60), null, Map.of()));
        Map<String, Object> props = fx.config();
        props.put(CollectorConfig.INTERVAL, "1");
        UsageCollectorComponent component = new UsageCollectorComponent(fx.store, fx.frontend, props);
        try {
            CollectorConfig inForce = component.configInForce();
            assertEquals(Duration.ofSeconds(1), inForce.interval());
            awaitEvents(UsageEventType.VOLUME_CREATE, 1);
            // A poll counts itself once its events are stored: the count may follow them by a moment.
            await(() -> component.collectorStatus().eventsStored() >= 1);

            UsageCollectorStatus polled = component.collectorStatus();
            assertTrue(polled.polling());
            assertEquals(fx.ec2Server.endpoint().toString(), polled.ec2Endpoint());
            assertTrue(polled.toString(), polled.polls() >= 1 && polled.eventsStored() >= 1);
            assertNull(polled.configError());

            Map<String, Object> bad = fx.config();
            bad.put(CollectorConfig.INTERVAL, "-5");
            component.configure(bad);
            assertSame(inForce, component.configInForce());
            assertTrue(component.collectorStatus().configError(),
                    component.collectorStatus().configError().startsWith("interval.seconds:"));
            // still polling with the configuration in force
            fx.ec2.remove("vol-1");
            awaitEvents(UsageEventType.VOLUME_DELETE, 1);

            // EC2 away: polls fail and say why; back: polls succeed again
            fx.ec2Server.stop();
            await(() -> component.collectorStatus().failedPolls() >= 1);
            assertTrue(component.collectorStatus().lastError(), component.collectorStatus().lastError() != null);
            fx.ec2Server.startAgain();
            long polls = component.collectorStatus().polls();
            await(() -> component.collectorStatus().polls() > polls);

            Map<String, Object> noS3 = fx.config();
            noS3.put(CollectorConfig.INTERVAL, "1");
            noS3.remove(CollectorConfig.S3_ENDPOINT);
            component.configure(noS3);
            assertEquals(CollectorConfig.parse(noS3), component.configInForce());
        } finally {
            component.deactivate();
        }
        assertNull(component.configInForce());
    }

    @Test
    public void aBadFirstConfigurationIsRefusedAndNothingPolls() throws Exception {
        Map<String, Object> props = fx.config();
        props.remove(CollectorConfig.ACCOUNT);
        UsageCollectorComponent component = new UsageCollectorComponent(fx.store, fx.frontend, props);
        try {
            assertNull(component.configInForce());
            assertEquals(0, fx.ec2Server.calls("DescribeInstances"));
            UsageCollectorStatus s = component.collectorStatus();
            assertFalse(s.polling());
            assertTrue(s.configError(), s.configError().startsWith("account.id:"));
        } finally {
            component.deactivate();
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("the collector did not get there");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitEvents(UsageEventType type, long count) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (fx.events().stream().filter(e -> e.type() == type).count() < count) {
            if (System.nanoTime() > deadline) {
                fail("no " + type + " event was recorded: " + fx.events());
            }
            Thread.sleep(50);
        }
    }
}
