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

/** {@code org.eucadb.frontend}: the front end's own (HA-synced) database. */
@Component(configurationPid = ServiceProperties.FRONTEND_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = FrontendConfiguration.Config.class)
public class FrontendConfiguration {

    @ObjectClassDefinition(name = "eucadb front-end database",
            description = "The cloud front end's own PostgreSQL; eucadb keeps the updatable schemas there")
    @interface Config {
        @AttributeDefinition(description = "jdbc:postgresql://host:port/database[?sslmode=...]")
        String url();

        @AttributeDefinition(description = "login role")
        String user();

        @AttributeDefinition(description = "absolute path of a file holding the password, readable only by Karaf")
        String password_file();

        @AttributeDefinition(description = "upper bound of the connection pool, 1..500")
        int pool_max_size() default EndpointConfigParser.DEFAULT_POOL_MAX_SIZE;
    }

    @Reference
    private EndpointConfigRegistry registry;

    @Activate
    @Modified
    void configure(Map<String, ?> props) {
        registry.apply(ServiceProperties.FRONTEND_PID, props, EndpointConfigParser::frontend);
    }

    @Deactivate
    void deactivate() {
        registry.remove(ServiceProperties.FRONTEND_PID);
    }
}
