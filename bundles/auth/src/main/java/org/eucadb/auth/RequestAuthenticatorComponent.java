package org.eucadb.auth;

import java.time.Clock;

import org.eucadb.api.auth.AccessKeyStore;
import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.Caller;
import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.auth.SignedRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** SigV4 against the access key store; present only while the store is. */
@Component(service = RequestAuthenticator.class)
public class RequestAuthenticatorComponent implements RequestAuthenticator {
    private final SigV4Verifier verifier;

    @Activate
    public RequestAuthenticatorComponent(@Reference AccessKeyStore keys) {
        this.verifier = new SigV4Verifier(keys::find, Clock.systemUTC());
    }

    @Override
    public Caller authenticate(SignedRequest request, String service) throws AuthenticationException {
        return verifier.authenticate(request, service);
    }
}
