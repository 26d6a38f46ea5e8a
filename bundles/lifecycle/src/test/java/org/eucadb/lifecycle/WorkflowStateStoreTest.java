package org.eucadb.lifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Progress survives a restart: a new store over the same front-end DB reads what the old one wrote. */
public class WorkflowStateStoreTest {
    private static PostgresServer pg;
    private static DataSource frontend;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("fe", "fe_owner", "fe-password-0123456789");
        frontend = pg.dataSource("fe", "fe_owner", "fe-password-0123456789");
        ClasspathSchemaSets.migrate(WorkflowStateStoreTest.class.getClassLoader(), Map.of(DbRole.FRONTEND, frontend));
    }

    @AfterClass
    public static void stop() throws Exception {
        pg.close();
    }

    @Test
    public void clusterIdIsMadeOnceAndKept() throws Exception {
        String id = new WorkflowStateStore(frontend).clusterId();
        assertTrue(id, id.matches("c-[0-9a-f]{10}"));
        assertEquals(id, new WorkflowStateStore(frontend).clusterId());
    }

    @Test
    public void stateRoundTripsThroughTheFrontEndDb() throws Exception {
        WorkflowStateStore store = new WorkflowStateStore(frontend);
        WorkflowState empty = store.load(DbRole.REPORTING);
        assertTrue(empty.isEmpty());

        WorkflowState s = new WorkflowState();
        s.volumeId = "vol-1";
        s.templateVersion = "3";
        s.tokenExpiresAt = Instant.parse("2026-11-25T06:00:00Z");
        s.applied.put("security-group", "[IngressRule[port=5432, cidr=10.0.0.0/8]]");
        s.applied.put("launch-template", "emi-1|m1.large|a \"quoted\\ key\"|sg-1");
        store.save(DbRole.CLOUDWATCH, s);

        WorkflowState back = new WorkflowStateStore(frontend).load(DbRole.CLOUDWATCH);
        assertEquals("vol-1", back.volumeId);
        assertEquals("3", back.templateVersion);
        assertEquals(s.tokenExpiresAt, back.tokenExpiresAt);
        assertEquals(s.applied, back.applied);

        back.applied.clear();
        back.templateVersion = null;
        back.tokenExpiresAt = null;
        store.save(DbRole.CLOUDWATCH, back);
        WorkflowState cleared = store.load(DbRole.CLOUDWATCH);
        assertEquals("vol-1", cleared.volumeId);
        assertNull(cleared.templateVersion);
        assertTrue(cleared.applied.isEmpty());
        assertTrue(store.load(DbRole.REPORTING).isEmpty());
    }
}
