package org.eucadb.lifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.junit.Test;

public class DbVmConfigTest {

    private static DbVmConfig parse(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return DbVmConfig.parse(DbRole.CLOUDWATCH, m);
    }

    private static void refused(String property, String expectInMessage, Object... kv) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> parse(kv));
        assertEquals(property, e.field());
        assertTrue(e.getMessage(), e.getMessage().contains(expectInMessage));
    }

    @Test
    public void defaultsWaitForAnImageOnTheLocalProvider() {
        DbVmConfig k = parse();
        assertTrue(k.enabled());
        assertEquals(Optional.empty(), k.image());
        assertEquals("m1.large", k.instanceType());
        assertEquals("local", k.provider());
        assertEquals(20, k.volumeSizeGib());
        assertEquals(365, k.certValidityDays());
        assertEquals(Optional.of("127.0.0.1/32"), k.effectiveFrontendCidr());
        assertEquals(Optional.empty(), parse("provider", "aws").effectiveFrontendCidr());
    }

    @Test
    public void acceptsAFullConfiguration() {
        DbVmConfig k = parse("enabled", "false", "image", "emi-0123abcd", "instance_type", "m5.large", "keyname",
                "ops key", "availability_zones", "zone-a, zone-b,zone-a", "volume_size_gib", "100", "volume_id",
                "vol-0123456789abcdef0", "frontend_cidr", "10.1.0.0/16", "admin_cidr", "fd00::/8", "ntp_server",
                "ntp.example.org", "cert_validity_days", 30, "provider", "aws");
        assertFalse(k.enabled());
        assertEquals(List.of("zone-a", "zone-b"), k.availabilityZones());
        assertEquals(Optional.of("vol-0123456789abcdef0"), k.volumeId());
        assertEquals("10.1.0.0/16", k.value("frontend_cidr"));
        assertEquals("30", k.value("cert_validity_days"));
    }

    @Test
    public void refusesEachBadValueByName() {
        refused("enabled", "true|false", "enabled", "yes");
        refused("image", "image id", "image", "emi 123");
        refused("instance_type", "instance type", "instance_type", "M1.LARGE");
        refused("keyname", "printable", "keyname", "a,b");
        refused("availability_zones", "zone names", "availability_zones", "zone-a,,zone b");
        refused("volume_size_gib", "1..16384", "volume_size_gib", "0");
        refused("volume_size_gib", "1..16384", "volume_size_gib", "16385");
        refused("volume_size_gib", "1..16384", "volume_size_gib", "ten");
        refused("volume_id", "volume id", "volume_id", "vol/1");
        refused("frontend_cidr", "CIDR", "frontend_cidr", "10.0.0.0");
        refused("frontend_cidr", "CIDR", "frontend_cidr", "10.0.0.256/24");
        refused("frontend_cidr", "CIDR", "frontend_cidr", "10.0.0.0/33");
        refused("frontend_cidr", "CIDR", "frontend_cidr", "fd00:::1/64");
        refused("admin_cidr", "keyname", "admin_cidr", "10.0.0.0/8");
        refused("admin_cidr", "CIDR", "keyname", "k", "admin_cidr", "any");
        refused("ntp_server", "host name", "ntp_server", "-ntp");
        refused("cert_validity_days", "1..3650", "cert_validity_days", "3651");
        refused("provider", "local|aws", "provider", "gcp");
    }

    @Test
    public void eucalyptusNamesMapToProperties() {
        assertEquals(Optional.of("image"), DbVmConfig.canonicalName("services.database.worker.image"));
        assertEquals(Optional.of("instance_type"), DbVmConfig.canonicalName("services.database.worker.instance_type"));
        assertEquals(Optional.of("volume_id"), DbVmConfig.canonicalName("services.database.worker.volume"));
        assertEquals(Optional.of("enabled"), DbVmConfig.canonicalName("services.database.worker.configured"));
        assertEquals(Optional.of("cert_validity_days"),
                DbVmConfig.canonicalName("services.database.worker.expiration_days"));
        assertEquals(Optional.of("keyname"), DbVmConfig.canonicalName("keyname"));
        assertEquals(Optional.empty(), DbVmConfig.canonicalName("services.database.worker.flavour"));
    }

    @Test
    public void cidrSyntax() {
        for (String ok : List.of("0.0.0.0/0", "192.168.1.0/24", "::/0", "fd00::/8", "2001:db8::1/128",
                "1:2:3:4:5:6:7:8/64")) {
            assertTrue(ok, Cidr.valid(ok));
        }
        for (String bad : List.of("1.2.3.4", "1.2.3/8", "1.2.3.4/-1", "::1::2/64", "1:2:3:4:5:6:7/64",
                "12345::/16", "fd00::/129", "a.b.c.d/8")) {
            assertFalse(bad, Cidr.valid(bad));
        }
    }
}
