/** The CloudWatch storage layer: metric catalogue, datapoints, alarms, dashboards and tags. */
@Version("1.4.0")
@Export
package org.eucadb.api.cloudwatch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
