package org.eucadb.credentials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.eucadb.api.credentials.CredentialsException;

/**
 * AES-256-GCM under the key in the credentials key file, for the secrets kept in the front
 * end's database. The file is created (0600) on first use and refused when others can read it.
 * Ciphertext layout: version byte, 12-byte nonce, ciphertext with tag; the row it belongs to is
 * bound in as associated data, so a ciphertext moved to another row does not decrypt.
 */
final class KeyFileCipher {
    private static final byte FORMAT_V1 = 1;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final SecretKey key;
    private final SecureRandom random;

    private KeyFileCipher(SecretKey key, SecureRandom random) {
        this.key = key;
        this.random = random;
    }

    /**
     * Reads the key file, creating it (0600, in a directory made 0700 if missing) when absent.
     *
     * @throws CredentialsException if the file is readable or writable by group or others, is
     *         not a regular file, or does not hold a 256-bit key
     */
    static KeyFileCipher open(Path keyFile, SecureRandom random) throws CredentialsException {
        try {
            if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
                create(keyFile, random);
            }
            if (!Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new CredentialsException("key.file: " + keyFile + " is not a regular file");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> open = EnumSet.copyOf(OTHERS);
            open.retainAll(perms);
            if (!open.isEmpty()) {
                throw new CredentialsException("key.file: " + keyFile + " has mode "
                        + PosixFilePermissions.toString(perms) + "; refusing to use a key that group or others can"
                        + " access: make it readable only by the Karaf user (chmod 600)");
            }
            byte[] raw = Files.readAllBytes(keyFile);
            if (raw.length != KEY_BYTES) {
                throw new CredentialsException("key.file: " + keyFile + " does not hold a 256-bit key ("
                        + raw.length + " bytes; expected " + KEY_BYTES + ")");
            }
            SecretKey key = new SecretKeySpec(raw, "AES");
            Arrays.fill(raw, (byte) 0);
            return new KeyFileCipher(key, random);
        } catch (IOException e) {
            throw new CredentialsException("key.file: cannot read or create " + keyFile + ": " + e, e);
        }
    }

    private static void create(Path keyFile, SecureRandom random) throws IOException {
        Path dir = keyFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        try {
            // Written under a temporary name and linked into place, so a crash never leaves a short key.
            Path tmp = SecretFiles.writePrivate(dir, keyFile.getFileName().toString(), raw);
            try {
                Files.createLink(keyFile, tmp);
            } catch (FileAlreadyExistsException raced) {
                // Another activation created it first: use theirs.
            } finally {
                Files.deleteIfExists(tmp);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    byte[] encrypt(byte[] plain, String boundTo) throws CredentialsException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ct.length).put(FORMAT_V1).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("encrypting a secret failed: " + e.getClass().getSimpleName(), e);
        }
    }

    byte[] decrypt(byte[] sealed, String boundTo) throws CredentialsException {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT_V1) {
            throw new CredentialsException("a stored secret (" + boundTo + ") is not in a known format");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("a stored secret (" + boundTo + ") does not decrypt with the key file:"
                    + " the key file is not the one it was written with", e);
        }
    }

}
