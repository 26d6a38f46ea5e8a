package org.eucadb.reporting;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.eucadb.reporting}: what the cloud offers (for CAPACITY) and how often rollups are built. */
@ObjectClassDefinition(name = "eucadb Reporting",
        description = "Reports: configured capacity and daily rollups")
public @interface ReportingConfig {
    @AttributeDefinition(name = "capacity.instances",
            description = "Instances offered, as zone/instance-type=count (e.g. one/m1.small=40)")
    String[] capacity_instances() default {};

    @AttributeDefinition(name = "capacity.volume.gib", description = "Volume storage offered, as zone=GiB")
    String[] capacity_volume_gib() default {};

    @AttributeDefinition(name = "rollup.interval.minutes",
            description = "How often closed days get their instance usage rollup (1 to 1440)")
    int rollup_interval_minutes() default 15;
}
