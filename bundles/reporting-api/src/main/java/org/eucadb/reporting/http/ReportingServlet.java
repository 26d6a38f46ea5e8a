package org.eucadb.reporting.http;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.reporting.ReportService;
import org.eucadb.support.servlet.ServletExchange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Reporting endpoint on the HTTP Whiteboard at {@value ReportingApi#PATH}. Always
 * registered: while the reports (or the access keys) are away it answers 503.
 */
@Component(service = Servlet.class, configurationPid = "org.eucadb.reporting.api", property = {
    "osgi.http.whiteboard.servlet.pattern=/services/Reporting/*",
    "osgi.http.whiteboard.servlet.name=eucadb-reporting" })
@Designate(ocd = ReportingServlet.Config.class)
public class ReportingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Requests carry no body worth reading; anything beyond this is not looked at. */
    private static final int MAX_BODY = 64 * 1024;

    /** PID {@code org.eucadb.reporting.api}. */
    @ObjectClassDefinition(name = "eucadb Reporting API", description = "Who may see every account's usage")
    public @interface Config {
        @AttributeDefinition(name = "admin.accounts",
                description = "Account ids whose keys see every account's reports and CAPACITY; others see their own")
        String[] admin_accounts() default {};
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReportService reports;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RequestAuthenticator authenticator;

    private volatile Set<String> admins = Set.of();

    private final transient ReportingApi api = new ReportingApi(() -> Optional.ofNullable(reports),
            () -> Optional.ofNullable(authenticator), () -> admins, Clock.systemUTC());

    @Activate
    @Modified
    void configure(Config config) {
        admins = Set.copyOf(Arrays.asList(config.admin_accounts()));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ReportingApi.Response r = api.handle(ServletExchange.read(req, MAX_BODY));
        ServletExchange.write(resp, r.status(), r.contentType(), Map.of(), r.body());
    }
}
