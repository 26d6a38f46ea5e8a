package org.eucadb.credentials;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.credentials.Credentials;

/** The credentials service and its bootstrap endpoint outside OSGi, as their component runs them. */
public final class TestCredentials implements AutoCloseable {
    private final EntityManagerFactory emf;
    private final CredentialService service;
    private final BootstrapServer server;

    public TestCredentials(DataSource frontend, Path dir, int port) throws Exception {
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.credentials",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        service = new CredentialService(emf, dir.resolve("credentials.key"), new CredentialService.Settings(
                dir.resolve("state"), Duration.ofDays(30), URI.create("https://127.0.0.1:" + port + "/bootstrap/v1/")),
                Clock.systemUTC());
        server = new BootstrapServer(service, new InetSocketAddress("127.0.0.1", port), "127.0.0.1", o -> { });
    }

    public Credentials credentials() {
        return service;
    }

    @Override
    public void close() {
        server.close();
        emf.close();
    }
}
