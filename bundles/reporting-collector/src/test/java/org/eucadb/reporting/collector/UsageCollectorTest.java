package org.eucadb.reporting.collector;

import static org.eucadb.reporting.collector.CollectorFixture.ACCOUNT;
import static org.eucadb.reporting.collector.CollectorFixture.S3_OWNER;
import static org.eucadb.reporting.collector.CollectorFixture.sorted;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.reporting.UsageStoreException;
import org.eucadb.reporting.collector.CollectorFixture.TestClock;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeS3;
import org.junit.Test;

import software.amazon.awssdk.core.exception.SdkException;

/** The collector against the EC2 and S3 fakes, through the real SDK clients, on real PostgreSQL. */
public class UsageCollectorTest extends CollectorTestBase {
    private static final String OWNER = "111122223333";
    private static final long GIB = 1L << 30;
    private static final Instant T1 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant T2 = T1.plusSeconds(300);
    private static final Instant T3 = T2.plusSeconds(300);

    @Test
    public void resourcesThatAppearChangeAndDisappearBecomeTheExactEvents() throws Exception {
        FakeEc2 ec2 = fx.ec2;
        FakeS3 s3 = fx.s3;
        ec2.put(new FakeEc2.Instance("i-1", "r-1", OWNER, "m1.small", "running", "z1", T1.minusSeconds(60),
                Map.of(CloudObserver.USER_TAG, "alice")));
        ec2.put(new FakeEc2.Instance("i-2", "r-2", OWNER, "m1.large", "stopped", "z2", T1.minusSeconds(3600), Map.of()));
        ec2.put(new FakeEc2.Volume("vol-1", 10, "z1", T1.minusSeconds(30), "i-1", Map.of()));
        ec2.put(new FakeEc2.Snapshot("snap-1", OWNER, "vol-1", 10, T1.minusSeconds(10), Map.of()));
        ec2.put(new FakeEc2.Address("10.0.0.1", null, "i-1", Map.of(CloudObserver.ACCOUNT_TAG, OWNER)));
        ec2.put(new FakeEc2.Address("10.0.0.2", null, null, Map.of()));
        s3.createBucket("b1", T1.minusSeconds(3600));
        s3.put("b1", new FakeS3.S3Object("k1", 5, "e1", T1.minusSeconds(5), "bob"));
        s3.put("b1", new FakeS3.S3Object("dir/k 2+", 9, "e9", T1.minusSeconds(4), "bob"));
        // what CloudWatch holds for i-1 during its first interval
        Map<String, String> dims = Map.of("InstanceId", "i-1");
        fx.metrics.append(List.of(
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "CPUUtilization", dims), T1.minusSeconds(50), 10, "Percent"),
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "CPUUtilization", dims), T1.minusSeconds(20), 30, "Percent"),
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "NetworkIn", dims), T1.minusSeconds(50), 1000, "Bytes"),
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "NetworkIn", dims), T1.minusSeconds(20), 500, "Bytes"),
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "NetworkOut", dims), T1.minusSeconds(20), 200, "Bytes"),
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "DiskWriteBytes", dims), T1.minusSeconds(20), 4096, "Bytes"),
                // outside the interval: not counted
                MetricDatum.value(MetricKey.of(OWNER, "AWS/EC2", "NetworkIn", dims), T1.minusSeconds(120), 7, "Bytes")));

        TestClock clock = new TestClock(T1);
        UsageCollector collector = fx.collector(clock, fx.metrics);
        UsageCollector.PollResult first = collector.poll();

        List<UsageEvent> expected = new ArrayList<>(List.of(
                UsageEvent.of(UsageEventType.INSTANCE_CREATE, T1.minusSeconds(60), OWNER, "alice", "i-1", "z1")
                        .withInstanceType("m1.small"),
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, T1, OWNER, "alice", "i-1", "z1")
                        .withUsage(60, 20.0, 1500, 200, 0, 4096),
                UsageEvent.of(UsageEventType.INSTANCE_CREATE, T1.minusSeconds(3600), OWNER, null, "i-2", "z2")
                        .withInstanceType("m1.large"),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, T1.minusSeconds(30), ACCOUNT, null, "vol-1", "z1")
                        .withSizeBytes(10 * GIB),
                UsageEvent.of(UsageEventType.VOLUME_ATTACH, T1, ACCOUNT, null, "vol-1", "z1").withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.SNAPSHOT_CREATE, T1.minusSeconds(10), OWNER, null, "snap-1", null)
                        .withSizeBytes(10 * GIB).withAttachedTo("vol-1"),
                UsageEvent.of(UsageEventType.ADDRESS_CREATE, T1, OWNER, null, "10.0.0.1", null),
                UsageEvent.of(UsageEventType.ADDRESS_ATTACH, T1, OWNER, null, "10.0.0.1", null).withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.ADDRESS_CREATE, T1, ACCOUNT, null, "10.0.0.2", null),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, T1.minusSeconds(5), S3_OWNER, "bob", "b1/k1", null)
                        .withObject("b1", "k1").withSizeBytes(5L),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, T1.minusSeconds(4), S3_OWNER, "bob", "b1/dir/k 2+", null)
                        .withObject("b1", "dir/k 2+").withSizeBytes(9L)));
        assertEquals(sorted(expected), fx.events());
        assertEquals(new UsageCollector.PollResult(11, 11, 0), first);

        // between polls: i-2 starts, vol-1 moves to i-2, vol-2 appears, snap-1 and the free
        // address disappear, 10.0.0.1 is disassociated, k1 is overwritten, the other object goes
        ec2.put(new FakeEc2.Instance("i-2", "r-2", OWNER, "m1.large", "running", "z2", T2.minusSeconds(100), Map.of()));
        ec2.put(ec2.volume("vol-1").attachedTo("i-2"));
        ec2.put(new FakeEc2.Volume("vol-2", 1, "z2", T2.minusSeconds(50), null, Map.of(CloudObserver.USER_TAG, "carol")));
        ec2.remove("snap-1");
        ec2.remove("10.0.0.2");
        ec2.put(ec2.address("10.0.0.1").associatedWith(null));
        s3.put("b1", new FakeS3.S3Object("k1", 7, "e2", T2.minusSeconds(20), "bob"));
        s3.delete("b1", "dir/k 2+");
        clock.set(T2);
        collector.poll();

        expected.addAll(List.of(
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, T2, OWNER, "alice", "i-1", "z1").withUsage(300, 0, 0, 0, 0, 0),
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, T2, OWNER, null, "i-2", "z2").withUsage(100, 0, 0, 0, 0, 0),
                UsageEvent.of(UsageEventType.VOLUME_DETACH, T2, ACCOUNT, null, "vol-1", "z1").withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.VOLUME_ATTACH, T2, ACCOUNT, null, "vol-1", "z1").withAttachedTo("i-2"),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, T2.minusSeconds(50), ACCOUNT, "carol", "vol-2", "z2")
                        .withSizeBytes(GIB),
                UsageEvent.of(UsageEventType.SNAPSHOT_DELETE, T2, OWNER, null, "snap-1", null),
                UsageEvent.of(UsageEventType.ADDRESS_DETACH, T2, OWNER, null, "10.0.0.1", null).withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.ADDRESS_DELETE, T2, ACCOUNT, null, "10.0.0.2", null),
                UsageEvent.of(UsageEventType.S3_OBJECT_DELETE, T2.minusSeconds(20), S3_OWNER, "bob", "b1/k1", null)
                        .withObject("b1", "k1").withSizeBytes(5L),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, T2.minusSeconds(20), S3_OWNER, "bob", "b1/k1", null)
                        .withObject("b1", "k1").withSizeBytes(7L),
                UsageEvent.of(UsageEventType.S3_OBJECT_DELETE, T2, S3_OWNER, "bob", "b1/dir/k 2+", null)
                        .withObject("b1", "dir/k 2+").withSizeBytes(9L)));
        assertEquals(sorted(expected), fx.events());

        // a volume deleted while attached is detached first; a terminated instance bills no more
        ec2.remove("vol-1");
        ec2.put(ec2.instance("i-1").withState("terminated"));
        clock.set(T3);
        collector.poll();
        expected.addAll(List.of(
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, T3, OWNER, null, "i-2", "z2").withUsage(300, 0, 0, 0, 0, 0),
                UsageEvent.of(UsageEventType.VOLUME_DETACH, T3, ACCOUNT, null, "vol-1", "z1").withAttachedTo("i-2"),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, T3, ACCOUNT, null, "vol-1", "z1")));
        assertEquals(sorted(expected), fx.events());
        assertEquals(0, fx.count("SELECT count(*) FROM reporting.collector_outbox"));
    }

    @Test
    public void aPollThatFailsHalfWayRecordsNothingAndTheNextOneCatchesUp() throws Exception {
        fx.ec2.put(new FakeEc2.Volume("vol-a", 2, "z1", T1.minusSeconds(10), null, Map.of()));
        TestClock clock = new TestClock(T1);
        UsageCollector collector = fx.collector(clock, null);
        collector.poll();
        List<UsageEvent> expected = new ArrayList<>(List.of(
                UsageEvent.of(UsageEventType.VOLUME_CREATE, T1.minusSeconds(10), ACCOUNT, null, "vol-a", "z1")
                        .withSizeBytes(2 * GIB)));
        assertEquals(expected, fx.events());

        fx.ec2.remove("vol-a");
        fx.ec2.put(new FakeEc2.Volume("vol-b", 3, "z1", T2.minusSeconds(10), null, Map.of()));
        fx.s3.createBucket("b", T1);
        fx.s3.put("b", new FakeS3.S3Object("k", 1, "e", T2.minusSeconds(5), "bob"));
        clock.set(T2);

        // the volumes were listed, then the snapshots fail (500 on every retry)
        fx.ec2Server.fail("DescribeSnapshots", 500);
        assertPollFails(collector, SdkException.class);
        assertEquals(expected, fx.events());
        assertEquals(1, fx.count("SELECT count(*) FROM reporting.collector_resource WHERE resource_id = 'vol-a'"));
        assertEquals(0, fx.count("SELECT count(*) FROM reporting.collector_outbox"));
        fx.ec2Server.clearFailures();

        // S3 is the last call of a poll: its failure too leaves nothing behind
        fx.s3Server.fail("ListObjectsV2", 503);
        assertPollFails(collector, SdkException.class);
        assertEquals(expected, fx.events());
        fx.s3Server.clearFailures();

        // EC2 not answering at all
        fx.ec2Server.stop();
        assertPollFails(collector, SdkException.class);
        assertEquals(expected, fx.events());
        assertEquals(1, fx.count("SELECT count(*) FROM reporting.collector_resource WHERE resource_id = 'vol-a'"));
        fx.ec2Server.startAgain();

        clock.set(T3);
        collector.poll();
        expected.addAll(List.of(
                UsageEvent.of(UsageEventType.VOLUME_CREATE, T2.minusSeconds(10), ACCOUNT, null, "vol-b", "z1")
                        .withSizeBytes(3 * GIB),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, T2.minusSeconds(5), S3_OWNER, "bob", "b/k", null)
                        .withObject("b", "k").withSizeBytes(1L),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, T3, ACCOUNT, null, "vol-a", "z1")));
        assertEquals(sorted(expected), fx.events());
    }

    @Test
    public void eventsCommittedWhileTheStoreFailsReachItOnceAtTheNextPoll() throws Exception {
        fx.ec2.put(new FakeEc2.Volume("vol-a", 2, "z1", T1.minusSeconds(10), null, Map.of()));
        fx.ec2.put(new FakeEc2.Address("10.0.0.9", null, null, Map.of()));
        TestClock clock = new TestClock(T1);
        UsageCollector collector = fx.collector(clock, null);
        try (Connection c = fx.pg.superuserConnection("reporting"); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE reporting_append.usage_event ADD CONSTRAINT collector_refused"
                    + " CHECK (resource_id <> '10.0.0.9') NOT VALID");
        }
        try {
            assertPollFails(collector, UsageStoreException.class);
        } finally {
            try (Connection c = fx.pg.superuserConnection("reporting"); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE reporting_append.usage_event DROP CONSTRAINT collector_refused");
            }
        }
        // the diff is committed with its events in the outbox; the store has none of them
        assertEquals(List.of(), fx.events());
        assertEquals(2, fx.count("SELECT count(*) FROM reporting.collector_outbox"));

        fx.ec2.remove("vol-a");
        clock.set(T2);
        collector.poll();
        assertEquals(sorted(List.of(
                UsageEvent.of(UsageEventType.VOLUME_CREATE, T1.minusSeconds(10), ACCOUNT, null, "vol-a", "z1")
                        .withSizeBytes(2 * GIB),
                UsageEvent.of(UsageEventType.ADDRESS_CREATE, T1, ACCOUNT, null, "10.0.0.9", null),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, T2, ACCOUNT, null, "vol-a", "z1"))), fx.events());
        assertEquals(0, fx.count("SELECT count(*) FROM reporting.collector_outbox"));
    }

    @Test
    public void aRestartedCollectorDoesNotEmitAgain() throws Exception {
        fx.ec2.put(new FakeEc2.Instance("i-1", "r-1", OWNER, "m1.small", "running", "z1", T1.minusSeconds(60), Map.of()));
        fx.ec2.put(new FakeEc2.Volume("vol-a", 2, "z1", T1.minusSeconds(10), "i-1", Map.of()));
        fx.s3.createBucket("b", T1);
        fx.s3.put("b", new FakeS3.S3Object("k", 1, "e", T1.minusSeconds(5), "bob"));
        TestClock clock = new TestClock(T1);
        fx.collector(clock, null).poll();
        List<UsageEvent> before = fx.events();
        assertEquals(5, before.size());

        // down for three intervals: the new collector bills the instance from where the old one left it
        Instant later = T1.plusSeconds(900);
        clock.set(later);
        UsageCollector.PollResult again = fx.collector(clock, null).poll();
        List<UsageEvent> expected = new ArrayList<>(before);
        expected.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, later, OWNER, null, "i-1", "z1")
                .withUsage(900, 0, 0, 0, 0, 0));
        assertEquals(sorted(expected), fx.events());
        assertEquals(1, again.derived());
    }

    @Test
    public void pagedListingsAreReadToTheEnd() throws Exception {
        fx.ec2.pageSize(2);
        fx.s3.pageSize(2);
        for (int i = 0; i < 5; i++) {
            fx.ec2.put(new FakeEc2.Instance("i-" + i, "r-" + i, OWNER, "t1.micro", "stopped", "z1", T1.minusSeconds(60),
                    Map.of()));
            fx.ec2.put(new FakeEc2.Volume("vol-" + i, 1, "z1", T1.minusSeconds(60), null, Map.of()));
        }
        fx.s3.createBucket("b", T1);
        for (int i = 0; i < 5; i++) {
            fx.s3.put("b", new FakeS3.S3Object("k" + i, i, "e", T1.minusSeconds(60), "bob"));
        }
        TestClock clock = new TestClock(T1);
        UsageCollector.PollResult r = fx.collector(clock, null).poll();
        assertEquals(15, r.derived());
        assertEquals(3, fx.ec2Server.calls("DescribeInstances"));
        assertEquals(3, fx.ec2Server.calls("DescribeVolumes"));
        assertEquals(3, fx.s3Server.calls("ListObjectsV2"));
        assertEquals(5, fx.events().stream().filter(e -> e.type() == UsageEventType.INSTANCE_CREATE).count());
        assertEquals(5, fx.events().stream().filter(e -> e.type() == UsageEventType.S3_OBJECT_CREATE).count());
    }

    private static void assertPollFails(UsageCollector collector, Class<? extends Exception> expected)
            throws Exception {
        try {
            collector.poll();
            fail("the poll succeeded");
        } catch (Exception e) {
            if (!expected.isInstance(e)) {
                throw e;
            }
        }
    }
}
