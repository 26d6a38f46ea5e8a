package org.eucadb.reporting.collector;

import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.reporting.UsageCollectorStatus;
import org.eucadb.api.reporting.UsageCollectorStatusSource;
import org.eucadb.api.reporting.UsageEventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage collector while its configuration, the usage event store and the front end's
 * database (with Reporting's updatable schema) are all there; CloudWatch metrics are used
 * when the {@link MetricStore} is there too.
 */
// immediate: it polls on its own; offering a service must not make it wait for a caller
@Component(configurationPid = CollectorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = UsageCollectorStatusSource.class, immediate = true)
@Designate(ocd = UsageCollectorComponent.Config.class)
public class UsageCollectorComponent implements UsageCollectorStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(UsageCollectorComponent.class);

    @ObjectClassDefinition(name = "eucadb Reporting usage collector",
            description = "Polls an EC2- and S3-compatible API and records usage events from what changed")
    @interface Config {
        @AttributeDefinition(description = "EC2 API endpoint, http(s)://host[:port][/path]")
        String ec2_endpoint();

        @AttributeDefinition(required = false, description = "S3 API endpoint (path-style); empty: S3 is not polled")
        String s3_endpoint();

        @AttributeDefinition(required = false, description = "signing region")
        String region() default CollectorConfig.DEFAULT_REGION;

        @AttributeDefinition(description = "absolute path of a file (mode 0600) with aws_access_key_id and aws_secret_access_key")
        String credentials_file();

        @AttributeDefinition(required = false, description = "seconds between polls, 1..86400")
        int interval_seconds() default CollectorConfig.DEFAULT_INTERVAL;

        @AttributeDefinition(description = "account id of resources whose listing names no owner and that carry no eucadb:account tag")
        String account_id();

        @AttributeDefinition(required = false, description = "owner filter of DescribeSnapshots: self, amazon or an account id")
        String snapshot_owner() default "self";
    }

    private final DataSource frontend;
    private final UsageEventStore store;
    private final CloudWatchUsage usage = new CloudWatchUsage(() -> this.metrics);
    private final CollectorCounters counters = new CollectorCounters();
    private CollectorRun run;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricStore metrics;

    @Activate
    public UsageCollectorComponent(@Reference UsageEventStore store,
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=reporting.updatable))") DataSource frontend,
            Map<String, ?> props) {
        this.store = store;
        this.frontend = frontend;
        configure(props);
    }

    /** A refused change leaves the configuration in force (and its polling) as it was. */
    @Modified
    synchronized void configure(Map<String, ?> props) {
        CollectorConfig config;
        try {
            config = CollectorConfig.parse(props);
        } catch (InvalidValueException bad) {
            counters.configRefused(bad.getMessage());
            LOG.error("{} refused{}: {}", CollectorConfig.PID,
                    run == null ? ", the collector does not poll" : ", the configuration in force stays",
                    bad.getMessage());
            return;
        }
        counters.configAccepted();
        if (run != null && run.config().equals(config)) {
            return;
        }
        if (run != null) {
            run.close();
        }
        run = new CollectorRun(config, frontend, store, usage, counters);
    }

    @Override
    public synchronized UsageCollectorStatus collectorStatus() {
        return counters.status(run == null ? null : run.config());
    }

    /** The configuration polling now, if any. */
    synchronized CollectorConfig configInForce() {
        return run == null ? null : run.config();
    }

    @Deactivate
    synchronized void deactivate() {
        if (run != null) {
            run.close();
            run = null;
        }
    }
}
