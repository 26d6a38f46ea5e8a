package org.eucadb.shell;

import java.util.Collection;

import javax.sql.DataSource;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.eucadb.api.DbRole;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.credentials.DbSecret;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Gives a DB VM role a new password, live: changed on the server through the role's own
 * DataSource, stored, and its password file rewritten (the pool picks it up for new connections).
 */
@Command(scope = "eucadb", name = "rotate-credentials", description = "Change a DB VM role's password now")
@Service
public class RotateCredentialsCommand implements Action {
    @Argument(index = 0, name = "role", description = "cloudwatch | reporting", required = true)
    @Completion(value = StringsCompleter.class, values = { "cloudwatch", "reporting" })
    private String role;

    @Reference(optional = true)
    private Credentials credentials;

    @Reference
    private BundleContext context;

    @Override
    public Object execute() throws Exception {
        DbRole r = RemoteRoles.parse(role);
        if (credentials == null) {
            throw new IllegalStateException("credentials are unavailable: the front end's database is not connected"
                    + " or eucadb-credentials is not installed (see eucadb:status)");
        }
        String filter = "(" + ServiceProperties.ROLE + "=" + r.id() + ")";
        Collection<ServiceReference<DataSource>> refs = context.getServiceReferences(DataSource.class, filter);
        if (refs.isEmpty()) {
            throw new IllegalStateException("no DataSource for " + r.id() + " is registered: its DB is not reachable"
                    + " now, and the password can only be changed while it is (see eucadb:status)");
        }
        ServiceReference<DataSource> ref = refs.iterator().next();
        Object source = ref.getProperty(ServiceProperties.SOURCE);
        if (source != null && source.toString().startsWith(ServiceProperties.ENDPOINT_FACTORY_PID)) {
            // Its pool reads the operator's password file, not ours: rotating here would lock the pool out.
            throw new IllegalStateException("the " + r.id() + " DB is an endpoint given by hand (" + source
                    + "): change its password on that server and in the file its password.file names");
        }
        DataSource ds = context.getService(ref);
        try {
            DbSecret secret = credentials.rotatePassword(r, ds);
            System.out.println("rotated the password of " + secret.user() + " (" + r.id() + "); new connections use it,"
                    + " open ones stay");
        } finally {
            context.ungetService(ref);
        }
        return null;
    }
}
