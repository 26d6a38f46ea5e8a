package org.eucadb.cloudwatch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.eucadb.cloudwatch.retention}: how long each datapoint tier is kept, and the jobs' pace. */
@ObjectClassDefinition(name = "eucadb CloudWatch retention",
        description = "Retention of the datapoint tiers (AWS's by default) and how often rollups and expiry run")
@interface RetentionConfiguration {
    String PID = "org.eucadb.cloudwatch.retention";

    @AttributeDefinition(name = "1-second data", description = "ISO-8601 duration (PT3H)")
    String hires_retention() default "PT3H";

    @AttributeDefinition(name = "60-second data", description = "ISO-8601 duration (P15D)")
    String minute_retention() default "P15D";

    @AttributeDefinition(name = "5-minute rollups", description = "ISO-8601 duration (P63D)")
    String fiveminute_retention() default "P63D";

    @AttributeDefinition(name = "1-hour rollups", description = "ISO-8601 duration (P455D)")
    String hour_retention() default "P455D";

    @AttributeDefinition(name = "Rollup interval (seconds)", description = "1 to 3600")
    int rollup_interval_seconds() default 60;

    @AttributeDefinition(name = "Rollup delay (seconds)",
            description = "An interval is rolled up this long after it closed (0 to 3600); later data is appended to the tiers as late data")
    int rollup_delay_seconds() default 60;

    @AttributeDefinition(name = "Expiry interval (seconds)", description = "60 to 86400")
    int expiry_interval_seconds() default 600;
}
