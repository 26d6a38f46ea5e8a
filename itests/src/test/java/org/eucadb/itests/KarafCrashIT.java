package org.eucadb.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * kill -9 of the real Karaf at each step of the CloudWatch DB VM's launch workflow, then a
 * restart: the launch resumes and ends with exactly one set of cloud resources and a DB VM that
 * answers over TLS (verify-full). Nothing here runs inside Karaf: the distribution is unpacked
 * and configured like dev/start-local (front-end PostgreSQL, credentials, cloud-local, the
 * lifecycle; own ports and directories), started with {@code bin/karaf server} and driven with
 * {@code bin/client}. The "kill -9" is the lifecycle's fault switch
 * ({@code -Deucadb.dbvm.fault.halt-after=cloudwatch:STEP}): {@code Runtime.halt(137)} right
 * after the step's cloud call, before its progress is saved. Only CloudWatch gets an image, so
 * only its DB VM launches. Between steps the DB VM is torn down ({@code enabled = false}) and
 * its volume deleted, so each crash starts from nothing.
 */
public class KarafCrashIT {
    /** The launch workflow's steps in order (LaunchWorkflow.STEPS); checked against what the lifecycle records. */
    private static final List<String> STEPS = List.of("security-group", "credentials", "volume", "instance-profile",
            "launch-template", "autoscaling-group", "attach-volume", "wait-healthy");
    /** The cloud-local record kind each step makes, where it makes one. */
    private static final Map<String, String> MADE_BY = Map.of("security-group", "security-groups", "volume", "volumes",
            "launch-template", "launch-templates", "autoscaling-group", "groups");
    private static final String ROLE = "cloudwatch";
    private static final String DBVM_CFG = "org.eucadb.dbvm." + ROLE + ".cfg";
    /** First boot resolves the second-stage features; a DB VM launch runs initdb: generous, not a speed check. */
    private static final Duration BOUND = Duration.ofSeconds(240);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalDeployment local;
    private static KarafInstall karaf;

    @BeforeClass
    public static void install() throws Exception {
        local = LocalDeployment.create("karafcrash", "eucadb-credentials", "eucadb-cloud-local", "eucadb-lifecycle");
        karaf = local.karaf;
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (local != null) {
            local.close();
        }
    }

    @Test
    public void aKillAfterAnyStepThenARestartEndsWithOneSetOfResourcesAndAnAnsweringDb() throws Exception {
        Map<String, Long> readyMillis = new LinkedHashMap<>();
        for (String step : STEPS) {
            readyMillis.put(step, crashAfterThenRestart(step));
        }
        readyMillis.forEach((step, ms) -> System.out.println(
                "FIGURE karaf kill -9 after " + step + ": DB VM READY " + ms
                        + " ms after the restart (eucadb:status polled every second through bin/client)"));
    }

    private long crashAfterThenRestart(String step) throws Exception {
        karaf.write(DBVM_CFG, Map.of("image", "emi-crash", "enabled", "true"));
        karaf.start("-Deucadb.dbvm.fault.halt-after=" + ROLE + ":" + step);
        Integer exit = karaf.awaitExit(BOUND);
        if (exit == null) {
            String status = karaf.client("eucadb:status").output();
            karaf.kill();
            fail("Karaf did not halt after " + step + " within " + BOUND.toSeconds() + " s\n" + status + "\n"
                    + karaf.karafLogTail(80));
        }
        assertEquals("exit code of Karaf halted after " + step + "\n" + karaf.karafLogTail(40), 137, (int) exit);
        String log = Files.readString(karaf.karafLog());
        assertTrue("karaf.log names the halt after " + step,
                log.contains("fault injection: halting after step " + step + " of " + ROLE));

        // The worst moment: every earlier step's progress saved, this one's not, though its cloud call was made.
        assertEquals("kill after " + step + ": progress saved in the front-end DB",
                new TreeSet<>(STEPS.subList(0, STEPS.indexOf(step))), appliedSteps());
        Map<String, List<JsonNode>> made = liveRecords();
        if (MADE_BY.containsKey(step)) {
            assertEquals("kill after " + step + ": made before the halt " + made, 1, made.get(MADE_BY.get(step)).size());
        }
        if (step.equals("attach-volume")) {
            assertTrue("kill after " + step + ": attached before the halt " + made,
                    made.get("volumes").get(0).hasNonNull("attachedTo"));
        }

        Instant restart = Instant.now();
        karaf.start("");
        String status = awaitDbVmState("READY", step);
        long readyMs = Duration.between(restart, Instant.now()).toMillis();

        Map<String, List<JsonNode>> ours = liveRecords();
        for (String kind : List.of("security-groups", "volumes", "launch-templates", "groups", "instances")) {
            assertEquals("kill after " + step + ": " + kind + " " + ours.get(kind) + "\n" + status, 1,
                    ours.get(kind).size());
        }
        JsonNode instance = ours.get("instances").get(0);
        assertEquals("kill after " + step + ": " + instance, "running", instance.path("state").asText());
        assertTrue("kill after " + step + ": the published DB VM is the live instance\n" + status,
                dbVmRow(status).contains(instance.path("id").asText()));
        // So that "no guest left" after teardown is a real check (the agent's subshells share its command line).
        assertTrue("kill after " + step + ": the guest agent is visible", !local.guestProcesses().isEmpty());
        assertEquals("kill after " + step + ": the volume is attached to the live instance",
                instance.path("id").asText(), ours.get("volumes").get(0).path("attachedTo").asText());
        assertDbAnswers(instance.path("port").asInt(), step);
        assertEquals("the test's step list is the workflow's", new TreeSet<>(STEPS), appliedSteps());

        tearDown(step);
        return readyMs;
    }

