package org.eucadb.lifecycle;

/**
 * Fault injection for crash tests: called after a step's cloud call and before its progress
 * is saved, the worst moment to die. Production uses {@link #NONE}; the framework property
 * {@code eucadb.dbvm.fault.halt-after} (a step name) halts the JVM there, like kill -9.
 */
interface WorkflowFaults {
    WorkflowFaults NONE = (role, step) -> { };

    void afterApply(String role, String step);

    /** From the framework property, or {@link #NONE}. */
    static WorkflowFaults fromProperty(String haltAfter) {
        if (haltAfter == null || haltAfter.isBlank()) {
            return NONE;
        }
        return (role, step) -> {
            if (haltAfter.equals(step) || haltAfter.equals(role + ":" + step)) {
                org.slf4j.LoggerFactory.getLogger(WorkflowFaults.class)
                        .error("fault injection: halting after step {} of {}", step, role);
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
