package org.eucadb.lifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.cloud.local.LocalClouds;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** What only the provider knows, asked of the real local cloud: types, zones, and the volume's zone. */
public class ProviderCheckTest {
    private static Path dir;
    private static CloudProvider local;

    @BeforeClass
    public static void open() throws Exception {
        dir = Files.createTempDirectory("eucadb-check");
        local = LocalClouds.open(dir, org.eucadb.testsupport.Ports.freeBlock(10), 10);
    }

    @AfterClass
    public static void close() throws Exception {
        LocalClouds.close(local);
        org.eucadb.testsupport.PgProcesses.run(java.util.List.of("rm", "-rf", dir.toString()), 30);
    }

    private static void refused(String property, String accepted, Optional<String> volumeZone, Object... kv) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        DbVmConfig k = DbVmConfig.parse(DbRole.REPORTING, m);
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> ProviderCheck.check(k, local, volumeZone));
        assertEquals(property, e.field());
        assertTrue(e.getMessage(), e.getMessage().contains(accepted));
    }

    @Test
    public void acceptsWhatTheProviderOffers() throws Exception {
        ProviderCheck.check(DbVmConfig.parse(DbRole.REPORTING, Map.of("image", "emi-1", "instance_type", "m5.large",
                "availability_zones", "local-b,local-a")), local, Optional.of("local-b"));
    }

    @Test
    public void refusesTypesAndZonesTheProviderDoesNotOffer() {
        refused("instance_type", "m1.large|m1.medium", Optional.empty(), "instance_type", "m9.huge");
        refused("availability_zones", "local-a,local-b", Optional.empty(), "availability_zones", "local-a,mars-1");
    }

    @Test
    public void refusesZonesThatLeaveTheDataVolumeBehindAndSaysHowToMove() {
        refused("availability_zones", "snapshot the volume", Optional.of("local-a"), "availability_zones", "local-b");
    }
}
