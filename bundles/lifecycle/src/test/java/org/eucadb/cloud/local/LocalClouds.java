package org.eucadb.cloud.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.cloud.CloudProvider;

/** Opens the local cloud outside OSGi, as its component does, for the lifecycle's tests. */
public final class LocalClouds {
    private LocalClouds() {
    }

    /** A provider over {@code stateDir}; a second one over the same directory re-adopts the first's instances. */
    public static CloudProvider open(Path stateDir, int firstPort, int ports) throws Exception {
        LocalCloudConfig config = LocalCloudConfig.parse(Map.of(LocalCloudConfig.STATE_DIR, stateDir.toString(),
                LocalCloudConfig.PORT_RANGE, firstPort + "-" + (firstPort + ports - 1)),
                new LocalCloudConfig.Environment(Optional.empty(), System.getProperty("user.name")));
        return new LocalCloud(config, Duration.ofSeconds(30), Duration.ofMillis(500));
    }

    /** The guest scripts this bundle ships, written into {@code dir} (0755); the agent's path. */
    public static Path extractGuest(Path dir) throws Exception {
        return GuestScripts.extract(LocalClouds.class.getClassLoader(), dir);
    }

    /** Stops watching; the instances keep running, as when Karaf dies. */
    public static void close(CloudProvider provider) {
        ((LocalCloud) provider).close();
    }
}
