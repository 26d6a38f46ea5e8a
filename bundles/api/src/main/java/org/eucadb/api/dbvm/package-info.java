/** DB VM properties and status, as operators see them. */
@Version("1.1.0")
@Export
package org.eucadb.api.dbvm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
