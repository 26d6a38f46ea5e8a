package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eucadb.testsupport.aws.FakeEc2.IpRule;
import org.eucadb.testsupport.aws.FakeEc2.SecurityGroup;

/** Security groups with CIDR ingress rules: Create, Describe, Authorize/RevokeIngress, Delete. */
final class Ec2SecurityGroups {
    private static final Pattern CIDR4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}");
    private static final Pattern CIDR6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*/\\d{1,3}");

    private final FakeEc2 ec2;

    Ec2SecurityGroups(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse create(QueryParams p) {
        String name = p.required("GroupName");
        String description = p.required("GroupDescription");
        String vpc = p.get("VpcId", FakeEc2.DEFAULT_VPC);
        if (ec2.securityGroups.values().stream().anyMatch(g -> g.groupName().equals(name) && g.vpcId().equals(vpc))) {
            throw AwsFault.badRequest("InvalidGroup.Duplicate", "The security group '" + name
                    + "' already exists for VPC '" + vpc + "'");
        }
        SecurityGroup g = new SecurityGroup(FakeIds.ec2("sg"), name, description, vpc, FakeEc2.ACCOUNT, List.of(),
                Ec2Tags.specified(p, "security-group"));
        ec2.securityGroups.put(g.groupId(), g);
        return Ec2Reply.ok("CreateSecurityGroup", x -> x.element("return", true).element("groupId", g.groupId())
                .element("securityGroupArn", "arn:aws:ec2:" + ec2.region + ":" + FakeEc2.ACCOUNT + ":security-group/"
                        + g.groupId())
                .tagSet(g.tags()));
    }

    FakeResponse describe(QueryParams p) {
        List<String> ids = p.list("GroupId");
        List<String> names = p.list("GroupName");
        ids.forEach(this::byId);
        names.forEach(this::byName);
        Ec2Filters filters = Ec2Filters.of(p);
        List<SecurityGroup> found = ec2.securityGroups.values().stream()
                .filter(g -> ids.isEmpty() && names.isEmpty() || ids.contains(g.groupId())
                        || names.contains(g.groupName()))
                .filter(g -> filters.matches(g.tags(), f -> attribute(g, f))).toList();
        return Ec2Reply.paged("DescribeSecurityGroups", p, ec2.pageSize(), found, "securityGroupInfo",
                Ec2Xml::securityGroup);
    }

    private static Collection<String> attribute(SecurityGroup g, String filter) {
        return "group-name".equals(filter) ? List.of(g.groupName()) : null;
    }

    FakeResponse authorize(QueryParams p) {
        SecurityGroup g = group(p);
        List<IpRule> added = rules(p);
        List<IpRule> all = new ArrayList<>(g.ingress());
        for (IpRule r : added) {
            if (all.contains(r)) {
                throw AwsFault.badRequest("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + (r.cidrIp() != null ? r.cidrIp() : r.cidrIpv6()) + ", " + r.protocol() + ", from port: "
                        + r.fromPort() + ", to port: " + r.toPort() + ", ALLOW\" already exists");
            }
            all.add(r);
        }
        ec2.securityGroups.put(g.groupId(), g.withIngress(all));
        return Ec2Reply.ok("AuthorizeSecurityGroupIngress", x -> {
            x.element("return", true).open("securityGroupRuleSet");
            added.forEach(r -> {
                x.open("item");
                Ec2Xml.rule(x, g.groupId(), r);
                x.close("item");
            });
            x.close("securityGroupRuleSet");
        });
    }

    FakeResponse revoke(QueryParams p) {
        SecurityGroup g = group(p);
        List<IpRule> all = new ArrayList<>(g.ingress());
        for (IpRule r : rules(p)) {
            if (!all.remove(r)) {
                throw AwsFault.badRequest("InvalidPermission.NotFound",
                        "The specified rule does not exist in this security group.");
            }
        }
        ec2.securityGroups.put(g.groupId(), g.withIngress(all));
        return Ec2Reply.ok("RevokeSecurityGroupIngress");
    }

    FakeResponse delete(QueryParams p) {
        SecurityGroup g = group(p);
        boolean used = ec2.instances.values().stream().anyMatch(
                i -> !"terminated".equals(i.state()) && i.securityGroupIds().contains(g.groupId()));
        if (used) {
            throw AwsFault.badRequest("DependencyViolation", "resource " + g.groupId() + " has a dependent object");
        }
        ec2.securityGroups.remove(g.groupId());
        return Ec2Reply.ok("DeleteSecurityGroup", x -> x.element("return", true).element("groupId", g.groupId()));
    }

    /** The group a mutation names by GroupId (or GroupName, in the default VPC). */
    private SecurityGroup group(QueryParams p) {
        if (p.get("GroupId") != null) {
            return byId(p.get("GroupId"));
        }
        if (p.get("GroupName") != null) {
            return byName(p.get("GroupName"));
        }
        throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter GroupId or GroupName");
    }

    private SecurityGroup byId(String id) {
        SecurityGroup g = ec2.securityGroups.get(id);
        if (g == null) {
            throw AwsFault.badRequest("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
        }
        return g;
    }

    private SecurityGroup byName(String name) {
        return ec2.securityGroups.values().stream().filter(g -> g.groupName().equals(name)).findFirst()
                .orElseThrow(() -> AwsFault.badRequest("InvalidGroup.NotFound", "The security group '" + name
                        + "' does not exist in default VPC '" + FakeEc2.DEFAULT_VPC + "'"));
    }

    /** {@code IpPermissions.N}, one rule per CIDR range (group pairs and prefix lists are not faked). */
    private static List<IpRule> rules(QueryParams p) {
        List<IpRule> rules = new ArrayList<>();
        for (QueryParams perm : p.structs("IpPermissions")) {
            String protocol = protocol(perm.required("IpProtocol"));
            Integer from = perm.integer("FromPort");
            Integer to = perm.integer("ToPort");
            if ("-1".equals(protocol)) {
                from = null;
                to = null;
            } else if (from == null || to == null) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.");
            } else if (("tcp".equals(protocol) || "udp".equals(protocol))
                    && (from < 0 || to > 65535 || from > to)) {
                throw AwsFault.badRequest("InvalidParameterValue", "Invalid port range " + from + "-" + to);
            }
            if (perm.has("Groups") || perm.has("UserIdGroupPairs") || perm.has("PrefixListIds")) {
                throw AwsFault.badRequest("InvalidParameterValue", "this fake supports CIDR ranges only");
            }
            int before = rules.size();
            for (QueryParams range : perm.structs("IpRanges")) {
                String cidr = range.required("CidrIp");
                if (!CIDR4.matcher(cidr).matches()) {
                    throw AwsFault.badRequest("InvalidParameterValue", "CIDR block " + cidr + " is malformed");
                }
                rules.add(new IpRule(protocol, from, to, cidr, null));
            }
            for (QueryParams range : perm.structs("Ipv6Ranges")) {
                String cidr = range.required("CidrIpv6");
                if (!CIDR6.matcher(cidr).matches()) {
                    throw AwsFault.badRequest("InvalidParameterValue", "CIDR block " + cidr + " is malformed");
                }
                rules.add(new IpRule(protocol, from, to, null, cidr));
            }
            if (rules.size() == before) {
                throw AwsFault.badRequest("MissingParameter", "The request must contain an IP range");
            }
        }
        if (rules.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter IpPermissions");
        }
        return rules;
    }

    private static String protocol(String p) {
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
            case "1", "icmp" -> "icmp";
            case "58", "icmpv6" -> "icmpv6";
            case "-1", "all" -> "-1";
            default -> throw AwsFault.badRequest("InvalidParameterValue",
                    "Invalid value '" + p + "' for IP protocol. Unknown protocol.");
        };
    }
}
