package org.eucadb.testsupport.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.net.URI;

import org.junit.function.ThrowingRunnable;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** The real SDK v2 clients, pointed at a fake server, and checks of the errors they raise. */
final class FakeClients {
    static final Region REGION = Region.of("fake-1");
    private static final StaticCredentialsProvider KEYS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDTEST", "secret"));

    private FakeClients() {
    }

    static Ec2Client ec2(URI endpoint) {
        return Ec2Client.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(KEYS)
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    static AutoScalingClient autoScaling(URI endpoint) {
        return AutoScalingClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(KEYS)
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    /** IAM is global: its region is aws-global, the endpoint the fake's. */
    static IamClient iam(URI endpoint) {
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL).credentialsProvider(KEYS)
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    /** The call fails with this AWS error code and HTTP status, as the SDK parsed them. */
    static AwsServiceException assertAwsError(String code, int status, ThrowingRunnable call) {
        AwsServiceException e = assertThrows(code, AwsServiceException.class, call);
        assertEquals(e.getMessage(), code, e.awsErrorDetails().errorCode());
        assertEquals(e.getMessage(), status, e.statusCode());
        return e;
    }
}
