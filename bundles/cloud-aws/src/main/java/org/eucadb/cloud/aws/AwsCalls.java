package org.eucadb.cloud.aws;

import java.util.Set;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.support.aws.SdkClients;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every cloud call goes through here: run with the SDK's class loader as context loader, and
 * its failures told apart as the workflow needs them — retryable (the cloud is busy, away, or a
 * resource is still changing state) or not (the request itself is wrong: bad image, no rights).
 */
final class AwsCalls {
    /** Error codes meaning "not now": the same call may succeed once the cloud has caught up. */
    private static final Set<String> RETRYABLE_CODES = Set.of("DependencyViolation", "VolumeInUse", "IncorrectState",
            "IncorrectInstanceState", "InvalidVolume.ZoneMismatch", "ResourceInUse", "ScalingActivityInProgress",
            "RequestLimitExceeded", "Throttling", "ThrottlingException", "ServiceUnavailable", "Unavailable",
            "InternalError", "InternalFailure", "ConcurrentModification",
            // just made, not yet seen everywhere (EC2 is eventually consistent)
            "InvalidInstanceID.NotFound");

    private AwsCalls() {
    }

    /** A call of the SDK; {@code what} names it in errors ("creating volume in zone a"). */
    interface Call<T> {
        T run();
    }

    static <T> T call(String what, Call<T> call) throws CloudException {
        try {
            return SdkClients.withSdkLoader(call::run);
        } catch (AwsServiceException e) {
            throw new CloudException(what + " failed: " + describe(e), retryable(e), e);
        } catch (SdkClientException e) {
            // No answer at all (connection refused, timeout): the cloud may come back.
            throw new CloudException(what + " failed: " + e.getMessage(), true, e);
        } catch (SdkException e) {
            throw new CloudException(what + " failed: " + e.getMessage(), e.retryable(), e);
        }
    }

    /** As {@link #call}, where "it does not exist" is success (deleting what is gone). */
    static void callUnlessGone(String what, Runnable call) throws CloudException {
        try {
            SdkClients.withSdkLoader(() -> {
                call.run();
                return null;
            });
        } catch (AwsServiceException e) {
            if (!notFound(e)) {
                throw new CloudException(what + " failed: " + describe(e), retryable(e), e);
            }
        } catch (SdkException e) {
            throw new CloudException(what + " failed: " + e.getMessage(), true, e);
        }
    }

    static boolean retryable(AwsServiceException e) {
        return e.retryable() || e.isThrottlingException() || e.statusCode() >= 500
                || RETRYABLE_CODES.contains(code(e));
    }

    /** The service's error code, or "" when it gave none. */
    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    /** Whether the failure is this service's way of saying the thing does not exist. */
    static boolean notFound(AwsServiceException e) {
        String c = code(e);
        return c.endsWith(".NotFound") || c.endsWith("NotFoundException") || c.equals("NoSuchEntity")
                || (c.equals("ValidationError") && String.valueOf(e.awsErrorDetails().errorMessage())
                        .contains("not found"));
    }

    private static String describe(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return code(e) + " (" + e.statusCode() + "): " + message;
    }
}
