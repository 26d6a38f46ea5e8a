package org.eucadb.lifecycle;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.credentials.DbSecret;

/** What one run of a workflow knows: its inputs, and what earlier steps observed or made. */
final class StepContext {
    final DbVmConfig config;
    final CloudProvider provider;
    final Credentials credentials;
    final String clusterId;
    final WorkflowState state;
    final Clock clock;

    // filled in by the steps, in order
    String securityGroupId;
    DbSecret secret;
    CloudResource volume;
    Optional<String> instanceProfile = Optional.empty();
    CloudResource instance;
    DbEndpoint endpoint;

    StepContext(DbVmConfig config, CloudProvider provider, Credentials credentials, String clusterId,
            WorkflowState state, Clock clock) {
        this.config = config;
        this.provider = provider;
        this.credentials = credentials;
        this.clusterId = clusterId;
        this.state = state;
        this.clock = clock;
    }

    Map<String, String> tags() {
        return CloudTags.of(clusterId, config.role());
    }

    /** The name of this role's resources in this cluster. */
    String resourceName() {
        return "eucadb-" + clusterId + "-" + config.role().id();
    }
}
