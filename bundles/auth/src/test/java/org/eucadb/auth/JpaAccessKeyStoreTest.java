package org.eucadb.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class JpaAccessKeyStoreTest {
    private static PostgresServer pg;
    private static EntityManagerFactory emf;
    private static JpaAccessKeyStore store;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        DataSource fe = pg.dataSource("frontend", "fe", "fe-pw");
        ClasspathSchemaSets.migrate(JpaAccessKeyStoreTest.class.getClassLoader(), Map.of(DbRole.FRONTEND, fe));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.auth",
                Map.of("javax.persistence.nonJtaDataSource", fe));
        store = new JpaAccessKeyStore(emf);
    }

    @AfterClass
    public static void stop() throws Exception {
        emf.close();
        pg.close();
    }

    @Test
    public void createFindListDelete() {
        AccessKey k = store.create("123456789012");
        assertTrue(k.accessKeyId(), k.accessKeyId().matches("AKE[A-Z2-7]{17}"));
        assertEquals(40, k.secretAccessKey().length());
        assertEquals(k, store.find(k.accessKeyId()).orElseThrow());
        AccessKey listed = store.list().stream().filter(x -> x.accessKeyId().equals(k.accessKeyId())).findFirst()
                .orElseThrow();
        assertEquals("", listed.secretAccessKey());
        assertFalse(k.toString().contains(k.secretAccessKey()));
        assertTrue(store.delete(k.accessKeyId()));
        assertFalse(store.delete(k.accessKeyId()));
        assertTrue(store.find(k.accessKeyId()).isEmpty());
    }

    @Test
    public void keysAreUniqueAndAccountsValidated() {
        assertFalse(store.create("210987654321").equals(store.create("210987654321")));
        for (String bad : new String[] { null, "", "12345", "abcdefghijkl", "1234567890123" }) {
            try {
                store.create(bad);
                fail(bad + " accepted");
            } catch (InvalidValueException e) {
                assertEquals("account", e.field());
            }
        }
    }

    @Test
    public void aDeletedKeyNoLongerAuthenticates() {
        AccessKey k = store.create("555555555555");
        SigV4Verifier verifier = new SigV4Verifier(store::find, Clock.systemUTC());
        store.delete(k.accessKeyId());
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        SignedRequest r = new SignedRequest("POST", "/", "", Map.of(
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + k.accessKeyId() + "/" + amzDate.substring(0, 8)
                        + "/r/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
                "X-Amz-Date", List.of(amzDate), "Host", List.of("h")), new byte[0]);
        try {
            verifier.authenticate(r, "monitoring");
            fail("deleted key accepted");
        } catch (AuthenticationException e) {
            assertEquals(e.getMessage(), AuthenticationException.Code.InvalidClientTokenId, e.code());
        }
    }
}
