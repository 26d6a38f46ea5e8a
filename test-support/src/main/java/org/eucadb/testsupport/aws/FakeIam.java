package org.eucadb.testsupport.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * IAM over the awsquery protocol ({@code Version=2010-05-08}): roles with inline policies and
 * instance profiles — Create/Get/DeleteRole, Put/Get/List/DeleteRolePolicy,
 * Create/Get/Delete/ListInstanceProfile(s), Add/RemoveRoleToInstanceProfile,
 * ListInstanceProfileTags, TagInstanceProfile. Names are case-insensitive, as in IAM; policy
 * documents come back URL-encoded, as IAM returns them. Every ARN is in account
 * {@link FakeEc2#ACCOUNT}.
 */
public final class FakeIam implements FakeAwsService {
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String VERSION = "2010-05-08";

    /** A role; {@code assumeRolePolicyDocument} is the JSON as sent (decoded). */
    public record Role(String path, String roleName, String roleId, String arn, Instant createDate,
            String assumeRolePolicyDocument, String description, Map<String, String> tags) {
        public Role {
            tags = FakeEc2.copy(tags);
        }
    }

    /** An instance profile; {@code roleNames} holds at most one role, as IAM allows. */
    public record InstanceProfile(String path, String instanceProfileName, String instanceProfileId, String arn,
            Instant createDate, List<String> roleNames, Map<String, String> tags) {
        public InstanceProfile {
            roleNames = List.copyOf(roleNames);
            tags = FakeEc2.copy(tags);
        }

        InstanceProfile with(List<String> roles, Map<String, String> newTags) {
            return new InstanceProfile(path, instanceProfileName, instanceProfileId, arn, createDate, roles, newTags);
        }
    }

    private final Map<String, Role> roles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Map<String, String>> rolePolicies = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, InstanceProfile> profiles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public synchronized Role role(String name) {
        return roles.get(name);
    }

    public synchronized InstanceProfile instanceProfile(String name) {
        return profiles.get(name);
    }

    /** An inline policy's JSON document, or null. */
    public synchronized String rolePolicy(String roleName, String policyName) {
        Map<String, String> policies = rolePolicies.get(roleName);
        return policies == null ? null : policies.get(policyName);
    }

    @Override
    public boolean accepts(FakeRequest request) {
        return request.isQueryCall(VERSION);
    }

    @Override
    public String operation(FakeRequest request) {
        return request.action();
    }

    @Override
    public synchronized FakeResponse handle(FakeRequest request) {
        QueryParams p = new QueryParams(request.params(), "ValidationError");
        try {
            return dispatch(p.get("Action"), p);
        } catch (AwsFault f) {
            return error(f.status(), f.code(), f.getMessage());
        }
    }

    private FakeResponse dispatch(String action, QueryParams p) {
        return switch (action) {
            case "CreateRole" -> createRole(p);
            case "GetRole" -> ok(action, x -> role(x, role(p)));
            case "DeleteRole" -> deleteRole(p);
            case "PutRolePolicy" -> putRolePolicy(p);
            case "GetRolePolicy" -> getRolePolicy(p);
            case "ListRolePolicies" -> listRolePolicies(p);
            case "DeleteRolePolicy" -> deleteRolePolicy(p);
            case "CreateInstanceProfile" -> createInstanceProfile(p);
            case "GetInstanceProfile" -> ok(action, x -> profile(x, profile(p)));
            case "AddRoleToInstanceProfile" -> addRole(p);
            case "RemoveRoleFromInstanceProfile" -> removeRole(p);
            case "DeleteInstanceProfile" -> deleteInstanceProfile(p);
            case "ListInstanceProfiles" -> listInstanceProfiles(p);
            case "ListInstanceProfileTags" -> ok(action, x -> x.memberTags(profile(p).tags())
                    .element("IsTruncated", false));
            case "TagInstanceProfile" -> tagInstanceProfile(p);
            default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    @Override
    public FakeResponse error(int status, String code, String message) {
        return QueryXml.error(NAMESPACE, status, code, message);
    }

    private FakeResponse createRole(QueryParams p) {
        String name = name(p, "RoleName");
        String path = path(p);
        String document = policy(p, "AssumeRolePolicyDocument");
        if (roles.containsKey(name)) {
            throw conflict("EntityAlreadyExists", "Role with name " + name + " already exists.");
        }
        Role r = new Role(path, name, FakeIds.iam("AROA"), "arn:aws:iam::" + FakeEc2.ACCOUNT + ":role" + path + name,
                FakeIds.now(), document, p.get("Description"), p.tags("Tags.member"));
        roles.put(name, r);
        return ok("CreateRole", x -> role(x, r));
    }

    private FakeResponse deleteRole(QueryParams p) {
        Role r = role(p);
        if (!rolePolicies.getOrDefault(r.roleName(), Map.of()).isEmpty()) {
            throw conflict("DeleteConflict", "Cannot delete entity, must delete policies first.");
        }
        if (profiles.values().stream().anyMatch(ip -> ip.roleNames().contains(r.roleName()))) {
            throw conflict("DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.");
        }
        roles.remove(r.roleName());
        rolePolicies.remove(r.roleName());
        return ok("DeleteRole", null);
    }

    private FakeResponse putRolePolicy(QueryParams p) {
        Role r = role(p);
        String policy = name(p, "PolicyName");
        String document = policy(p, "PolicyDocument");
        rolePolicies.computeIfAbsent(r.roleName(), k -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER))
                .put(policy, document);
        return ok("PutRolePolicy", null);
    }

    private FakeResponse getRolePolicy(QueryParams p) {
        Role r = role(p);
        String policy = p.required("PolicyName");
        String document = rolePolicy(r.roleName(), policy);
        if (document == null) {
            throw notFound("The role policy with name " + policy + " cannot be found.");
        }
        return ok("GetRolePolicy", x -> x.element("RoleName", r.roleName()).element("PolicyName", policy)
                .element("PolicyDocument", encoded(document)));
    }

    private FakeResponse listRolePolicies(QueryParams p) {
        Role r = role(p);
        List<String> names = new ArrayList<>(rolePolicies.getOrDefault(r.roleName(), Map.of()).keySet());
        return page("ListRolePolicies", p, names, n -> n, (x, items) -> x.members("PolicyNames", items));
    }

    private FakeResponse deleteRolePolicy(QueryParams p) {
        Role r = role(p);
        String policy = p.required("PolicyName");
        Map<String, String> policies = rolePolicies.get(r.roleName());
        if (policies == null || policies.remove(policy) == null) {
            throw notFound("The role policy with name " + policy + " cannot be found.");
        }
        return ok("DeleteRolePolicy", null);
    }

    private FakeResponse createInstanceProfile(QueryParams p) {
        String name = name(p, "InstanceProfileName");
        String path = path(p);
        if (profiles.containsKey(name)) {
            throw conflict("EntityAlreadyExists", "Instance Profile " + name + " already exists.");
        }
        InstanceProfile ip = new InstanceProfile(path, name, FakeIds.iam("AIPA"),
                "arn:aws:iam::" + FakeEc2.ACCOUNT + ":instance-profile" + path + name, FakeIds.now(), List.of(),
                p.tags("Tags.member"));
        profiles.put(name, ip);
        return ok("CreateInstanceProfile", x -> profile(x, ip));
    }

    private FakeResponse addRole(QueryParams p) {
        InstanceProfile ip = profile(p);
        Role r = role(p);
        if (!ip.roleNames().isEmpty()) {
            throw conflict("LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        }
        profiles.put(ip.instanceProfileName(), ip.with(List.of(r.roleName()), ip.tags()));
        return ok("AddRoleToInstanceProfile", null);
    }

    private FakeResponse removeRole(QueryParams p) {
        InstanceProfile ip = profile(p);
        Role r = role(p);
        if (!ip.roleNames().contains(r.roleName())) {
            throw notFound("Role " + r.roleName() + " in Instance Profile " + ip.instanceProfileName()
                    + " cannot be found.");
        }
        profiles.put(ip.instanceProfileName(), ip.with(List.of(), ip.tags()));
        return ok("RemoveRoleFromInstanceProfile", null);
    }

    private FakeResponse deleteInstanceProfile(QueryParams p) {
        InstanceProfile ip = profile(p);
        if (!ip.roleNames().isEmpty()) {
            throw conflict("DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.");
        }
        profiles.remove(ip.instanceProfileName());
        return ok("DeleteInstanceProfile", null);
    }

    private FakeResponse listInstanceProfiles(QueryParams p) {
        String prefix = p.get("PathPrefix", "/");
        List<InstanceProfile> found = profiles.values().stream().filter(ip -> ip.path().startsWith(prefix)).toList();
        return page("ListInstanceProfiles", p, found, InstanceProfile::instanceProfileName, (x, items) -> {
            x.open("InstanceProfiles");
            items.forEach(ip -> {
                x.open("member");
                profileFields(x, ip);
                x.close("member");
            });
            x.close("InstanceProfiles");
        });
    }

    private FakeResponse tagInstanceProfile(QueryParams p) {
        InstanceProfile ip = profile(p);
        Map<String, String> tags = new LinkedHashMap<>(ip.tags());
        tags.putAll(p.tags("Tags.member"));
        if (tags.size() > 50) {
            throw conflict("LimitExceeded", "The number of tags has reached the maximum limit.");
        }
        profiles.put(ip.instanceProfileName(), ip.with(ip.roleNames(), tags));
        return ok("TagInstanceProfile", null);
    }

    /** A page from the Marker (the first name of the page) of at most MaxItems (default 100). */
    private <T> FakeResponse page(String action, QueryParams p, List<T> items,
            Function<T, String> name, BiConsumer<Xml, List<T>> write) {
        int max = p.integer("MaxItems", 100);
        if (max < 1 || max > 1000) {
            throw AwsFault.badRequest("ValidationError", "MaxItems must be between 1 and 1000");
        }
        String marker = p.get("Marker");
        int from = 0;
        if (marker != null) {
            from = -1;
            for (int i = 0; i < items.size() && from < 0; i++) {
                if (name.apply(items.get(i)).equals(marker)) {
                    from = i;
                }
            }
            if (from < 0) {
                throw AwsFault.badRequest("ValidationError", "Invalid Marker: " + marker);
            }
        }
        int to = Math.min(items.size(), from + max);
        List<T> page = items.subList(from, to);
        return ok(action, x -> {
            write.accept(x, page);
            x.element("IsTruncated", to < items.size());
            if (to < items.size()) {
                x.element("Marker", name.apply(items.get(to)));
            }
        });
    }

    private Role role(QueryParams p) {
        String name = p.required("RoleName");
        Role r = roles.get(name);
        if (r == null) {
            throw notFound("The role with name " + name + " cannot be found.");
        }
        return r;
    }

    private InstanceProfile profile(QueryParams p) {
        String name = p.required("InstanceProfileName");
        InstanceProfile ip = profiles.get(name);
        if (ip == null) {
            throw notFound("Instance Profile " + name + " cannot be found.");
        }
        return ip;
    }

    private static String name(QueryParams p, String param) {
        String name = p.required(param);
        if (!name.matches("[\\w+=,.@-]{1,128}") || "RoleName".equals(param) && name.length() > 64) {
            throw AwsFault.badRequest("ValidationError", "1 validation error detected: Value '" + name + "' at '"
                    + param + "' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [\\w+=,.@-]+");
        }
        return name;
    }

    private static String path(QueryParams p) {
        String path = p.get("Path", "/");
        if (!path.matches("/|/[\\u0021-\\u007E]*/")) {
            throw AwsFault.badRequest("ValidationError", "The specified value for path is invalid. It must begin and"
                    + " end with / and contain only alphanumeric characters and/or / characters.");
        }
        return path;
    }

    /** A policy document must at least look like a JSON object. */
    private static String policy(QueryParams p, String param) {
        String document = p.required(param);
        String t = document.trim();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw AwsFault.badRequest("MalformedPolicyDocument", "Syntax errors in policy.");
        }
        return document;
    }

    private static AwsFault notFound(String message) {
        return new AwsFault(404, "NoSuchEntity", message);
    }

    private static AwsFault conflict(String code, String message) {
        return new AwsFault(409, code, message);
    }

    private static FakeResponse ok(String action, Consumer<Xml> result) {
        return QueryXml.ok(NAMESPACE, action, result);
    }

    private static void role(Xml x, Role r) {
        x.open("Role");
        roleFields(x, r);
        x.close("Role");
    }

    private static void roleFields(Xml x, Role r) {
        x.element("Path", r.path()).element("RoleName", r.roleName()).element("RoleId", r.roleId())
                .element("Arn", r.arn()).element("CreateDate", r.createDate())
                .element("AssumeRolePolicyDocument", encoded(r.assumeRolePolicyDocument()))
                .element("Description", r.description()).element("MaxSessionDuration", 3600);
        if (!r.tags().isEmpty()) {
            x.memberTags(r.tags());
        }
    }

    private void profile(Xml x, InstanceProfile ip) {
        x.open("InstanceProfile");
        profileFields(x, ip);
        x.close("InstanceProfile");
    }

    private void profileFields(Xml x, InstanceProfile ip) {
        x.element("Path", ip.path()).element("InstanceProfileName", ip.instanceProfileName())
                .element("InstanceProfileId", ip.instanceProfileId()).element("Arn", ip.arn())
                .element("CreateDate", ip.createDate()).open("Roles");
        for (String name : ip.roleNames()) {
            x.open("member");
            roleFields(x, roles.get(name));
            x.close("member");
        }
        x.close("Roles");
        if (!ip.tags().isEmpty()) {
            x.memberTags(ip.tags());
        }
    }

    /** URL-encoded as IAM returns policy documents (RFC 3986). */
    private static String encoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
