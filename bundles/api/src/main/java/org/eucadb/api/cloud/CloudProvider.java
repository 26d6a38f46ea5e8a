package org.eucadb.api.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A cloud that can run DB VMs. Registered as a service with {@link #PROVIDER_NAME}; the DB VM
 * configuration's {@code provider} property selects one. Every method is safe to call again
 * with the same arguments (the workflow repeats a step after a crash): "ensure" methods return
 * what exists when it already matches, and {@link #delete} of something absent succeeds.
 *
 * <p>Attributes of described resources (all strings):
 * <ul>
 * <li>VOLUME: {@code zone}, {@code sizeGib}, {@code state} (creating|available|in-use|deleting), {@code attachedTo}
 * (instance id, when in use);</li>
 * <li>LAUNCH_TEMPLATE: {@code version} (the latest), {@code imageId}, {@code instanceType};</li>
 * <li>AUTOSCALING_GROUP: {@code templateVersion}, {@code zones} (comma-separated);</li>
 * <li>INSTANCE: {@code state} (pending|running|stopping|terminated), {@code address} (where the front end reaches
 * it), {@code port} (its PostgreSQL port), {@code templateVersion}, {@code zone}, {@code group};</li>
 * <li>INSTANCE_PROFILE: {@code arn}.</li>
 * </ul>
 */
@ProviderType
public interface CloudProvider {
    /** Service property: the provider's name, e.g. {@code local} or {@code aws}. */
    String PROVIDER_NAME = "eucadb.provider";

    /** The port PostgreSQL listens on in a DB VM, unless the provider says otherwise per instance. */
    int POSTGRES_PORT = 5432;

    String name();

    /** Whether the image exists and this account may launch it. */
    boolean imageExists(String imageId) throws CloudException;

    /** The instance types the provider offers. */
    Set<String> instanceTypes() throws CloudException;

    /** The availability zones the provider offers. */
    Set<String> availabilityZones() throws CloudException;

    /** Whether a volume can be moved to another zone (e.g. through a snapshot). */
    boolean canMoveVolumes();

    /** Resources of {@code kind} carrying all of {@code tags}. */
    List<CloudResource> find(ResourceKind kind, Map<String, String> tags) throws CloudException;

    /** A security group named {@code name} whose inbound rules are exactly {@code rules}. */
    CloudResource ensureSecurityGroup(String name, List<IngressRule> rules, Map<String, String> tags)
            throws CloudException;

    /**
     * An instance profile allowing only what the guest needs on its own volume; empty when the
     * provider has no instance roles.
     */
    Optional<CloudResource> ensureInstanceProfile(String name, String volumeId, Map<String, String> tags)
            throws CloudException;

    /** A new volume with these tags, unless one with these tags exists: then that one. */
    CloudResource ensureVolume(String zone, int sizeGib, Map<String, String> tags) throws CloudException;

    /**
     * Tags an existing volume as ours (operator-given {@code volume_id}).
     *
     * @throws CloudException (not retryable) when it does not exist or is attached elsewhere
     */
    CloudResource adoptVolume(String volumeId, Map<String, String> tags) throws CloudException;

    /** Creates the template, or adds a version when {@code spec} differs from the latest; returns it. */
    CloudResource putLaunchTemplate(LaunchSpec spec) throws CloudException;

    /**
     * An autoscaling group of exactly one instance from {@code templateName} at {@code templateVersion}.
     * When the version changes, the running instance is replaced (terminated, then a new one
     * launched: the data volume can be attached to one instance only).
     */
    CloudResource putAutoScalingGroup(String name, String templateName, String templateVersion, List<String> zones,
            Map<String, String> tags) throws CloudException;

    /** The group's instances, terminated ones included while the cloud still shows them. */
    List<CloudResource> groupInstances(String groupName) throws CloudException;

    /** Attaches the volume to the instance; nothing to do when it already is. */
    void attachVolume(String volumeId, String instanceId) throws CloudException;

    /** Deletes a resource; succeeds when it is already gone. A group is deleted with its instances. */
    void delete(ResourceKind kind, String id) throws CloudException;
}
