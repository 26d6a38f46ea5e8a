package org.eucadb.api.dbvm;

import java.time.Instant;

import org.eucadb.api.DbRole;

/**
 * Where a role's DB VM is.
 *
 * @param role   whose
 * @param state  DISABLED, WAITING, LAUNCHING, READY, DEGRADED, TEARING_DOWN, TORN_DOWN or FAILED
 * @param detail what it waits for, which step runs, or what failed
 * @param since  when this state was entered
 */
public record DbVmStatus(DbRole role, String state, String detail, Instant since) {
}
