package org.eucadb.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.Processes;

/**
 * eucadb deployed on this machine as dev/start-local does it, for tests that drive the real
 * distribution from outside: a front-end PostgreSQL, the unpacked distribution with its own
 * ports, a second boot stage of features, the credentials and cloud-local in a temporary
 * directory. {@link #close()} (also run at JVM exit) leaves no Karaf, guest or PostgreSQL behind.
 */
final class LocalDeployment implements AutoCloseable {
    final Path work;
    final PostgresServer frontend;
    final KarafInstall karaf;
    final int httpPort;
    /** cloud-local's state directory: its records ({@code records/<kind>/*.json}), volumes and instances. */
    final Path cloud;
    /** The credentials' state directory: {@code ca.pem}, {@code secrets/<role>.password}. */
    final Path credentials;
    private final Thread cleanUpAtExit = new Thread(this::closeQuietly);
    private boolean closed;

    /** Unpacks and configures it; Karaf is not started. */
    static LocalDeployment create(String name, String... bootFeatures) throws Exception {
        Path dist = KarafOptions.projectRoot().resolve("features/distribution/target")
                .resolve("eucadb-" + System.getProperty("eucadb.it.version", "0.1.0-SNAPSHOT") + ".tar.gz");
        if (!Files.isRegularFile(dist)) {
            throw new IllegalStateException("no distribution at " + dist + ": build it first (mvn install)");
        }
        Path work = Files.createTempDirectory("eucadb-" + name);
        // The database OS user must reach the cloud's volumes and instances below: traverse-only for others.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        return new LocalDeployment(dist, work, bootFeatures);
    }

    private LocalDeployment(Path dist, Path work, String[] bootFeatures) throws Exception {
        this.work = work;
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
        frontend = PostgresServer.start();
        byte[] pw = new byte[20];
        new SecureRandom().nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        frontend.createDatabase("eucalyptus", "eucalyptus", password);

        int[] ports = distinctFreePorts(5);
        httpPort = ports[0];
        karaf = KarafInstall.unpack(dist, work, ports[0], ports[1], ports[2], ports[3]);
        Path pwFile = PostgresServer.writeSecretFile(work.resolve("secrets"), "frontend.pw", password);
        karaf.bootAlso(bootFeatures);
        karaf.write("org.eucadb.frontend.cfg", Map.of("url", frontend.jdbcUrl("eucalyptus"), "user", "eucalyptus",
                "password.file", pwFile.toString()));
        credentials = work.resolve("credentials");
        karaf.write("org.eucadb.credentials.cfg", Map.of("port", Integer.toString(ports[4]),
                "key.file", work.resolve("secrets").resolve("credentials.key").toString(),
                "state.dir", credentials.toString()));
        cloud = Files.createDirectory(work.resolve("cloud"));
        Files.setPosixFilePermissions(cloud, PosixFilePermissions.fromString("rwx--x--x"));
        int first = Ports.freeBlock(10);
        karaf.write("org.eucadb.cloud.local.cfg", Map.of("state_dir", cloud.toString(),
                "port_range", first + "-" + (first + 9)));
        // Bundles outside the distribution's system/ folder come from the build's local repository, never the network.
        String localRepo = System.getProperty("eucadb.it.localRepository");
        if (localRepo != null) {
            karaf.put("org.ops4j.pax.url.mvn.cfg", Map.of("org.ops4j.pax.url.mvn.localRepository", localRepo,
                    "org.ops4j.pax.url.mvn.offline", "true"));
        }
    }

    /** The password a role's pool uses, as the credentials bundle wrote it (0600). */
    String rolePassword(String role) throws IOException {
        return Files.readString(credentials.resolve("secrets").resolve(role + ".password")).strip();
    }

    /**
     * kill -9 of the PostgreSQL of the role's live DB VM instance, postmaster and backends at
     * once, as a crash would; the guest agent is left alone (it restarts PostgreSQL).
     */
    void killPostgres(String role) throws IOException, InterruptedException {
        String instance = null;
        try (var files = Files.list(cloud.resolve("records").resolve("instances"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                if (role.equals(r.path("tags").path("eucadb:role").asText())
                        && "running".equals(r.path("state").asText())) {
                    instance = r.path("id").asText();
                }
            }
        }
        if (instance == null) {
            throw new IllegalStateException("no running instance of the " + role + " DB VM");
        }
        long postmaster = Long.parseLong(Files.readAllLines(cloud.resolve("instances").resolve(instance)
                .resolve("status")).stream().filter(l -> l.startsWith("POSTMASTER_PID=")).findFirst()
                .orElseThrow().substring("POSTMASTER_PID=".length()));
        Processes.killTree(postmaster);
    }

    /** The command lines of the DB VM guest agents this deployment started (they run from its cloud directory). */
    List<String> guestProcesses() {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(work.toString()) && c.contains("eucadb-guest")).toList();
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (karaf != null) {
                karaf.kill();
            }
        } finally {
            // DB VM instances outlive Karaf by design (setsid): end every process started under work/.
            Processes.killUnder(work);
            try {
                if (frontend != null) {
                    frontend.close();
                }
            } finally {
                keepLogs();
                PgProcesses.run(List.of("rm", "-rf", work.toString()), 60);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        } catch (IllegalStateException exiting) {
            // called from the hook itself
        }
    }

    /** karaf.log and Karaf's console output go to itests/target/karaf-logs/, to read after a failure. */
    private void keepLogs() {
        try {
            Path keep = Files.createDirectories(KarafOptions.projectRoot().resolve("itests/target/karaf-logs")
                    .resolve(work.getFileName()));
            PgProcesses.runForResult(List.of("sh", "-c", "cp -r \"$1\"/karaf/data/log \"$1\"/karaf-*.out \"$2\"/",
                    "keep-logs", work.toString(), keep.toString()), null, 60);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("karaf logs of " + work + " not kept: " + e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private static int[] distinctFreePorts(int n) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        while (ports.size() < n) {
            ports.add(Ports.free());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }
}
