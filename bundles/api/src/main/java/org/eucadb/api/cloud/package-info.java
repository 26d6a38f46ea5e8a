/**
 * The cloud provider SPI: what the DB VM launch workflow asks of a cloud. Every resource is
 * tagged ({@link CloudTags}) and found again by its tags, so each step is idempotent and a crash
 * at any point is just another observation.
 */
@Version("1.1.0")
@Export
package org.eucadb.api.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
