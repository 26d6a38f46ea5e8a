package org.eucadb.lifecycle;

import java.util.List;
import java.util.Optional;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

/**
 * The data volume: adopted when the operator names one, else made once. Its id is remembered,
 * so a volume is never made twice, and teardown leaves it alone.
 */
final class VolumeStep implements Step {
    @Override
    public String name() {
        return "volume";
    }

    @Override
    public String inputs(StepContext c) {
        return c.config.volumeId().map(id -> "adopt:" + id).orElse("create");
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException {
        List<CloudResource> ours = c.provider.find(ResourceKind.VOLUME, c.tags());
        Optional<String> wanted = c.config.volumeId().or(() -> Optional.ofNullable(c.state.volumeId));
        Optional<CloudResource> v = wanted.isPresent()
                ? ours.stream().filter(r -> r.id().equals(wanted.get())).findFirst()
                : ours.stream().findFirst();
        v.ifPresent(r -> {
            c.volume = r;
            c.state.volumeId = r.id();
        });
        return v.isPresent();
    }

    @Override
    public void apply(StepContext c) throws CloudException {
        if (c.config.volumeId().isPresent()) {
            c.volume = c.provider.adoptVolume(c.config.volumeId().get(), c.tags());
        } else {
            c.volume = c.provider.ensureVolume(zone(c), c.config.volumeSizeGib(), c.tags());
        }
        c.state.volumeId = c.volume.id();
    }

    /** The zone a new volume goes to: the first configured, else the provider's first. */
    static String zone(StepContext c) throws CloudException {
        if (!c.config.availabilityZones().isEmpty()) {
            return c.config.availabilityZones().get(0);
        }
        return c.provider.availabilityZones().stream().sorted().findFirst()
                .orElseThrow(() -> new CloudException("the provider offers no availability zone", true));
    }
}
