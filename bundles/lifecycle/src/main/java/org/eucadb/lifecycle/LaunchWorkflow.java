package org.eucadb.lifecycle;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.credentials.CredentialsException;

/**
 * Security group → credentials → data volume → instance profile → launch template →
 * autoscaling group → volume attached → healthy. Each run observes every step and applies the
 * first ones that are missing or whose inputs changed, saving progress after each; a run that
 * dies anywhere is resumed by the next.
 */
final class LaunchWorkflow {
    static final List<Step> STEPS = List.of(new SecurityGroupStep(), new CredentialsStep(), new VolumeStep(),
            new InstanceProfileStep(), new LaunchTemplateStep(), new AutoScalingGroupStep(), new AttachVolumeStep(),
            new HealthStep());

    /** How long an instance may fail to answer after its token expired before it is replaced with a fresh token. */
    static final Duration UNHEALTHY_GRACE = Duration.ofSeconds(60);

    /** Where a run ended. */
    record Outcome(DbEndpoint endpoint, String step, String detail) {
        boolean ready() {
            return endpoint != null;
        }
    }

    private final WorkflowStateStore store;
    private final WorkflowFaults faults;
    private Instant unhealthySince;

    LaunchWorkflow(WorkflowStateStore store, WorkflowFaults faults) {
        this.store = store;
        this.faults = faults;
    }

    Outcome run(StepContext c) throws CloudException, CredentialsException, SQLException {
        for (Step step : STEPS) {
            try {
                String inputs = step.inputs(c);
                boolean same = inputs.equals(c.state.applied.get(step.name()));
                if (!step.observe(c, same) || !same) {
                    step.apply(c);
                    faults.afterApply(c.config.role().id(), step.name());
                    c.state.applied.put(step.name(), inputs);
                    store.save(c.config.role(), c.state);
                    if (!step.observe(c, true)) {
                        return new Outcome(null, step.name(), "applied; waiting for the cloud to show it");
                    }
                }
            } catch (Step.NotYet e) {
                refreshTokenIfStuck(c);
                return new Outcome(null, step.name(), e.getMessage());
            }
        }
        unhealthySince = null;
        return new Outcome(c.endpoint, "ready", "instance " + c.instance.id() + " at " + c.endpoint.address());
    }

    /**
     * A fresh instance redeems its token within minutes. One that has not answered for a while
     * after its token expired will never get its secrets: the next run makes a new template
     * version with a new token, which replaces the instance.
     */
    private void refreshTokenIfStuck(StepContext c) throws SQLException {
        Instant now = c.clock.instant();
        if (unhealthySince == null) {
            unhealthySince = now;
        }
        boolean expired = c.state.tokenExpiresAt != null && now.isAfter(c.state.tokenExpiresAt);
        if (expired && Duration.between(unhealthySince, now).compareTo(UNHEALTHY_GRACE) > 0) {
            c.state.applied.remove("launch-template");
            store.save(c.config.role(), c.state);
            unhealthySince = null;
        }
    }
}
