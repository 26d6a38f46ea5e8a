package org.eucadb.credentials;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The bootstrap endpoint's one key and certificate chain, swappable while the listener runs
 * (the JDK's HttpsServer fixes its SSLContext at start; the key manager is asked per handshake).
 */
final class RenewableKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "bootstrap";

    private record Entry(PrivateKey key, X509Certificate[] chain) {
    }

    private volatile Entry entry;

    /** Empty until {@link #renew} is first called. */
    RenewableKeyManager() {
    }

    void renew(PrivateKey key, X509Certificate... chain) {
        entry = new Entry(key, chain.clone());
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Entry e = entry;
        return e != null && e.key().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] { alias };
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? entry.chain().clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? entry.key() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
