package org.eucadb.credentials;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/** Files only the Karaf user can read, replaced atomically so a reader never sees half a secret. */
final class SecretFiles {
    private SecretFiles() {
    }

    /** Creates {@code dir} (0700) if missing. */
    static Path privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    /** Writes a new, uniquely named 0600 file in {@code dir} (name starting {@code .prefix}), synced to disk. */
    static Path writePrivate(Path dir, String prefix, byte[] content) throws IOException {
        Path f = Files.createTempFile(dir, "." + prefix, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(f, EnumSet.of(StandardOpenOption.WRITE))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return f;
    }

    /** Replaces {@code target} with a 0600 file holding {@code content}: temp file, then rename. */
    static void replacePrivate(Path target, byte[] content) throws IOException {
        Path dir = privateDirectory(target.toAbsolutePath().getParent());
        Path tmp = writePrivate(dir, target.getFileName().toString(), content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
