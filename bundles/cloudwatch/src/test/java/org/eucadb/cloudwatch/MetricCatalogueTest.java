package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The catalogue's id cache tells metrics apart exactly as their keys do, from the cache or the database. */
public class MetricCatalogueTest {
    private static final Instant T = Instant.parse("2026-11-20T00:00:00Z");
    private static PostgresServer pg;
    private static EntityManagerFactory emf;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        DataSource frontend = pg.dataSource("frontend", "fe", "fe-pw");
        ClasspathSchemaSets.migrate(MetricCatalogueTest.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.CLOUDWATCH, pg.dataSource("cloudwatch", "cw", "cw-pw")));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
    }

    @AfterClass
    public static void stop() throws Exception {
        emf.close();
        pg.close();
    }

    /** Keys that differ in exactly one part each, and fresh copies of each (equal, not the same object). */
    private static List<MetricKey> keys() {
        Map<String, String> dims = Map.of("Host", "h1", "AZ", "az-1");
        return List.of(MetricKey.of("111111111111", "Cat", "CPU", dims),
                MetricKey.of("222222222222", "Cat", "CPU", dims),
                MetricKey.of("111111111111", "Cat2", "CPU", dims),
                MetricKey.of("111111111111", "Cat", "Mem", dims),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Host", "h2", "AZ", "az-1")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Hostx", "h1", "AZ", "az-1")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Host", "h1")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Host", "h1", "AZ", "az-1", "Rack", "r")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of()),
                // "Aa" and "BB" hash alike: these keys collide with each other, so only equality parts them.
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Host", "Aa")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Host", "BB")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("Aa", "h1")),
                MetricKey.of("111111111111", "Cat", "CPU", Map.of("BB", "h1")),
                MetricKey.of("111111111111", "Cat", "Aa", Map.of()),
                MetricKey.of("111111111111", "Cat", "BB", Map.of()),
                MetricKey.of("111111111111", "Aa", "CPU", Map.of()),
                MetricKey.of("111111111111", "BB", "CPU", Map.of()));
    }

    private static List<MetricDatum> data(List<MetricKey> keys) {
        List<MetricDatum> out = new ArrayList<>();
        keys.forEach(k -> out.add(MetricDatum.value(k, T, 1, "None")));
        return out;
    }

    private static List<Long> ids(MetricCatalogue c, List<MetricKey> keys) {
        Map<MetricKey, Long> ids = c.ids(data(keys));
        List<Long> out = new ArrayList<>();
        keys.forEach(k -> out.add(ids.get(k)));
        return out;
    }

    @Test
    public void equalKeysShareAnIdAndEveryDifferenceMakesAnother() {
        MetricCatalogue catalogue = new MetricCatalogue(emf);
        List<MetricKey> keys = keys();
        List<MetricKey> twice = new ArrayList<>(keys);
        twice.addAll(keys()); // equal copies in the same batch
        List<Long> first = ids(catalogue, twice);
        assertEquals(first.subList(0, keys.size()), first.subList(keys.size(), twice.size()));
        assertEquals("one id per distinct key", keys.size(), new HashSet<>(first).size());
        assertEquals("colliding keys", keys.get(9).hashCode(), keys.get(10).hashCode());

        // Fresh equal keys: from the cache, then from the database through a catalogue with no cache.
        List<Long> cached = ids(catalogue, keys());
        List<Long> stored = ids(new MetricCatalogue(emf), keys());
        assertEquals(first.subList(0, keys.size()), cached);
        assertEquals(first.subList(0, keys.size()), stored);

        // The same dimensions in a map sorted another way are the same metric.
        TreeMap<String, String> reversed = new TreeMap<>(Collections.reverseOrder());
        reversed.putAll(Map.of("Host", "h1", "AZ", "az-1"));
        MetricKey other = new MetricKey("111111111111", "Cat", "CPU", reversed);
        assertEquals(first.get(0), ids(catalogue, List.of(other)).get(0));
        assertNotEquals(first.get(0), first.get(4));
    }
}
