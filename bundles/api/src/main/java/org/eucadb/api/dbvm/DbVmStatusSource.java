package org.eucadb.api.dbvm;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The DB VM lifecycle's view, for {@code eucadb:status}. */
@ProviderType
public interface DbVmStatusSource {
    List<DbVmStatus> dbVmStatus();
}
