package org.eucadb.lifecycle;

import java.util.ArrayList;
import java.util.List;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.ResourceKind;

/** PostgreSQL's port open only to the front end; SSH only with a key pair and an admin CIDR. */
final class SecurityGroupStep implements Step {
    static final int SSH_PORT = 22;

    @Override
    public String name() {
        return "security-group";
    }

    static List<IngressRule> rules(DbVmConfig config) {
        List<IngressRule> rules = new ArrayList<>();
        rules.add(new IngressRule(CloudProvider.POSTGRES_PORT, config.effectiveFrontendCidr().orElseThrow()));
        if (config.keyName().isPresent() && config.adminCidr().isPresent()) {
            rules.add(new IngressRule(SSH_PORT, config.adminCidr().get()));
        }
        return rules;
    }

    @Override
    public String inputs(StepContext c) {
        return rules(c.config).toString();
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException {
        List<CloudResource> found = c.provider.find(ResourceKind.SECURITY_GROUP, c.tags());
        if (found.isEmpty()) {
            return false;
        }
        c.securityGroupId = found.get(0).id();
        return true;
    }

    @Override
    public void apply(StepContext c) throws CloudException {
        c.securityGroupId = c.provider.ensureSecurityGroup(c.resourceName(), rules(c.config), c.tags()).id();
    }
}
