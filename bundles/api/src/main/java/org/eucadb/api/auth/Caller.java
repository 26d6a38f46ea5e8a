package org.eucadb.api.auth;

/** Who signed a request: the account whose resources it may touch, and the key it used. */
public record Caller(String accountId, String accessKeyId) {
}
