package org.eucadb.lifecycle;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code org.eucadb.dbvm.<role>}; names with one underscore are spelled {@code __} here (DS mapping). */
@ObjectClassDefinition(name = "eucadb DB VM", description = "The DB VM of one role (cloudwatch or reporting): "
        + "what to launch and where. Also settable with eucadb:property, which takes the Eucalyptus names.")
@interface DbVmConfiguration {
    @AttributeDefinition(description = "launch and keep the DB VM (false: tear it down, keeping its volume)")
    boolean enabled() default true;

    @AttributeDefinition(required = false, description = "image id of the DB VM (services.database.worker.image)")
    String image();

    @AttributeDefinition(required = false, description = "instance type offered by the provider")
    String instance__type() default DbVmConfig.DEFAULT_INSTANCE_TYPE;

    @AttributeDefinition(required = false, description = "SSH key pair name (optional)")
    String keyname();

    @AttributeDefinition(required = false, description = "comma-separated availability zones")
    String availability__zones();

    @AttributeDefinition(required = false, description = "data volume size in GiB, 1..16384")
    int volume__size__gib() default DbVmConfig.DEFAULT_VOLUME_SIZE_GIB;

    @AttributeDefinition(required = false, description = "existing volume to adopt (optional)")
    String volume__id();

    @AttributeDefinition(required = false, description = "CIDR the front end connects from")
    String frontend__cidr();

    @AttributeDefinition(required = false, description = "CIDR allowed to SSH in, with a keyname (optional)")
    String admin__cidr();

    @AttributeDefinition(required = false, description = "NTP server for the DB VM (optional)")
    String ntp__server();

    @AttributeDefinition(required = false, description = "server certificate validity in days, 1..3650")
    int cert__validity__days() default DbVmConfig.DEFAULT_CERT_VALIDITY_DAYS;

    @AttributeDefinition(required = false, description = "local|aws")
    String provider() default DbVmConfig.DEFAULT_PROVIDER;
}
