package org.eucadb.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.AccessKeyStore;

/** API access keys: create (the secret is shown this once), list, delete. */
@Command(scope = "eucadb", name = "access-key", description = "Create, list or delete API access keys")
@Service
public class AccessKeyCommand implements Action {
    @Argument(index = 0, name = "action", description = "create | list | delete", required = true)
    @Completion(value = StringsCompleter.class, values = { "create", "list", "delete" })
    private String action;

    @Argument(index = 1, name = "target", description = "create: the 12-digit account id; delete: the access key id")
    private String target;

    @Reference(optional = true)
    private AccessKeyStore keys;

    @Override
    public Object execute() throws Exception {
        if (keys == null) {
            throw new IllegalStateException("access keys are unavailable: the front end's database is not connected"
                    + " (see eucadb:status)");
        }
        switch (action) {
            case "create" -> {
                AccessKey k = keys.create(target);
                System.out.println("AccessKeyId     " + k.accessKeyId());
                System.out.println("SecretAccessKey " + k.secretAccessKey());
                System.out.println("Account         " + k.accountId());
                System.out.println("The secret is shown only now; keep it safe.");
            }
            case "list" -> {
                ShellTable t = new ShellTable();
                t.column("AccessKeyId");
                t.column("Account");
                List<AccessKey> all = keys.list();
                all.forEach(k -> t.addRow().addContent(k.accessKeyId(), k.accountId()));
                t.print(System.out);
            }
            case "delete" -> {
                if (target == null || !keys.delete(target)) {
                    throw new InvalidValueException("target", target, "the id of an existing access key");
                }
                System.out.println("deleted " + target);
            }
            default -> throw new InvalidValueException("action", action, "create|list|delete");
        }
        return null;
    }
}
