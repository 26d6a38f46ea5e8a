package org.eucadb.lifecycle;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

/**
 * The launch in reverse: group (and its instance) → launch template → instance profile →
 * security group. The data volume stays (and is found again by its tags on the next launch).
 */
final class TeardownWorkflow {
    private final WorkflowStateStore store;

    TeardownWorkflow(WorkflowStateStore store) {
        this.store = store;
    }

    /** @return null when nothing is left, else what is still going away */
    String run(CloudProvider provider, Map<String, String> tags, String groupName, org.eucadb.api.DbRole role,
            WorkflowState state) throws CloudException, SQLException {
        for (CloudResource g : provider.find(ResourceKind.AUTOSCALING_GROUP, tags)) {
            provider.delete(ResourceKind.AUTOSCALING_GROUP, g.id());
        }
        List<CloudResource> left = provider.groupInstances(groupName).stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).toList();
        if (!left.isEmpty()) {
            return "waiting for instance " + left.get(0).id() + " to terminate";
        }
        for (ResourceKind kind : List.of(ResourceKind.LAUNCH_TEMPLATE, ResourceKind.INSTANCE_PROFILE,
                ResourceKind.SECURITY_GROUP)) {
            for (CloudResource r : provider.find(kind, tags)) {
                provider.delete(kind, r.id());
            }
        }
        state.applied.clear();
        state.templateVersion = null;
        state.tokenExpiresAt = null;
        store.save(role, state);
        return null;
    }
}
