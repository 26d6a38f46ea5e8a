package org.eucadb.cloud.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.testsupport.PgProcesses;
import org.junit.Test;

public class LocalCloudConfigTest {
    private static final LocalCloudConfig.Environment KARAF_AS_ROOT =
            new LocalCloudConfig.Environment(Optional.of(Paths.get("/opt/karaf/data")), "root");

    @Test
    public void defaultsFollowKarafsDataDirAndUser() {
        LocalCloudConfig c = LocalCloudConfig.parse(Map.of(), KARAF_AS_ROOT);
        assertEquals(Paths.get("/opt/karaf/data/eucadb/cloud-local"), c.stateDir());
        assertEquals(15500, c.firstPort());
        assertEquals(15599, c.lastPort());
        assertEquals("127.0.0.1", c.listenAddress());
        assertEquals(Set.of("m1.small", "m1.medium", "m1.large", "m1.xlarge", "m5.large"), c.instanceTypes());
        assertEquals(Set.of("local-a", "local-b"), c.zones());
        assertEquals(PgProcesses.binDir(), c.pgBinDir());
        assertEquals("as root, PostgreSQL runs as postgres", "postgres", c.osUser());
        assertEquals("otherwise as Karaf's own user", "postgres", LocalCloudConfig.parse(Map.of(),
                new LocalCloudConfig.Environment(Optional.of(Paths.get("/d")), "postgres")).osUser());

        LocalCloudConfig given = LocalCloudConfig.parse(Map.of("state_dir", "/srv/cl", "port_range", " 20000 - 20001 ",
                "listen_address", "db.local", "instance_types", "a1, b2", "zones", "z-1"), KARAF_AS_ROOT);
        assertEquals(Paths.get("/srv/cl"), given.stateDir());
        assertEquals(2, given.portCount());
        assertEquals("db.local", given.listenAddress());
        assertEquals(Set.of("a1", "b2"), given.instanceTypes());
        assertEquals(Set.of("z-1"), given.zones());
    }

    @Test
    public void badValuesAreRefusedNamingTheProperty() throws Exception {
        Path file = Files.createTempFile("not-a-dir", "");
        try {
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("state_dir=relative/dir", "state_dir");
            cases.put("state_dir=" + file, "state_dir");
            cases.put("port_range=15500", "port_range");
            cases.put("port_range=80-90", "port_range");
            cases.put("port_range=2000-1000", "port_range");
            cases.put("port_range=60000-70000", "port_range");
            cases.put("listen_address=*", "listen_address");
            cases.put("listen_address=0.0.0.0", "listen_address");
            cases.put("listen_address=300.1.1.1", "listen_address");
            cases.put("instance_types=M1.Small", "instance_types");
            cases.put("instance_types=a,,b", "instance_types");
            cases.put("zones=zone one", "zones");
            cases.put("pg_bin_dir=/nonexistent", "pg_bin_dir");
            cases.put("pg_bin_dir=/usr/bin", "pg_bin_dir");
            cases.put("os_user=root", "os_user");
            cases.put("os_user=no-such-user-here", "os_user");
            cases.put("os_user=Bad User", "os_user");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                String[] kv = c.getKey().split("=", 2);
                try {
                    LocalCloudConfig.parse(Map.of(kv[0], kv[1]), KARAF_AS_ROOT);
                    fail(c.getKey() + " accepted");
                } catch (InvalidValueException e) {
                    assertEquals(c.getKey(), c.getValue(), e.field());
                    assertTrue(e.getMessage(), e.getMessage().startsWith(c.getValue() + ": "));
                    assertTrue(e.getMessage(), e.getMessage().contains("expected"));
                }
            }
            try {
                LocalCloudConfig.parse(Map.of(), new LocalCloudConfig.Environment(Optional.empty(), "root"));
                fail("no state dir and no karaf.data accepted");
            } catch (InvalidValueException e) {
                assertEquals("state_dir", e.field());
            }
        } finally {
            Files.delete(file);
        }
    }

    /**
     * The component as Config Admin drives it: a refused first configuration registers no
     * provider and says why in its status; a good one registers it; a refused change keeps the
     * cloud in force (same records) and says why; an accepted change reopens it under the same
     * service.
     */
    @Test
    public void aRefusedChangeLeavesTheCloudInForce() throws Exception {
        Path base = Files.createTempDirectory("eucadb-clcfg");
        List<CloudProvider> registered = new ArrayList<>();
        LocalCloudComponent component = new LocalCloudComponent(p -> {
            registered.add(p);
            return () -> registered.remove(p);
        }, KARAF_AS_ROOT);
        Map<String, Object> props = new HashMap<>(Map.of("state_dir", base.resolve("a").toString(), "zones", "z-a",
                "port_range", "1-2"));
        try {
            component.apply(props);
            assertEquals(List.of(), registered);
            CloudProviderStatus refused = component.cloudProviderStatus();
            assertEquals(Optional.empty(), refused.inForce());
            assertTrue(refused.toString(), refused.lastError().orElseThrow().startsWith("port_range"));

            props.remove("port_range");
            component.apply(props);
            CloudProvider provider = registered.get(0);
            assertEquals("local", provider.name());
            provider.ensureVolume("z-a", 1, Map.of("k", "v"));
            assertTrue(component.cloudProviderStatus().inForce().orElseThrow().contains("ports 15500-15599"));
            assertEquals(Optional.empty(), component.cloudProviderStatus().lastError());

            props.put("port_range", "1-2");
            component.apply(props);
            assertTrue(component.cloudProviderStatus().lastError().orElseThrow().startsWith("port_range"));
            assertEquals(List.of(provider), registered);
            assertEquals(Set.of("z-a"), provider.availabilityZones());
            assertEquals(1, provider.find(ResourceKind.VOLUME, Map.of("k", "v")).size());

            props.put("port_range", "16000-16010");
            props.put("zones", "z-a,z-b");
            component.apply(props);
            assertEquals(List.of(provider), registered);
            assertEquals(Set.of("z-a", "z-b"), provider.availabilityZones());
            assertTrue(component.cloudProviderStatus().inForce().orElseThrow().contains("ports 16000-16010"));
            assertEquals("same state dir, same records", 1, provider.find(ResourceKind.VOLUME, Map.of("k", "v")).size());
        } finally {
            component.deactivate();
            PgProcesses.run(List.of("rm", "-rf", base.toString()), 30);
        }
        assertEquals(List.of(), registered);
    }
}
