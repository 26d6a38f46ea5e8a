package org.eucadb.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.aws.AwsFakeServer;
import org.eucadb.testsupport.aws.FakeAutoScaling;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeEc2Guests;
import org.eucadb.testsupport.aws.FakeIam;

/**
 * A cloud for the distribution's {@code eucadb-cloud-aws} provider: EC2, AutoScaling and IAM faked
 * at the HTTP level (the provider's real SDK clients call them), and each launched instance
 * played by the real guest agent on this machine, listening on 127.0.0.1.
 */
final class FakeAwsCloud implements AutoCloseable {
    static final String IMAGE = "ami-00000001";
    final FakeEc2 ec2 = new FakeEc2();
    final FakeAutoScaling autoscaling = new FakeAutoScaling(ec2);
    final FakeIam iam = new FakeIam();
    final AwsFakeServer server;
    final FakeEc2Guests guests;
    final int dbPort;
    private final Path credentialsFile;

    FakeAwsCloud(Path dir) throws IOException {
        ec2.zones("fake-1a", "fake-1b");
        ec2.put(new FakeEc2.Image(IMAGE, "eucadb-db"));
        server = AwsFakeServer.start(ec2, autoscaling, iam);
        dbPort = Ports.free();
        guests = new FakeEc2Guests(ec2, dir.resolve("machines"),
                KarafOptions.projectRoot().resolve("image/guest/eucadb-guest"), dbPort);
        credentialsFile = PostgresServer.writeSecretFile(dir, "aws-credentials", "aws_access_key_id = AKIDFAKE\n"
                + "aws_secret_access_key = fake-secret\n");
        autoscaling.startReconciling(Duration.ofMillis(500));
    }

    /** {@code etc/org.eucadb.cloud.aws.cfg} for this cloud. */
    Map<String, String> providerConfig() {
        String url = server.endpoint().toString();
        return Map.of("ec2.endpoint", url, "autoscaling.endpoint", url, "iam.endpoint", url, "region", "fake-1",
                "credentials.file", credentialsFile.toString(), "db.port", Integer.toString(dbPort));
    }

    @Override
    public void close() {
        autoscaling.close();
        guests.close();
        server.close();
    }
}
