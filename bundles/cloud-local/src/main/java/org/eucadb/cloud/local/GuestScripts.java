package org.eucadb.cloud.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The guest scripts shipped in this bundle ({@code eucadb/guest/}), extracted where instances run them. */
final class GuestScripts {
    static final String RESOURCE_DIR = "eucadb/guest/";
    static final String AGENT = "eucadb-guest";
    private static final List<String> REQUIRED = List.of(AGENT, "setup-db");
    /** Shipped when the image has it; without it an instance boots only with pre-filled secrets. */
    private static final List<String> OPTIONAL = List.of("eucadb-redeem");

    private GuestScripts() {
    }

    /**
     * Writes the scripts into {@code dir} (0755). Each is renamed into place, so an instance still
     * running the previous copy keeps reading its own file (bash reads a script as it goes).
     */
    static Path extract(ClassLoader loader, Path dir) throws IOException {
        LocalFiles.directory(dir, "rwxr-xr-x");
        for (String name : REQUIRED) {
            copy(loader, name, dir, true);
        }
        for (String name : OPTIONAL) {
            copy(loader, name, dir, false);
        }
        return dir.resolve(AGENT);
    }

    private static void copy(ClassLoader loader, String name, Path dir, boolean required) throws IOException {
        URL url = loader.getResource(RESOURCE_DIR + name);
        if (url == null) {
            if (required) {
                throw new IllegalStateException("the bundle lacks its guest script " + RESOURCE_DIR + name);
            }
            return;
        }
        Path tmp = dir.resolve("." + name + ".new");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        LocalFiles.restrict(tmp, "rwxr-xr-x");
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
