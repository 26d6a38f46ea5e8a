package org.eucadb.credentials;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Closes, when the bundle stops, a bootstrap endpoint that no component instance will close: one
 * opened by an instance SCR dropped mid-activation. Left open, it would hold the port across a
 * refresh and answer with classes of the dead wiring.
 */
public final class CredentialsBundle implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        // nothing: the component opens the endpoint
    }

    @Override
    public void stop(BundleContext context) {
        CredentialsComponent.closeLeakedEndpoint();
    }
}
