/** What the shell shows: endpoint configurations and pools. */
@Version("1.0.0")
@Export
package org.eucadb.api.status;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
