package org.eucadb.api.schema;

import java.util.Objects;

/** One migration script: its file name ({@code V1__init.sql}) and its SQL. */
public record SchemaScript(String fileName, String sql) {
    public SchemaScript {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sql, "sql");
    }
}
