package org.eucadb.lifecycle;

import java.util.Map;

import org.eucadb.api.DbRole;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** Hands {@code org.eucadb.dbvm.reporting} to the lifecycle. */
@Component(configurationPid = "org.eucadb.dbvm.reporting", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = DbVmConfiguration.class)
public class ReportingDbVmConfiguration {
    @Reference
    private DbVmLifecycle lifecycle;

    @Activate
    @Modified
    void configure(Map<String, ?> props) {
        lifecycle.configure(DbRole.REPORTING, props);
    }
}
