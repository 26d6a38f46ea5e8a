package org.eucadb.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Where the reporting commands write: a file readable by its owner only, or the console. */
final class ReportingOutput {
    private ReportingOutput() {
    }

    /** Opens {@code file} (0600, created or truncated), or wraps the console when null. */
    static OutputStream open(String file, OutputStream console) throws IOException {
        if (file == null) {
            return new OutputStream() { // the console stays open after the command
                @Override
                public void write(int b) throws IOException {
                    console.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    console.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    console.flush();
                }
            };
        }
        Path p = Path.of(file);
        if (!Files.exists(p)) {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    static IllegalStateException unavailable() {
        return new IllegalStateException("Reporting is unavailable: its database is not connected (see eucadb:status"
                + " and reporting:status)");
    }
}
