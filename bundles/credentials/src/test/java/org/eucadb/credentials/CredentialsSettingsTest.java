package org.eucadb.credentials;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eucadb.api.InvalidValueException;
import org.junit.Test;

public class CredentialsSettingsTest {
    @Test
    public void defaultsLiveUnderKarafEtcAndData() {
        CredentialsSettings s = CredentialsSettings.parse(Map.of(), "/opt/karaf/etc", "/opt/karaf/data");
        assertEquals(Path.of("/opt/karaf/etc/eucadb-credentials.key"), s.keyFile());
        assertEquals(Path.of("/opt/karaf/data/eucadb/credentials"), s.stateDir());
        assertEquals(8774, s.port());
        assertEquals(Duration.ofDays(90), s.certValidity());
        assertEquals("127.0.0.1", s.advertisedAddress());
        assertEquals("127.0.0.1", s.listenAddress());
        assertEquals("https://127.0.0.1:8774/bootstrap/v1/", s.bootstrapUrl(s.port()).toString());
    }

    @Test
    public void givenValuesAreTaken() {
        CredentialsSettings s = CredentialsSettings.parse(Map.of("port", 9443, "advertised.address", "fd00::5",
                "listen.address", "0.0.0.0", "cert.validity.days", "7", "key.file", "/k/key", "state.dir", "/s"),
                null, null);
        assertEquals(9443, s.port());
        assertEquals(Duration.ofDays(7), s.certValidity());
        assertEquals("0.0.0.0", s.listenAddress());
        assertEquals("https://[fd00::5]:9443/bootstrap/v1/", s.bootstrapUrl(s.port()).toString());
        assertEquals(Path.of("/k/key"), s.keyFile());
    }

    @Test
    public void badValuesAreRefusedNamingTheProperty() {
        Map<String, Map<String, Object>> cases = Map.of(
                "port", Map.of("port", "0"),
                "cert.validity.days", Map.of("cert.validity.days", "826"),
                "key.file", Map.of("key.file", "relative/key"),
                "state.dir", Map.of("state.dir", "state"),
                "advertised.address", Map.of("advertised.address", "not an address"));
        for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
            try {
                CredentialsSettings.parse(c.getValue(), "/etc", "/data");
                fail(c + " accepted");
            } catch (InvalidValueException e) {
                assertEquals(c.getKey(), e.field());
            }
        }
        try {
            CredentialsSettings.parse(Map.of("port", "x"), "/etc", "/data");
            fail("accepted");
        } catch (InvalidValueException e) {
            assertEquals("an integer 1..65535", e.accepted());
        }
        try {
            CredentialsSettings.parse(Map.of(), null, "/data");
            fail("a key file with no place to default to");
        } catch (InvalidValueException e) {
            assertEquals("key.file", e.field());
        }
    }
}
