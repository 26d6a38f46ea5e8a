package org.eucadb.reporting.collector;

import java.util.function.Supplier;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients for a configuration: the URLConnection HTTP client (the only one embedded),
 * the configured endpoint and region, credentials from the file. Built with the SDK's own
 * class loader as context loader: the SDK finds its interceptors through it, and in OSGi the
 * caller's loader does not see the SDK bundle's resources.
 */
final class AwsClients {
    private AwsClients() {
    }

    static Ec2Client ec2(CollectorConfig config) {
        return withSdkLoader(() -> Ec2Client.builder()
                .endpointOverride(config.ec2Endpoint())
                .region(Region.of(config.region()))
                .credentialsProvider(config.credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build());
    }

    static S3Client s3(CollectorConfig config) {
        return withSdkLoader(() -> S3Client.builder()
                .endpointOverride(config.s3Endpoint().orElseThrow())
                .region(Region.of(config.region()))
                .forcePathStyle(true)
                .credentialsProvider(config.credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build());
    }

    static <T> T withSdkLoader(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(Ec2Client.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
