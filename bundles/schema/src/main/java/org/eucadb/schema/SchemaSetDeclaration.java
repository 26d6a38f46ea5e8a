package org.eucadb.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.schema.SchemaSet;

/**
 * One clause of the {@value SchemaSet#HEADER} manifest header:
 * {@code cloudwatch.append;roles=cloudwatch;schema=cloudwatch_append;path=db/cloudwatch/append;order=100}.
 */
record SchemaSetDeclaration(String name, Set<DbRole> roles, String schema, String path, int order) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SET_NAME = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");

    /** Parses a whole header: clauses separated by commas (commas inside quotes do not split). */
    static List<SchemaSetDeclaration> parseHeader(String header) {
        List<SchemaSetDeclaration> result = new ArrayList<>();
        for (String clause : split(header, ',')) {
            if (!clause.isBlank()) {
                result.add(parseClause(clause));
            }
        }
        return result;
    }

    static SchemaSetDeclaration parseClause(String clause) {
        List<String> parts = split(clause, ';');
        String name = parts.get(0).trim();
        if (!SET_NAME.matcher(name).matches()) {
            throw new InvalidValueException(SchemaSet.HEADER + " name", name, "<service>.<part>, lower case");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new InvalidValueException(SchemaSet.HEADER + " " + name, p.trim(), "key=value");
            }
            String key = p.substring(0, eq).trim().replace(":", "");
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            attrs.put(key, value);
        }
        Set<DbRole> roles = EnumSet.noneOf(DbRole.class);
        for (String r : required(attrs, name, "roles").split(",")) {
            roles.add(DbRole.parse(SchemaSet.HEADER + " " + name + " roles", r));
        }
        String schema = required(attrs, name, "schema");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new InvalidValueException(SchemaSet.HEADER + " " + name + " schema", schema,
                    "a lower-case PostgreSQL identifier");
        }
        String path = required(attrs, name, "path");
        int order = 100;
        if (attrs.containsKey("order")) {
            try {
                order = Integer.parseInt(attrs.get("order"));
            } catch (NumberFormatException e) {
                throw new InvalidValueException(SchemaSet.HEADER + " " + name + " order", attrs.get("order"),
                        "an integer");
            }
        }
        return new SchemaSetDeclaration(name, Collections.unmodifiableSet(roles), schema, path, order);
    }

    private static String required(Map<String, String> attrs, String name, String key) {
        String v = attrs.get(key);
        if (v == null || v.isBlank()) {
            throw new InvalidValueException(SchemaSet.HEADER + " " + name + " " + key, v, "a value");
        }
        return v;
    }

    private static List<String> split(String s, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
