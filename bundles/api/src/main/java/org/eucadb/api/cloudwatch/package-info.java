/** The CloudWatch storage layer: metric catalogue and datapoints. */
@Version("1.0.0")
@Export
package org.eucadb.api.cloudwatch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
