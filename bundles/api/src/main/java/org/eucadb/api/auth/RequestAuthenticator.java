package org.eucadb.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/** Checks a request's AWS Signature Version 4 (header or query-string form) against the access keys. */
@ProviderType
public interface RequestAuthenticator {
    /**
     * @param service the signing name the request must be scoped to, e.g. {@code monitoring}
     * @return who signed it
     * @throws AuthenticationException with the AWS code to answer when it cannot be accepted
     */
    Caller authenticate(SignedRequest request, String service) throws AuthenticationException;
}
