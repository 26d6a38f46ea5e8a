/** API request authentication (AWS Signature Version 4) and the access keys it checks against. */
@Version("1.0.0")
@Export
package org.eucadb.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
