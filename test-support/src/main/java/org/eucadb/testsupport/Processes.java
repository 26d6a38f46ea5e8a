package org.eucadb.testsupport;

import java.nio.file.Path;
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
}
