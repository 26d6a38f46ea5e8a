package org.eucadb.shell;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;

/** The role argument of the DB VM commands: a role whose DB is remote (a DB VM). */
final class RemoteRoles {
    private RemoteRoles() {
    }

    static DbRole parse(String value) {
        try {
            DbRole r = DbRole.parse("role", value);
            if (r.isRemote()) {
                return r;
            }
        } catch (InvalidValueException e) {
            // reported below with what is accepted here, which is narrower than every role
        }
        throw new InvalidValueException("role", value, "cloudwatch|reporting");
    }
}
