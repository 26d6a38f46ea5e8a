package org.eucadb.cloud.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The cloud's records, one JSON file each under {@code <state>/records/<kind>/<id>.json}, written
 * atomically and 0600 (a launch template's user-data holds a bootstrap token). The files are the
 * truth: a provider restarted over the same directory carries on from them.
 */
final class Records {
    /** A security group and its inbound rules. */
    record SecurityGroup(String id, String name, List<Rule> rules, Map<String, String> tags) {
    }

    record Rule(int port, String cidr) {
    }

    /** A volume: a directory under {@code <state>/volumes}. */
    record Volume(String id, String zone, int sizeGib, Map<String, String> tags, String attachedTo) {
        Volume withAttachedTo(String instanceId) {
            return new Volume(id, zone, sizeGib, tags, instanceId);
        }

        Volume withTags(Map<String, String> newTags) {
            return new Volume(id, zone, sizeGib, newTags, attachedTo);
        }
    }

    /** A launch template with all its versions, oldest first. */
    record Template(String name, Map<String, String> tags, List<TemplateVersion> versions) {
        TemplateVersion latest() {
            return versions.get(versions.size() - 1);
        }

        Optional<TemplateVersion> version(String number) {
            return versions.stream().filter(v -> v.version().equals(number)).findFirst();
        }
    }

    record TemplateVersion(String version, String imageId, String instanceType, String keyName,
            List<String> securityGroupIds, String instanceProfile, String userData) {
    }

    /** An autoscaling group of one. */
    record Group(String name, String templateName, String templateVersion, List<String> zones,
            Map<String, String> tags) {
    }

    /**
     * An instance: a guest-agent process tree. {@code pid} and {@code startedAt} (the process's start
     * time, epoch ms) identify the live process, so a restarted provider re-adopts it and never
     * mistakes a recycled pid for it.
     */
    record Instance(String id, String group, String templateName, String templateVersion, String zone, int port,
            String state, long pid, long startedAt, int launches, long stoppingSince, long terminatedAt,
            Map<String, String> tags) {
        static final String RUNNING = "running";
        static final String STOPPING = "stopping";
        static final String TERMINATED = "terminated";

        boolean live() {
            return !TERMINATED.equals(state);
        }

        Instance withProcess(long newPid, long newStartedAt) {
            return new Instance(id, group, templateName, templateVersion, zone, port, state, newPid, newStartedAt,
                    launches + 1, stoppingSince, terminatedAt, tags);
        }

        Instance stopping(long now) {
            return new Instance(id, group, templateName, templateVersion, zone, port, STOPPING, pid, startedAt,
                    launches, now, terminatedAt, tags);
        }

        Instance terminated(long now) {
            return new Instance(id, group, templateName, templateVersion, zone, port, TERMINATED, 0, 0, launches,
                    stoppingSince, now, tags);
        }
    }

    enum Kind {
        SECURITY_GROUP("security-groups", SecurityGroup.class),
        VOLUME("volumes", Volume.class),
        TEMPLATE("launch-templates", Template.class),
        GROUP("groups", Group.class),
        INSTANCE("instances", Instance.class);

        final String dir;
        final Class<?> type;

        Kind(String dir, Class<?> type) {
            this.dir = dir;
            this.type = type;
        }
    }

    private final Path root;
    private final ObjectMapper json = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Records(Path stateDir) throws IOException {
        this.root = stateDir.resolve("records");
        for (Kind k : Kind.values()) {
            Files.createDirectories(root.resolve(k.dir));
        }
        LocalFiles.restrict(root, "rwx------");
    }

    <T> Optional<T> get(Kind kind, String id, Class<T> type) {
        Path f = file(kind, id);
        try {
            return Optional.of(json.readValue(Files.readAllBytes(f), type));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the record " + f, e);
        }
    }

    <T> List<T> all(Kind kind, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve(kind.dir), "*.json")) {
            for (Path f : files) {
                out.add(json.readValue(Files.readAllBytes(f), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the records in " + root.resolve(kind.dir), e);
        }
        return out;
    }

    void put(Kind kind, String id, Object record) {
        Path f = file(kind, id);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, json.writeValueAsBytes(record));
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record " + f, e);
        }
    }

    void remove(Kind kind, String id) {
        try {
            Files.deleteIfExists(file(kind, id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the record " + file(kind, id), e);
        }
    }

    private Path file(Kind kind, String id) {
        return root.resolve(kind.dir).resolve(id + ".json");
    }
}
