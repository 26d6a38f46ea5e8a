package org.eucadb.api.dbvm;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one destructive operation on a DB VM: deleting its data volume. Teardown keeps the volume
 * (so enabling the role again finds its data); only an operator's explicit request deletes it.
 */
@ProviderType
public interface DbVmVolumes {
    /**
     * Deletes the role's data volume, which holds all of its append-only data. Allowed only while
     * the role is disabled and torn down (no instance uses the volume) and no {@code volume_id}
     * property names the volume (an adopted volume is the operator's own).
     *
     * @return the id of the volume deleted
     * @throws InvalidValueException when the role is not cloudwatch|reporting
     * @throws IllegalStateException naming what must happen first, with nothing changed
     */
    String deleteVolume(DbRole role);
}
