package org.eucadb.credentials;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * Seals secrets to a guest's own key as CMS EnvelopedData (AES-256-CBC content; RSA-OAEP with
 * SHA-256 for RSA keys, ECDH with the SHA-256 KDF and AES-256 key wrap for EC keys), so
 * {@code openssl cms -decrypt -inkey key.pem} opens it on the guest and nothing else can.
 */
final class SecretSealer {
    // A private instance: registering BouncyCastle globally would change every other bundle's JCA lookups.
    private static final Provider BC = new BouncyCastleProvider();

    private final SecureRandom random;

    SecretSealer(SecureRandom random) {
        this.random = random;
    }

    /** DER of a CMS ContentInfo holding EnvelopedData for the holder of {@code recipient}'s key. */
    byte[] seal(byte[] content, X509Certificate recipient) throws GeneralSecurityException {
        try {
            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            gen.addRecipientInfoGenerator(recipientInfo(recipient));
            return gen.generate(new CMSProcessableByteArray(content),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BC).setSecureRandom(random)
                            .build())
                    .getEncoded();
        } catch (CMSException | java.io.IOException e) {
            throw new GeneralSecurityException("sealing the secrets failed", e);
        }
    }

    private RecipientInfoGenerator recipientInfo(X509Certificate recipient) throws GeneralSecurityException {
        if (recipient.getPublicKey() instanceof RSAPublicKey) {
            AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return new JceKeyTransRecipientInfoGenerator(recipient, oaep).setProvider(BC);
        }
        if (recipient.getPublicKey() instanceof ECPublicKey ec) {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC", BC);
            g.initialize(ec.getParams(), random);
            KeyPair ephemeral = g.generateKeyPair();
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                    ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).addRecipient(recipient).setProvider(BC)
                    .setSecureRandom(random);
        }
        throw new GeneralSecurityException("cannot seal to a " + recipient.getPublicKey().getAlgorithm() + " key");
    }
}
