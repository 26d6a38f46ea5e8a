package org.eucadb.reporting.collector;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists what the cloud holds now, completely or not at all (any failed call throws): an
 * incomplete listing would look like deletions.
 *
 * <p>Who owns a resource: the EC2 owner id where the listing gives one (an instance's
 * reservation, a snapshot), else the {@value #ACCOUNT_TAG} tag, else the configured account;
 * for S3 the bucket owner of ListBuckets. The user is the {@value #USER_TAG} tag (EC2) or the
 * object owner's id (S3), when there is one.
 */
final class CloudObserver {
    static final String ACCOUNT_TAG = "eucadb:account";
    static final String USER_TAG = "eucadb:user";
    private static final long GIB = 1L << 30;

    private final Ec2Client ec2;
    private final Optional<S3Client> s3;
    private final String defaultAccount;
    private final String snapshotOwner;

    CloudObserver(Ec2Client ec2, Optional<S3Client> s3, String defaultAccount, String snapshotOwner) {
        this.ec2 = ec2;
        this.s3 = s3;
        this.defaultAccount = defaultAccount;
        this.snapshotOwner = snapshotOwner;
    }

    /** The kinds {@link #observe()} lists completely. */
    Set<ResourceKind> kinds() {
        Set<ResourceKind> k = EnumSet.of(ResourceKind.INSTANCE, ResourceKind.VOLUME, ResourceKind.SNAPSHOT,
                ResourceKind.ADDRESS);
        s3.ifPresent(c -> k.add(ResourceKind.S3_OBJECT));
        return k;
    }

    List<ObservedResource> observe() {
        List<ObservedResource> all = new ArrayList<>();
        for (Reservation r : ec2.describeInstancesPaginator(b -> b.maxResults(1000)).reservations()) {
            for (Instance i : r.instances()) {
                Map<String, String> tags = tags(i.tags(), Tag::key, Tag::value);
                all.add(new ObservedResource(ResourceKind.INSTANCE, i.instanceId(), owner(r.ownerId(), tags),
                        tags.get(USER_TAG), i.placement() == null ? null : i.placement().availabilityZone(),
                        i.instanceTypeAsString(), i.state() == null ? null : i.state().nameAsString(), null, null,
                        null, null, i.launchTime(), null));
            }
        }
        for (Volume v : ec2.describeVolumesPaginator(b -> b.maxResults(500)).volumes()) {
            Map<String, String> tags = tags(v.tags(), Tag::key, Tag::value);
            String attachedTo = v.attachments().stream()
                    .filter(a -> !"detached".equals(a.stateAsString()))
                    .map(VolumeAttachment::instanceId).findFirst().orElse(null);
            all.add(new ObservedResource(ResourceKind.VOLUME, v.volumeId(), owner(null, tags), tags.get(USER_TAG),
                    v.availabilityZone(), null, null, gib(v.size()), attachedTo, null, null, v.createTime(), null));
        }
        for (Snapshot s : ec2.describeSnapshotsPaginator(b -> b.ownerIds(snapshotOwner).maxResults(1000)).snapshots()) {
            Map<String, String> tags = tags(s.tags(), Tag::key, Tag::value);
            all.add(new ObservedResource(ResourceKind.SNAPSHOT, s.snapshotId(), owner(s.ownerId(), tags),
                    tags.get(USER_TAG), null, null, null, gib(s.volumeSize()), s.volumeId(), null, null,
                    s.startTime(), null));
        }
        for (Address a : ec2.describeAddresses().addresses()) {
            Map<String, String> tags = tags(a.tags(), Tag::key, Tag::value);
            all.add(new ObservedResource(ResourceKind.ADDRESS, a.publicIp(), owner(null, tags), tags.get(USER_TAG),
                    null, null, null, null, a.instanceId() == null || a.instanceId().isEmpty() ? null : a.instanceId(),
                    null, null, null, null));
        }
        s3.ifPresent(client -> objects(client, all));
        return all;
    }

    private void objects(S3Client client, List<ObservedResource> all) {
        List<Bucket> buckets = new ArrayList<>();
        String owner = null;
        String token = null;
        do {
            String from = token;
            ListBucketsResponse page = client.listBuckets(b -> b.continuationToken(from));
            buckets.addAll(page.buckets());
            if (page.owner() != null && page.owner().id() != null) {
                owner = page.owner().id();
            }
            token = page.continuationToken();
        } while (token != null && !token.isEmpty());
        String account = owner == null ? defaultAccount : owner;
        for (Bucket b : buckets) {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(b.name()).fetchOwner(true)).contents()) {
                String user = o.owner() == null ? null : o.owner().id();
                all.add(new ObservedResource(ResourceKind.S3_OBJECT, b.name() + "/" + o.key(), account, user, null,
                        etag(o.eTag()), null, o.size(), null, b.name(), o.key(), o.lastModified(), null));
            }
        }
    }

    private String owner(String ownerId, Map<String, String> tags) {
        if (ownerId != null && !ownerId.isBlank()) {
            return ownerId;
        }
        return tags.getOrDefault(ACCOUNT_TAG, defaultAccount);
    }

    private static Long gib(Integer size) {
        return size == null ? null : size * GIB;
    }

    private static String etag(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    private static <T> Map<String, String> tags(List<T> tags, Function<T, String> key, Function<T, String> value) {
        return tags.stream().filter(t -> key.apply(t) != null && value.apply(t) != null)
                .collect(Collectors.toMap(key, value, (a, b) -> b));
    }
}
