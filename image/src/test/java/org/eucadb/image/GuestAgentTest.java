package org.eucadb.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.PostgresServer;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Runs {@code guest/eucadb-guest} for real (as root; PostgreSQL as the {@code postgres} OS user). The redeem step's
 * output is pre-filled the way eucadb-redeem writes it (a test CA, a server certificate for 127.0.0.1, db.env and
 * db.password, all 0600), or produced by a stand-in eucadb-redeem beside a copy of the scripts.
 */
public class GuestAgentTest {
    private static final Path GUEST_DIR = Paths.get("guest").toAbsolutePath();
    private static final String DB = "cloudwatch";
    private static final String USER = "cloudwatch_owner";
    private static final String TOKEN = UUID.randomUUID().toString().replace("-", "");
    private static final String PASSWORD = "Pw" + TOKEN;

    private static Path base;
    /** A filled redeem output: what eucadb-redeem leaves behind. */
    private static Path redeemed;

    private final List<Process> started = new ArrayList<>();

    @BeforeClass
    public static void makeCredentials() throws Exception {
        assertTrue(Files.isExecutable(GUEST_DIR.resolve("eucadb-guest")));
        base = Files.createTempDirectory("eucadb-guest");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        redeemed = base.resolve("redeemed");
        Files.createDirectory(redeemed, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path ca = redeemed.resolve("ca.crt");
        Path caKey = base.resolve("ca.key");
        PgProcesses.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=eucadb test CA", "-keyout", caKey.toString(), "-out", ca.toString()), 60);
        Path key = redeemed.resolve("server.key");
        Path csr = base.resolve("server.csr");
        PgProcesses.run(List.of("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=eucadb DB VM",
                "-keyout", key.toString(), "-out", csr.toString()), 60);
        Path ext = base.resolve("san.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\n");
        PgProcesses.run(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out",
                redeemed.resolve("server.crt").toString()), 60);
        PostgresServer.writeSecretFile(redeemed, "db.password", PASSWORD);
        PostgresServer.writeSecretFile(redeemed, "db.env",
                "EUCADB_DB_ROLE=cloudwatch\nEUCADB_DB_USER=" + USER + "\nEUCADB_DB_DATABASE=" + DB + "\n");
        for (String f : List.of("ca.crt", "server.key", "server.crt")) {
            Files.setPosixFilePermissions(redeemed.resolve(f), PosixFilePermissions.fromString("rw-------"));
        }
    }

    @AfterClass
    public static void deleteAll() throws Exception {
        if (base != null) {
            PgProcesses.run(List.of("rm", "-rf", base.toString()), 60);
        }
    }

