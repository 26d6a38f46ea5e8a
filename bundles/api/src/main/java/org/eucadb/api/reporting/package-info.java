/** The Reporting storage layer: usage events, report accounts and users. */
@Version("1.2.0")
@Export
package org.eucadb.api.reporting;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
