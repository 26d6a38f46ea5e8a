package org.eucadb.support.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eucadb.api.InvalidValueException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The access key of a cloud eucadb calls, from a file readable only by its owner, in the AWS
 * credentials-file style ({@code aws_access_key_id = …}, {@code aws_secret_access_key = …};
 * {@code [section]} lines and {@code #} comments are ignored). Read again for every request so
 * a rotated key is picked up; the secret never leaves this object except to the signer.
 */
public final class CredentialsFile implements AwsCredentialsProvider {
    /** The configuration property that names the file, wherever one is configured. */
    public static final String PROPERTY = "credentials.file";
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;

    private CredentialsFile(Path file) {
        this.file = file;
    }

    /**
     * The file a configuration names in {@link #PROPERTY}, checked now so a bad one is refused
     * with the configuration.
     */
    public static CredentialsFile configured(Optional<String> path) {
        String file = path.orElseThrow(() -> new InvalidValueException(PROPERTY, null,
                "the absolute path of a file readable only by its owner (mode 0600)"));
        try {
            return check(Paths.get(file));
        } catch (InvalidPathException bad) {
            throw new InvalidValueException(PROPERTY, file, "a file path");
        }
    }

    /** Checks the file now, so a bad one is refused with the configuration. */
    public static CredentialsFile check(Path file) {
        CredentialsFile f = new CredentialsFile(file);
        f.read();
        return f;
    }

    public Path path() {
        return file;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return read();
    }

    private AwsBasicCredentials read() {
        String accepted = "the absolute path of a file readable only by its owner (mode 0600) holding"
                + " aws_access_key_id and aws_secret_access_key";
        if (!file.isAbsolute() || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidValueException(PROPERTY, file, accepted);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new InvalidValueException(PROPERTY, file + " (readable by others)", accepted);
            }
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("[") || eq < 0) {
                    continue;
                }
                values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
            String id = values.get("aws_access_key_id");
            String secret = values.get("aws_secret_access_key");
            if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
                throw new InvalidValueException(PROPERTY, file + " (a key is missing)", accepted);
            }
            return AwsBasicCredentials.create(id, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed", e);
        }
    }

    /** Same file, same credentials source: a configuration naming it again changes nothing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialsFile f && f.file.equals(file);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    @Override
    public String toString() {
        return "CredentialsFile[" + file + "]"; // never the key itself
    }
}
