package org.eucadb.cloud.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The processes behind instances. A guest is started in a session of its own ({@code setsid}), so it
 * outlives Karaf like a VM outlives its cloud's front end; it is known again by its pid and start time.
 */
final class GuestProcesses {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private GuestProcesses() {
    }

    /** Starts {@code command} in a new session with output appended to {@code log}; stdin is empty. */
    static Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(concat("setsid", command));
        // A fresh, minimal environment: nothing of Karaf's reaches the instance.
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().put("LANG", "C.UTF-8");
        pb.redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** The process's start time (epoch ms), when it exists. */
    static Optional<Long> startTime(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli);
    }

    /** Whether the process {@code pid} started at {@code startedAt} still runs (a zombie does not). */
    static boolean alive(long pid, long startedAt) {
        if (pid <= 0) {
            return false;
        }
        Optional<Long> start = startTime(pid);
        return start.isPresent() && start.get() == startedAt && !zombie(pid);
    }

    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException gone) {
            return true;
        }
    }

    /** SIGTERM to the guest itself: it stops PostgreSQL cleanly and exits. */
    static void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    /** SIGKILL to the guest's whole process group (its session leader's pid is the group id). */
    static void killGroup(long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL to a postmaster left running in {@code dataDir} (pg_ctl starts it in a session of its
     * own, so it is outside the guest's group); its backends follow it.
     */
    static void killPostmaster(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).trim());
            String cmdline = Files.readString(Paths.get("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            if (cmdline.contains("postgres") && cmdline.contains(dataDir.toString())) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | RuntimeException nothingRunning) {
            // no pid file, or its process is gone: nothing to stop
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
