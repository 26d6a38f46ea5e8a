package org.eucadb.credentials;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The project CA: an EC P-256 key and a self-signed certificate, created once and kept (key
 * encrypted) in the front end's database. It signs the DB VMs' and the bootstrap endpoint's
 * server certificates.
 */
final class ProjectCa {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final SecureRandom random;

    ProjectCa(X509Certificate certificate, PrivateKey privateKey, SecureRandom random) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.random = random;
    }

    /** A new CA; its name carries a random id so CAs of different installations never look alike. */
    static ProjectCa generate(Instant now, SecureRandom random) throws GeneralSecurityException {
        KeyPair kp = ecKeyPair(random);
        byte[] id = new byte[6];
        random.nextBytes(id);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "eucadb")
                .addRDN(BCStyle.CN, "eucadb project CA " + HexFormat.of().formatHex(id)).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new ProjectCa(cert, kp.getPrivate(), random);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("creating the project CA failed", e);
        }
    }

    static ProjectCa restore(String certificatePem, byte[] pkcs8, SecureRandom random) throws GeneralSecurityException {
        X509Certificate cert = Pem.parseCertificate(certificatePem);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        return new ProjectCa(cert, key, random);
    }

    static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** PKCS#8 DER of the private key, to be stored encrypted. */
    byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    /**
     * A TLS server certificate for {@code publicKey}, with {@code address} (an IP address or DNS
     * name) as its only subject alternative name.
     *
     * @throws IllegalArgumentException if the address or key is not one eucadb issues for
     */
    X509Certificate issueServerCertificate(PublicKey publicKey, String address, Duration validity, Instant now)
            throws GeneralSecurityException {
        GeneralName san = subjectAltName(address);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "eucadb")
                .addRDN(BCStyle.CN, address).build();
        int usage = publicKey instanceof RSAPublicKey ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature | KeyUsage.keyAgreement;
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey)));
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("issuing a certificate for " + address + " failed", e);
        }
    }

    /** Whether eucadb issues certificates for this key: RSA of 2048 bits or more, or EC P-256/P-384. */
    static boolean acceptableKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() >= 2048;
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits == 256 || bits == 384;
        }
        return false;
    }

    private static GeneralName subjectAltName(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("an empty address");
        }
        if (IPAddress.isValid(address)) {
            return new GeneralName(GeneralName.iPAddress, address);
        }
        if (DNS_NAME.matcher(address).matches()) {
            return new GeneralName(GeneralName.dNSName, address);
        }
        throw new IllegalArgumentException("'" + address + "' is neither an IP address nor a DNS name");
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }
}
