package org.eucadb.cloud.aws;

import java.util.Map;

import org.eucadb.api.cloud.CloudProvider;

/** Opens the aws provider outside OSGi, as its component does, for the lifecycle's tests. */
public final class AwsClouds {
    private AwsClouds() {
    }

    /** A provider configured by {@code properties} (PID {@code org.eucadb.cloud.aws}). */
    public static CloudProvider open(Map<String, Object> properties) {
        return new AwsCloud(AwsCloudConfig.parse(properties));
    }

    /** Closes its SDK clients; the cloud and its instances are not touched. */
    public static void close(CloudProvider provider) {
        ((AwsCloud) provider).close();
    }
}
