package org.eucadb.pool;

import java.util.Map;

import org.eucadb.api.ServiceProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One {@code org.eucadb.endpoint-<name>} configuration: a DB VM (or any PostgreSQL) given by hand. */
@Component(configurationPid = ServiceProperties.ENDPOINT_FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ManualEndpointConfiguration.Config.class, factory = true)
public class ManualEndpointConfiguration {

    @ObjectClassDefinition(name = "eucadb endpoint",
            description = "A PostgreSQL for CloudWatch or Reporting data given by hand (bring your own DB)")
    @interface Config {
        @AttributeDefinition(description = "whose data this DB holds",
                options = { @Option(value = "cloudwatch"), @Option(value = "reporting") })
        String role();

        @AttributeDefinition(description = "host name or IP address")
        String host();

        @AttributeDefinition(description = "1..65535")
        int port() default 5432;

        @AttributeDefinition(description = "database name")
        String database();

        @AttributeDefinition(description = "login role")
        String user();

        @AttributeDefinition(description = "absolute path of a file holding the password, readable only by Karaf")
        String password_file();

        @AttributeDefinition(description = "TLS mode", options = { @Option(value = "disable"),
                @Option(value = "require"), @Option(value = "verify-ca"), @Option(value = "verify-full") })
        String sslmode() default "verify-full";

        @AttributeDefinition(description = "CA certificate (PEM) for verify-ca / verify-full", required = false)
        String sslrootcert();

        @AttributeDefinition(description = "upper bound of the connection pool, 1..500")
        int pool_max_size() default EndpointConfigParser.DEFAULT_POOL_MAX_SIZE;
    }

    @Reference
    private EndpointConfigRegistry registry;

    private String pid;

    @Activate
    @Modified
    void configure(Map<String, ?> props) {
        pid = (String) props.get("service.pid");
        registry.apply(pid, props, EndpointConfigParser::manual);
    }

    @Deactivate
    void deactivate() {
        registry.remove(pid);
    }
}
