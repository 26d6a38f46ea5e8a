package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplate;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateData;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateVersion;

/** Launch templates and their versions: Create (idempotent by ClientToken), Describe, Delete. */
final class Ec2LaunchTemplates {
    private final FakeEc2 ec2;

    Ec2LaunchTemplates(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse create(QueryParams p) {
        String name = p.required("LaunchTemplateName");
        String token = p.get("ClientToken");
        String earlierId = token == null ? null : ec2.clientTokens.get("CreateLaunchTemplate:" + token);
        LaunchTemplate earlier = earlierId == null ? null : ec2.launchTemplates.get(earlierId);
        if (earlier != null) {
            return Ec2Reply.ok("CreateLaunchTemplate", x -> written(x, earlier));
        }
        if (!name.matches("[a-zA-Z0-9().\\-/_]{3,128}")) {
            throw AwsFault.badRequest("InvalidLaunchTemplateName.MalformedException",
                    "A launch template name must be between 3 and 128 characters, and may contain letters, numbers,"
                            + " and the following characters: - ( ) . / _.'");
        }
        if (byName(name) != null) {
            throw AwsFault.badRequest("InvalidLaunchTemplateName.AlreadyExistsException",
                    "Launch template name already in use.");
        }
        if (!p.has("LaunchTemplateData")) {
            throw AwsFault.badRequest("MissingParameter",
                    "The request must contain the parameter LaunchTemplateData");
        }
        LaunchTemplateData data = data(p.sub("LaunchTemplateData"));
        LaunchTemplate t = new LaunchTemplate(FakeIds.ec2("lt"), name, FakeIds.now(), 1, 1,
                Ec2Tags.specified(p, "launch-template"));
        ec2.launchTemplates.put(t.launchTemplateId(), t);
        List<LaunchTemplateVersion> versions = new ArrayList<>();
        versions.add(new LaunchTemplateVersion(t.launchTemplateId(), name, 1, p.get("VersionDescription"),
                t.createTime(), data));
        ec2.templateVersions.put(t.launchTemplateId(), versions);
        if (token != null) {
            ec2.clientTokens.put("CreateLaunchTemplate:" + token, t.launchTemplateId());
        }
        return Ec2Reply.ok("CreateLaunchTemplate", x -> written(x, t));
    }

    private static void written(Xml x, LaunchTemplate t) {
        x.open("launchTemplate");
        Ec2Xml.launchTemplate(x, t);
        x.close("launchTemplate");
    }

    FakeResponse createVersion(QueryParams p) {
        LaunchTemplate t = named(p);
        String token = p.get("ClientToken");
        String earlier = token == null ? null : ec2.clientTokens.get("CreateLaunchTemplateVersion:" + token);
        if (earlier != null) {
            LaunchTemplateVersion v = version(t, earlier);
            return versionReply(t, v);
        }
        LaunchTemplateData data = data(p.sub("LaunchTemplateData"));
        if (p.get("SourceVersion") != null) {
            data = version(t, p.get("SourceVersion")).data().overriddenBy(data);
        }
        long number = t.latestVersion() + 1;
        LaunchTemplateVersion v = new LaunchTemplateVersion(t.launchTemplateId(), t.launchTemplateName(), number,
                p.get("VersionDescription"), FakeIds.now(), data);
        ec2.templateVersions.get(t.launchTemplateId()).add(v);
        LaunchTemplate updated = t.withLatestVersion(number);
        ec2.launchTemplates.put(t.launchTemplateId(), updated);
        if (token != null) {
            ec2.clientTokens.put("CreateLaunchTemplateVersion:" + token, Long.toString(number));
        }
        return versionReply(updated, v);
    }

    private static FakeResponse versionReply(LaunchTemplate t, LaunchTemplateVersion v) {
        return Ec2Reply.ok("CreateLaunchTemplateVersion", x -> {
            x.open("launchTemplateVersion");
            Ec2Xml.launchTemplateVersion(x, v, v.versionNumber() == t.defaultVersion());
            x.close("launchTemplateVersion");
        });
    }

    FakeResponse describe(QueryParams p) {
        List<String> names = p.list("LaunchTemplateName");
        List<String> ids = p.list("LaunchTemplateId");
        for (String n : names) {
            if (byName(n) == null) {
                throw nameNotFound(n);
            }
        }
        for (String id : ids) {
            if (!ec2.launchTemplates.containsKey(id)) {
                throw FakeEc2.notFound(id);
            }
        }
        Ec2Filters filters = Ec2Filters.of(p);
        List<LaunchTemplate> found = ec2.launchTemplates.values().stream()
                .filter(t -> names.isEmpty() && ids.isEmpty() || names.contains(t.launchTemplateName())
                        || ids.contains(t.launchTemplateId()))
                .filter(t -> filters.matches(t.tags(), f -> attribute(t, f))).toList();
        return Ec2Reply.paged("DescribeLaunchTemplates", p, ec2.pageSize(), found, "launchTemplates",
                Ec2Xml::launchTemplate);
    }

    private static Collection<String> attribute(LaunchTemplate t, String filter) {
        return "launch-template-name".equals(filter) ? List.of(t.launchTemplateName()) : null;
    }

    FakeResponse describeVersions(QueryParams p) {
        LaunchTemplate t = named(p);
        List<String> asked = p.list("LaunchTemplateVersion");
        List<LaunchTemplateVersion> found = new ArrayList<>();
        if (asked.isEmpty()) {
            found.addAll(ec2.templateVersions.get(t.launchTemplateId()));
        } else {
            asked.forEach(v -> found.add(version(t, v)));
        }
        return Ec2Reply.paged("DescribeLaunchTemplateVersions", p, ec2.pageSize(), found, "launchTemplateVersionSet",
                (x, v) -> Ec2Xml.launchTemplateVersion(x, v, v.versionNumber() == t.defaultVersion()));
    }

    FakeResponse delete(QueryParams p) {
        LaunchTemplate t = named(p);
        ec2.launchTemplates.remove(t.launchTemplateId());
        ec2.templateVersions.remove(t.launchTemplateId());
        return Ec2Reply.ok("DeleteLaunchTemplate", x -> written(x, t));
    }

    /** The template of that id or name, or null. */
    LaunchTemplate find(String idOrName) {
        LaunchTemplate t = ec2.launchTemplates.get(idOrName);
        return t != null ? t : byName(idOrName);
    }

    /** A version by number, {@code $Latest} or {@code $Default}, or EC2's version-not-found error. */
    LaunchTemplateVersion version(LaunchTemplate t, String version) {
        long number;
        if ("$Latest".equals(version)) {
            number = t.latestVersion();
        } else if ("$Default".equals(version)) {
            number = t.defaultVersion();
        } else {
            try {
                number = Long.parseLong(version);
            } catch (NumberFormatException e) {
                number = -1;
            }
        }
        long wanted = number;
        return ec2.templateVersions.get(t.launchTemplateId()).stream().filter(v -> v.versionNumber() == wanted)
                .findFirst().orElseThrow(() -> AwsFault.badRequest("InvalidLaunchTemplateId.VersionNotFound",
                        "Could not find launch template version " + version + " for launch template "
                                + t.launchTemplateId()));
    }

    /** EC2's not-found error for what {@code idOrName} looks like (an {@code lt-} id or a name). */
    AwsFault notFound(String idOrName) {
        return idOrName.startsWith("lt-") ? FakeEc2.notFound(idOrName) : nameNotFound(idOrName);
    }

    /** The template a request names by LaunchTemplateId or LaunchTemplateName. */
    private LaunchTemplate named(QueryParams p) {
        String id = p.get("LaunchTemplateId");
        String name = p.get("LaunchTemplateName");
        if (id != null) {
            if (!id.startsWith("lt-")) {
                throw AwsFault.badRequest("InvalidLaunchTemplateId.Malformed",
                        "The specified launch template ID " + id + " is malformed.");
            }
            LaunchTemplate t = ec2.launchTemplates.get(id);
            if (t == null) {
                throw FakeEc2.notFound(id);
            }
            return t;
        }
        if (name != null) {
            LaunchTemplate t = byName(name);
            if (t == null) {
                throw nameNotFound(name);
            }
            return t;
        }
        throw AwsFault.badRequest("MissingParameter",
                "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
    }

    private LaunchTemplate byName(String name) {
        return ec2.launchTemplates.values().stream().filter(t -> t.launchTemplateName().equals(name)).findFirst()
                .orElse(null);
    }

    private static AwsFault nameNotFound(String name) {
        return AwsFault.badRequest("InvalidLaunchTemplateName.NotFoundException",
                "The specified launch template, with template name " + name + ", does not exist.");
    }

    /** {@code LaunchTemplateData.*}: what this fake keeps of a template (other settings are dropped). */
    private static LaunchTemplateData data(QueryParams d) {
        String userData = d.get("UserData");
        if (userData != null) {
            try {
                Base64.getMimeDecoder().decode(userData);
                if (!userData.replaceAll("\\s", "").matches("[A-Za-z0-9+/]*={0,2}")) {
                    throw new IllegalArgumentException(userData);
                }
            } catch (IllegalArgumentException e) {
                throw AwsFault.badRequest("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
            }
        }
        Map<String, Map<String, String>> specs = new LinkedHashMap<>();
        for (QueryParams spec : d.structs("TagSpecification")) {
            specs.put(spec.required("ResourceType"), spec.tags("Tag"));
        }
        return new LaunchTemplateData(d.get("ImageId"), d.get("InstanceType"), d.get("KeyName"),
                d.list("SecurityGroupId"), d.get("IamInstanceProfile.Name"), d.get("IamInstanceProfile.Arn"), userData,
                specs);
    }
}
