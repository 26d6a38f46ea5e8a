package org.eucadb.schema;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.schema.SchemaScript;
import org.eucadb.api.schema.SchemaSet;

/** A declared schema set with its scripts read, in version order. */
record LoadedSchemaSet(SchemaSetDeclaration declaration, List<SchemaScript> scripts, String origin)
        implements SchemaSet {

    LoadedSchemaSet {
        if (scripts.isEmpty()) {
            throw new InvalidValueException(SchemaSet.HEADER + " " + declaration.name() + " path",
                    declaration.path(), "a directory holding V<n>__<description>.sql scripts (found none in " + origin + ")");
        }
        scripts = scripts.stream().sorted(Comparator.comparing(SchemaScript::fileName)).toList();
    }

    @Override
    public String name() {
        return declaration.name();
    }

    @Override
    public Set<DbRole> roles() {
        return declaration.roles();
    }

    @Override
    public String schema() {
        return declaration.schema();
    }

    @Override
    public int order() {
        return declaration.order();
    }
}
