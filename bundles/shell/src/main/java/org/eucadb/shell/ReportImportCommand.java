package org.eucadb.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.ImportResult;
import org.eucadb.api.reporting.UsageArchive;

/** Reads an exported file back; bad lines are listed by number, the good ones stored. */
@Command(scope = "reporting", name = "import", description = "Import usage events written by reporting:export")
@Service
public class ReportImportCommand implements Action {
    @Argument(index = 0, name = "file", description = "a file written by reporting:export", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    UsageArchive archive;

    PrintStream console = System.out;

    @Override
    public Object execute() throws Exception {
        Path p = Path.of(file);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new InvalidValueException("file", file, "a readable file written by reporting:export");
        }
        if (archive == null) {
            throw ReportingOutput.unavailable();
        }
        ImportResult r;
        try (InputStream in = Files.newInputStream(p)) {
            r = archive.importEvents(in);
        }
        console.println(r.stored() + " event(s) stored of " + r.lines() + " read; " + r.rejectedCount()
                + " line(s) refused");
        r.rejected().forEach(console::println);
        if (r.rejectedCount() > r.rejected().size()) {
            console.println("... and " + (r.rejectedCount() - r.rejected().size()) + " more");
        }
        return null;
    }
}
