package org.eucadb.lifecycle;

import java.util.List;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

/** An instance profile allowing the guest only what it needs on its volume, where the provider has them. */
final class InstanceProfileStep implements Step {
    @Override
    public String name() {
        return "instance-profile";
    }

    @Override
    public String inputs(StepContext c) {
        return c.state.volumeId;
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException {
        List<CloudResource> found = c.provider.find(ResourceKind.INSTANCE_PROFILE, c.tags());
        if (!found.isEmpty()) {
            c.instanceProfile = java.util.Optional.of(found.get(0).id());
            return true;
        }
        // Applied before and nothing to find: the provider has no instance profiles.
        return applied;
    }

    @Override
    public void apply(StepContext c) throws CloudException {
        c.instanceProfile = c.provider.ensureInstanceProfile(c.resourceName(), c.state.volumeId, c.tags())
                .map(CloudResource::id);
    }
}
