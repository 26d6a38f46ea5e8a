package org.eucadb.support.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;

import software.amazon.awssdk.core.SdkClient;

/**
 * What every AWS SDK v2 client eucadb builds needs: the SDK's own class loader as context
 * loader while building and calling it (the SDK finds its interceptors through it, and in OSGi
 * the caller's loader does not see the SDK bundle's resources), and endpoints checked as
 * configuration.
 */
public final class SdkClients {
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private SdkClients() {
    }

    /** Runs {@code work} with the SDK's class loader as the thread's context class loader. */
    public static <T> T withSdkLoader(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(SdkClient.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * A region name from configuration property {@code key}.
     *
     * @throws InvalidValueException naming {@code key} unless lower case letters, digits and '-'
     */
    public static String region(String key, String text) {
        if (!REGION_NAME.matcher(text).matches()) {
            throw new InvalidValueException(key, text, "a region name such as us-east-1 (lower case, digits, '-')");
        }
        return text;
    }

    /**
     * An endpoint URL from configuration property {@code key}: http or https, a host, no user
     * info or query.
     *
     * @throws InvalidValueException naming {@code key} otherwise
     */
    public static URI endpoint(String key, String text) {
        String accepted = "an http(s) URL with a host and no user info, e.g. https://ec2.example.com:8773/";
        try {
            URI u = new URI(text);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getUserInfo() != null || u.getQuery() != null) {
                throw new InvalidValueException(key, text, accepted);
            }
            return u;
        } catch (URISyntaxException e) {
            throw new InvalidValueException(key, text, accepted);
        }
    }
}
