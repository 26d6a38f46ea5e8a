package org.eucadb.api.status;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the pool bundle, for {@code eucadb:status}. */
@ProviderType
public interface PoolStatusSource {
    List<PoolStatus> pools();
}
