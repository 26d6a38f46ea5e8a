package org.eucadb.lifecycle;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

/** The group's current instance has the data volume attached. */
final class AttachVolumeStep implements Step {
    @Override
    public String name() {
        return "attach-volume";
    }

    @Override
    public String inputs(StepContext c) {
        return c.state.volumeId;
    }

    /** The group's live instance at the version in force, if one is there yet. */
    static Optional<CloudResource> currentInstance(StepContext c) throws CloudException {
        List<CloudResource> instances = c.provider.groupInstances(c.resourceName());
        return instances.stream()
                .filter(i -> "running".equals(i.attribute("state")) || "pending".equals(i.attribute("state")))
                .filter(i -> c.state.templateVersion.equals(i.attribute("templateVersion")))
                .max(Comparator.comparing(i -> "running".equals(i.attribute("state"))));
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException, NotYet {
        Optional<CloudResource> i = currentInstance(c);
        if (i.isEmpty()) {
            throw new NotYet("waiting for the group to launch an instance at template version "
                    + c.state.templateVersion);
        }
        c.instance = i.get();
        String attachedTo = c.provider.find(ResourceKind.VOLUME, c.tags()).stream()
                .filter(v -> v.id().equals(c.state.volumeId)).findFirst()
                .map(v -> v.attribute("attachedTo")).orElse(null);
        return c.instance.id().equals(attachedTo);
    }

    @Override
    public void apply(StepContext c) throws CloudException {
        c.provider.attachVolume(c.state.volumeId, c.instance.id());
    }
}
