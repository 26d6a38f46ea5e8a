package org.eucadb.lifecycle;

import org.eucadb.api.credentials.CredentialsException;

/** The project CA and the role's DB login exist (made once by the credentials service). */
final class CredentialsStep implements Step {
    @Override
    public String name() {
        return "credentials";
    }

    @Override
    public String inputs(StepContext c) {
        return c.credentials.caFingerprint();
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CredentialsException {
        c.secret = c.credentials.dbSecret(c.config.role());
        return true;
    }

    @Override
    public void apply(StepContext c) throws CredentialsException {
        c.secret = c.credentials.dbSecret(c.config.role());
    }
}
