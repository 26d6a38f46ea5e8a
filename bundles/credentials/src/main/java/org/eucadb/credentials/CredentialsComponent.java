package org.eucadb.credentials;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.credentials.CredentialsException;
import org.eucadb.api.credentials.DbSecret;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Credentials} and the bootstrap endpoint, while the front end's DB is there with the
 * credentials schema. A configuration change that is refused leaves the one in force.
 */
@Component(configurationPid = CredentialsSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = Credentials.class)
@Designate(ocd = CredentialsComponent.Config.class)
public class CredentialsComponent implements Credentials {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsComponent.class);

    @ObjectClassDefinition(name = "eucadb credentials",
            description = "The project CA, DB VM secrets and the HTTPS bootstrap endpoint DB VMs redeem tokens at")
    @interface Config {
        @AttributeDefinition(description = "TCP port of the bootstrap endpoint, 1..65535")
        int port() default CredentialsSettings.DEFAULT_PORT;

        @AttributeDefinition(description = "IP address or DNS name DB VMs reach the bootstrap endpoint at;"
                + " its TLS certificate is issued for it")
        String advertised_address() default CredentialsSettings.DEFAULT_ADVERTISED_ADDRESS;

        @AttributeDefinition(description = "address the endpoint binds (empty: the advertised address;"
                + " 0.0.0.0: every interface)", required = false)
        String listen_address() default "";

        @AttributeDefinition(description = "validity of the server certificates issued, in days, 1..825")
        int cert_validity_days() default CredentialsSettings.DEFAULT_CERT_VALIDITY_DAYS;

        @AttributeDefinition(description = "absolute path of the AES-256 key file encrypting the stored secrets"
                + " (created 0600 on first use; refused if group or others can read it). Empty:"
                + " ${karaf.etc}/eucadb-credentials.key", required = false)
        String key_file() default "";

        @AttributeDefinition(description = "absolute path of the directory for the CA certificate and the password"
                + " files handed to the pools. Empty: ${karaf.data}/eucadb/credentials", required = false)
        String state_dir() default "";
    }

    private final EntityManagerFactory emf;
    private final EventAdmin events;
    private final BundleContext context;
    private volatile Running running;

    /** The bootstrap endpoint listening now, of whichever instance of this component opened it. */
    private static final AtomicReference<BootstrapServer> LISTENING = new AtomicReference<>();

    /** The service and endpoint built from one configuration, replaced as a whole. */
    private record Running(CredentialsSettings settings, CredentialService service, BootstrapServer server) {
        void close() {
            if (server != null) {
                LISTENING.compareAndSet(server, null);
                server.close();
            }
        }
    }

    @Activate
    public CredentialsComponent(
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=credentials.updatable))") DataSource frontendDb,
            @Reference(target = "(osgi.unit.name=eucadb.credentials)") EntityManagerFactory emf,
            @Reference EventAdmin events, BundleContext context, Map<String, ?> props) throws CredentialsException {
        this.emf = emf;
        this.events = events;
        this.context = context;
        this.running = start(CredentialsSettings.parse(props, context.getProperty("karaf.etc"),
                context.getProperty("karaf.data")));
    }

    @Modified
    void modified(Map<String, ?> props) {
        CredentialsSettings next;
        try {
            next = CredentialsSettings.parse(props, context.getProperty("karaf.etc"), context.getProperty("karaf.data"));
        } catch (InvalidValueException e) {
            LOG.error("{}: {}; the configuration in force stays", CredentialsSettings.PID, e.getMessage());
            return;
        }
        if (next.equals(running.settings())) {
            return;
        }
        CredentialService service;
        try {
            // Built before the running one is touched: a key file or DB problem leaves everything as it was.
            service = service(next);
        } catch (CredentialsException e) {
            LOG.error("{}: the new configuration cannot be applied ({}); the configuration in force stays",
                    CredentialsSettings.PID, e.getMessage());
            return;
        }
        Running old = running;
        old.close();
        BootstrapServer server = listen(next, service);
        if (server == null && old.server() != null) {
            LOG.error("{}: keeping the bootstrap endpoint on {}:{}", CredentialsSettings.PID,
                    old.settings().listenAddress(), old.settings().port());
            running = new Running(old.settings(), old.service(), listen(old.settings(), old.service()));
            return;
        }
        running = new Running(next, service, server);
    }

    private Running start(CredentialsSettings s) throws CredentialsException {
        CredentialService service = service(s);
        return new Running(s, service, listen(s, service));
    }

    private CredentialService service(CredentialsSettings s) throws CredentialsException {
        return new CredentialService(emf, s.keyFile(), new CredentialService.Settings(s.stateDir(), s.certValidity(),
                s.bootstrapUrl(s.port())), Clock.systemUTC());
    }

    /** The bootstrap endpoint, or null (logged) when it cannot listen: the credentials stay usable without it. */
    private BootstrapServer listen(CredentialsSettings s, CredentialService service) {
        closeLeakedEndpoint();
        try {
            BootstrapServer server = new BootstrapServer(service, s.listenSocket(), s.advertisedAddress(), this::post);
            LISTENING.set(server);
            LOG.info("bootstrap endpoint listening on {}:{}, advertised as {}", s.listenAddress(), s.port(),
                    s.bootstrapUrl(s.port()));
            return server;
        } catch (java.io.IOException | InvalidValueException | CredentialsException e) {
            LOG.error("bootstrap endpoint cannot listen on {}:{}: {}; DB VMs cannot redeem tokens until {} names a"
                    + " free port and an address of this host", s.listenAddress(), s.port(), e.getMessage(),
                    CredentialsSettings.PID);
            return null;
        }
    }

    /**
     * Closes the endpoint of an instance SCR dropped while activating it (its dependencies went in
     * the meantime, as in a bundle refresh): such an instance is never deactivated, and its
     * listener would hold the port.
     */
    static void closeLeakedEndpoint() {
        BootstrapServer leaked = LISTENING.getAndSet(null);
        if (leaked != null) {
            LOG.info("closing a bootstrap endpoint no component instance owns any more");
            leaked.close();
        }
    }

    private void post(BootstrapRedemption.Outcome o) {
        events.postEvent(new Event(REDEEMED_TOPIC, Map.of(EVENT_ROLE, o.role().id(), EVENT_CLUSTER_ID, o.clusterId(),
                EVENT_ADDRESS, o.address())));
    }

    @Deactivate
    void deactivate() {
        running.close();
    }

    @Override
    public Path caCertificateFile() {
        return running.service().caCertificateFile();
    }

    @Override
    public String caFingerprint() {
        return running.service().caFingerprint();
    }

    @Override
    public DbSecret dbSecret(DbRole role) throws CredentialsException {
        return running.service().dbSecret(role);
    }

    @Override
    public BootstrapToken issueBootstrapToken(DbRole role, String clusterId, Duration ttl) throws CredentialsException {
        return running.service().issueBootstrapToken(role, clusterId, ttl);
    }

    @Override
    public DbSecret rotatePassword(DbRole role, DataSource roleDataSource) throws CredentialsException {
        return running.service().rotatePassword(role, roleDataSource);
    }
}
