package org.eucadb.lifecycle;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;

/** Reads and writes {@link WorkflowState} and the cluster id in the front end's DB, in plain JDBC. */
final class WorkflowStateStore {
    private final DataSource frontend;

    WorkflowStateStore(DataSource frontend) {
        this.frontend = frontend;
    }

    /** This front end's cluster id: made once, then always the same. */
    String clusterId() throws SQLException {
        try (Connection c = frontend.getConnection()) {
            byte[] b = new byte[5];
            new SecureRandom().nextBytes(b);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO eucadb_lifecycle.cluster (id) VALUES (?) ON CONFLICT (one) DO NOTHING")) {
                ps.setString(1, "c-" + HexFormat.of().formatHex(b));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM eucadb_lifecycle.cluster");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    WorkflowState load(DbRole role) throws SQLException {
        WorkflowState s = new WorkflowState();
        try (Connection c = frontend.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT volume_id, template_version, token_expires_at "
                    + "FROM eucadb_lifecycle.dbvm WHERE role = ?")) {
                ps.setString(1, role.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return s;
                    }
                    s.volumeId = rs.getString(1);
                    s.templateVersion = rs.getString(2);
                    Timestamp t = rs.getTimestamp(3);
                    s.tokenExpiresAt = t == null ? null : t.toInstant();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT e.key, e.value FROM eucadb_lifecycle.dbvm d, "
                    + "jsonb_each_text(d.applied) e WHERE d.role = ?")) {
                ps.setString(1, role.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        s.applied.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return s;
    }

    void save(DbRole role, WorkflowState s) throws SQLException {
        try (Connection c = frontend.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO eucadb_lifecycle.dbvm (role, volume_id, template_version, token_expires_at, applied, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?::jsonb, now()) ON CONFLICT (role) DO UPDATE SET "
                        + "volume_id = excluded.volume_id, template_version = excluded.template_version, "
                        + "token_expires_at = excluded.token_expires_at, applied = excluded.applied, "
                        + "updated_at = now()")) {
            ps.setString(1, role.id());
            ps.setString(2, s.volumeId);
            ps.setString(3, s.templateVersion);
            ps.setTimestamp(4, s.tokenExpiresAt == null ? null : Timestamp.from(s.tokenExpiresAt));
            ps.setString(5, json(s.applied));
            ps.executeUpdate();
        }
    }

    private static String json(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        for (var e : new java.util.TreeMap<>(m).entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
