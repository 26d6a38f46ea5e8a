package org.eucadb.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.eucadb.testsupport.Ports;
import org.junit.Rule;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** What every container test needs: the registry, Config Admin, the shell as an admin, waiting, karaf.log on failure. */
abstract class ContainerTest {
    protected static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configAdmin;

    @Inject
    protected SessionFactory sessionFactory;

    @Rule
    public TestWatcher karafLogOnFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description d) {
            Path log = Paths.get(System.getProperty("karaf.data", "data"), "log", "karaf.log");
            try {
                List<String> lines = Files.readAllLines(log);
                System.err.println("---- last lines of " + log + " ----");
                lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.err::println);
            } catch (Exception ex) {
                System.err.println("no karaf.log at " + log + ": " + ex);
            }
        }
    };

    protected <T> T awaitService(Class<T> type, String filter) throws Exception {
        return awaitService(type, filter, WAIT);
    }

    protected <T> T awaitService(Class<T> type, String filter, Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            var refs = context.getServiceReferences(type, filter);
            if (!refs.isEmpty()) {
                return context.getService(refs.iterator().next());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(type.getSimpleName() + " " + Optional.ofNullable(filter).orElse("")
                + " did not appear in " + wait.toSeconds() + " s\n" + shell("eucadb:status"));
    }

    protected void awaitAbsent(String filter) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (context.getServiceReferences((String) null, filter) == null) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(filter + " still registered after " + WAIT.toSeconds() + " s\n" + shell("eucadb:status"));
    }

    protected String awaitShellOutput(String command, String expected) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String out = "";
        while (Instant.now().isBefore(deadline)) {
            out = shell(command);
            if (out.contains(expected)) {
                return out;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + expected + "' not in the output of " + command + ":\n" + out);
    }

    protected String awaitShellOutputWithout(String command, String unexpected) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String out = "";
        while (Instant.now().isBefore(deadline)) {
            out = shell(command);
            if (!out.contains(unexpected)) {
                return out;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + unexpected + "' still in the output of " + command + ":\n" + out);
    }

    /** Runs a command once the shell has it (the commands of a just-booted container register late). */
    protected String awaitShell(String command) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            try {
                return shell(command);
            } catch (Exception e) {
                if (!e.getClass().getSimpleName().equals("CommandNotFoundException")
                        || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    protected String shell(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // As an operator with the admin role: feature:* and other guarded commands need it.
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("karaf"));
        admin.getPrincipals().add(new RolePrincipal("admin"));
        Session session = sessionFactory.create(System.in, out, out);
        try {
            Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    protected static int freePortOrZero() {
        try {
            return freePort();
        } catch (Exception e) {
            return 0;
        }
    }

    protected static int freePort() throws Exception {
        return Ports.free();
    }
}
