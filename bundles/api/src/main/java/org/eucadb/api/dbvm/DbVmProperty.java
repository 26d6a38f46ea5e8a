package org.eucadb.api.dbvm;

import java.util.Optional;

import org.eucadb.api.DbRole;

/**
 * One DB VM property of one role as it is in force.
 *
 * @param role            whose DB VM
 * @param name            the property name in {@code org.eucadb.dbvm.<role>}
 * @param eucalyptusName  the {@code services.database.worker.*} name, if it has one
 * @param value           the value in force ("" when unset)
 * @param description     what it means and what is accepted
 */
public record DbVmProperty(DbRole role, String name, Optional<String> eucalyptusName, String value,
        String description) {
}
