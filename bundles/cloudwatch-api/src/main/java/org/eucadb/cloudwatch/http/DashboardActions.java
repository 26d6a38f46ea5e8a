package org.eucadb.cloudwatch.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eucadb.api.cloudwatch.Dashboard;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.QuotaExceededException;
import org.eucadb.api.cloudwatch.ResourceNotFoundException;
import org.eucadb.api.cloudwatch.ResourceTagStore;

/** PutDashboard, GetDashboard, ListDashboards, DeleteDashboards and the tag actions. */
final class DashboardActions {
    static final int LIST_PAGE = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private DashboardActions() {
    }

    static Map<String, Object> putDashboard(RequestParams p, String account, DashboardStore store, Instant now)
            throws ApiException, MetricStoreException {
        String name = name(p.required("DashboardName"), "DashboardName");
        String body = p.required("DashboardBody");
        if (body.getBytes(StandardCharsets.UTF_8).length > DashboardBody.MAX_SIZE) {
            throw new ApiException("InvalidParameterInput", 400, "The parameter DashboardBody must be at most "
                    + DashboardBody.MAX_SIZE + " bytes.");
        }
        DashboardBody.Findings findings = DashboardBody.check(body);
        if (!findings.errors().isEmpty()) {
            throw new ApiException("InvalidParameterInput", 400, "The field DashboardBody must be a valid JSON object: "
                    + findings.errors().stream().map(m -> (m.dataPath().isEmpty() ? "/" : m.dataPath()) + ": "
                            + m.message()).collect(Collectors.joining("; ")));
        }
        Map<String, String> tags = ResourceTags.read(p, "Tags");
        try {
            store.putDashboard(account, name, body, tags, now);
        } catch (QuotaExceededException e) {
            throw new ApiException("LimitExceeded", 400, e.getMessage());
        }
        return AlarmActions.fields("DashboardValidationMessages", findings.warnings().stream()
                .map(m -> (Object) m.shape()).toList());
    }

    static Map<String, Object> getDashboard(RequestParams p, String account, DashboardStore store)
            throws ApiException, MetricStoreException {
        String name = name(p.required("DashboardName"), "DashboardName");
        Dashboard d = store.dashboard(account, name).orElseThrow(() -> new ApiException("ResourceNotFound", 404,
                "Dashboard " + name + " does not exist"));
        return AlarmActions.fields("DashboardArn", d.arn(), "DashboardBody", d.body(), "DashboardName", d.name());
    }

    static Map<String, Object> listDashboards(RequestParams p, String account, DashboardStore store)
            throws ApiException, MetricStoreException {
        String prefix = p.optional("DashboardNamePrefix").orElse("");
        if (!prefix.isEmpty()) {
            name(prefix, "DashboardNamePrefix");
        }
        Optional<String> after = NextTokens.cursor(p, "ld1");
        List<Dashboard> found = store.listDashboards(account, prefix, after, LIST_PAGE + 1);
        List<Object> entries = new ArrayList<>();
        for (Dashboard d : found.subList(0, Math.min(LIST_PAGE, found.size()))) {
            entries.add(AlarmActions.fields("DashboardName", d.name(), "DashboardArn", d.arn(), "LastModified",
                    d.lastModified(), "Size", (int) d.size()));
        }
        String next = found.size() > LIST_PAGE ? NextTokens.of("ld1", found.get(LIST_PAGE - 1).name()) : null;
        return AlarmActions.fields("DashboardEntries", entries, "NextToken", next);
    }

    static Map<String, Object> deleteDashboards(RequestParams p, String account, DashboardStore store)
            throws ApiException, MetricStoreException {
        List<String> names = AlarmActions.names(p, "DashboardNames", true);
        for (String n : names) {
            name(n, "DashboardNames");
        }
        try {
            store.deleteDashboards(account, names);
        } catch (ResourceNotFoundException e) {
            throw AlarmActions.notFound(e);
        }
        return AlarmActions.fields();
    }

    static Map<String, Object> tagResource(RequestParams p, String account, ResourceTagStore store)
            throws ApiException, MetricStoreException {
        String arn = p.required("ResourceARN");
        Map<String, String> tags = ResourceTags.read(p, "Tags");
        if (tags.isEmpty()) {
            throw ApiException.missing("Tags");
        }
        try {
            store.tagResource(account, arn, tags);
        } catch (ResourceNotFoundException e) {
            throw tagTargetNotFound(e);
        } catch (QuotaExceededException e) {
            throw new ApiException("LimitExceeded", 400, e.getMessage());
        }
        return AlarmActions.fields();
    }

    static Map<String, Object> untagResource(RequestParams p, String account, ResourceTagStore store)
            throws ApiException, MetricStoreException {
        String arn = p.required("ResourceARN");
        List<String> keys = new ArrayList<>();
        for (String m : p.members("TagKeys")) {
            keys.add(AlarmActions.text(p.required(m), m, ResourceTags.MAX_KEY));
        }
        if (keys.isEmpty()) {
            throw ApiException.missing("TagKeys");
        }
        try {
            store.untagResource(account, arn, keys);
        } catch (ResourceNotFoundException e) {
            throw tagTargetNotFound(e);
        }
        return AlarmActions.fields();
    }

    static Map<String, Object> listTagsForResource(RequestParams p, String account, ResourceTagStore store)
            throws ApiException, MetricStoreException {
        try {
            return AlarmActions.fields("Tags", ResourceTags.write(store.tags(account, p.required("ResourceARN"))));
        } catch (ResourceNotFoundException e) {
            throw tagTargetNotFound(e);
        }
    }

    /** The tag actions' not-found code is the model's ResourceNotFoundException. */
    private static ApiException tagTargetNotFound(ResourceNotFoundException e) {
        return new ApiException("ResourceNotFoundException", 404, e.getMessage());
    }

    private static String name(String v, String field) {
        if (!NAME.matcher(v).matches()) {
            throw new AlarmActions.UncheckedApiException(ApiException.invalidValue("The value " + v + " for parameter "
                    + field + " is invalid: 1 to 255 of A-Z, a-z, 0-9, '-' and '_'."));
        }
        return v;
    }
}
