package org.eucadb.cloudwatch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.eucadb.cloudwatch.alarms}: the alarm store's region and the evaluator's pace. */
@ObjectClassDefinition(name = "eucadb CloudWatch alarms",
        description = "Alarm ARNs and how often alarms are evaluated")
@interface AlarmsConfiguration {
    String PID = "org.eucadb.cloudwatch.alarms";

    @AttributeDefinition(name = "Region", description = "The region named in new alarms' ARNs")
    String region() default "eucalyptus";

    @AttributeDefinition(name = "Evaluation interval (seconds)",
            description = "Alarms are evaluated at each multiple of this many seconds (1 to 3600)", min = "1",
            max = "3600")
    int evaluation_interval_seconds() default 60;
}
