package org.eucadb.reporting.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.Caller;
import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportFormat;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportService;
import org.eucadb.api.reporting.ReportType;
import org.eucadb.api.reporting.UsageStoreException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code GET /services/Reporting/reports?type=&start=&end=&format=&groupBy=&account=}, signed
 * with SigV4 for service {@value #SERVICE}. Administrators' accounts see every account (or the
 * one they name); any other caller only its own, and no CAPACITY. Errors are JSON
 * {@code {"error":{"code","parameter","message"}}}.
 */
public final class ReportingApi {
    public static final String SERVICE = "reporting";
    public static final String PATH = "/services/Reporting/reports";

    /** An HTTP answer, independent of the server. */
    public record Response(int status, String contentType, byte[] body) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private final Supplier<Optional<ReportService>> reports;
    private final Supplier<Optional<RequestAuthenticator>> authenticator;
    private final Supplier<Set<String>> adminAccounts;
    private final Clock clock;

    public ReportingApi(Supplier<Optional<ReportService>> reports,
            Supplier<Optional<RequestAuthenticator>> authenticator, Supplier<Set<String>> adminAccounts, Clock clock) {
        this.reports = reports;
        this.authenticator = authenticator;
        this.adminAccounts = adminAccounts;
        this.clock = clock;
    }

    public Response handle(SignedRequest request) {
        String path = request.rawPath().endsWith("/") ? request.rawPath().substring(0, request.rawPath().length() - 1)
                : request.rawPath();
        if (!PATH.equals(path)) {
            return error(404, "NotFound", null, "no such resource; reports are at " + PATH);
        }
        if (!"GET".equals(request.method())) {
            return error(405, "MethodNotAllowed", null, "use GET");
        }
        Optional<RequestAuthenticator> auth = authenticator.get();
        if (auth.isEmpty()) {
            return error(503, "ServiceUnavailable", null, "access keys are not available (front end's database); retry later");
        }
        Caller caller;
        try {
            caller = auth.get().authenticate(request, SERVICE);
        } catch (AuthenticationException e) {
            return error(e.code().httpStatus(), e.code().name(), null, e.getMessage());
        }
        Map<String, String> q;
        ReportFormat format;
        ReportRequest wanted;
        try {
            q = query(request.rawQuery());
            format = q.containsKey("format") ? ReportFormat.parse("format", q.get("format")) : ReportFormat.JSON;
            boolean admin = adminAccounts.get().contains(caller.accountId());
            String account = q.get("account");
            if (!admin) {
                if (account != null && !account.equals(caller.accountId())) {
                    return error(403, "AccessDenied", "account",
                            "account " + caller.accountId() + " may only see its own usage");
                }
                account = caller.accountId();
            }
            wanted = ReportRequest.parse(q.get("type"), q.get("start"), q.get("end"), q.get("groupBy"), account,
                    clock);
            if (!admin && wanted.type() == ReportType.CAPACITY) {
                return error(403, "AccessDenied", "type", "the CAPACITY report is for administrators' accounts");
            }
        } catch (InvalidValueException e) {
            return error(400, "InvalidParameterValue", e.field(), e.getMessage());
        }
        Optional<ReportService> service = reports.get();
        if (service.isEmpty()) {
            return error(503, "ServiceUnavailable", null, "the Reporting database is not available; retry later");
        }
        try {
            Report report = service.get().generate(wanted);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            service.get().write(report, format, body);
            return new Response(200, format.contentType(), body.toByteArray());
        } catch (UsageStoreException e) {
            return error(503, "ServiceUnavailable", null, "the Reporting database did not answer; retry later");
        } catch (IOException e) {
            return error(500, "InternalFailure", null, "writing the report failed");
        }
    }

    /** The query string's parameters; a repeated one is refused. */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (q.put(name, value) != null) {
                throw new InvalidValueException(name, value, "one value");
            }
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("query", s, "percent-encoded parameters");
        }
    }

    private static Response error(int status, String code, String parameter, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            if (parameter != null) {
                g.writeStringField("parameter", parameter);
            }
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // writing to memory
        }
        return new Response(status, "application/json", out.toByteArray());
    }
}
