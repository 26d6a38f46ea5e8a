package org.eucadb.reporting.collector;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instance usage from the CloudWatch {@link MetricStore} ({@code AWS/EC2}, dimension
 * {@code InstanceId}): CPUUtilization averaged over the interval's datapoints, NetworkIn/Out and
 * DiskRead/WriteBytes summed. Without the store, or when it fails, the figures are zeros:
 * the usage event still records that the instance ran (the running hours bill), and the
 * validated event needs numbers.
 */
final class CloudWatchUsage implements InstanceUsage.Source {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchUsage.class);
    static final String NAMESPACE = "AWS/EC2";

    private final Supplier<MetricStore> metrics;
    private volatile boolean failing;

    CloudWatchUsage(Supplier<MetricStore> metrics) {
        this.metrics = metrics;
    }

    @Override
    public InstanceUsage usage(String accountId, String instanceId, Instant from, Instant to) {
        MetricStore store = metrics.get();
        if (store == null) {
            return InstanceUsage.NONE;
        }
        try {
            List<MetricDatapoint> cpu = read(store, accountId, instanceId, "CPUUtilization", from, to);
            double samples = cpu.stream().mapToDouble(MetricDatapoint::sampleCount).sum();
            double average = samples > 0 ? cpu.stream().mapToDouble(MetricDatapoint::sum).sum() / samples : 0;
            InstanceUsage u = new InstanceUsage(Math.max(0, Math.min(100, average)),
                    total(store, accountId, instanceId, "NetworkIn", from, to),
                    total(store, accountId, instanceId, "NetworkOut", from, to),
                    total(store, accountId, instanceId, "DiskReadBytes", from, to),
                    total(store, accountId, instanceId, "DiskWriteBytes", from, to));
            if (failing) {
                failing = false;
                LOG.info("CloudWatch metrics readable again for instance usage");
            }
            return u;
        } catch (MetricStoreException e) {
            if (!failing) {
                failing = true;
                LOG.warn("reading CloudWatch metrics failed, instance usage figures are zero until it works: {}",
                        e.getMessage());
            }
            return InstanceUsage.NONE;
        }
    }

    private static long total(MetricStore store, String accountId, String instanceId, String name, Instant from,
            Instant to) throws MetricStoreException {
        double sum = read(store, accountId, instanceId, name, from, to).stream().mapToDouble(MetricDatapoint::sum).sum();
        return Math.max(0, Math.round(sum));
    }

    private static List<MetricDatapoint> read(MetricStore store, String accountId, String instanceId, String name,
            Instant from, Instant to) throws MetricStoreException {
        return store.read(MetricKey.of(accountId, NAMESPACE, name, Map.of("InstanceId", instanceId)), from, to);
    }
}