    /** Disables the role, waits for teardown, deletes its volume, and stops Karaf: the next crash starts from nothing. */
    private void tearDown(String step) throws Exception {
        karaf.write(DBVM_CFG, Map.of("image", "emi-crash", "enabled", "false"));
        awaitDbVmState("TORN_DOWN", step);
        var deleted = karaf.client("eucadb:delete-volume --force " + ROLE);
        assertTrue(deleted.output(), deleted.output().contains("deleted volume"));
        Map<String, List<JsonNode>> left = liveRecords();
        left.values().removeIf(List::isEmpty);
        assertEquals("after teardown of the run killed after " + step, Map.of(), left);
        karaf.stop(Duration.ofSeconds(60));
        assertEquals("guest processes left after teardown", List.of(), local.guestProcesses());
    }

    /** Polls {@code eucadb:status} until the role's DB VM row shows {@code state}; the whole status. */
    private String awaitDbVmState(String state, String step) throws Exception {
        return karaf.awaitStatus(s -> dbVmRow(s).contains(" " + state + " "), "kill after " + step + ": the " + ROLE
                + " DB VM " + state, BOUND, POLL, () -> "");
    }

    /** The role's row of the "DB VMs" table (the first table of eucadb:status). */
    private static String dbVmRow(String status) {
        int start = status.indexOf("DB VMs");
        int end = status.indexOf("Cloud providers");
        if (start < 0 || end < start) {
            return "";
        }
        return status.substring(start, end).lines().filter(l -> l.strip().startsWith(ROLE)).findFirst()
                .map(l -> l.replace('│', ' ') + " ").orElse("");
    }

    /** cloud-local's records (its truth) of the role's resources, by kind; terminated instances left out. */
    private static Map<String, List<JsonNode>> liveRecords() throws IOException {
        Map<String, List<JsonNode>> byKind = new TreeMap<>();
        for (String kind : List.of("security-groups", "volumes", "launch-templates", "groups", "instances")) {
            List<JsonNode> ours = new ArrayList<>();
            Path dir = local.cloud.resolve("records").resolve(kind);
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                        JsonNode r = JSON.readTree(f.toFile());
                        if (ROLE.equals(r.path("tags").path("eucadb:role").asText())
                                && !"terminated".equals(r.path("state").asText())) {
                            ours.add(r);
                        }
                    }
                }
            }
            byKind.put(kind, ours);
        }
        return byKind;
    }

    /** The DB VM lets in the role's owner over TLS, its certificate checked against the project CA and its address. */
    private static void assertDbAnswers(int port, String step) throws Exception {
        try (Connection c = PostgresServer.connectVerifyFull("127.0.0.1", port, ROLE, ROLE + "_owner",
                local.rolePassword(ROLE), local.credentials.resolve("ca.pem")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue("kill after " + step + ": a row", rs.next());
            assertTrue("kill after " + step + ": TLS", rs.getBoolean(1));
        }
    }

    /** The steps the lifecycle recorded as applied for the role, in the front end's DB. */
    private static Set<String> appliedSteps() throws Exception {
        Set<String> steps = new TreeSet<>();
        try (Connection c = local.frontend.superuserConnection("eucalyptus"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT jsonb_object_keys(applied) FROM eucadb_lifecycle.dbvm WHERE role = '" + ROLE + "'")) {
            while (rs.next()) {
                steps.add(rs.getString(1));
            }
        }
        return steps;
    }
}
