package org.eucadb.testsupport.aws;

import static org.eucadb.testsupport.aws.FakeClients.assertAwsError;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/** FakeIam on its own server through the real IamClient: roles, inline policies, instance profiles. */
public class FakeIamTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::backups/*\"}]}";

    private FakeIam fake;
    private AwsFakeServer server;
    private IamClient iam;

    @Before
    public void start() throws Exception {
        fake = new FakeIam();
        server = AwsFakeServer.start(fake);
        iam = FakeClients.iam(server.endpoint());
    }

    @After
    public void stop() {
        iam.close();
        server.close();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static String decoded(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    @Test
    public void rolesAreCreatedReadAndDeletedOnceFreeOfPolicies() {
        Role r = iam.createRole(b -> b.roleName("db-vm").path("/eucadb/").assumeRolePolicyDocument(TRUST)
                .description("the DB VM").tags(tag("Cluster", "c1"))).role();
        assertEquals("/eucadb/", r.path());
        assertEquals("db-vm", r.roleName());
        assertTrue(r.roleId(), r.roleId().matches("AROA[A-Z0-9]{17}"));
        assertEquals("arn:aws:iam::123456789012:role/eucadb/db-vm", r.arn());
        assertNotNull(r.createDate());
        assertEquals(TRUST, decoded(r.assumeRolePolicyDocument()));
        assertEquals(List.of(tag("Cluster", "c1")), r.tags());
        assertEquals(TRUST, fake.role("db-vm").assumeRolePolicyDocument());

        Role got = iam.getRole(b -> b.roleName("DB-VM")).role();
        assertEquals(r.arn(), got.arn());
        assertEquals("the DB VM", got.description());
        EntityAlreadyExistsException exists = (EntityAlreadyExistsException) assertAwsError("EntityAlreadyExists", 409,
                () -> iam.createRole(b -> b.roleName("db-vm").assumeRolePolicyDocument(TRUST)));
        assertNotNull(exists);
        assertTrue(assertAwsError("NoSuchEntity", 404, () -> iam.getRole(b -> b.roleName("nope")))
                instanceof NoSuchEntityException);
        assertAwsError("MalformedPolicyDocument", 400,
                () -> iam.createRole(b -> b.roleName("bad").assumeRolePolicyDocument("not json")));
        assertAwsError("ValidationError", 400,
                () -> iam.createRole(b -> b.roleName("bad").path("eucadb").assumeRolePolicyDocument(TRUST)));
        assertAwsError("ValidationError", 400,
                () -> iam.createRole(b -> b.roleName("bad name").assumeRolePolicyDocument(TRUST)));

        iam.putRolePolicy(b -> b.roleName("db-vm").policyName("backups").policyDocument(POLICY));
        iam.putRolePolicy(b -> b.roleName("db-vm").policyName("logs").policyDocument("{}"));
        assertEquals(POLICY, decoded(iam.getRolePolicy(b -> b.roleName("db-vm").policyName("backups"))
                .policyDocument()));
        assertEquals(POLICY, fake.rolePolicy("db-vm", "backups"));
        assertEquals(List.of("backups", "logs"), iam.listRolePolicies(b -> b.roleName("db-vm")).policyNames());
        assertEquals(List.of("backups", "logs"), iam.listRolePoliciesPaginator(b -> b.roleName("db-vm").maxItems(1))
                .policyNames().stream().toList());
        assertAwsError("NoSuchEntity", 404, () -> iam.getRolePolicy(b -> b.roleName("db-vm").policyName("nope")));
        assertAwsError("NoSuchEntity", 404,
                () -> iam.putRolePolicy(b -> b.roleName("nope").policyName("p").policyDocument("{}")));
        assertAwsError("MalformedPolicyDocument", 400,
                () -> iam.putRolePolicy(b -> b.roleName("db-vm").policyName("p").policyDocument("[]")));

        assertTrue(assertAwsError("DeleteConflict", 409, () -> iam.deleteRole(b -> b.roleName("db-vm")))
                instanceof DeleteConflictException);
        iam.deleteRolePolicy(b -> b.roleName("db-vm").policyName("backups"));
        iam.deleteRolePolicy(b -> b.roleName("db-vm").policyName("logs"));
        assertAwsError("NoSuchEntity", 404, () -> iam.deleteRolePolicy(b -> b.roleName("db-vm").policyName("logs")));
        assertEquals(List.of(), iam.listRolePolicies(b -> b.roleName("db-vm")).policyNames());
        iam.deleteRole(b -> b.roleName("db-vm"));
        assertNull(fake.role("db-vm"));
        assertAwsError("NoSuchEntity", 404, () -> iam.deleteRole(b -> b.roleName("db-vm")));
    }

    @Test
    public void instanceProfilesHoldOneRole() {
        iam.createRole(b -> b.roleName("db-vm").assumeRolePolicyDocument(TRUST));
        iam.createRole(b -> b.roleName("other").assumeRolePolicyDocument(TRUST));
        InstanceProfile ip = iam.createInstanceProfile(b -> b.instanceProfileName("db-vm").path("/eucadb/")
                .tags(tag("Cluster", "c1"))).instanceProfile();
        assertEquals("arn:aws:iam::123456789012:instance-profile/eucadb/db-vm", ip.arn());
        assertTrue(ip.instanceProfileId(), ip.instanceProfileId().matches("AIPA[A-Z0-9]{17}"));
        assertEquals(List.of(), ip.roles());
        assertAwsError("EntityAlreadyExists", 409, () -> iam.createInstanceProfile(b -> b.instanceProfileName("db-vm")));

        iam.addRoleToInstanceProfile(b -> b.instanceProfileName("db-vm").roleName("db-vm"));
        assertTrue(assertAwsError("LimitExceeded", 409,
                () -> iam.addRoleToInstanceProfile(b -> b.instanceProfileName("db-vm").roleName("other")))
                instanceof LimitExceededException);
        assertAwsError("NoSuchEntity", 404,
                () -> iam.addRoleToInstanceProfile(b -> b.instanceProfileName("nope").roleName("other")));
        assertAwsError("NoSuchEntity", 404,
                () -> iam.addRoleToInstanceProfile(b -> b.instanceProfileName("db-vm").roleName("nope")));
        assertEquals("no retries of client errors", 4, server.calls("AddRoleToInstanceProfile"));
        InstanceProfile got = iam.getInstanceProfile(b -> b.instanceProfileName("db-vm")).instanceProfile();
        assertEquals("db-vm", got.roles().get(0).roleName());
        assertEquals("arn:aws:iam::123456789012:role/db-vm", got.roles().get(0).arn());
        assertEquals(List.of("db-vm"), fake.instanceProfile("db-vm").roleNames());

        assertAwsError("DeleteConflict", 409, () -> iam.deleteRole(b -> b.roleName("db-vm")));
        assertAwsError("DeleteConflict", 409, () -> iam.deleteInstanceProfile(b -> b.instanceProfileName("db-vm")));
        assertAwsError("NoSuchEntity", 404,
                () -> iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName("db-vm").roleName("other")));
        iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName("db-vm").roleName("db-vm"));
        iam.deleteInstanceProfile(b -> b.instanceProfileName("db-vm"));
        iam.deleteRole(b -> b.roleName("db-vm"));
        assertAwsError("NoSuchEntity", 404, () -> iam.getInstanceProfile(b -> b.instanceProfileName("db-vm")));
        assertNull(fake.instanceProfile("db-vm"));
    }

    @Test
    public void instanceProfilesAreListedByPathInPagesAndTagged() {
        for (String name : List.of("a", "b", "c")) {
            iam.createInstanceProfile(b -> b.instanceProfileName(name).path("/eucadb/"));
        }
        iam.createInstanceProfile(b -> b.instanceProfileName("z"));
        ListInstanceProfilesResponse first = iam.listInstanceProfiles(b -> b.pathPrefix("/eucadb/").maxItems(2));
        assertEquals(List.of("a", "b"), first.instanceProfiles().stream().map(InstanceProfile::instanceProfileName)
                .toList());
        assertTrue(first.isTruncated());
        ListInstanceProfilesResponse second = iam.listInstanceProfiles(b -> b.pathPrefix("/eucadb/").maxItems(2)
                .marker(first.marker()));
        assertEquals("c", second.instanceProfiles().get(0).instanceProfileName());
        assertFalse(second.isTruncated());
        assertEquals(4, iam.listInstanceProfilesPaginator(b -> b.maxItems(1)).instanceProfiles().stream().count());
        assertAwsError("ValidationError", 400, () -> iam.listInstanceProfiles(b -> b.marker("bogus")));

        iam.tagInstanceProfile(b -> b.instanceProfileName("a").tags(tag("Cluster", "c1"), tag("Owner", "bob")));
        iam.tagInstanceProfile(b -> b.instanceProfileName("a").tags(tag("Owner", "alice")));
        assertEquals(List.of(tag("Cluster", "c1"), tag("Owner", "alice")),
                iam.listInstanceProfileTags(b -> b.instanceProfileName("a")).tags());
        assertEquals(List.of(), iam.listInstanceProfileTags(b -> b.instanceProfileName("b")).tags());
        assertAwsError("NoSuchEntity", 404, () -> iam.listInstanceProfileTags(b -> b.instanceProfileName("nope")));
        assertAwsError("NoSuchEntity", 404,
                () -> iam.tagInstanceProfile(b -> b.instanceProfileName("nope").tags(tag("k", "v"))));
    }
}
