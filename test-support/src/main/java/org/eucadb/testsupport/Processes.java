package org.eucadb.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Processes a test left behind on purpose, such as cloud-local's DB VM "instances". */
public final class Processes {
    private Processes() {
    }

    /**
     * Kills every process whose command line names {@code dir}: guest agents first, so they
     * restart nothing, then whatever else runs from there (PostgreSQL).
     */
    public static void killUnder(Path dir) {
        for (String marker : List.of("eucadb-guest", "")) {
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine()
                            .map(c -> c.contains(dir.toString()) && c.contains(marker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * One SIGKILL to a process and all its descendants at once, as a crash of the machine's
     * PostgreSQL would be (no backend outlives its postmaster to finish what it was doing); waits
     * up to 10 s for them to be gone. A process that ended by itself meanwhile is no error.
     * {@code kill} runs as the caller (root may signal the database user's processes).
     */
    public static void killTree(long pid) throws IOException, InterruptedException {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            all.add(h);
            h.descendants().forEach(all::add);
        });
        if (all.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-9"));
        all.forEach(h -> cmd.add(Long.toString(h.pid())));
        PgProcesses.runForResult(cmd, null, 10);
        for (int i = 0; i < 200 && all.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
    }
}
