package org.eucadb.api.cloudwatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** CloudWatch dashboards, in the front end's database. The body is stored as given (validated by the caller). */
@ProviderType
public interface DashboardStore {
    /** Most dashboards an account may have. */
    int MAX_DASHBOARDS_PER_ACCOUNT = 5000;

    /** Creates (with {@code tags}) or replaces a dashboard's body (tags kept). */
    Dashboard putDashboard(String accountId, String name, String body, Map<String, String> tags, Instant now)
            throws MetricStoreException, QuotaExceededException;

    Optional<Dashboard> dashboard(String accountId, String name) throws MetricStoreException;

    /**
     * The account's dashboards whose names start with {@code prefix} (empty: all) and come after
     * {@code afterName}, in name order.
     */
    List<Dashboard> listDashboards(String accountId, String prefix, Optional<String> afterName, int limit)
            throws MetricStoreException;

    /** Deletes the dashboards and their tags; all or none. */
    void deleteDashboards(String accountId, List<String> names) throws MetricStoreException, ResourceNotFoundException;
}
