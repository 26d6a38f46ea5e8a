package org.eucadb.api.cloudwatch;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tags on an account's alarms and dashboards, by ARN
 * ({@code arn:aws:cloudwatch:<region>:<account>:alarm:<name>},
 * {@code arn:aws:cloudwatch::<account>:dashboard/<name>}).
 */
@ProviderType
public interface ResourceTagStore {
    /** Most tags a resource may carry. */
    int MAX_TAGS_PER_RESOURCE = 50;

    /** Adds or overwrites tags. */
    void tagResource(String accountId, String arn, Map<String, String> tags)
            throws MetricStoreException, ResourceNotFoundException, QuotaExceededException;

    /** Removes tags; keys the resource does not have are ignored. */
    void untagResource(String accountId, String arn, Collection<String> keys)
            throws MetricStoreException, ResourceNotFoundException;

    SortedMap<String, String> tags(String accountId, String arn) throws MetricStoreException, ResourceNotFoundException;
}
