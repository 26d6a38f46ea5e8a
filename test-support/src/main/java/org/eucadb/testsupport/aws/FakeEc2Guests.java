package org.eucadb.testsupport.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.Processes;

/**
 * The machines behind the fake EC2's instances: each launched instance boots the real guest
 * agent with its user-data (decoded from the launch template), as a VM's boot would; an attached
 * volume is a directory linked where the guest waits for its data volume; a terminated instance's
 * guest is stopped (PostgreSQL shut down cleanly) before the termination returns, so a volume is
 * never used by two guests. Every instance listens on 127.0.0.1 at one port: one role at a time.
 */
public final class FakeEc2Guests implements AutoCloseable {
    private final Path base;
    private final Path agent;
    private final int port;
    private final Map<String, Process> guests = new ConcurrentHashMap<>();

    /**
     * Plays {@code ec2}'s instances from now on (it takes its hooks and addresses).
     *
     * @param base  where instance disks and volumes are made (searchable by the database OS user)
     * @param agent the guest agent, {@code eucadb-guest}, beside its {@code setup-db} and {@code eucadb-redeem}
     * @param port  the port every guest's PostgreSQL listens on
     */
    public FakeEc2Guests(FakeEc2 ec2, Path base, Path agent, int port) throws IOException {
        this.base = base;
        this.agent = agent;
        this.port = port;
        directory(base.resolve("instances"));
        directory(base.resolve("volumes"));
        ec2.privateIpAddresses(id -> "127.0.0.1");
        ec2.onLaunch(this::boot);
        ec2.onTerminate(this::halt);
        ec2.onAttach((volume, instance) -> link(volume, instance));
        ec2.onDetach((volume, instance) -> unlink(instance));
    }

    /** The guests running now, by instance id. */
    public Map<String, Process> running() {
        guests.values().removeIf(p -> !p.isAlive());
        return Map.copyOf(guests);
    }

    private void boot(FakeEc2.LaunchedInstance i) {
        try {
            Path dir = directory(base.resolve("instances").resolve(i.instanceId()));
            Path userData = dir.resolve("user-data");
            Files.createFile(userData, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(userData, i.userData() == null ? "" : i.userData());
            String osUser = PgProcesses.runningAsRoot() ? PgProcesses.PG_OS_USER : System.getProperty("user.name");
            ProcessBuilder pb = new ProcessBuilder("setsid", agent.toString(), "--instance-dir", dir.toString(),
                    "--volume-dir", dir.resolve("volume").toString(), "--user-data", userData.toString(),
                    "--port", Integer.toString(port), "--listen", "127.0.0.1", "--os-user", osUser,
                    "--bin-dir", PgProcesses.binDir().toString(), "--socket-dir", dir.resolve("run").toString());
            // A fresh, minimal environment, as a VM's boot has.
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().put("LANG", "C.UTF-8");
            pb.redirectInput(Paths.get("/dev/null").toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("guest.log").toFile()));
            guests.put(i.instanceId(), pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("booting " + i.instanceId(), e);
        }
    }

    /** SIGTERM (the guest stops PostgreSQL and exits), then whatever is left is killed. */
    private void halt(String instanceId) {
        Process p = guests.remove(instanceId);
        if (p == null) {
            return;
        }
        try {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                PgProcesses.runForResult(List.of("kill", "-KILL", "--", "-" + p.pid()), null, 10);
            }
            Optional<Long> postmaster = status(instanceId, "POSTMASTER_PID").filter(s -> !s.isEmpty())
                    .map(Long::parseLong);
            if (postmaster.isPresent()) {
                Processes.killTree(postmaster.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line of the guest's status file ({@code KEY=value}). */
    public Optional<String> status(String instanceId, String key) throws IOException {
        Path f = base.resolve("instances").resolve(instanceId).resolve("status");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Files.readAllLines(f).stream().filter(l -> l.startsWith(key + "=")).findFirst()
                .map(l -> l.substring(key.length() + 1));
    }

    private void link(String volumeId, String instanceId) {
        try {
            Path volume = directory(base.resolve("volumes").resolve(volumeId));
            Path link = base.resolve("instances").resolve(instanceId).resolve("volume");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, volume);
        } catch (IOException e) {
            throw new UncheckedIOException("attaching " + volumeId + " to " + instanceId, e);
        }
    }

    private void unlink(String instanceId) {
        try {
            Files.deleteIfExists(base.resolve("instances").resolve(instanceId).resolve("volume"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory the database OS user can pass through (the guest makes what it needs inside). */
    private static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir;
    }

    /** Stops every guest, as their instances' termination would. */
    @Override
    public void close() {
        for (String id : List.copyOf(guests.keySet())) {
            halt(id);
        }
    }
}
