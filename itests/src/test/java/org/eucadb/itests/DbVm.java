package org.eucadb.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.eucadb.testsupport.PgProcesses;

/**
 * A "DB VM" made by hand on this machine the way an operator would: a server certificate, a
 * password file, and the guest's {@code setup-db} (which initialises, configures TLS and
 * pg_hba, and starts PostgreSQL).
 */
final class DbVm {
    final String name;
    final Path dir;
    final int port;
    final Path passwordFile;
    final Path cert;
    final Path key;

    private DbVm(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.passwordFile = dir.resolve("password");
        this.cert = dir.resolve("server.crt");
        this.key = dir.resolve("server.key");
    }

    /** Makes the directory, certificate and password, and runs setup-db. */
    static DbVm create(Path workDir, String name, int port) throws IOException, InterruptedException {
        Path dir = workDir.resolve(name);
        Files.createDirectories(dir);
        // The database OS user must reach the data directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        DbVm vm = new DbVm(name, dir, port);
        byte[] pw = new byte[24];
        new SecureRandom().nextBytes(pw);
        Files.createFile(vm.passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(vm.passwordFile, Base64.getUrlEncoder().withoutPadding().encodeToString(pw) + "\n");
        PgProcesses.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", vm.key.toString(), "-out", vm.cert.toString()), 60);
        vm.setupDb();
        return vm;
    }

    /** Runs setup-db: initialises the cluster only if missing, and starts PostgreSQL. */
    void setupDb() throws IOException, InterruptedException {
        Path script = KarafOptions.projectRoot().resolve("image/guest/setup-db");
        PgProcesses.run(List.of(script.toString(), "--data-dir", dir.resolve("data").toString(),
                "--database", name, "--role", name + "_owner", "--password-file", passwordFile.toString(),
                "--frontend-cidr", "127.0.0.1/32", "--cert", cert.toString(), "--key", key.toString(),
                "--port", Integer.toString(port), "--listen", "127.0.0.1",
                "--socket-dir", dir.resolve("run").toString(), "--os-user", osUser(),
                "--bin-dir", PgProcesses.binDir().toString()), 180);
    }

    void stop() throws IOException, InterruptedException {
        PgProcesses.run(PgProcesses.asDbUser(List.of(PgProcesses.bin("pg_ctl").toString(), "-D",
                dir.resolve("data").toString(), "-m", "fast", "-w", "stop")), 90);
    }

    String role() {
        return name + "_owner";
    }

    private static String osUser() {
        return PgProcesses.runningAsRoot() ? PgProcesses.PG_OS_USER : System.getProperty("user.name");
    }
}
