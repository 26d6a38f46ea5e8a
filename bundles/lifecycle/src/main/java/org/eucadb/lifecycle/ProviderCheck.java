package org.eucadb.lifecycle;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;

/** The checks only the provider can answer: does the image exist, is the type offered, are the zones there. */
final class ProviderCheck {
    private ProviderCheck() {
    }

    /**
     * @param volumeZone the zone of the role's data volume, when it has one
     * @throws InvalidValueException naming the property and what the provider accepts
     */
    static void check(DbVmConfig k, CloudProvider p, Optional<String> volumeZone) throws CloudException {
        if (k.image().isPresent() && !p.imageExists(k.image().get())) {
            throw new InvalidValueException(DbVmConfig.IMAGE, k.image().get(), "an image id provider '" + p.name()
                    + "' has");
        }
        Set<String> types = new TreeSet<>(p.instanceTypes());
        if (!types.contains(k.instanceType())) {
            throw new InvalidValueException(DbVmConfig.INSTANCE_TYPE, k.instanceType(), "one of "
                    + String.join("|", types));
        }
        Set<String> zones = new TreeSet<>(p.availabilityZones());
        for (String z : k.availabilityZones()) {
            if (!zones.contains(z)) {
                throw new InvalidValueException(DbVmConfig.AVAILABILITY_ZONES, String.join(",", k.availabilityZones()),
                        "zones of provider '" + p.name() + "': " + String.join(",", zones));
            }
        }
        if (volumeZone.isPresent() && !k.availabilityZones().isEmpty()
                && !k.availabilityZones().contains(volumeZone.get())) {
            throw new InvalidValueException(DbVmConfig.AVAILABILITY_ZONES, String.join(",", k.availabilityZones()),
                    "a list including " + volumeZone.get() + ", the zone of the data volume: a DB VM runs beside "
                            + "its volume and eucadb does not move volumes between zones (snapshot the volume, "
                            + "create one in the new zone and set volume_id)");
        }
    }
}
