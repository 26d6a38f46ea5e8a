package org.eucadb.api.reporting;

import java.time.Instant;

/**
 * One usage event. Common fields are always set; the others only for the types that use them
 * (null otherwise):
 * <ul>
 * <li>{@code instanceType}: INSTANCE_CREATE;</li>
 * <li>{@code sizeBytes}: VOLUME_CREATE, SNAPSHOT_CREATE, S3_OBJECT_CREATE (object size), S3_OBJECT_DELETE;</li>
 * <li>{@code attachedTo}: the instance of VOLUME_ATTACH/DETACH and ADDRESS_ATTACH/DETACH, the
 * source volume of SNAPSHOT_CREATE;</li>
 * <li>{@code bucket}, {@code objectKey}: S3_OBJECT_*;</li>
 * <li>{@code intervalSeconds}, {@code cpuUtilization} (percent), {@code networkInBytes},
 * {@code networkOutBytes}, {@code diskReadBytes}, {@code diskWriteBytes}: INSTANCE_USAGE, over
 * the interval that ends at {@code time}.</li>
 * </ul>
 */
public record UsageEvent(
        UsageEventType type,
        Instant time,
        String accountId,
        String userId,
        String resourceId,
        String zone,
        String instanceType,
        Long sizeBytes,
        String attachedTo,
        String bucket,
        String objectKey,
        Integer intervalSeconds,
        Double cpuUtilization,
        Long networkInBytes,
        Long networkOutBytes,
        Long diskReadBytes,
        Long diskWriteBytes) {

    /** An event with only the common fields set. */
    public static UsageEvent of(UsageEventType type, Instant time, String accountId, String userId,
            String resourceId, String zone) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    public UsageEvent withInstanceType(String value) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, value, sizeBytes, attachedTo,
                bucket, objectKey, intervalSeconds, cpuUtilization, networkInBytes, networkOutBytes,
                diskReadBytes, diskWriteBytes);
    }

    public UsageEvent withSizeBytes(Long value) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, instanceType, value, attachedTo,
                bucket, objectKey, intervalSeconds, cpuUtilization, networkInBytes, networkOutBytes,
                diskReadBytes, diskWriteBytes);
    }

    public UsageEvent withAttachedTo(String value) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, instanceType, sizeBytes, value,
                bucket, objectKey, intervalSeconds, cpuUtilization, networkInBytes, networkOutBytes,
                diskReadBytes, diskWriteBytes);
    }

    public UsageEvent withObject(String bucketName, String key) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, instanceType, sizeBytes, attachedTo,
                bucketName, key, intervalSeconds, cpuUtilization, networkInBytes, networkOutBytes,
                diskReadBytes, diskWriteBytes);
    }

    public UsageEvent withUsage(int interval, double cpu, long netIn, long netOut, long diskRead, long diskWrite) {
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, instanceType, sizeBytes, attachedTo,
                bucket, objectKey, interval, cpu, netIn, netOut, diskRead, diskWrite);
    }
}
