package org.eucadb.api.auth;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The API access keys, kept in the front end's database. Present only while that DB is. */
@ProviderType
public interface AccessKeyStore {
    /** Makes a new key for an account; the returned secret is the only time it is shown. */
    AccessKey create(String accountId);

    /** The key with this id, with its secret (for signature checks only). */
    Optional<AccessKey> find(String accessKeyId);

    /** The keys of every account, without secrets (the secret field is empty). */
    List<AccessKey> list();

    /** @return whether a key was deleted */
    boolean delete(String accessKeyId);
}
