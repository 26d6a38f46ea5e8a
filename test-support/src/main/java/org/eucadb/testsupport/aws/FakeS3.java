package org.eucadb.testsupport.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * S3 over its REST XML protocol, path-style ({@code /bucket/key}): ListBuckets and
 * ListObjectsV2 (continuation tokens, {@code max-keys}, {@code prefix},
 * {@code encoding-type=url}, {@code fetch-owner}), over in-memory buckets and objects the test
 * changes between calls. Use the SDK client with {@code forcePathStyle(true)}.
 */
public final class FakeS3 implements FakeAwsService {
    public static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    public record S3Object(String key, long size, String etag, Instant lastModified, String ownerId) {
    }

    private record Bucket(Instant created, NavigableMap<String, S3Object> objects) {
    }

    private final Map<String, Bucket> buckets = new TreeMap<>();
    private final String ownerId;
    private volatile int pageSize = 1000;

    /** @param ownerId the canonical id of the account owning every bucket */
    public FakeS3(String ownerId) {
        this.ownerId = ownerId;
    }

    /** Most keys ListObjectsV2 returns per page when the request asks for more. */
    public void pageSize(int size) {
        pageSize = size;
    }

    public synchronized void createBucket(String name, Instant created) {
        buckets.putIfAbsent(name, new Bucket(created, new TreeMap<>()));
    }

    public synchronized void deleteBucket(String name) {
        buckets.remove(name);
    }

    /** Puts (or overwrites) an object; the bucket must exist. */
    public synchronized void put(String bucket, S3Object o) {
        buckets.get(bucket).objects().put(o.key(), o);
    }

    public synchronized void delete(String bucket, String key) {
        buckets.get(bucket).objects().remove(key);
    }

    @Override
    public boolean accepts(FakeRequest request) {
        return "GET".equals(request.method()) || "HEAD".equals(request.method());
    }

    @Override
    public String operation(FakeRequest r) {
        if ("/".equals(r.path())) {
            return "ListBuckets";
        }
        if (bucketOnly(r.path()) && "2".equals(r.query().get("list-type"))) {
            return "ListObjectsV2";
        }
        return bucketOnly(r.path()) ? "ListObjects" : "GetObject";
    }

    private static boolean bucketOnly(String path) {
        return path.indexOf('/', 1) < 0 || path.indexOf('/', 1) == path.length() - 1;
    }

    @Override
    public synchronized FakeResponse handle(FakeRequest r) {
        String op = operation(r);
        return switch (op) {
            case "ListBuckets" -> listBuckets(r);
            case "ListObjectsV2" -> listObjects(r);
            default -> error(501, "NotImplemented", op + " is not implemented by this fake");
        };
    }

    @Override
    public FakeResponse error(int status, String code, String message) {
        return FakeResponse.xml(status, new Xml().open("Error").element("Code", code).element("Message", message)
                .element("RequestId", UUID.randomUUID()).close("Error").toString());
    }

    private FakeResponse listBuckets(FakeRequest r) {
        List<String> names = new ArrayList<>(buckets.keySet());
        int max = Integer.parseInt(r.query().getOrDefault("max-buckets", "10000"));
        String after = r.query().get("continuation-token");
        List<String> page = names.stream().filter(n -> after == null || n.compareTo(after) > 0).limit(max).toList();
        Xml x = new Xml().root("ListAllMyBucketsResult", NAMESPACE).open("Owner").element("ID", ownerId)
                .element("DisplayName", ownerId).close("Owner").open("Buckets");
        for (String n : page) {
            x.open("Bucket").element("Name", n).element("CreationDate", buckets.get(n).created()).close("Bucket");
        }
        x.close("Buckets");
        if (!page.isEmpty() && !page.get(page.size() - 1).equals(names.get(names.size() - 1))) {
            x.element("ContinuationToken", page.get(page.size() - 1));
        }
        return FakeResponse.xml(200, x.close("ListAllMyBucketsResult").toString());
    }

    private FakeResponse listObjects(FakeRequest r) {
        String name = r.path().substring(1).replaceAll("/$", "");
        Bucket b = buckets.get(name);
        if (b == null) {
            return FakeResponse.xml(404, new Xml().open("Error").element("Code", "NoSuchBucket")
                    .element("Message", "The specified bucket does not exist").element("BucketName", name)
                    .close("Error").toString());
        }
        Map<String, String> q = r.query();
        String prefix = q.getOrDefault("prefix", "");
        String token = q.get("continuation-token");
        int max = Math.min(pageSize, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
        boolean urlEncoded = "url".equals(q.get("encoding-type"));
        boolean owner = "true".equals(q.get("fetch-owner"));
        // the token is the last key of the previous page; tests see it only as an opaque string
        NavigableMap<String, S3Object> rest = token == null ? b.objects() : b.objects().tailMap(token, false);
        List<S3Object> page = new ArrayList<>();
        boolean truncated = false;
        for (S3Object o : rest.values()) {
            if (!o.key().startsWith(prefix)) {
                continue;
            }
            if (page.size() == max) {
                truncated = true;
                break;
            }
            page.add(o);
        }
        Xml x = new Xml().root("ListBucketResult", NAMESPACE).element("Name", name)
                .element("Prefix", encode(prefix, urlEncoded)).element("KeyCount", page.size())
                .element("MaxKeys", max).element("IsTruncated", truncated);
        if (urlEncoded) {
            x.element("EncodingType", "url");
        }
        if (token != null) {
            x.element("ContinuationToken", token);
        }
        if (truncated) {
            x.element("NextContinuationToken", page.get(page.size() - 1).key());
        }
        for (S3Object o : page) {
            x.open("Contents").element("Key", encode(o.key(), urlEncoded)).element("LastModified", o.lastModified())
                    .element("ETag", "\"" + o.etag() + "\"").element("Size", o.size())
                    .element("StorageClass", "STANDARD");
            if (owner) {
                x.open("Owner").element("ID", o.ownerId()).element("DisplayName", o.ownerId()).close("Owner");
            }
            x.close("Contents");
        }
        return FakeResponse.xml(200, x.close("ListBucketResult").toString());
    }

    private static String encode(String s, boolean url) {
        return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20") : s;
    }
}