    @After
    public void stopGuests() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    public void directoryModeWaitsForTheVolumeServesTlsAndStopsCleanlyOnSigterm() throws Exception {
        Instance i = new Instance("boot");
        i.prefillSecrets();
        ProcSampler sampler = ProcSampler.start();
        Process guest = i.start();
        waitForStatus(i, s -> s.contains("REASON=waiting for the data volume"), 60);
        Thread.sleep(1500);
        assertTrue("still waiting: " + i.status(), i.status().contains("STATE=starting"));
        Files.createDirectory(i.volume);
        waitForStatus(i, s -> s.contains("STATE=ready"), 120);

        try (Connection c = i.connect(); Statement s = c.createStatement()) {
            assertEquals("t", single(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'kept')");
        }
        assertTrue("the cluster lives on the volume", Files.isRegularFile(i.volume.resolve("postgresql/data/PG_VERSION")));
        int postmaster = i.postmasterPid();
        assertTrue(processAlive(postmaster));

        guest.destroy(); // SIGTERM
        assertTrue("guest exits after SIGTERM", guest.waitFor(90, TimeUnit.SECONDS));
        List<String> leaks = sampler.stop();
        assertEquals(i.log(), 0, guest.exitValue());
        assertTrue(i.status(), i.status().contains("STATE=stopped"));
        assertFalse("postmaster stopped", processAlive(postmaster));
        assertTrue(i.log(), i.log().contains("stopping PostgreSQL"));
        assertFalse("clean shutdown leaves no pid file", Files.exists(i.volume.resolve("postgresql/data/postmaster.pid")));

        assertTrue("the sampler ran", sampler.samples > 0);
        assertEquals("password in a process's argv or environment", List.of(), leaks);
        assertFalse("password in the guest's log", i.log().contains(TOKEN));
        assertFalse("password in the status file", i.status().contains(TOKEN));
        assertFalse("password in the server log", Files.readString(i.volume.resolve("postgresql/postgresql.log"),
                StandardCharsets.ISO_8859_1).contains(TOKEN));
    }

    @Test
    public void aSecondBootKeepsTheDataAndDoesNotRedeemAgain() throws Exception {
        Instance i = new Instance("reboot");
        i.prefillSecrets();
        Files.createDirectory(i.volume);
        Process first = i.start();
        waitForStatus(i, s -> s.contains("STATE=ready"), 120);
        try (Connection c = i.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'first boot')");
        }
        first.destroy();
        assertTrue(first.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue());

        // A second redeem would fail the boot: the user-data's endpoint (port 1) never answers.
        Process second = i.start();
        waitForStatus(i, s -> s.contains("STATE=ready"), 120);
        try (Connection c = i.connect(); Statement s = c.createStatement()) {
            assertEquals("first boot", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }
        assertTrue(i.log(), i.log().contains("not redeeming again"));
        assertTrue(i.log(), i.log().contains("re-using the PostgreSQL"));
        second.destroy();
        assertTrue(second.waitFor(90, TimeUnit.SECONDS));
    }

    @Test
    public void aKilledPostmasterIsRestartedWithItsData() throws Exception {
        Instance i = new Instance("crash");
        i.prefillSecrets();
        Files.createDirectory(i.volume);
        i.start();
        waitForStatus(i, s -> s.contains("STATE=ready"), 120);
        try (Connection c = i.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'before the crash')");
        }
        int before = i.postmasterPid();
        PgProcesses.run(List.of("kill", "-9", Integer.toString(before)), 10);

        waitForStatus(i, s -> s.contains("RESTARTS=1") && s.contains("STATE=ready"), 120);
        int after = i.postmasterPid();
        assertNotEquals(before, after);
        try (Connection c = i.connect(); Statement s = c.createStatement()) {
            assertEquals("before the crash", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }
        assertTrue(i.log(), i.log().contains("is not running; restart 1"));
        assertTrue(i.log(), i.log().contains("PostgreSQL restarted"));
    }

    @Test
    public void redeemsWithTheUserDataWhenNoSecretsAreThere() throws Exception {
        Path scripts = scriptsWithRedeem("ok", "#!/bin/bash\n"
                + "# Stand-in for eucadb-redeem: records its arguments, writes what the real one writes.\n"
                + "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/redeem.args\"\n"
                + "mkdir -p -m 0700 \"${@: -1}\" && cp -p " + redeemed + "/* \"${@: -1}\"/\n");
        Instance i = new Instance("redeem", scripts);
        Files.createDirectory(i.volume);
        i.start();
        waitForStatus(i, s -> s.contains("STATE=ready"), 120);
        assertEquals(List.of("--user-data", i.userData.toString(), i.dir.resolve("secrets").toString()),
                Files.readAllLines(scripts.resolve("redeem.args")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(i.dir.resolve("secrets"))));
        try (Connection c = i.connect()) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    public void aRefusedTokenFailsTheBootWithoutRetrying() throws Exception {
        Path scripts = scriptsWithRedeem("refused", "#!/bin/bash\necho x >> \"$(dirname \"$0\")/redeem.calls\"\n"
                + "echo 'eucadb-redeem: error: token refused (410): used' >&2\nexit 4\n");
        Instance i = new Instance("refused", scripts);
        Files.createDirectory(i.volume);
        Process p = i.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(i.log(), 1, p.exitValue());
        assertTrue(i.status(), i.status().contains("STATE=failed"));
        assertTrue(i.status(), i.status().contains("token was refused"));
        assertEquals(1, Files.readAllLines(scripts.resolve("redeem.calls")).size());
        assertFalse("nothing was set up", Files.exists(i.volume.resolve("postgresql")));
    }

    @Test
    public void aVolumeThatNeverAppearsFailsWithinTheBound() throws Exception {
        Instance i = new Instance("novolume");
        i.prefillSecrets();
        // The NTP server of the user-data goes to chrony before the volume is waited for.
        Files.writeString(i.userData, "EUCADB_NTP_SERVER=ntp.example.org\n", StandardOpenOption.APPEND);
        Path chrony = Files.createDirectories(base.resolve("chrony-sources"));
        i.extra.addAll(List.of("--volume-wait", "2", "--chrony-sources-dir", chrony.toString()));
        Process p = i.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(i.log(), 1, p.exitValue());
        assertTrue(i.status(), i.status().contains("STATE=failed"));
        assertTrue(i.status(), i.status().contains("did not appear within 2 s"));
        assertTrue(i.status(), i.status().contains(i.volume.toString()));
        assertEquals("server ntp.example.org iburst\n", Files.readString(chrony.resolve("eucadb.sources")));
    }

    @Test
    public void badUsageExitsWith2NamingTheOption() throws Exception {
        Path inst = base.resolve("usage");
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--volume-dir", "/nowhere"), "--instance-dir");
        cases.put(List.of("--instance-dir", inst.toString()), "--volume-dir DIR or --device PATH");
        cases.put(List.of("--instance-dir", inst.toString(), "--volume-dir", "/a", "--device", "/b"), "exclude each other");
        cases.put(List.of("--instance-dir", inst.toString(), "--volume-dir", "/a", "--port", "0"), "--port");
        cases.put(List.of("--instance-dir", inst.toString(), "--volume-dir", "/a", "--volume-wait", "x"), "--volume-wait");
        cases.put(List.of("--instance-dir", inst.toString(), "--volume-dir", "/a", "--prepare-only"), "--prepare-only needs --device");
        cases.put(List.of("--instance-dir", inst.toString(), "--volume-dir", "/a", "--bogus", "1"), "unknown option --bogus");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(GUEST_DIR.resolve("eucadb-guest").toString()));
            cmd.addAll(c.getKey());
            PgProcesses.Result r = PgProcesses.runForResult(cmd, null, 30);
            assertEquals(c.getKey() + ": " + r.output(), 2, r.exitCode());
            assertTrue(c.getKey() + ": " + r.output(), r.output().contains(c.getValue()));
        }
        assertFalse("nothing created for bad usage", Files.exists(inst));
        PgProcesses.Result help = PgProcesses.runForResult(List.of(GUEST_DIR.resolve("eucadb-guest").toString(), "--help"), null, 30);
        assertEquals(0, help.exitCode());
        assertTrue(help.output(), help.output().contains("--volume-dir DIR"));
    }

