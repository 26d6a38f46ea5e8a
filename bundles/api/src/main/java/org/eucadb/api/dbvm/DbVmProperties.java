package org.eucadb.api.dbvm;

import java.util.List;
import java.util.Optional;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.osgi.annotation.versioning.ProviderType;

/** Reads and changes the DB VM configurations ({@code org.eucadb.dbvm.<role>}), validating every value. */
@ProviderType
public interface DbVmProperties {
    /** Every property of every role. */
    List<DbVmProperty> list();

    /**
     * Sets a property, by its own name or its Eucalyptus name, for one role or (role empty) for
     * every role. The whole resulting configuration is checked first (against the provider too,
     * when it is there); a bad value changes nothing.
     *
     * @return the properties as now in force
     * @throws InvalidValueException naming the property and what is accepted
     */
    List<DbVmProperty> set(Optional<DbRole> role, String name, String value) throws InvalidValueException;
}
