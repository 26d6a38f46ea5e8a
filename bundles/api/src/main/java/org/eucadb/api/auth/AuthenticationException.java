package org.eucadb.api.auth;

/** A request whose signature cannot be accepted, with the AWS error code and HTTP status to answer. */
public class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The AWS error codes for signature failures. */
    public enum Code {
        /** No signature at all. */
        MissingAuthenticationToken(403),
        /** The access key id is not known. */
        InvalidClientTokenId(403),
        /** The signature is wrong or has expired. */
        SignatureDoesNotMatch(403),
        /** The signature parts are malformed or incomplete. */
        IncompleteSignature(400);

        private final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Code code;

    public AuthenticationException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
