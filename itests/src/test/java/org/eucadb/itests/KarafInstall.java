package org.eucadb.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eucadb.testsupport.PgProcesses;

/**
 * The eucadb distribution as an operator runs it, outside any test harness: unpacked from its
 * tar.gz, configured like dev/start-local, started with {@code bin/karaf server} and driven
 * with {@code bin/client} and a console key (no password anywhere). One Karaf JVM at a time.
 */
final class KarafInstall {
    private final Path home;
    private final Path work;
    private final Path consoleKey;
    private final Path clientHome;
    private final int sshPort;
    private Process karaf;
    private int launches;

    private KarafInstall(Path home, Path work, int sshPort) {
        this.home = home;
        this.work = work;
        this.consoleKey = work.resolve("secrets").resolve("console_key");
        this.clientHome = work.resolve("client-home");
        this.sshPort = sshPort;
    }

    /** Unpacks {@code distribution} into {@code work/karaf} and gives it its own ports and a console key. */
    static KarafInstall unpack(Path distribution, Path work, int httpPort, int sshPort, int rmiRegistryPort,
            int rmiServerPort) throws IOException, InterruptedException {
        Path unpack = Files.createDirectory(work.resolve("unpack"));
        PgProcesses.run(List.of("tar", "xzf", distribution.toString(), "-C", unpack.toString()), 120);
        try (var entries = Files.list(unpack)) {
            Path top = entries.findFirst().orElseThrow(() -> new IOException(distribution + " is empty"));
            Files.move(top, work.resolve("karaf"));
        }
        Files.delete(unpack);
        KarafInstall k = new KarafInstall(work.resolve("karaf"), work, sshPort);
        k.put("org.ops4j.pax.web.cfg", Map.of("org.osgi.service.http.port", Integer.toString(httpPort)));
        k.put("org.apache.karaf.shell.cfg", Map.of("sshPort", Integer.toString(sshPort), "sshHost", "127.0.0.1"));
        k.put("org.apache.karaf.management.cfg", Map.of("rmiRegistryPort", Integer.toString(rmiRegistryPort),
                "rmiServerPort", Integer.toString(rmiServerPort), "rmiRegistryHost", "127.0.0.1",
                "rmiServerHost", "127.0.0.1"));
        Files.createDirectories(k.consoleKey.getParent());
        Files.setPosixFilePermissions(k.consoleKey.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(k.clientHome);
        PgProcesses.run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-m", "PEM", "-f",
                k.consoleKey.toString()), 60);
        String pub = Files.readString(k.consoleKey.resolveSibling("console_key.pub")).split(" ")[1];
        Files.writeString(k.etc("keys.properties"), "\neucadb=" + pub + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n", StandardOpenOption.APPEND);
        return k;
    }

    Path home() {
        return home;
    }

    Path etc(String file) {
        return home.resolve("etc").resolve(file);
    }

    Path karafLog() {
        return home.resolve("data").resolve("log").resolve("karaf.log");
    }

