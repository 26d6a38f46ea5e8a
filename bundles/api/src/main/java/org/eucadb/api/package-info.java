/** The eucadb contracts shared by every bundle: roles, endpoints, service properties, topics. */
@Version("1.1.0")
@Export
package org.eucadb.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
