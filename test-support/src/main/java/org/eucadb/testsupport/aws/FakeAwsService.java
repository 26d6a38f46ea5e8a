package org.eucadb.testsupport.aws;

/**
 * One AWS service faked at the HTTP level, speaking its wire protocol so the real SDK client
 * runs against it. Served by {@link AwsFakeServer}.
 */
public interface FakeAwsService {
    /** Whether this service takes the request (services sharing a server route on this). */
    boolean accepts(FakeRequest request);

    /** The AWS operation the request calls ({@code DescribeInstances}, {@code ListObjectsV2}, ...). */
    String operation(FakeRequest request);

    FakeResponse handle(FakeRequest request);

    /** The error reply of this service's protocol, for failures the test injects. */
    FakeResponse error(int status, String code, String message);
}
