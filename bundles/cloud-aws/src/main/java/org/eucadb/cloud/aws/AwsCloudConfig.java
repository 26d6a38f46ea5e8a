package org.eucadb.cloud.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;
import org.eucadb.support.aws.CredentialsFile;
import org.eucadb.support.aws.SdkClients;

/**
 * The provider's configuration ({@value #PID}), parsed and validated before anything acts on it:
 * a refusal names the property and what it accepts.
 *
 * @param ec2Endpoint         empty: the region's public endpoint (AWS); Eucalyptus names its own
 * @param autoscalingEndpoint as {@code ec2Endpoint}, for AutoScaling
 * @param iamEndpoint         as {@code ec2Endpoint}, for IAM (a global service on AWS)
 * @param dbPort              the port PostgreSQL listens on in the DB VM image
 * @param address             which of an instance's addresses the front end dials
 * @param device              the device name a data volume is attached as
 * @param volumeType          empty: the cloud's default volume type
 * @param iamPath             the IAM path of the roles and instance profiles eucadb makes
 */
record AwsCloudConfig(Optional<URI> ec2Endpoint, Optional<URI> autoscalingEndpoint, Optional<URI> iamEndpoint,
        String region, CredentialsFile credentials, int dbPort, InstanceAddress address, String device,
        Optional<String> volumeType, String iamPath) {

    static final String PID = "org.eucadb.cloud.aws";
    static final String EC2_ENDPOINT = "ec2.endpoint";
    static final String AUTOSCALING_ENDPOINT = "autoscaling.endpoint";
    static final String IAM_ENDPOINT = "iam.endpoint";
    static final String REGION = "region";
    static final String DB_PORT = "db.port";
    static final String ADDRESS = "instance.address";
    static final String DEVICE = "volume.device";
    static final String VOLUME_TYPE = "volume.type";
    static final String IAM_PATH = "iam.path";
    static final String DEFAULT_REGION = "us-east-1";
    static final String DEFAULT_DEVICE = "/dev/sdf";
    static final String DEFAULT_IAM_PATH = "/eucadb/";
    private static final Pattern DEVICE_NAME = Pattern.compile("/dev/(sd|xvd)[f-p]");
    private static final Pattern VOLUME_TYPE_NAME = Pattern.compile("[a-z0-9]{1,16}");
    private static final Pattern PATH = Pattern.compile("/|/([\\x21-\\x2E\\x30-\\x7E]+/){1,8}");

    /** Which address of an instance the front end connects to. */
    enum InstanceAddress {
        PRIVATE, PUBLIC;

        static InstanceAddress parse(String s) {
            return switch (s) {
                case "private" -> PRIVATE;
                case "public" -> PUBLIC;
                default -> throw new InvalidValueException(ADDRESS, s, "private or public");
            };
        }
    }

    static AwsCloudConfig parse(Map<String, ?> props) {
        Optional<URI> ec2 = text(props, EC2_ENDPOINT).map(s -> SdkClients.endpoint(EC2_ENDPOINT, s));
        Optional<URI> autoscaling = text(props, AUTOSCALING_ENDPOINT)
                .map(s -> SdkClients.endpoint(AUTOSCALING_ENDPOINT, s));
        Optional<URI> iam = text(props, IAM_ENDPOINT).map(s -> SdkClients.endpoint(IAM_ENDPOINT, s));
        String region = SdkClients.region(REGION, text(props, REGION).orElse(DEFAULT_REGION));
        CredentialsFile credentials = CredentialsFile.configured(text(props, CredentialsFile.PROPERTY));
        int port = text(props, DB_PORT).map(AwsCloudConfig::port).orElse(5432);
        InstanceAddress address = text(props, ADDRESS).map(InstanceAddress::parse).orElse(InstanceAddress.PRIVATE);
        String device = text(props, DEVICE).orElse(DEFAULT_DEVICE);
        if (!DEVICE_NAME.matcher(device).matches()) {
            throw new InvalidValueException(DEVICE, device, "a device name /dev/sdf to /dev/sdp or /dev/xvdf to /dev/xvdp");
        }
        Optional<String> volumeType = text(props, VOLUME_TYPE);
        volumeType.filter(t -> !VOLUME_TYPE_NAME.matcher(t).matches()).ifPresent(t -> {
            throw new InvalidValueException(VOLUME_TYPE, t, "a volume type such as gp3, io2 or standard");
        });
        String path = text(props, IAM_PATH).orElse(DEFAULT_IAM_PATH);
        if (path.length() > 512 || !PATH.matcher(path).matches()) {
            throw new InvalidValueException(IAM_PATH, path, "an IAM path such as /eucadb/ (starts and ends with '/',"
                    + " printable ASCII, at most 512 characters)");
        }
        return new AwsCloudConfig(ec2, autoscaling, iam, region, credentials, port, address, device, volumeType, path);
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidValueException(DB_PORT, s, "a port number from 1 to 65535");
    }

    private static Optional<String> text(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = v.toString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
