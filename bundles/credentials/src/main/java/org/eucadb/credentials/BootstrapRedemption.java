package org.eucadb.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Map;

import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.eucadb.api.DbRole;
import org.eucadb.api.credentials.CredentialsException;

/**
 * One redemption: a guest's token and certificate request in; its server certificate, the CA
 * certificate and its DB secrets sealed to its own key out.
 *
 * <p>The answer is three PEM blocks, in order: {@code CERTIFICATE} (the guest's, SAN = the
 * address it connected from), {@code CERTIFICATE} (the project CA), {@code CMS} (EnvelopedData
 * holding {@code KEY=VALUE} lines: {@code EUCADB_DB_ROLE}, {@code EUCADB_DB_USER},
 * {@code EUCADB_DB_DATABASE}, {@code EUCADB_DB_PASSWORD}).
 */
final class BootstrapRedemption {
    /** What a successful redemption answers and reports. */
    record Outcome(DbRole role, String clusterId, String address, String body) {
        @Override
        public String toString() {
            return "Outcome[" + role.id() + ", " + clusterId + ", " + address + "]";
        }
    }

    private static final String CSR_ACCEPTED = "a PEM PKCS#10 certificate request (CERTIFICATE REQUEST), signed by"
            + " its own RSA (2048 bits or more) or EC P-256/P-384 key";

    private final CredentialService credentials;
    private final SecretSealer sealer;

    BootstrapRedemption(CredentialService credentials, SecretSealer sealer) {
        this.credentials = credentials;
        this.sealer = sealer;
    }

    Outcome redeem(String requestJson, String remoteAddress) throws BootstrapRefusal, CredentialsException {
        Map<String, String> request;
        try {
            request = JsonObjects.parseFlat(requestJson);
        } catch (IllegalArgumentException e) {
            throw BootstrapRefusal.badRequest("body", "a JSON object {\"token\": \"...\", \"csr\": \"...\"} ("
                    + e.getMessage() + ")");
        }
        // The request is checked before the token is spent: a malformed request never burns a token.
        PublicKey guestKey = verifiedKey(request.get("csr"));
        String token = request.get("token");
        if (token == null || token.isEmpty()) {
            throw BootstrapRefusal.badRequest("token", "the bootstrap token from the user-data");
        }
        CredentialService.RedeemedToken redeemed = credentials.redeemToken(token, remoteAddress);
        X509Certificate cert = credentials.issueServerCertificate(guestKey, remoteAddress);
        CredentialService.SealableSecret secret = credentials.sealableSecret(redeemed.role());
        String content = "EUCADB_DB_ROLE=" + redeemed.role().id() + "\n"
                + "EUCADB_DB_USER=" + secret.secret().user() + "\n"
                + "EUCADB_DB_DATABASE=" + secret.secret().database() + "\n"
                + "EUCADB_DB_PASSWORD=" + secret.password() + "\n";
        try {
            byte[] sealed = sealer.seal(content.getBytes(StandardCharsets.UTF_8), cert);
            String body = Pem.certificate(cert) + Pem.certificate(credentials.caCertificate())
                    + Pem.encode("CMS", sealed);
            return new Outcome(redeemed.role(), redeemed.clusterId(), remoteAddress, body);
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("sealing the secrets for " + remoteAddress + " failed: " + e.getMessage(), e);
        }
    }

    private static PublicKey verifiedKey(String csrPem) throws BootstrapRefusal {
        if (csrPem == null) {
            throw BootstrapRefusal.badRequest("csr", CSR_ACCEPTED);
        }
        byte[] der = Pem.decode("CERTIFICATE REQUEST", csrPem);
        if (der == null) {
            throw BootstrapRefusal.badRequest("csr", CSR_ACCEPTED + "; no such PEM block found");
        }
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
            PublicKey key = csr.getPublicKey();
            if (!ProjectCa.acceptableKey(key)) {
                throw BootstrapRefusal.badRequest("csr", CSR_ACCEPTED + "; its key is " + key.getAlgorithm()
                        + " of another size or curve");
            }
            // Proof that the guest holds the private key of what it asks a certificate for.
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw BootstrapRefusal.badRequest("csr", CSR_ACCEPTED + "; its signature does not verify");
            }
            return key;
        } catch (java.io.IOException | IllegalArgumentException | ClassCastException | GeneralSecurityException
                | OperatorCreationException | PKCSException e) {
            throw BootstrapRefusal.badRequest("csr", CSR_ACCEPTED + "; it does not parse");
        }
    }
}
