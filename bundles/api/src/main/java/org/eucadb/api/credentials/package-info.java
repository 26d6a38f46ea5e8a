/** The project CA, DB secrets and one-time bootstrap tokens that DB VMs redeem for their secrets. */
@Version("1.1.0")
@Export
package org.eucadb.api.credentials;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
