package org.eucadb.pool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.SslMode;
import org.junit.Before;
import org.junit.Test;

public class EndpointConfigParserTest {
    private Path pwFile;
    private Path caFile;

    @Before
    public void files() throws Exception {
        pwFile = Files.createTempFile("pw", ".txt");
        Files.writeString(pwFile, "secret\n");
        caFile = Files.createTempFile("ca", ".pem");
    }

    private Map<String, Object> good() {
        Map<String, Object> m = new HashMap<>();
        m.put("role", "cloudwatch");
        m.put("host", "db1.example");
        m.put("port", "6432");
        m.put("database", "cloudwatch");
        m.put("user", "cw");
        m.put("password.file", pwFile.toString());
        m.put("sslmode", "verify-full");
        m.put("sslrootcert", caFile.toString());
        return m;
    }

    @Test
    public void aGoodManualEndpoint() {
        DbEndpoint ep = EndpointConfigParser.manual("org.eucadb.endpoint.x", good());
        assertEquals(DbRole.CLOUDWATCH, ep.role());
        assertEquals(6432, ep.port());
        assertEquals(SslMode.VERIFY_FULL, ep.sslMode());
        assertEquals("jdbc:postgresql://db1.example:6432/cloudwatch", ep.jdbcUrl());
        assertEquals(10, ep.poolMaxSize());
    }

    @Test
    public void badValuesNameTheFieldAndWhatIsAccepted() {
        assertRefused("port", 0, "port", "1 to 65535");
        assertRefused("port", 70000, "port", "1 to 65535");
        assertRefused("port", "http", "port", "1 to 65535");
        assertRefused("host", "", "host", "host name or IP");
        assertRefused("host", "a b", "host", "host name or IP");
        assertRefused("role", "billing", "role", "frontend|cloudwatch|reporting");
        assertRefused("role", "frontend", "role", "cloudwatch|reporting");
        assertRefused("password.file", "/nonexistent/pw", "password.file", "existing, readable file");
        assertRefused("password.file", "relative/pw", "password.file", "absolute path");
        assertRefused("sslmode", "prefer", "sslmode", "disable|require|verify-ca|verify-full");
        assertRefused("sslmode", "VERIFY", "sslmode", "disable|require|verify-ca|verify-full");
        assertRefused("pool.max.size", 0, "pool.max.size", "1 to 500");
        assertRefused("database", "x;drop", "database", "PostgreSQL name");
        Map<String, Object> noCa = good();
        noCa.remove("sslrootcert");
        expectRefusal(noCa, "sslrootcert", "CA certificate");
        Map<String, Object> noHost = good();
        noHost.remove("host");
        expectRefusal(noHost, "host", "empty value");
    }

    @Test
    public void frontendUrlIsParsedAndChecked() {
        Map<String, Object> m = new HashMap<>();
        m.put("url", "jdbc:postgresql://127.0.0.1:5433/eucalyptus?sslmode=disable&ApplicationName=x");
        m.put("user", "eucalyptus");
        m.put("password.file", pwFile.toString());
        DbEndpoint ep = EndpointConfigParser.frontend("org.eucadb.frontend", m);
        assertEquals(DbRole.FRONTEND, ep.role());
        assertEquals(5433, ep.port());
        assertEquals("eucalyptus", ep.database());
        assertEquals(SslMode.DISABLE, ep.sslMode());
        assertEquals("x", ep.options().get("ApplicationName"));
        for (String bad : new String[] { "jdbc:mysql://h/db", "postgres://h/db", "jdbc:postgresql://h1,h2/db",
                "jdbc:postgresql://h/db?password=x" }) {
            m.put("url", bad);
            try {
                EndpointConfigParser.frontend("org.eucadb.frontend", m);
                fail(bad + " accepted");
            } catch (InvalidValueException e) {
                assertEquals("url", e.field());
                assertTrue(e.getMessage(), !e.getMessage().contains("password=x"));
            }
        }
    }

    private void assertRefused(String key, Object value, String field, String acceptedFragment) {
        Map<String, Object> m = good();
        m.put(key, value);
        expectRefusal(m, field, acceptedFragment);
    }

    private void expectRefusal(Map<String, Object> m, String field, String fragment) {
        try {
            EndpointConfigParser.manual("org.eucadb.endpoint.x", m);
            fail(m + " accepted");
        } catch (InvalidValueException e) {
            assertEquals(e.getMessage(), field, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }
}