    /** Sets (or adds) {@code key = value} lines in an etc/ configuration file, keeping the rest. */
    void put(String file, Map<String, String> values) throws IOException {
        Path f = etc(file);
        List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f)) : new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Pattern key = Pattern.compile("^\\s*" + Pattern.quote(e.getKey()) + "\\s*=.*$");
            String line = e.getKey() + " = " + e.getValue();
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                if (key.matcher(lines.get(i)).matches()) {
                    lines.set(i, line);
                    found = true;
                }
            }
            if (!found) {
                lines.add(line);
            }
        }
        Files.write(f, lines, StandardCharsets.UTF_8);
    }

    /** Writes a whole etc/ configuration file (a Config Admin PID's properties). */
    void write(String file, Map<String, String> values) throws IOException {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(etc(file), b.toString());
    }

    /** Adds a second boot stage with {@code features}, after the distribution's own (as dev/start-local does). */
    void bootAlso(String... features) throws IOException {
        Path f = etc("org.apache.karaf.features.cfg");
        String text = Files.readString(f);
        Matcher m = Pattern.compile("featuresBoot = \\\\\\n((?: {4}.*\\\\\\n)* {4}.*\\n)").matcher(text);
        if (!m.find()) {
            throw new IOException("no featuresBoot list in " + f);
        }
        List<String> first = Arrays.stream(m.group(1).split("\n")).map(s -> s.strip().replaceAll("[\\s,\\\\]+$", ""))
                .filter(s -> !s.isEmpty()).toList();
        String boot = "featuresBoot = (" + String.join(", ", first) + "), (" + String.join(", ", features) + ")\n";
        Files.writeString(f, text.substring(0, m.start()) + boot + text.substring(m.end()));
    }

    /** Starts {@code bin/karaf server} with these extra JVM options (e.g. {@code -Dname=value}). */
    void start(String extraJavaOpts) throws IOException {
        if (karaf != null && karaf.isAlive()) {
            throw new IllegalStateException("Karaf is already running (pid " + karaf.pid() + ")");
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("karaf").toString(), "server");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EXTRA_JAVA_OPTS", extraJavaOpts);
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("karaf-" + (++launches) + ".out").toFile());
        pb.redirectInput(new File("/dev/null"));
        karaf = pb.start();
    }

    /** The exit code of the running Karaf once it ends by itself within {@code wait}; null if it still runs. */
    Integer awaitExit(Duration wait) throws InterruptedException {
        return karaf.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? karaf.exitValue() : null;
    }

    /** Stops Karaf the normal way (SIGTERM to its JVM: the framework shuts down), forcibly after {@code wait}. */
    void stop(Duration wait) throws InterruptedException {
        if (karaf == null) {
            return;
        }
        // The JVM only: bin/karaf runs it as its child and exits with its exit code.
        karaf.children().forEach(ProcessHandle::destroy);
        if (!karaf.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** Ends the Karaf JVM and its launcher script at once, like kill -9. */
    void kill() throws InterruptedException {
        if (karaf == null) {
            return;
        }
        karaf.descendants().forEach(ProcessHandle::destroyForcibly);
        karaf.destroyForcibly();
        karaf.waitFor(30, TimeUnit.SECONDS);
    }

    /** Runs console commands through {@code bin/client} as the key's user; its output, or why it failed. */
    PgProcesses.Result client(String... commands) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("client").toString(), "-h", "127.0.0.1",
                "-a", Integer.toString(sshPort), "-u", "eucadb", "-k", consoleKey.toString(), "-r", "2", "-d", "1",
                "-b");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // The client keeps the server's host key in ~/.sshkaraf: ours, not the machine user's.
        pb.environment().put("EXTRA_JAVA_OPTS", "-Duser.home=" + clientHome);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new PgProcesses.Result(-1, "client did not end in 60 s");
        }
        return new PgProcesses.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * Polls {@code eucadb:status} every {@code poll} until {@code done} holds for its output, and
     * returns that output; else fails naming {@code what}, with the last status, {@code more}
     * (what else the test can tell) and the tail of karaf.log.
     */
    String awaitStatus(Predicate<String> done, String what, Duration bound, Duration poll, Supplier<String> more)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            PgProcesses.Result r = client("eucadb:status");
            last = r.output();
            if (r.exitCode() == 0 && done.test(last)) {
                return last;
            }
            Thread.sleep(poll.toMillis());
        }
        throw new AssertionError("not " + what + " within " + bound.toSeconds() + " s\n" + last + more.get() + "\n"
                + karafLogTail(80));
    }

    /**
     * The last {@code n} lines of karaf.log, for a failure message, without the console logins
     * of the test's own {@code bin/client} calls (a status poll would fill the tail with them).
     */
    String karafLogTail(int n) {
        try {
            List<String> lines = Files.readAllLines(karafLog()).stream()
                    .filter(l -> !(l.contains("ServerSessionImpl") && l.endsWith(" authenticated"))).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "no karaf.log at " + karafLog() + ": " + e;
        }
    }
}
