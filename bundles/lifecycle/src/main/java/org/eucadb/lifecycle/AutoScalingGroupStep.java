package org.eucadb.lifecycle;

import java.util.List;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

/** A group of one instance, in the volume's zone, at the template version in force. */
final class AutoScalingGroupStep implements Step {
    @Override
    public String name() {
        return "autoscaling-group";
    }

    @Override
    public String inputs(StepContext c) {
        return c.state.templateVersion + "@" + zone(c);
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException {
        List<CloudResource> found = c.provider.find(ResourceKind.AUTOSCALING_GROUP, c.tags());
        return !found.isEmpty() && c.state.templateVersion.equals(found.get(0).attribute("templateVersion"));
    }

    @Override
    public void apply(StepContext c) throws CloudException {
        c.provider.putAutoScalingGroup(c.resourceName(), c.resourceName(), c.state.templateVersion, List.of(zone(c)),
                c.tags());
    }

    private static String zone(StepContext c) {
        return c.volume.attribute("zone");
    }
}