    // ------------------------------------------------------------------ the format rules, on regular files

    @Test
    public void aBlankDeviceIsFormatted() throws Exception {
        Path dev = sparseFile("blank");
        PgProcesses.Result r = prepare(dev);
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("carries no signature at all: formatting it"));
        assertEquals("ext4", blkidTag(dev, "TYPE"));
        assertEquals("eucadb-data", blkidTag(dev, "LABEL"));
    }

    @Test
    public void aDeviceWithAFilesystemIsCheckedNeverFormatted() throws Exception {
        Path dev = sparseFile("ext4");
        PgProcesses.run(List.of("mkfs.ext4", "-q", "-F", "-L", "precious", dev.toString()), 60);
        Path marker = base.resolve("marker.txt");
        Files.writeString(marker, "data that must stay\n");
        PgProcesses.run(List.of("debugfs", "-w", "-R", "write " + marker + " marker", dev.toString()), 60);
        String uuid = blkidTag(dev, "UUID");

        for (int run = 0; run < 2; run++) {
            PgProcesses.Result r = prepare(dev);
            assertEquals(r.output(), 0, r.exitCode());
            assertFalse(r.output(), r.output().contains("formatting"));
            assertTrue(r.output(), r.output().contains("holds an ext4 filesystem; checked"));
        }
        assertEquals(uuid, blkidTag(dev, "UUID"));
        assertEquals("precious", blkidTag(dev, "LABEL"));
        assertTrue(PgProcesses.run(List.of("debugfs", "-R", "cat marker", dev.toString()), 60)
                .contains("data that must stay"));
    }

    @Test
    public void aFailingFsckIsAnErrorNeverAFormat() throws Exception {
        Path dev = sparseFile("broken");
        PgProcesses.run(List.of("mkfs.ext4", "-q", "-F", dev.toString()), 60);
        String uuid = blkidTag(dev, "UUID");
        // Root inode cleared and the filesystem marked as having errors: e2fsck -p cannot fix that alone.
        PgProcesses.run(List.of("debugfs", "-w", "-R", "clri <2>", dev.toString()), 60);
        PgProcesses.run(List.of("debugfs", "-w", "-R", "ssv state 2", dev.toString()), 60);

        Instance i = new Instance("broken-fs");
        PgProcesses.Result r = PgProcesses.runForResult(List.of(GUEST_DIR.resolve("eucadb-guest").toString(),
                "--instance-dir", i.dir.toString(), "--device", dev.toString(), "--prepare-only"), null, 120);
        assertEquals(r.output(), 1, r.exitCode());
        assertTrue(r.output(), r.output().contains("fsck of " + dev + " failed"));
        assertFalse(r.output(), r.output().contains("formatting"));
        assertTrue(i.status(), i.status().contains("STATE=failed"));
        assertEquals("the filesystem was not re-created", uuid, blkidTag(dev, "UUID"));
    }

    @Test
    public void aDeviceWithANonFilesystemSignatureIsRefused() throws Exception {
        Path dev = sparseFile("swap");
        Files.setPosixFilePermissions(dev, PosixFilePermissions.fromString("rw-------"));
        PgProcesses.run(List.of("mkswap", dev.toString()), 60);
        String uuid = blkidTag(dev, "UUID");
        PgProcesses.Result r = prepare(dev);
        assertEquals(r.output(), 1, r.exitCode());
        assertTrue(r.output(), r.output().contains("carries a swap signature"));
        assertTrue(r.output(), r.output().contains("refusing to format"));
        assertEquals("swap", blkidTag(dev, "TYPE"));
        assertEquals(uuid, blkidTag(dev, "UUID"));
    }

    /**
     * {@code --device auto} finds the data volume by the id user-data names, among the
     * /dev/disk/by-id names clouds give (NVMe EBS without the dash, virtio with it), never a
     * partition of it nor another volume; without an id in user-data, or when the volume never
     * shows, the boot fails saying so.
     */
    @Test
    public void autoFindsTheDataVolumeByItsIdAmongTheDisks() throws Exception {
        Path byId = Files.createDirectories(base.resolve("by-id"));
        Path ours = sparseFile("ours");
        Path other = sparseFile("other");
        Files.createSymbolicLink(byId.resolve("virtio-vol-0fff000"), other);
        Files.createSymbolicLink(byId.resolve("nvme-Amazon_Elastic_Block_Store_vol0abc123-part1"), other);
        Files.createSymbolicLink(byId.resolve("nvme-Amazon_Elastic_Block_Store_vol0abc123"), ours);
        Path userData = base.resolve("auto-user-data");
        Files.writeString(userData, "EUCADB_ROLE=cloudwatch\nEUCADB_VOLUME_ID=vol-0abc123\n");
        PgProcesses.Result r = auto(byId, userData);
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("the data volume vol-0abc123 is " + ours.toRealPath()));
        assertEquals("ext4", blkidTag(ours, "TYPE"));
        assertEquals("another volume is not touched", "", PgProcesses.runForResult(List.of("wipefs", "-n",
                other.toString()), null, 30).output().trim());

        // A long id on a KVM cloud: the virtio serial keeps its first 20 characters.
        Path longId = sparseFile("long-id");
        Files.createSymbolicLink(byId.resolve("virtio-vol-5ca52ee62335cf30"), longId);
        Files.writeString(userData, "EUCADB_VOLUME_ID=vol-5ca52ee62335cf300\n");
        PgProcesses.Result cut = auto(byId, userData);
        assertEquals(cut.output(), 0, cut.exitCode());
        assertEquals("ext4", blkidTag(longId, "TYPE"));

        Files.writeString(userData, "EUCADB_ROLE=cloudwatch\n");
        PgProcesses.Result noId = auto(byId, userData);
        assertEquals(noId.output(), 1, noId.exitCode());
        assertTrue(noId.output(), noId.output().contains("--device auto needs EUCADB_VOLUME_ID"));

        Files.writeString(userData, "EUCADB_VOLUME_ID=vol-0nowhere\n");
        PgProcesses.Result absent = auto(byId, userData);
        assertEquals(absent.output(), 1, absent.exitCode());
        assertTrue(absent.output(), absent.output().contains("the data volume vol-0nowhere did not appear within 1 s"));
    }

    private static PgProcesses.Result auto(Path byId, Path userData) throws Exception {
        Path inst = Files.createTempDirectory(base, "auto");
        return PgProcesses.runForResult(List.of(GUEST_DIR.resolve("eucadb-guest").toString(), "--instance-dir",
                inst.toString(), "--device", "auto", "--by-id-dir", byId.toString(), "--user-data",
                userData.toString(), "--volume-wait", "1", "--prepare-only"), null, 120);
    }

    @Test
    public void aBlankFileIsFormattedOnlyThroughTheDeviceOption() throws Exception {
        // The same blank file given as a volume directory is never treated as a device.
        Path dev = sparseFile("blank-as-dir");
        Instance i = new Instance("blank-as-dir");
        i.prefillSecrets();
        i.extra.addAll(List.of("--volume-wait", "2"));
        Process p = i.startWith(List.of("--volume-dir", dev.toString()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(i.log(), 1, p.exitValue());
        assertEquals("", PgProcesses.runForResult(List.of("wipefs", "-n", dev.toString()), null, 30).output().trim());
        assertEquals("blkid: nothing found", 2, PgProcesses.runForResult(List.of("blkid", "-p", dev.toString()), null, 30).exitCode());
    }

    // ------------------------------------------------------------------ helpers

    private static Path sparseFile(String name) throws Exception {
        Path f = base.resolve(name + ".img");
        PgProcesses.run(List.of("truncate", "-s", "32M", f.toString()), 30);
        return f;
    }

    private static PgProcesses.Result prepare(Path dev) throws Exception {
        Path inst = Files.createTempDirectory(base, "prepare");
        return PgProcesses.runForResult(List.of(GUEST_DIR.resolve("eucadb-guest").toString(), "--instance-dir",
                inst.toString(), "--device", dev.toString(), "--prepare-only"), null, 120);
    }

    private static String blkidTag(Path dev, String tag) throws Exception {
        return PgProcesses.run(List.of("blkid", "-p", "-s", tag, "-o", "value", dev.toString()), 30).trim();
    }

    /** A copy of the guest scripts with a stand-in eucadb-redeem beside them. */
    private static Path scriptsWithRedeem(String name, String redeemScript) throws Exception {
        Path dir = base.resolve("scripts-" + name);
        Files.createDirectories(dir);
        for (String s : List.of("eucadb-guest", "setup-db")) {
            Files.copy(GUEST_DIR.resolve(s), dir.resolve(s));
        }
        Files.writeString(dir.resolve("eucadb-redeem"), redeemScript);
        PgProcesses.run(List.of("chmod", "0755", dir.resolve("eucadb-redeem").toString(),
                dir.resolve("eucadb-guest").toString(), dir.resolve("setup-db").toString()), 10);
        return dir;
    }

    private void waitForStatus(Instance i, Predicate<String> ready, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String s = i.status();
            if (ready.test(s)) {
                return;
            }
            if (s.contains("STATE=failed")) {
                throw new AssertionError("guest failed: " + s + "\n" + i.log());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status not reached in " + seconds + " s: " + i.status() + "\n" + i.log());
    }

    /** Alive and not a zombie (an orphan's zombie may linger where nothing reaps it). */
    private static boolean processAlive(int pid) {
        try {
            String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(sql, rs.next());
            return rs.getString(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One guest: its instance dir, volume dir, user-data file and port. */
    private final class Instance {
        final Path dir;
        final Path volume;
        final Path userData;
        final Path logFile;
        final Path scripts;
        final int port;
        final List<String> extra = new ArrayList<>();

        Instance(String name) throws IOException {
            this(name, GUEST_DIR);
        }

        Instance(String name, Path scripts) throws IOException {
            this.scripts = scripts;
            dir = base.resolve("i-" + name);
            volume = base.resolve("vol-" + name);
            userData = base.resolve("user-data-" + name);
            logFile = base.resolve("guest-" + name + ".log");
            Files.writeString(userData, "EUCADB_BOOTSTRAP_URL=https://127.0.0.1:1/bootstrap/v1/\n"
                    + "EUCADB_FRONTEND_CIDR=127.0.0.1/32\nEUCADB_ROLE=cloudwatch\n");
            port = freePort();
        }

        void prefillSecrets() throws Exception {
            Files.createDirectories(dir);
            PgProcesses.run(List.of("cp", "-rp", redeemed.toString(), dir.resolve("secrets").toString()), 30);
        }

        Process start() throws IOException {
            return startWith(List.of("--volume-dir", volume.toString()));
        }

        Process startWith(List<String> volumeOption) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(scripts.resolve("eucadb-guest").toString(),
                    "--instance-dir", dir.toString(), "--user-data", userData.toString(),
                    "--port", Integer.toString(port), "--listen", "127.0.0.1",
                    "--bin-dir", PgProcesses.binDir().toString()));
            cmd.addAll(volumeOption);
            cmd.addAll(extra);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            started.add(p);
            return p;
        }

        String status() throws IOException {
            Path s = dir.resolve("status");
            return Files.exists(s) ? Files.readString(s) : "";
        }

        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
        }

        int postmasterPid() throws IOException {
            return Integer.parseInt(Files.readAllLines(volume.resolve("postgresql/data/postmaster.pid")).get(0).trim());
        }

        /** A TLS connection verified against the CA from the redeem step: the certificate names 127.0.0.1. */
        Connection connect() throws SQLException {
            return PostgresServer.connectVerifyFull("127.0.0.1", port, DB, USER, PASSWORD, redeemed.resolve("ca.crt"));
        }
    }

    /** Watches every process's argv and environment for the password while a guest runs. */
    private static final class ProcSampler implements Runnable {
        volatile boolean stop;
        volatile int samples;
        final Set<String> leaks = Collections.synchronizedSet(new LinkedHashSet<>());
        Thread thread;

        static ProcSampler start() {
            ProcSampler s = new ProcSampler();
            s.thread = new Thread(s, "proc-sampler");
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        List<String> stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
            synchronized (leaks) {
                return new ArrayList<>(leaks);
            }
        }

        @Override
        public void run() {
            while (!stop) {
                try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
                    for (Path p : procs) {
                        for (String f : new String[] {"cmdline", "environ"}) {
                            try {
                                String s = new String(Files.readAllBytes(p.resolve(f)), StandardCharsets.ISO_8859_1);
                                if (s.contains(TOKEN)) {
                                    leaks.add(p.getFileName() + "/" + f + ": " + s.replace('\0', ' '));
                                }
                            } catch (IOException | RuntimeException gone) {
                                // the process ended meanwhile
                            }
                        }
                    }
                } catch (IOException e) {
                    leaks.add("cannot list /proc: " + e);
                }
                samples++;
            }
        }
    }
}
