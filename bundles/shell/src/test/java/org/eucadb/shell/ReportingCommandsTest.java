package org.eucadb.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.reporting.CapacityPlan;
import org.eucadb.reporting.PgReportService;
import org.eucadb.reporting.PgUsageArchive;
import org.eucadb.reporting.PgUsageEventStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The reporting:* commands' execute, with the real Reporting services on real PostgreSQL. */
public class ReportingCommandsTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-10-03T09:00:00Z"), ZoneOffset.UTC);
    private static PostgresServer pg;
    private static PgUsageEventStore store;
    private static PgReportService reports;
    private static PgUsageArchive archive;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("reporting", "rp", "rp-pw");
        DataSource vm = pg.dataSource("reporting", "rp", "rp-pw");
        ClasspathSchemaSets.migrate(ReportingCommandsTest.class.getClassLoader(), Map.of(DbRole.REPORTING, vm));
        store = new PgUsageEventStore(vm, null); // accounts and users are not used here
        reports = new PgReportService(vm, NOW, CapacityPlan.parse(null, null));
        archive = new PgUsageArchive(vm, store, NOW);
        store.append(List.of(
                UsageEvent.of(UsageEventType.VOLUME_CREATE, Instant.parse("2026-10-02T00:00:00Z"), "300000000001",
                        "u", "vol-1", "one").withSizeBytes(4L << 30),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, Instant.parse("2026-10-02T06:00:00Z"), "300000000001",
                        "u", "vol-1", "one")));
    }

    @AfterClass
    public static void stop() throws Exception {
        pg.close();
    }

    private static ByteArrayOutputStream console(Object command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.getClass().getDeclaredField("console").set(command, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    public void generateDefaultsToYesterdayAndWritesCsv() throws Exception {
        ReportGenerateCommand c = new ReportGenerateCommand();
        c.reports = reports;
        c.clock = NOW;
        c.type = "volume";
        ByteArrayOutputStream out = console(c);
        c.execute();
        assertEquals("account,volumes (count),gib_days (GiB-days)\r\n300000000001,1,1\r\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void generateToAFileReadableByItsOwnerOnly() throws Exception {
        Path file = Files.createTempDirectory("eucadb-report").resolve("r.html");
        ReportGenerateCommand c = new ReportGenerateCommand();
        c.reports = reports;
        c.clock = NOW;
        c.type = "VOLUME";
        c.format = "html";
        c.start = "2026-10-01";
        c.end = "2026-10-03";
        c.groupBy = "account,zone";
        c.out = file.toString();
        ByteArrayOutputStream out = console(c);
        c.execute();
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("1 row(s) of the VOLUME report"));
        assertTrue(Files.readString(file).contains("<svg"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void badOptionsNameTheOptionAndTheAcceptedValues() throws Exception {
        ReportGenerateCommand c = new ReportGenerateCommand();
        c.reports = reports;
        c.type = "cpu";
        expect(c, "type", "INSTANCE|S3|VOLUME|SNAPSHOT|ELASTIC_IP|CAPACITY");
        c.type = "s3";
        c.format = "pdf";
        expect(c, "format", "csv|json|html");
        c.format = "json";
        c.start = "2026-10-05";
        c.end = "2026-10-01";
        expect(c, "end", "a time after start");
        c.end = "tomorrow";
        expect(c, "end", "a date (2026-10-01)");
        ReportDeleteCommand d = new ReportDeleteCommand();
        d.archive = archive;
        d.before = "2026-10-03";
        expect(d, "force", "--force");
        ReportImportCommand i = new ReportImportCommand();
        i.archive = archive;
        i.file = "/nonexistent/file";
        expect(i, "file", "a readable file");
    }

    @Test
    public void withoutTheDatabaseTheCommandsSaySo() throws Exception {
        ReportGenerateCommand c = new ReportGenerateCommand();
        c.type = "volume";
        try {
            c.execute();
            fail("no service, no error");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("database is not connected"));
        }
    }

    @Test
    public void exportThenImportThroughTheCommands() throws Exception {
        Path file = Files.createTempDirectory("eucadb-export").resolve("events.jsonl");
        ReportExportCommand e = new ReportExportCommand();
        e.archive = archive;
        e.start = "2026-10-01";
        e.end = "2026-10-03";
        e.out = file.toString();
        ByteArrayOutputStream out = console(e);
        e.execute();
        assertEquals("2 event(s) written to " + file + "\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(3, Files.readAllLines(file).size());
        Files.writeString(file, Files.readString(file).replace("vol-1", "vol-2") + "{\"type\":\"VOLUME_CREATE\"}\n");
        ReportImportCommand i = new ReportImportCommand();
        i.archive = archive;
        i.file = file.toString();
        ByteArrayOutputStream in = console(i);
        i.execute();
        String said = in.toString(StandardCharsets.UTF_8);
        assertTrue(said, said.startsWith("2 event(s) stored of 3 read; 1 line(s) refused\nline 4: time:"));
    }

    private static void expect(org.apache.karaf.shell.api.action.Action a, String field, String accepted)
            throws Exception {
        try {
            a.execute();
            fail("accepted");
        } catch (InvalidValueException e) {
            assertEquals(field, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains(accepted));
        }
    }
}
