package org.eucadb.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.CredentialsException;

/**
 * The launch template. A new version (with a fresh one-time bootstrap token) is made only when
 * what the instance is made of changes, or when the token expired before an instance used it;
 * a new version makes the group replace its instance.
 */
final class LaunchTemplateStep implements Step {
    /** How long a bootstrap token lives: an instance redeems it within minutes of launch. */
    static final Duration TOKEN_TTL = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "launch-template";
    }

    @Override
    public String inputs(StepContext c) {
        DbVmConfig k = c.config;
        return String.join("|", k.image().orElseThrow(), k.instanceType(), k.keyName().orElse(""),
                c.securityGroupId, c.instanceProfile.orElse(""), c.state.volumeId,
                k.effectiveFrontendCidr().orElseThrow(), k.ntpServer().orElse(""),
                Integer.toString(k.certValidityDays()), c.credentials.caFingerprint());
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws CloudException {
        List<CloudResource> found = c.provider.find(ResourceKind.LAUNCH_TEMPLATE, c.tags());
        return !found.isEmpty() && c.state.templateVersion != null
                && found.get(0).attribute("version") != null;
    }

    @Override
    public void apply(StepContext c) throws CloudException, CredentialsException {
        BootstrapToken token = c.credentials.issueBootstrapToken(c.config.role(), c.clusterId, TOKEN_TTL);
        LaunchSpec spec = new LaunchSpec(c.resourceName(), c.config.image().orElseThrow(), c.config.instanceType(),
                c.config.keyName(), List.of(c.securityGroupId), c.instanceProfile, userData(c, token), c.tags());
        CloudResource t = c.provider.putLaunchTemplate(spec);
        c.state.templateVersion = t.attribute("version");
        c.state.tokenExpiresAt = token.expiresAt();
    }

    /**
     * What the guest reads at boot: where to redeem its token and how to recognise the CA, and
     * non-secret settings. Never a password or key: those come sealed from the redeem.
     */
    static String userData(StepContext c, BootstrapToken token) {
        StringBuilder b = new StringBuilder();
        line(b, "EUCADB_BOOTSTRAP_URL", token.bootstrapUrl().toString());
        line(b, "EUCADB_BOOTSTRAP_TOKEN", token.token());
        line(b, "EUCADB_CA_FINGERPRINT", token.caFingerprint());
        line(b, "EUCADB_ROLE", c.config.role().id());
        line(b, "EUCADB_CLUSTER", c.clusterId);
        line(b, "EUCADB_VOLUME_ID", c.state.volumeId);
        line(b, "EUCADB_FRONTEND_CIDR", c.config.effectiveFrontendCidr().orElseThrow());
        Optional<String> ntp = c.config.ntpServer();
        ntp.ifPresent(n -> line(b, "EUCADB_NTP_SERVER", n));
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append('=').append(value).append('\n');
    }
}
