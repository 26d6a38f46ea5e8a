package org.eucadb.reporting.collector;

import org.eucadb.support.aws.SdkClients;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients for a configuration: the URLConnection HTTP client (the only one embedded),
 * the configured endpoint and region, credentials from the file, built with the SDK's own
 * class loader as context loader ({@link SdkClients#withSdkLoader}).
 */
final class AwsClients {
    private AwsClients() {
    }

    static Ec2Client ec2(CollectorConfig config) {
        return SdkClients.withSdkLoader(() -> Ec2Client.builder()
                .endpointOverride(config.ec2Endpoint())
                .region(Region.of(config.region()))
                .credentialsProvider(config.credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build());
    }

    static S3Client s3(CollectorConfig config) {
        return SdkClients.withSdkLoader(() -> S3Client.builder()
                .endpointOverride(config.s3Endpoint().orElseThrow())
                .region(Region.of(config.region()))
                .forcePathStyle(true)
                .credentialsProvider(config.credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build());
    }
}
