package org.eucadb.reporting.collector;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;
import org.eucadb.support.aws.CredentialsFile;
import org.eucadb.support.aws.SdkClients;

/**
 * The collector's configuration ({@value #PID}), parsed and validated before anything acts on
 * it: a refusal names the property and what it accepts.
 *
 * @param s3Endpoint empty: S3 is not polled (and the S3 objects in the state are left alone)
 */
record CollectorConfig(URI ec2Endpoint, Optional<URI> s3Endpoint, String region, CredentialsFile credentials,
        Duration interval, String accountId, String snapshotOwner) {

    static final String PID = "org.eucadb.reporting.collector";
    static final String EC2_ENDPOINT = "ec2.endpoint";
    static final String S3_ENDPOINT = "s3.endpoint";
    static final String REGION = "region";
    static final String INTERVAL = "interval.seconds";
    static final String ACCOUNT = "account.id";
    static final String SNAPSHOT_OWNER = "snapshot.owner";
    static final int DEFAULT_INTERVAL = 300;
    static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern OWNER = Pattern.compile("self|amazon|[0-9A-Za-z-]{1,64}");

    static CollectorConfig parse(Map<String, ?> props) {
        URI ec2 = SdkClients.endpoint(EC2_ENDPOINT, text(props, EC2_ENDPOINT)
                .orElseThrow(() -> new InvalidValueException(EC2_ENDPOINT, null, "an http(s) URL of the EC2 API")));
        Optional<URI> s3 = text(props, S3_ENDPOINT).map(s -> SdkClients.endpoint(S3_ENDPOINT, s));
        String region = SdkClients.region(REGION, text(props, REGION).orElse(DEFAULT_REGION));
        CredentialsFile credentials = CredentialsFile.configured(text(props, CredentialsFile.PROPERTY));
        int seconds = DEFAULT_INTERVAL;
        Optional<String> interval = text(props, INTERVAL);
        if (interval.isPresent()) {
            try {
                seconds = Integer.parseInt(interval.get());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1 || seconds > 86_400) {
                throw new InvalidValueException(INTERVAL, interval.get(), "a number of seconds from 1 to 86400");
            }
        }
        String account = text(props, ACCOUNT).orElseThrow(() -> new InvalidValueException(ACCOUNT, null,
                "the account id of resources whose listing names no owner (volumes, addresses)"));
        String owner = text(props, SNAPSHOT_OWNER).orElse("self");
        if (!OWNER.matcher(owner).matches()) {
            throw new InvalidValueException(SNAPSHOT_OWNER, owner, "self, amazon or an account id");
        }
        return new CollectorConfig(ec2, s3, region, credentials, Duration.ofSeconds(seconds), account, owner);
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
