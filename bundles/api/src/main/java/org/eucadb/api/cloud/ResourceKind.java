package org.eucadb.api.cloud;

/** The kinds of cloud resource a DB VM is made of. */
public enum ResourceKind {
    SECURITY_GROUP,
    INSTANCE_PROFILE,
    VOLUME,
    LAUNCH_TEMPLATE,
    AUTOSCALING_GROUP,
    INSTANCE
}
