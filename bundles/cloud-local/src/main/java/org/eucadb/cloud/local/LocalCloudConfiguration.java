package org.eucadb.cloud.local;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code org.eucadb.cloud.local}; a name's single underscore is spelled {@code __} here (DS mapping). */
@ObjectClassDefinition(name = "eucadb cloud-local", description = "The embedded cloud: DB VMs are local processes "
        + "running the guest agent, volumes are directories.")
@interface LocalCloudConfiguration {
    @AttributeDefinition(required = false, description = "where records, volumes and instances live "
            + "(default ${karaf.data}/eucadb/cloud-local)")
    String state__dir();

    @AttributeDefinition(required = false, description = "ports for instances, FIRST-LAST within 1024..65535")
    String port__range() default LocalCloudConfig.DEFAULT_PORT_RANGE;

    @AttributeDefinition(required = false, description = "address instances listen on and the front end dials")
    String listen__address() default LocalCloudConfig.DEFAULT_LISTEN_ADDRESS;

    @AttributeDefinition(required = false, description = "comma-separated instance types offered")
    String instance__types() default LocalCloudConfig.DEFAULT_INSTANCE_TYPES;

    @AttributeDefinition(required = false, description = "comma-separated availability zones")
    String zones() default LocalCloudConfig.DEFAULT_ZONES;

    @AttributeDefinition(required = false, description = "PostgreSQL binaries (default newest /usr/lib/postgresql/*/bin)")
    String pg__bin__dir();

    @AttributeDefinition(required = false, description = "OS user running PostgreSQL "
            + "(default postgres when Karaf runs as root, else Karaf's user)")
    String os__user();
}
