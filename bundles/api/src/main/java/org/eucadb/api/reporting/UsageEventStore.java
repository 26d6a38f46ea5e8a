package org.eucadb.api.reporting;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reporting's storage: usage events (append-only, on the Reporting DB VM) and report accounts
 * and users (front end's database). The service exists only while both databases are
 * available with their schemas migrated.
 */
@ProviderType
public interface UsageEventStore {
    /**
     * Validates and stores events. Bad events (missing resource id, negative size, ...) are
     * refused and listed in the result; the good ones are committed when this returns.
     */
    AppendResult append(List<UsageEvent> events) throws UsageStoreException;

    /** Streams the events with time in {@code [from, to)} of the given types (all when empty), oldest first. */
    void read(Instant from, Instant to, Set<UsageEventType> types, Consumer<UsageEvent> sink)
            throws UsageStoreException;

    /** Adds or renames an account. */
    void putAccount(ReportAccount account) throws UsageStoreException;

    /** Adds or renames a user. */
    void putUser(ReportUser user) throws UsageStoreException;

    List<ReportAccount> accounts() throws UsageStoreException;

    List<ReportUser> users(String accountId) throws UsageStoreException;
}
