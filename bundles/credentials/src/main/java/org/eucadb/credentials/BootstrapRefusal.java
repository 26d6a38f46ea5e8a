package org.eucadb.credentials;

/** Why the bootstrap endpoint refuses a request: the HTTP status and a message safe to show the guest. */
final class BootstrapRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    BootstrapRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static BootstrapRefusal invalidToken() {
        return new BootstrapRefusal(401, "token: not a valid bootstrap token");
    }

    static BootstrapRefusal spentToken() {
        return new BootstrapRefusal(410, "token: already redeemed or expired; ask for a new one");
    }

    static BootstrapRefusal badRequest(String field, String accepted) {
        return new BootstrapRefusal(400, field + ": " + accepted);
    }
}
