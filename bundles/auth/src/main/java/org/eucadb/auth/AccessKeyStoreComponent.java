package org.eucadb.auth;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.auth.AccessKeyStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AccessKeyStore} while the front end's DB is there with the auth schema. */
@Component(service = AccessKeyStore.class)
public class AccessKeyStoreComponent extends JpaAccessKeyStore {
    @Activate
    public AccessKeyStoreComponent(
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=auth.updatable))") DataSource frontendDb,
            @Reference(target = "(osgi.unit.name=eucadb.auth)") EntityManagerFactory frontend) {
        super(frontend);
    }
}
