package org.eucadb.schema;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.schema.SchemaMigrationException;
import org.eucadb.api.schema.SchemaScript;
import org.eucadb.api.schema.SchemaSet;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.ds.PGSimpleDataSource;

public class FlywaySchemaMigratorTest {
    private static PostgresServer pg;
    private static PGSimpleDataSource ds;
    private final FlywaySchemaMigrator migrator = new FlywaySchemaMigrator();

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("s", "s_owner", "s-pw");
        ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl("s"));
        ds.setUser("s_owner");
        ds.setPassword("s-pw");
    }

    @AfterClass
    public static void stop() throws Exception {
        pg.close();
    }

    @Test
    public void commonSetIsDeclaredInTheManifestAndMigratesOnce() throws Exception {
        SchemaSet common = ClasspathSchemaSets.named(getClass().getClassLoader(), "eucadb.common");
        assertEquals(Set.of(DbRole.CLOUDWATCH, DbRole.REPORTING), common.roles());
        assertEquals("eucadb", common.schema());
        migrator.migrate(ds, common);
        assertEquals(0, migrator.migrate(ds, common));
    }

    @Test
    public void partitionsAreCreatedOnDemandAndDroppedWhole() throws Exception {
        migrator.migrate(ds, ClasspathSchemaSets.named(getClass().getClassLoader(), "eucadb.common"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pt (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)");
            assertEquals(3, queryInt(s, "SELECT eucadb.ensure_partitions('pt', 'day', "
                    + "'2026-01-01 23:00+00', '2026-01-03 01:00+00')"));
            assertEquals(0, queryInt(s, "SELECT eucadb.ensure_partitions('pt', 'day', "
                    + "'2026-01-02 00:00+00', '2026-01-03 00:00+00')"));
            s.execute("INSERT INTO pt VALUES ('2026-01-01 23:59:59.999+00', 1), ('2026-01-02 00:00+00', 2), "
                    + "('2026-01-03 12:00+00', 3)");
            assertEquals(1, queryInt(s, "SELECT count(*) FROM pt_p20260102"));
            assertEquals(2, queryInt(s, "SELECT eucadb.drop_partitions_before('pt', '2026-01-03 00:00+00')"));
            assertEquals(1, queryInt(s, "SELECT count(*) FROM pt"));
            assertEquals(1, queryInt(s, "SELECT eucadb.ensure_partitions('pt', 'month', "
                    + "'2026-05-10', '2026-05-11')") - 0);
            s.execute("CREATE TABLE ph (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
            assertEquals(3, queryInt(s, "SELECT eucadb.ensure_partitions('ph', 'hour', "
                    + "'2026-01-01 22:59+00', '2026-01-02 00:00+00')"));
            s.execute("INSERT INTO ph VALUES ('2026-01-01 23:59:59.999+00')");
            assertEquals(1, queryInt(s, "SELECT count(*) FROM ph_p2026010123"));
            assertEquals(1, queryInt(s, "SELECT eucadb.drop_partitions_before('ph', '2026-01-01 23:30+00')"));
            assertEquals(2, queryInt(s, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'ph'::regclass"));
            try {
                s.execute("SELECT eucadb.ensure_partitions('pt', 'week', now(), now())");
                fail("week accepted");
            } catch (java.sql.SQLException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("expected hour|day|month"));
            }
        }
    }

    @Test
    public void aFailingScriptNamesTheSetAndLeavesEarlierVersionsApplied() throws Exception {
        SchemaSet bad = new LoadedSchemaSet(new SchemaSetDeclaration("test.bad", Set.of(DbRole.CLOUDWATCH),
                "test_bad", "x", 100), List.of(new SchemaScript("V1__ok.sql", "CREATE TABLE ok (i int);"),
                        new SchemaScript("V2__broken.sql", "CREATE TABLE broken (i nosuchtype);")), "test");
        try {
            migrator.migrate(ds, bad);
            fail("broken script accepted");
        } catch (SchemaMigrationException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("schema set test.bad"));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(0, queryInt(s, "SELECT count(*) FROM test_bad.ok"));
            assertEquals(1, queryInt(s, "SELECT count(*) FROM test_bad.eucadb_schema_history WHERE version = '1' AND success"));
            assertEquals(0, queryInt(s, "SELECT count(*) FROM test_bad.eucadb_schema_history WHERE version = '2'"));
        }
    }

    @Test
    public void headerErrorsNameTheField() {
        List<String> errors = new ArrayList<>();
        for (String h : List.of("Bad;roles=cloudwatch;schema=x;path=p", "a.b;roles=nosuch;schema=x;path=p",
                "a.b;roles=cloudwatch;schema=X-Y;path=p", "a.b;roles=cloudwatch;schema=x",
                "a.b;roles=cloudwatch;schema=x;path=p;order=first")) {
            try {
                SchemaSetDeclaration.parseHeader(h);
                fail(h + " accepted");
            } catch (InvalidValueException e) {
                errors.add(e.getMessage());
            }
        }
        assertTrue(errors.get(0), errors.get(0).contains("<service>.<part>"));
        assertTrue(errors.get(1), errors.get(1).contains("roles") && errors.get(1).contains("frontend|cloudwatch|reporting"));
        assertTrue(errors.get(2), errors.get(2).contains("schema"));
        assertTrue(errors.get(3), errors.get(3).contains("path"));
        assertTrue(errors.get(4), errors.get(4).contains("order"));
        List<SchemaSetDeclaration> two = SchemaSetDeclaration.parseHeader(
                "a.b;roles=\"cloudwatch,reporting\";schema=x;path=p, c.d;roles=frontend;schema=y;path=q;order=5");
        assertEquals(2, two.size());
        assertEquals(Set.of(DbRole.CLOUDWATCH, DbRole.REPORTING), two.get(0).roles());
        assertEquals(5, two.get(1).order());
    }

    private static int queryInt(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
