package org.eucadb.cloudwatch.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.ResourceTagStore;
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
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(CloudWatchApi.MAX_BODY + 1);
        }
        String path = req.getRequestURI();
        CloudWatchApi.Response r = api.handle(new SignedRequest(req.getMethod(), path == null ? "/" : path,
                req.getQueryString() == null ? "" : req.getQueryString(), headers, body));
        resp.setStatus(r.status());
        resp.setContentType(r.contentType());
        r.headers().forEach(resp::setHeader);
        resp.setContentLength(r.body().length);
        resp.getOutputStream().write(r.body());
    }
}
