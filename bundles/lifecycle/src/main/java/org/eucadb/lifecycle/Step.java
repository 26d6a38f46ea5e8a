package org.eucadb.lifecycle;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.credentials.CredentialsException;

/**
 * One idempotent step of a workflow. {@link #observe} looks at the cloud (and fills the
 * context for later steps); {@link #apply} makes it so. A step runs when what it observes is
 * missing or when its {@link #inputs} differ from those it was last applied with.
 */
interface Step {
    String name();

    /** The inputs whose change makes this step run again, as a stable string. */
    String inputs(StepContext c) throws CloudException, CredentialsException;

    /**
     * Whether what this step makes is there.
     *
     * @param appliedWithSameInputs the step ran to completion before with the current inputs
     */
    boolean observe(StepContext c, boolean appliedWithSameInputs)
            throws CloudException, CredentialsException, NotYet;

    void apply(StepContext c) throws CloudException, CredentialsException, NotYet;

    /** The workflow cannot go further yet (an instance still starting); not a failure. */
    final class NotYet extends Exception {
        private static final long serialVersionUID = 1L;

        NotYet(String detail) {
            super(detail, null, false, false);
        }
    }
}
