package org.eucadb.cloudwatch.http;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.ResourceTagStore;
import org.eucadb.support.servlet.ServletExchange;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The CloudWatch endpoint on the HTTP Whiteboard, at {@code /} and {@code /services/CloudWatch}.
 * Always registered: while the store (or the access keys) is away it answers 503.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.pattern=/services/CloudWatch",
    "osgi.http.whiteboard.servlet.pattern=/services/CloudWatch/*",
    "osgi.http.whiteboard.servlet.name=eucadb-cloudwatch" })
public class CloudWatchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RequestAuthenticator authenticator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmStore alarmStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DashboardStore dashboardStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ResourceTagStore tagStore;

    private final transient CloudWatchApi api = new CloudWatchApi(() -> Optional.ofNullable(store),
            () -> Optional.ofNullable(authenticator), new AlarmServices(() -> Optional.ofNullable(alarmStore),
                    () -> Optional.ofNullable(dashboardStore), () -> Optional.ofNullable(tagStore)),
            Clock.systemUTC());

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        CloudWatchApi.Response r = api.handle(ServletExchange.read(req, CloudWatchApi.MAX_BODY + 1));
        ServletExchange.write(resp, r.status(), r.contentType(), r.headers(), r.body());
    }
}
