package org.eucadb.shell;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.dbvm.DbVmStatus;
import org.eucadb.api.dbvm.DbVmStatusSource;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.status.EndpointConfigStatus;
import org.eucadb.api.status.EndpointConfigStatusSource;
import org.eucadb.api.status.PoolStatus;
import org.eucadb.api.status.PoolStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** What eucadb is connected to, and who is using it. */
@Command(scope = "eucadb", name = "status", description = "DB VMs, cloud providers, endpoints, pools, DataSources and active services")
@Service
public class StatusCommand implements Action {
    @Reference(optional = true)
    private EndpointConfigStatusSource endpointConfigs;

    @Reference(optional = true)
    private PoolStatusSource pools;

    @Reference(optional = true)
    private DbVmStatusSource dbVms;

    @Reference
    private BundleContext context;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        out.println("DB VMs");
        ShellTable vt = new ShellTable();
        vt.column("Role");
        vt.column("State");
        vt.column("Since");
        vt.column("Detail").maxSize(120).wrap();
        for (DbVmStatus v : dbVms == null ? List.<DbVmStatus>of() : dbVms.dbVmStatus()) {
            vt.addRow().addContent(v.role().id(), v.state(), v.since().truncatedTo(ChronoUnit.SECONDS), v.detail());
        }
        vt.print(out);

        out.println();
        out.println("Cloud providers");
        ShellTable ct = new ShellTable();
        ct.column("Provider");
        ct.column("In force").maxSize(100).wrap();
        ct.column("Last error").maxSize(100).wrap();
        for (CloudProviderStatus c : cloudProviders()) {
            ct.addRow().addContent(c.name(), c.inForce().orElse("- (no provider)"), c.lastError().orElse("-"));
        }
        ct.print(out);

        out.println();
        out.println("Endpoint configurations");
        ShellTable configs = new ShellTable();
        configs.column("Configuration");
        configs.column("Role");
        configs.column("In force");
        configs.column("Address");
        configs.column("Last error");
        List<EndpointConfigStatus> cs = endpointConfigs == null ? List.of() : endpointConfigs.endpointConfigs();
        for (EndpointConfigStatus c : cs) {
            configs.addRow().addContent(c.source(), c.role().orElse("-"), c.inForce() ? "yes" : "no",
                    c.address().orElse("-"), c.lastError().orElse("-"));
        }
        configs.print(out);

        out.println();
        out.println("Pools");
        ShellTable pt = new ShellTable();
        pt.column("Role");
        pt.column("Address");
        pt.column("State");
        pt.column("Active/Idle/Max");
        pt.column("Schemas");
        pt.column("Last error");
        for (PoolStatus p : pools == null ? List.<PoolStatus>of() : pools.pools()) {
            pt.addRow().addContent(p.role(), p.address(), p.state(), p.active() + "/" + p.idle() + "/" + p.max(),
                    String.join(",", p.schemas()), p.lastError().orElse("-"));
        }
        pt.print(out);

        out.println();
        out.println("DataSources");
        ShellTable dt = new ShellTable();
        dt.column("Role");
        dt.column("Address");
        dt.column("Schemas");
        for (ServiceReference<DataSource> r : dataSources()) {
            Object schemas = r.getProperty(ServiceProperties.SCHEMA);
            dt.addRow().addContent(r.getProperty(ServiceProperties.ROLE), r.getProperty(ServiceProperties.ADDRESS),
                    schemas instanceof String[] a ? String.join(",", a) : String.valueOf(schemas));
        }
        dt.print(out);

        out.println();
        out.println("Services");
        ShellTable st = new ShellTable();
        st.column("Service");
        st.column("State");
        st.addRow().addContent("cloudwatch store", active(MetricStore.class));
        st.addRow().addContent("reporting store", active(UsageEventStore.class));
        st.print(out);
        return null;
    }

    /** Every provider bundle's view of its configuration, by name. */
    private List<CloudProviderStatus> cloudProviders() throws InvalidSyntaxException {
        List<CloudProviderStatus> out = new ArrayList<>();
        for (ServiceReference<CloudProviderStatusSource> r : context.getServiceReferences(
                CloudProviderStatusSource.class, null)) {
            CloudProviderStatusSource source = context.getService(r);
            if (source != null) {
                try {
                    out.add(source.cloudProviderStatus());
                } finally {
                    context.ungetService(r);
                }
            }
        }
        out.sort(Comparator.comparing(CloudProviderStatus::name));
        return out;
    }

    private List<ServiceReference<DataSource>> dataSources() throws InvalidSyntaxException {
        return context.getServiceReferences(DataSource.class, "(" + ServiceProperties.ROLE + "=*)").stream()
                .sorted((a, b) -> String.valueOf(a.getProperty(ServiceProperties.ROLE))
                        .compareTo(String.valueOf(b.getProperty(ServiceProperties.ROLE))))
                .collect(Collectors.toList());
    }

    private String active(Class<?> service) {
        ServiceReference<?> r = context.getServiceReference(service);
        return r == null ? "INACTIVE (no DataSource for its DB)" : "ACTIVE";
    }

}
