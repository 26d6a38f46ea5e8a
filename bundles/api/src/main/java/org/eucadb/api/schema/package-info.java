/** Schema sets contributed by feature bundles and the migrator that applies them. */
@Version("1.0.0")
@Export
package org.eucadb.api.schema;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
