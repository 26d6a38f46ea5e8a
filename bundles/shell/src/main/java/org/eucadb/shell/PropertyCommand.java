package org.eucadb.shell;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.dbvm.DbVmProperties;
import org.eucadb.api.dbvm.DbVmProperty;

/** The DB VM properties: list, get, set (by eucadb or Eucalyptus name), each value validated. */
@Command(scope = "eucadb", name = "property", description = "List, get or set DB VM properties "
        + "(also by their Eucalyptus names, services.database.worker.*)")
@Service
public class PropertyCommand implements Action {
    @Argument(index = 0, name = "action", description = "list | get | set", required = true)
    @Completion(value = StringsCompleter.class, values = { "list", "get", "set" })
    private String action;

    @Argument(index = 1, name = "name", description = "property name, e.g. image or services.database.worker.image")
    @Completion(value = StringsCompleter.class, values = { "enabled", "image", "instance_type", "keyname",
        "availability_zones", "volume_size_gib", "volume_id", "frontend_cidr", "admin_cidr", "ntp_server",
        "cert_validity_days", "provider", "services.database.worker.configured", "services.database.worker.image",
        "services.database.worker.instance_type", "services.database.worker.keyname",
        "services.database.worker.availability_zones", "services.database.worker.volume",
        "services.database.worker.ntp_server", "services.database.worker.expiration_days" })
    private String name;

    @Argument(index = 2, name = "value", description = "set: the new value (empty string: back to the default)")
    private String value;

    @Option(name = "--role", description = "cloudwatch | reporting (default: both)")
    @Completion(value = StringsCompleter.class, values = { "cloudwatch", "reporting" })
    private String role;

    @Reference(optional = true)
    private DbVmProperties properties;

    @Override
    public Object execute() throws Exception {
        if (properties == null) {
            throw new IllegalStateException("the DB VM lifecycle is not running (feature eucadb-lifecycle)");
        }
        Optional<DbRole> r = role == null ? Optional.empty() : Optional.of(DbRole.parse("--role", role));
        switch (action) {
            case "list" -> print(properties.list(), r, Optional.empty());
            case "get" -> print(properties.list(), r, Optional.of(required()));
            case "set" -> {
                if (value == null) {
                    throw new InvalidValueException("value", null, "a value for " + required()
                            + " (\"\" for the default)");
                }
                List<DbVmProperty> now = properties.set(r, required(), value);
                print(now, r, Optional.of(required()));
            }
            default -> throw new InvalidValueException("action", action, "list|get|set");
        }
        return null;
    }

    private String required() {
        if (name == null || name.isBlank()) {
            throw new InvalidValueException("name", name, "a property name (see eucadb:property list)");
        }
        return name;
    }

    private static void print(List<DbVmProperty> all, Optional<DbRole> role, Optional<String> only) {
        ShellTable t = new ShellTable();
        t.column("Role");
        t.column("Property");
        t.column("Value");
        t.column("Eucalyptus name");
        t.column("Accepts").maxSize(70).wrap();
        boolean any = false;
        for (DbVmProperty p : all) {
            boolean match = only.isEmpty() || only.get().equals(p.name())
                    || only.get().equals(p.eucalyptusName().orElse(null));
            if (match && role.map(x -> x == p.role()).orElse(true)) {
                t.addRow().addContent(p.role().id(), p.name(), p.value(), p.eucalyptusName().orElse("-"),
                        p.description());
                any = true;
            }
        }
        if (!any && only.isPresent()) {
            throw new InvalidValueException("name", only.get(), "a property name (see eucadb:property list)");
        }
        t.print(System.out);
    }
}
