package org.eucadb.reporting.collector;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.support.aws.SdkClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One configuration in force: its SDK clients and its polling schedule. A new configuration
 * closes this one and opens another; nothing is changed in place.
 */
final class CollectorRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorRun.class);

    private final CollectorConfig config;
    private final Ec2Client ec2;
    private final Optional<S3Client> s3;
    private final UsageCollector collector;
    private final ScheduledExecutorService scheduler;
    private final CollectorCounters counters;
    private boolean failing; // an episode of failed polls: the first failure and the recovery are logged at WARN/INFO

    CollectorRun(CollectorConfig config, DataSource frontend, UsageEventStore store, InstanceUsage.Source usage,
            CollectorCounters counters) {
        this.config = config;
        this.counters = counters;
        this.ec2 = AwsClients.ec2(config);
        this.s3 = config.s3Endpoint().map(e -> AwsClients.s3(config));
        this.collector = new UsageCollector(frontend, store,
                new CloudObserver(ec2, s3, config.accountId(), config.snapshotOwner()), usage, config.interval(),
                Clock.systemUTC());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-usage-collector");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::pollOnce, 0, config.interval().toSeconds(), TimeUnit.SECONDS);
        LOG.info("usage collector polling {}{} every {} s", config.ec2Endpoint(),
                config.s3Endpoint().map(u -> " and " + u).orElse(""), config.interval().toSeconds());
    }

    CollectorConfig config() {
        return config;
    }

    private void pollOnce() {
        Instant started = Instant.now();
        try {
            UsageCollector.PollResult r = SdkClients.withSdkLoader(() -> {
                try {
                    return collector.poll();
                } catch (Exception e) {
                    throw new PollFailure(e);
                }
            });
            counters.succeeded(started, r);
            if (failing) {
                failing = false;
                LOG.info("usage collector polls again");
            }
            LOG.debug("usage collector poll: {} events derived, {} stored, {} rejected", r.derived(), r.stored(),
                    r.rejected());
        } catch (RuntimeException e) {
            Throwable cause = e instanceof PollFailure ? e.getCause() : e;
            counters.failed(started, cause);
            if (!failing) {
                failing = true;
                LOG.warn("usage collector poll failed, nothing of it was recorded; retrying every {} s: {}",
                        config.interval().toSeconds(), cause.toString());
            } else {
                LOG.debug("usage collector poll failed again: {}", cause.toString());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ec2.close();
        s3.ifPresent(S3Client::close);
    }

    private static final class PollFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PollFailure(Exception cause) {
            super(cause);
        }
    }
}
