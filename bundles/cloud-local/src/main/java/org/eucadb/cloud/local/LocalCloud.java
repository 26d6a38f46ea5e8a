package org.eucadb.cloud.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.cloud.local.Records.Group;
import org.eucadb.cloud.local.Records.Instance;
import org.eucadb.cloud.local.Records.Kind;
import org.eucadb.cloud.local.Records.Rule;
import org.eucadb.cloud.local.Records.SecurityGroup;
import org.eucadb.cloud.local.Records.Template;
import org.eucadb.cloud.local.Records.TemplateVersion;
import org.eucadb.cloud.local.Records.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud on this machine, over one state directory: records are JSON files, a volume is a
 * directory, an instance is the guest agent run as a process tree of its own, and a monitor thread
 * plays the autoscaling groups (launch, replace on a new template version, relaunch the dead).
 * Closing it stops the monitor only: instances keep running, and a new {@code LocalCloud} over the
 * same directory re-adopts them.
 */
final class LocalCloud implements CloudProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);

    static final String NAME = "local";
    static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern CIDR = Pattern.compile("[0-9A-Fa-f.:]{2,39}/\\d{1,3}");
    /** How long a terminated instance stays visible, like a cloud's describe calls show it for a while. */
    private static final Duration TERMINATED_VISIBLE = Duration.ofHours(1);
    /** With no PostgreSQL rule in its groups an instance admits nobody: no client comes from this address. */
    private static final String NOBODY_CIDR = "0.0.0.0/32";
    private static final int MAX_SOCKET_DIR = 80;
    private static final SecureRandom IDS = new SecureRandom();

    private final LocalCloudConfig config;
    private final Duration terminateBound;
    private final Records records;
    private final Path volumesDir;
    private final Path instancesDir;
    private final Path guestAgent;
    private final Object lock = new Object();
    /** Processes this JVM started, held so Java reaps them when they exit. */
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    /** Per instance: when it may be relaunched next, and the backoff after that. */
    private final Map<String, long[]> relaunchBackoff = new HashMap<>();
    private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
    private final ScheduledExecutorService monitor;

    LocalCloud(LocalCloudConfig config, Duration terminateBound, Duration monitorPeriod) throws IOException {
        this(config, terminateBound, monitorPeriod, LocalCloud.class.getClassLoader());
    }

    /** {@code scripts}: where the guest scripts are read from ({@value GuestScripts#RESOURCE_DIR}...). */
    LocalCloud(LocalCloudConfig config, Duration terminateBound, Duration monitorPeriod, ClassLoader scripts)
            throws IOException {
        this.config = config;
        this.terminateBound = terminateBound;
        LocalFiles.directory(config.stateDir(), "rwx--x--x");
        this.volumesDir = LocalFiles.directory(config.stateDir().resolve("volumes"), "rwx--x--x");
        this.instancesDir = LocalFiles.directory(config.stateDir().resolve("instances"), "rwx--x--x");
        this.records = new Records(config.stateDir());
        this.guestAgent = GuestScripts.extract(scripts, config.stateDir().resolve("guest"));
        adoptInstances();
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-cloud-local-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(this::tick, monitorPeriod.toMillis(), monitorPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("cloud-local started over {} ({})", config.stateDir(), config);
    }

    LocalCloudConfig config() {
        return config;
    }

    @Override
    public void close() {
        monitor.shutdownNow();
        try {
            monitor.awaitTermination(terminateBound.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("cloud-local stopped watching {}; its instances keep running", config.stateDir());
    }

    // ------------------------------------------------------------------ what the cloud offers

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean imageExists(String imageId) {
        return imageId != null && IMAGE_ID.matcher(imageId).matches();
    }

    @Override
    public Set<String> instanceTypes() {
        return config.instanceTypes();
    }

    @Override
    public Set<String> availabilityZones() {
        return config.zones();
    }

    /** A local volume is a directory with no snapshots to move it by. */
    @Override
    public boolean canMoveVolumes() {
        return false;
    }

    // ------------------------------------------------------------------ describe

    @Override
    public List<CloudResource> find(ResourceKind kind, Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        synchronized (lock) {
            List<CloudResource> all = switch (kind) {
                case SECURITY_GROUP -> records.all(Kind.SECURITY_GROUP, SecurityGroup.class).stream()
                        .map(this::resource).toList();
                case INSTANCE_PROFILE -> List.of();
                case VOLUME -> records.all(Kind.VOLUME, Volume.class).stream().map(this::resource).toList();
                case LAUNCH_TEMPLATE -> records.all(Kind.TEMPLATE, Template.class).stream().map(this::resource).toList();
                case AUTOSCALING_GROUP -> records.all(Kind.GROUP, Group.class).stream().map(this::resource).toList();
                case INSTANCE -> records.all(Kind.INSTANCE, Instance.class).stream().map(this::resource).toList();
            };
            return all.stream().filter(r -> r.tags().entrySet().containsAll(tags.entrySet()))
                    .collect(Collectors.toList());
        }
    }

    @Override
    public List<CloudResource> groupInstances(String groupName) {
        synchronized (lock) {
            return records.all(Kind.INSTANCE, Instance.class).stream().filter(i -> i.group().equals(groupName))
                    .map(this::resource).collect(Collectors.toList());
        }
    }

    // ------------------------------------------------------------------ security groups, profiles

    @Override
    public CloudResource ensureSecurityGroup(String name, List<IngressRule> rules, Map<String, String> tags)
            throws CloudException {
        checkName("security group name", name);
        List<Rule> wanted = new ArrayList<>();
        for (IngressRule r : rules) {
            if (r.port() < 1 || r.port() > 65535 || r.cidr() == null || !CIDR.matcher(r.cidr()).matches()) {
                throw new CloudException("ingress rule " + r + " is not accepted: expected a port 1..65535 and a CIDR",
                        false);
            }
            wanted.add(new Rule(r.port(), r.cidr()));
        }
        synchronized (lock) {
            Optional<SecurityGroup> existing = records.all(Kind.SECURITY_GROUP, SecurityGroup.class).stream()
                    .filter(g -> g.name().equals(name)).findFirst();
            String id = existing.map(SecurityGroup::id).orElseGet(() -> newId("sg-"));
            SecurityGroup g = new SecurityGroup(id, name, List.copyOf(wanted),
                    merge(existing.map(SecurityGroup::tags).orElse(Map.of()), tags));
            if (existing.isEmpty() || !existing.get().equals(g)) {
                records.put(Kind.SECURITY_GROUP, id, g);
                LOG.info("security group {} ({}): rules {}", id, name, wanted);
            }
            return resource(g);
        }
    }

    /** Local instances have no instance roles. */
    @Override
    public Optional<CloudResource> ensureInstanceProfile(String name, String volumeId, Map<String, String> tags) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public CloudResource ensureVolume(String zone, int sizeGib, Map<String, String> tags) throws CloudException {
        if (!config.zones().contains(zone)) {
            throw new CloudException("zone '" + zone + "' is not accepted; expected one of " + sorted(config.zones()),
                    false);
        }
        if (sizeGib < 1 || sizeGib > 16384) {
            throw new CloudException("volume size " + sizeGib + " GiB is not accepted; expected 1..16384", false);
        }
        Objects.requireNonNull(tags, "tags");
        synchronized (lock) {
            Optional<Volume> existing = records.all(Kind.VOLUME, Volume.class).stream()
                    .filter(v -> v.tags().entrySet().containsAll(tags.entrySet())).findFirst();
            if (existing.isPresent()) {
                return resource(existing.get());
            }
            String id = newId("vol-");
            // The directory before its record: a crash between leaves an unused directory, never a record without one.
            io(() -> LocalFiles.directory(volumesDir.resolve(id), "rwx--x--x"));
            Volume v = new Volume(id, zone, sizeGib, Map.copyOf(tags), null);
            records.put(Kind.VOLUME, id, v);
            LOG.info("volume {} created in {} ({} GiB)", id, zone, sizeGib);
            return resource(v);
        }
    }

    @Override
    public CloudResource adoptVolume(String volumeId, Map<String, String> tags) throws CloudException {
        synchronized (lock) {
            Volume v = volume(volumeId);
            if (v.attachedTo() != null) {
                Optional<Instance> holder = records.get(Kind.INSTANCE, v.attachedTo(), Instance.class)
                        .filter(Instance::live);
                if (holder.isPresent() && !holder.get().tags().entrySet().containsAll(tags.entrySet())) {
                    throw new CloudException("volume " + volumeId + " is attached to " + v.attachedTo()
                            + ", which is not ours", false);
                }
            }
            Volume tagged = v.withTags(merge(v.tags(), tags));
            records.put(Kind.VOLUME, volumeId, tagged);
            return resource(tagged);
        }
    }

    @Override
    public void attachVolume(String volumeId, String instanceId) throws CloudException {
        synchronized (lock) {
            Volume v = volume(volumeId);
            Instance i = records.get(Kind.INSTANCE, instanceId, Instance.class).filter(Instance::live)
                    .orElseThrow(() -> new CloudException("instance " + instanceId + " does not exist or is terminated",
                            false));
            if (!Instance.RUNNING.equals(i.state())) {
                throw new CloudException("instance " + instanceId + " is " + i.state(), false);
            }
            if (!v.zone().equals(i.zone())) {
                throw new CloudException("volume " + volumeId + " is in " + v.zone() + ", instance " + instanceId
                        + " in " + i.zone(), false);
            }
            if (v.attachedTo() != null && !v.attachedTo().equals(instanceId)
                    && records.get(Kind.INSTANCE, v.attachedTo(), Instance.class).filter(Instance::live).isPresent()) {
                throw new CloudException("volume " + volumeId + " is still attached to " + v.attachedTo(), true);
            }
            // The guest waits for this link, like a VM for its block device to appear.
            Path link = instancesDir.resolve(instanceId).resolve("volume");
            Path target = volumesDir.resolve(volumeId);
            io(() -> {
                if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(target)) {
                    Path tmp = link.resolveSibling(".volume.new");
                    Files.deleteIfExists(tmp);
                    Files.createSymbolicLink(tmp, target);
                    moveAtomically(tmp, link);
                }
                return null;
            });
            if (!instanceId.equals(v.attachedTo())) {
                // An instance has one data volume: the one its link pointed at before is detached.
                for (Volume other : records.all(Kind.VOLUME, Volume.class)) {
                    if (!other.id().equals(volumeId) && instanceId.equals(other.attachedTo())) {
                        records.put(Kind.VOLUME, other.id(), other.withAttachedTo(null));
                        LOG.info("volume {} detached from {}", other.id(), instanceId);
                    }
                }
                records.put(Kind.VOLUME, volumeId, v.withAttachedTo(instanceId));
                LOG.info("volume {} attached to {}", volumeId, instanceId);
            }
        }
    }

    // ------------------------------------------------------------------ templates and groups

    @Override
    public CloudResource putLaunchTemplate(LaunchSpec spec) throws CloudException {
        checkName("launch template name", spec.name());
        if (!imageExists(spec.imageId())) {
            throw new CloudException("image '" + spec.imageId() + "' is not accepted; expected an id of "
                    + IMAGE_ID.pattern(), false);
        }
        if (!config.instanceTypes().contains(spec.instanceType())) {
            throw new CloudException("instance type '" + spec.instanceType() + "' is not offered; expected one of "
                    + sorted(config.instanceTypes()), false);
        }
        synchronized (lock) {
            for (String sg : spec.securityGroupIds()) {
                if (records.get(Kind.SECURITY_GROUP, sg, SecurityGroup.class).isEmpty()) {
                    throw new CloudException("security group " + sg + " does not exist", false);
                }
            }
            Optional<Template> existing = records.get(Kind.TEMPLATE, spec.name(), Template.class);
            List<TemplateVersion> versions = new ArrayList<>(existing.map(Template::versions).orElse(List.of()));
            TemplateVersion wanted = new TemplateVersion(Integer.toString(versions.size() + 1), spec.imageId(),
                    spec.instanceType(), spec.keyName().orElse(null), spec.securityGroupIds(),
                    spec.instanceProfile().orElse(null), spec.userData());
            boolean same = !versions.isEmpty() && sameSpec(versions.get(versions.size() - 1), wanted);
            if (!same) {
                versions.add(wanted);
            }
            Template t = new Template(spec.name(), Map.copyOf(spec.tags()), List.copyOf(versions));
            if (!same || !existing.get().tags().equals(t.tags())) {
                records.put(Kind.TEMPLATE, spec.name(), t);
            }
            if (!same) {
                LOG.info("launch template {} version {} (image {}, type {})", spec.name(), wanted.version(),
                        spec.imageId(), spec.instanceType());
            }
            return resource(t);
        }
    }

    @Override
    public CloudResource putAutoScalingGroup(String name, String templateName, String templateVersion,
            List<String> zones, Map<String, String> tags) throws CloudException {
        checkName("group name", name);
        if (zones.isEmpty() || !config.zones().containsAll(zones)) {
            throw new CloudException("zones " + zones + " are not accepted; expected some of " + sorted(config.zones()),
                    false);
        }
        synchronized (lock) {
            Template t = records.get(Kind.TEMPLATE, templateName, Template.class)
                    .orElseThrow(() -> new CloudException("launch template " + templateName + " does not exist", false));
            if (t.version(templateVersion).isEmpty()) {
                throw new CloudException("launch template " + templateName + " has no version " + templateVersion,
                        false);
            }
            Group g = new Group(name, templateName, templateVersion, List.copyOf(zones), Map.copyOf(tags));
            Optional<Group> existing = records.get(Kind.GROUP, name, Group.class);
            if (existing.isEmpty() || !existing.get().equals(g)) {
                records.put(Kind.GROUP, name, g);
                LOG.info("autoscaling group {}: template {} version {}", name, templateName, templateVersion);
            }
            reconcile(g);
            return resource(g);
        }
    }

    // ------------------------------------------------------------------ delete

    @Override
    public void delete(ResourceKind kind, String id) throws CloudException {
        switch (kind) {
            case INSTANCE_PROFILE -> {
                // there are none
            }
            case SECURITY_GROUP -> {
                synchronized (lock) {
                    for (Instance i : liveInstances()) {
                        if (version(i).map(v -> v.securityGroupIds().contains(id)).orElse(false)) {
                            throw new CloudException("security group " + id + " is in use by " + i.id(), true);
                        }
                    }
                    records.remove(Kind.SECURITY_GROUP, id);
                }
            }
            case LAUNCH_TEMPLATE -> {
                synchronized (lock) {
                    records.remove(Kind.TEMPLATE, id);
                }
            }
            case VOLUME -> {
                synchronized (lock) {
                    Optional<Volume> v = records.get(Kind.VOLUME, id, Volume.class);
                    if (v.isEmpty()) {
                        return;
                    }
                    if (v.get().attachedTo() != null && records.get(Kind.INSTANCE, v.get().attachedTo(), Instance.class)
                            .filter(Instance::live).isPresent()) {
                        throw new CloudException("volume " + id + " is in use by " + v.get().attachedTo(), true);
                    }
                    io(() -> {
                        LocalFiles.deleteTree(volumesDir.resolve(id));
                        return null;
                    });
                    records.remove(Kind.VOLUME, id);
                    LOG.info("volume {} deleted", id);
                }
            }
            case AUTOSCALING_GROUP -> {
                List<Instance> members;
                synchronized (lock) {
                    // Record first: a crash after it leaves instances of no group, which the monitor terminates.
                    records.remove(Kind.GROUP, id);
                    members = liveInstances().stream().filter(i -> i.group().equals(id)).toList();
                    members.forEach(this::beginTermination);
                }
                for (Instance i : members) {
                    awaitTermination(i.id());
                }
            }
            case INSTANCE -> {
                synchronized (lock) {
                    Optional<Instance> i = records.get(Kind.INSTANCE, id, Instance.class).filter(Instance::live);
                    if (i.isEmpty()) {
                        return;
                    }
                    beginTermination(i.get());
                }
                awaitTermination(id);
            }
        }
    }

    // ------------------------------------------------------------------ the monitor

    /** One pass of the autoscaling groups: launch, replace, relaunch, finish terminations, forget old ones. */
    void tick() {
        try {
            synchronized (lock) {
                for (Group g : records.all(Kind.GROUP, Group.class)) {
                    try {
                        reconcile(g);
                    } catch (CloudException | RuntimeException e) {
                        problem(g.name(), "group " + g.name() + ": " + e.getMessage());
                    }
                }
                long now = System.currentTimeMillis();
                for (Instance i : records.all(Kind.INSTANCE, Instance.class)) {
                    if (i.live() && records.get(Kind.GROUP, i.group(), Group.class).isEmpty()
                            && Instance.RUNNING.equals(i.state())) {
                        LOG.info("instance {} belongs to no group any more: terminating it", i.id());
                        beginTermination(i);
                    } else if (Instance.STOPPING.equals(i.state())) {
                        progressTermination(i);
                    } else if (!i.live() && now - i.terminatedAt() > TERMINATED_VISIBLE.toMillis()) {
                        records.remove(Kind.INSTANCE, i.id());
                    }
                }
            }
        } catch (RuntimeException e) {
            problem("monitor", "cloud-local monitor: " + e);
        }
    }

    /** Brings a group to one running instance at its template version; the old one goes first. */
    private void reconcile(Group g) throws CloudException {
        List<Instance> live = liveInstances().stream().filter(i -> i.group().equals(g.name())).toList();
        for (Instance i : live) {
            if (Instance.RUNNING.equals(i.state()) && !i.templateVersion().equals(g.templateVersion())) {
                LOG.info("group {}: template version {} replaces instance {} (version {})", g.name(),
                        g.templateVersion(), i.id(), i.templateVersion());
                beginTermination(i);
            }
        }
        for (Instance i : liveInstances().stream().filter(i -> i.group().equals(g.name())).toList()) {
            if (Instance.STOPPING.equals(i.state())) {
                progressTermination(i);
            }
        }
        live = liveInstances().stream().filter(i -> i.group().equals(g.name())).toList();
        if (live.isEmpty()) {
            launch(g);
            return;
        }
        for (Instance i : live) {
            if (Instance.RUNNING.equals(i.state()) && !GuestProcesses.alive(i.pid(), i.startedAt())) {
                relaunch(i);
            } else if (Instance.RUNNING.equals(i.state()) && ready(i, guestStatus(i.id()))) {
                relaunchBackoff.remove(i.id());
            }
        }
        lastProblem.remove(g.name());
    }

    private void launch(Group g) throws CloudException {
        Template t = records.get(Kind.TEMPLATE, g.templateName(), Template.class)
                .orElseThrow(() -> new CloudException("launch template " + g.templateName() + " is gone", true));
        TemplateVersion v = t.version(g.templateVersion()).orElseThrow(() -> new CloudException(
                "launch template " + g.templateName() + " has no version " + g.templateVersion(), true));
        String id = newId("i-");
        int port = freePort();
        Path dir = instancesDir.resolve(id);
        io(() -> {
            LocalFiles.directory(dir, "rwx--x--x");
            Path userData = dir.resolve("user-data");
            Files.createFile(userData, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(userData, v.userData() == null ? "" : v.userData());
            return null;
        });
        Map<String, String> tags = new LinkedHashMap<>(t.tags());
        Instance i = new Instance(id, g.name(), g.templateName(), g.templateVersion(), g.zones().get(0), port,
                Instance.RUNNING, 0, 0, 0, 0, 0, Map.copyOf(tags));
        records.put(Kind.INSTANCE, id, i);
        LOG.info("group {}: launching instance {} (template {} version {}) on port {}", g.name(), id,
                g.templateName(), g.templateVersion(), port);
        startGuest(i, v);
    }

    /** A dead instance boots again: same id, disk, port and volume, like a VM restarted by its cloud. */
    private void relaunch(Instance i) throws CloudException {
        long now = System.currentTimeMillis();
        long[] backoff = relaunchBackoff.computeIfAbsent(i.id(), k -> new long[] { 0, 1000 });
        if (now < backoff[0]) {
            return;
        }
        backoff[0] = now + backoff[1];
        backoff[1] = Math.min(backoff[1] * 2, 30_000);
        Map<String, String> status = guestStatus(i.id());
        LOG.warn("instance {} is not running (last guest state: {} {}): relaunching it", i.id(),
                status.getOrDefault("STATE", "none"), status.getOrDefault("REASON", ""));
        TemplateVersion v = version(i).orElseThrow(() -> new CloudException("launch template " + i.templateName()
                + " version " + i.templateVersion() + " is gone; cannot relaunch " + i.id(), false));
        startGuest(i, v);
    }

    private void startGuest(Instance i, TemplateVersion v) throws CloudException {
        Path dir = instancesDir.resolve(i.id());
        Path socketDir = dir.resolve("run");
        if (socketDir.toString().length() > MAX_SOCKET_DIR) {
            // PostgreSQL's socket path is short (about 100 bytes): a deep state dir puts it in /tmp instead.
            socketDir = Paths.get(System.getProperty("java.io.tmpdir"), "eucadb-" + i.id());
        }
        List<String> cmd = List.of(guestAgent.toString(), "--instance-dir", dir.toString(),
                "--volume-dir", dir.resolve("volume").toString(), "--user-data", dir.resolve("user-data").toString(),
                "--port", Integer.toString(i.port()), "--listen", config.listenAddress(),
                "--frontend-cidr", frontendCidr(v), "--os-user", config.osUser(),
                "--bin-dir", config.pgBinDir().toString(), "--socket-dir", socketDir.toString());
        Process p = io(() -> GuestProcesses.start(cmd, dir.resolve("guest.log")));
        long started = GuestProcesses.startTime(p.pid()).orElse(0L);
        children.put(i.id(), p);
        records.put(Kind.INSTANCE, i.id(), i.withProcess(p.pid(), started));
    }

    /** The CIDR PostgreSQL admits: the template's security groups' rule for the PostgreSQL port. */
    private String frontendCidr(TemplateVersion v) {
        for (String sgId : v.securityGroupIds()) {
            Optional<SecurityGroup> sg = records.get(Kind.SECURITY_GROUP, sgId, SecurityGroup.class);
            if (sg.isPresent()) {
                for (Rule r : sg.get().rules()) {
                    if (r.port() == POSTGRES_PORT) {
                        return r.cidr();
                    }
                }
            }
        }
        return NOBODY_CIDR;
    }

    private void beginTermination(Instance i) {
        if (!Instance.RUNNING.equals(i.state())) {
            return;
        }
        LOG.info("terminating instance {}", i.id());
        if (GuestProcesses.alive(i.pid(), i.startedAt())) {
            GuestProcesses.terminate(i.pid());
        }
        records.put(Kind.INSTANCE, i.id(), i.stopping(System.currentTimeMillis()));
        relaunchBackoff.remove(i.id());
    }

    /** Finishes a termination once the guest has exited, or kills it when it overstays the bound. */
    private void progressTermination(Instance i) {
        boolean alive = GuestProcesses.alive(i.pid(), i.startedAt());
        long now = System.currentTimeMillis();
        if (alive && now - i.stoppingSince() < terminateBound.toMillis()) {
            return;
        }
        if (alive) {
            LOG.warn("instance {} did not stop within {} s of SIGTERM: killing it", i.id(), terminateBound.toSeconds());
            GuestProcesses.killGroup(i.pid());
        }
        String dataDir = guestStatus(i.id()).get("DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            GuestProcesses.killPostmaster(Paths.get(dataDir));
        }
        for (Volume v : records.all(Kind.VOLUME, Volume.class)) {
            if (i.id().equals(v.attachedTo())) {
                records.put(Kind.VOLUME, v.id(), v.withAttachedTo(null));
                LOG.info("volume {} detached from {}", v.id(), i.id());
            }
        }
        // The instance's disk goes with it (the redeemed secrets on it included); its volume stays.
        io(() -> {
            LocalFiles.deleteTree(instancesDir.resolve(i.id()));
            LocalFiles.deleteTree(Paths.get(System.getProperty("java.io.tmpdir"), "eucadb-" + i.id()));
            return null;
        });
        children.remove(i.id());
        records.put(Kind.INSTANCE, i.id(), i.terminated(now));
        LOG.info("instance {} terminated", i.id());
    }

    private void awaitTermination(String instanceId) throws CloudException {
        long deadline = System.nanoTime() + terminateBound.plusSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lock) {
                Optional<Instance> i = records.get(Kind.INSTANCE, instanceId, Instance.class);
                if (i.isEmpty() || !i.get().live()) {
                    return;
                }
                progressTermination(i.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted while terminating " + instanceId, true, e);
            }
        }
        throw new CloudException("instance " + instanceId + " did not terminate in time", true);
    }

    private void adoptInstances() {
        for (Instance i : records.all(Kind.INSTANCE, Instance.class)) {
            if (!i.live()) {
                continue;
            }
            if (GuestProcesses.alive(i.pid(), i.startedAt())) {
                LOG.info("re-adopted instance {} (pid {}, port {})", i.id(), i.pid(), i.port());
            } else if (Instance.RUNNING.equals(i.state())) {
                LOG.info("instance {} is not running; its group relaunches it", i.id());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Instance> liveInstances() {
        return records.all(Kind.INSTANCE, Instance.class).stream().filter(Instance::live).toList();
    }

    private Optional<TemplateVersion> version(Instance i) {
        return records.get(Kind.TEMPLATE, i.templateName(), Template.class).flatMap(t -> t.version(i.templateVersion()));
    }

    private Volume volume(String volumeId) throws CloudException {
        if (volumeId == null || !RESOURCE_NAME.matcher(volumeId).matches()) {
            throw new CloudException("volume id '" + volumeId + "' is not accepted", false);
        }
        return records.get(Kind.VOLUME, volumeId, Volume.class)
                .orElseThrow(() -> new CloudException("volume " + volumeId + " does not exist", false));
    }

    /**
     * Whether the guest says it is ready. The status must be this process's own: a relaunched guest
     * finds its predecessor's "ready" in the file until it writes its first line.
     */
    private static boolean ready(Instance i, Map<String, String> status) {
        return "ready".equals(status.get("STATE")) && Long.toString(i.pid()).equals(status.get("GUEST_PID"));
    }

    /** The guest's status file: KEY=VALUE lines (no secrets). */
    Map<String, String> guestStatus(String instanceId) {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(instancesDir.resolve(instanceId).resolve("status"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException noneYet) {
            // not written yet, or the instance's disk is gone
        }
        return m;
    }

    private int freePort() throws CloudException {
        Set<Integer> taken = liveInstances().stream().map(Instance::port).collect(Collectors.toSet());
        for (int port = config.firstPort(); port <= config.lastPort(); port++) {
            if (!taken.contains(port) && bindable(port)) {
                return port;
            }
        }
        throw new CloudException("no free port in " + config.firstPort() + "-" + config.lastPort(), true);
    }

    private boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(config.listenAddress()), port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static boolean sameSpec(TemplateVersion a, TemplateVersion b) {
        return Objects.equals(a.imageId(), b.imageId()) && Objects.equals(a.instanceType(), b.instanceType())
                && Objects.equals(a.keyName(), b.keyName()) && Objects.equals(a.securityGroupIds(), b.securityGroupIds())
                && Objects.equals(a.instanceProfile(), b.instanceProfile()) && Objects.equals(a.userData(), b.userData());
    }

    private static void checkName(String what, String name) throws CloudException {
        if (name == null || !RESOURCE_NAME.matcher(name).matches()) {
            throw new CloudException(what + " '" + name + "' is not accepted; expected " + RESOURCE_NAME.pattern(), false);
        }
    }

    private static Map<String, String> merge(Map<String, String> old, Map<String, String> added) {
        Map<String, String> m = new LinkedHashMap<>(old);
        m.putAll(added);
        return Map.copyOf(m);
    }

    private static String newId(String prefix) {
        byte[] b = new byte[9];
        IDS.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b).substring(0, 17);
    }

    private static String sorted(Set<String> s) {
        return s.stream().sorted().collect(Collectors.joining(", "));
    }

    private void problem(String key, String message) {
        // Logged when it changes, not every second.
        if (!message.equals(lastProblem.put(key, message))) {
            LOG.warn(message);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private static <T> T io(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ records as the SPI describes them

    private CloudResource resource(SecurityGroup g) {
        return new CloudResource(ResourceKind.SECURITY_GROUP, g.id(), g.tags(), Map.of("name", g.name(), "rules",
                g.rules().stream().map(r -> r.port() + ":" + r.cidr()).collect(Collectors.joining(","))));
    }

    private CloudResource resource(Volume v) {
        boolean inUse = v.attachedTo() != null
                && records.get(Kind.INSTANCE, v.attachedTo(), Instance.class).filter(Instance::live).isPresent();
        Map<String, String> a = new HashMap<>();
        a.put("zone", v.zone());
        a.put("sizeGib", Integer.toString(v.sizeGib()));
        a.put("state", inUse ? "in-use" : "available");
        a.put("path", volumesDir.resolve(v.id()).toString());
        if (inUse) {
            a.put("attachedTo", v.attachedTo());
        }
        return new CloudResource(ResourceKind.VOLUME, v.id(), v.tags(), a);
    }

    private CloudResource resource(Template t) {
        TemplateVersion latest = t.latest();
        return new CloudResource(ResourceKind.LAUNCH_TEMPLATE, t.name(), t.tags(), Map.of("version", latest.version(),
                "imageId", latest.imageId(), "instanceType", latest.instanceType()));
    }

    private CloudResource resource(Group g) {
        return new CloudResource(ResourceKind.AUTOSCALING_GROUP, g.name(), g.tags(), Map.of("templateVersion",
                g.templateVersion(), "templateName", g.templateName(), "zones", String.join(",", g.zones())));
    }

    private CloudResource resource(Instance i) {
        Map<String, String> status = i.live() ? guestStatus(i.id()) : Map.of();
        String state = switch (i.state()) {
            case Instance.RUNNING -> ready(i, status) && GuestProcesses.alive(i.pid(), i.startedAt())
                    ? "running" : "pending";
            default -> i.state();
        };
        Map<String, String> a = new HashMap<>();
        a.put("state", state);
        a.put("address", config.listenAddress());
        a.put("port", Integer.toString(i.port()));
        a.put("templateVersion", i.templateVersion());
        a.put("zone", i.zone());
        a.put("group", i.group());
        a.put("launches", Integer.toString(i.launches()));
        a.put("guestState", status.getOrDefault("STATE", ""));
        a.put("guestReason", status.getOrDefault("REASON", ""));
        return new CloudResource(ResourceKind.INSTANCE, i.id(), i.tags(), a);
    }
}
