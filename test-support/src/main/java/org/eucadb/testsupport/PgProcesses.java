package org.eucadb.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Finds the PostgreSQL binaries and runs commands as the OS user that may run them. */
public final class PgProcesses {
    /** The unprivileged user PostgreSQL runs as when the tests run as root. */
    public static final String PG_OS_USER = "postgres";

    private PgProcesses() {
    }

    /** The directory holding initdb, pg_ctl, postgres: {@code EUCADB_PG_BIN} or the newest /usr/lib/postgresql/N/bin. */
    public static Path binDir() {
        String env = System.getenv("EUCADB_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        Path root = Paths.get("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(p -> parseVersion(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under " + root
                            + "; install postgresql (Debian) or set EUCADB_PG_BIN"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL binaries under " + root
                    + "; install postgresql (Debian) or set EUCADB_PG_BIN", e);
        }
    }

    public static Path bin(String name) {
        return binDir().resolve(name);
    }

    /** True when this JVM runs as root, so database processes must drop to {@link #PG_OS_USER}. */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Wraps a command so it runs as the database OS user when we are root. */
    public static List<String> asDbUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.add("runuser");
            full.add("-u");
            full.add(PG_OS_USER);
            full.add("--");
        }
        full.addAll(command);
        return full;
    }

    /** Makes a path owned by the database OS user (no-op unless root). */
    public static void chownToDbUser(Path path) throws IOException, InterruptedException {
        if (runningAsRoot()) {
            run(List.of("chown", "-R", PG_OS_USER + ":", path.toString()), 30);
        }
    }

    /**
     * Runs a command to completion; returns its output (stdout and stderr together).
     *
     * @throws IOException when it exits non-zero, with the output in the message
     */
    public static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Result r = runForResult(command, null, timeoutSeconds);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Runs a command, feeding {@code stdin} if given, and returns its exit code and output. */
    public static Result runForResult(List<String> command, String stdin, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Path out = Files.createTempFile("eucadb-cmd", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Exit code and combined output of a finished command. */
    public record Result(int exitCode, String output) {
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
