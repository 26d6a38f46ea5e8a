package org.eucadb.reporting.collector;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;

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
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern OWNER = Pattern.compile("self|amazon|[0-9A-Za-z-]{1,64}");

    static CollectorConfig parse(Map<String, ?> props) {
        URI ec2 = endpoint(EC2_ENDPOINT, text(props, EC2_ENDPOINT)
                .orElseThrow(() -> new InvalidValueException(EC2_ENDPOINT, null, "an http(s) URL of the EC2 API")));
        Optional<URI> s3 = text(props, S3_ENDPOINT).map(s -> endpoint(S3_ENDPOINT, s));
        String region = text(props, REGION).orElse(DEFAULT_REGION);
        if (!REGION_NAME.matcher(region).matches()) {
            throw new InvalidValueException(REGION, region, "a region name such as us-east-1 (lower case, digits, '-')");
        }
        String file = text(props, CredentialsFile.PROPERTY).orElseThrow(() -> new InvalidValueException(
                CredentialsFile.PROPERTY, null, "the absolute path of a file readable only by its owner (mode 0600)"));
        Path path;
        try {
            path = Paths.get(file);
        } catch (RuntimeException bad) {
            throw new InvalidValueException(CredentialsFile.PROPERTY, file, "a file path");
        }
        CredentialsFile credentials = CredentialsFile.check(path);
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

    private static URI endpoint(String key, String s) {
        String accepted = "an http(s) URL with a host and no user info, e.g. https://ec2.example.com:8773/";
        try {
            URI u = new URI(s);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getUserInfo() != null || u.getQuery() != null) {
                throw new InvalidValueException(key, s, accepted);
            }
            return u;
        } catch (URISyntaxException e) {
            throw new InvalidValueException(key, s, accepted);
        }
    }
}
