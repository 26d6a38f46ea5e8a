package org.eucadb.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.eucadb.api.DbRole;
import org.eucadb.api.dbvm.DbVmVolumes;

/**
 * Deletes a disabled DB VM's data volume, and with it all of the role's append-only data:
 * teardown never does, so this is the only way, and it wants {@code --force}.
 */
@Command(scope = "eucadb", name = "delete-volume",
        description = "Delete a disabled, torn-down DB VM's data volume and all data on it")
@Service
public class DeleteVolumeCommand implements Action {
    @Argument(index = 0, name = "role", description = "cloudwatch | reporting", required = true)
    @Completion(value = StringsCompleter.class, values = { "cloudwatch", "reporting" })
    private String role;

    @Option(name = "--force", description = "really delete: the data on the volume cannot be recovered")
    private boolean force;

    @Reference(optional = true)
    private DbVmVolumes volumes;

    @Override
    public Object execute() throws Exception {
        DbRole r = RemoteRoles.parse(role);
        if (volumes == null) {
            throw new IllegalStateException("the DB VM lifecycle is not running (feature eucadb-lifecycle)");
        }
        if (!force) {
            throw new IllegalStateException("this deletes " + r.id() + "'s data volume and every datapoint or usage"
                    + " event on it, for good; run again with --force to do it");
        }
        System.out.println("deleted volume " + volumes.deleteVolume(r) + " of " + r.id());
        return null;
    }
}
