package org.eucadb.cloudwatch.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.Caller;
import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.support.io.Bodies;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CloudWatch API, independent of the HTTP server: a received request in, a response out.
 * Speaks Query, AWS JSON 1.0 and Smithy RPC v2 CBOR; checks SigV4; answers 503 while its store is away. Every
 * failure becomes an AWS error code here, in one place.
 */
public final class CloudWatchApi {
    /** PutMetricData's limit; a little more is read so a larger body can be refused by name. */
    public static final int MAX_BODY = 1024 * 1024;
    static final String SERVICE = "monitoring";
    private static final String VERSION = "2010-08-01";
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchApi.class);

    /** What to send back. */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private final Supplier<Optional<MetricStore>> store;
    private final Supplier<Optional<RequestAuthenticator>> authenticator;
    private final Clock clock;
    private final AlarmServices alarmServices;

    public CloudWatchApi(Supplier<Optional<MetricStore>> store, Supplier<Optional<RequestAuthenticator>> authenticator,
            Clock clock) {
        this(store, authenticator, AlarmServices.none(), clock);
    }

    public CloudWatchApi(Supplier<Optional<MetricStore>> store, Supplier<Optional<RequestAuthenticator>> authenticator,
            AlarmServices alarmServices, Clock clock) {
        this.store = store;
        this.authenticator = authenticator;
        this.alarmServices = alarmServices;
        this.clock = clock;
    }

    public Response handle(SignedRequest request) {
        String requestId = UUID.randomUUID().toString();
        Protocol protocol = Protocol.of(request);
        try {
            if (request.body().length > MAX_BODY) {
                throw new ApiException("RequestEntityTooLarge", 413, "Request size " + request.body().length
                        + " exceeded " + MAX_BODY + " bytes.");
            }
            String action;
            RequestParams params = null;
            // PutMetricData from JSON and CBOR is read straight from the body: its tree was most of its cost.
            PutMetricDataInput put = null;
            byte[] body = decoded(request);
            if (protocol == Protocol.CBOR) {
                action = request.rawPath().substring(request.rawPath().lastIndexOf('/') + 1);
                if (action.equals("PutMetricData")) {
                    put = WireFormat.cborPutMetricData(body);
                } else {
                    params = RequestParams.ofTree(WireFormat.cborTree(body));
                }
            } else if (protocol == Protocol.JSON) {
                String target = request.header("X-Amz-Target").get();
                if (!target.startsWith(WireFormat.JSON_TARGET_PREFIX)) {
                    throw new ApiException("UnknownOperationException", 400, "Unknown target " + target + ".");
                }
                action = target.substring(WireFormat.JSON_TARGET_PREFIX.length());
                if (action.equals("PutMetricData")) {
                    put = WireFormat.jsonPutMetricData(body);
                } else {
                    params = RequestParams.ofTree(WireFormat.jsonTree(body));
                }
            } else {
                Map<String, String> form = form(request.rawQuery());
                if ("POST".equalsIgnoreCase(request.method())) {
                    form.putAll(form(new String(body, StandardCharsets.UTF_8)));
                }
                params = new RequestParams(form);
                action = params.optional("Action").orElseThrow(() -> ApiException.missing("Action"));
                Optional<String> version = params.optional("Version");
                if (version.isPresent() && !version.get().equals(VERSION)) {
                    throw ApiException.invalidValue("The parameter Version must be " + VERSION + ".");
                }
            }
            Optional<MetricStore> s = store.get();
            Optional<RequestAuthenticator> a = authenticator.get();
            if (s.isEmpty() || a.isEmpty()) {
                throw new ApiException("ServiceUnavailable", 503, "CloudWatch's database is not available; retry later.");
            }
            Caller caller;
            try {
                caller = a.get().authenticate(request, SERVICE);
            } catch (AuthenticationException e) {
                throw new ApiException(e.code().name(), e.code().httpStatus(), e.getMessage());
            }
            Map<String, Object> result = switch (action) {
                case "PutMetricData" -> put != null
                        ? MetricActions.putMetricData(put, caller.accountId(), s.get(), clock.instant())
                        : MetricActions.putMetricData(params, caller.accountId(), s.get(), clock.instant());
                case "GetMetricStatistics" -> MetricActions.getMetricStatistics(params, caller.accountId(), s.get());
                case "ListMetrics" -> MetricActions.listMetrics(params, caller.accountId(), s.get(), clock.instant());
                case "GetMetricData" -> MetricDataActions.getMetricData(params, caller.accountId(), s.get());
                case "GetMetricWidgetImage" -> MetricWidgetActions.getMetricWidgetImage(params, caller.accountId(),
                        s.get(), clock.instant());
                case "PutMetricAlarm", "DescribeAlarms", "DescribeAlarmsForMetric", "DeleteAlarms", "SetAlarmState",
                        "DescribeAlarmHistory", "EnableAlarmActions", "DisableAlarmActions", "PutDashboard",
                        "GetDashboard", "ListDashboards", "DeleteDashboards", "TagResource", "UntagResource",
                        "ListTagsForResource" ->
                    AlarmApi.handle(action, params, caller.accountId(), alarmServices, clock.instant());
                default -> throw new ApiException("InvalidAction", 400, "The action " + action
                        + " is not valid for this web service.");
            };
            return switch (protocol) {
                case CBOR -> new Response(200, "application/cbor", WireFormat.cborResult(result),
                        Map.of("x-amzn-RequestId", requestId, "smithy-protocol", "rpc-v2-cbor"));
                case JSON -> new Response(200, "application/x-amz-json-1.0", WireFormat.jsonResult(result),
                        Map.of("x-amzn-RequestId", requestId));
                case QUERY -> new Response(200, "text/xml", WireFormat.xmlResult(action, result, requestId),
                        Map.of("x-amzn-RequestId", requestId));
            };
        } catch (ApiException e) {
            return error(e, protocol, requestId);
        } catch (AlarmActions.UncheckedApiException e) {
            return error(e.apiException(), protocol, requestId);
        } catch (MetricStoreException e) {
            LOG.warn("request {}: {}", requestId, e.getMessage());
            return error(new ApiException("ServiceUnavailable", 503, "CloudWatch's database did not answer; retry"
                    + " later."), protocol, requestId);
        } catch (RuntimeException e) {
            LOG.error("request {} failed", requestId, e);
            return error(new ApiException("InternalFailure", 500, "The request failed for an unknown reason."),
                    protocol, requestId);
        }
    }

    private static Response error(ApiException e, Protocol protocol, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amzn-RequestId", requestId);
        if (protocol != Protocol.QUERY) {
            // AWS query-compatible protocols: SDKs take the Query error code from this header.
            headers.put("x-amzn-query-error", e.code() + ";" + e.type());
        }
        return switch (protocol) {
            case CBOR -> {
                headers.put("smithy-protocol", "rpc-v2-cbor");
                yield new Response(e.status(), "application/cbor", WireFormat.cborError(e), headers);
            }
            case JSON -> new Response(e.status(), "application/x-amz-json-1.0", WireFormat.jsonError(e), headers);
            case QUERY -> new Response(e.status(), "text/xml", WireFormat.xmlError(e, requestId), headers);
        };
    }

    /** Which wire protocol a request speaks. */
    enum Protocol {
        QUERY, JSON, CBOR;

        static Protocol of(SignedRequest r) {
            if (r.header("smithy-protocol").isPresent() || r.rawPath().startsWith(WireFormat.CBOR_PATH_PREFIX)) {
                return CBOR;
            }
            return r.header("X-Amz-Target").isPresent() ? JSON : QUERY;
        }
    }

    /** The body, gunzipped when the client compressed it (SDKs do for large PutMetricData); bounded. */
    private static byte[] decoded(SignedRequest request) throws ApiException {
        if (!request.header("Content-Encoding").map(e -> e.trim().equalsIgnoreCase("gzip")).orElse(false)) {
            return request.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
            byte[] plain = Bodies.read(in, MAX_BODY + 1, Bodies.gzipSizeHint(request.body()));
            if (plain.length > MAX_BODY) {
                throw new ApiException("RequestEntityTooLarge", 413, "Request size exceeded " + MAX_BODY
                        + " bytes once decompressed.");
            }
            return plain;
        } catch (IOException e) {
            throw new ApiException("SerializationException", 400, "The gzip-encoded body could not be decompressed.");
        }
    }

    private static Map<String, String> form(String raw) throws ApiException {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        try {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException("MalformedQueryString", 400, "The form or query string is not validly encoded.");
        }
        return out;
    }
}
