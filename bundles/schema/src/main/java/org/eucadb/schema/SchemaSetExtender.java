package org.eucadb.schema;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;

import org.eucadb.api.DbRole;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.schema.SchemaScript;
import org.eucadb.api.schema.SchemaSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender: for every active bundle declaring {@value SchemaSet#HEADER}, registers its
 * schema sets as services in that bundle's name, so they leave with the bundle.
 */
@Component(immediate = true)
public class SchemaSetExtender {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaSetExtender.class);

    private BundleTracker<List<ServiceRegistration<SchemaSet>>> tracker;

    @Activate
    void activate(BundleContext context) {
        tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public List<ServiceRegistration<SchemaSet>> addingBundle(Bundle bundle, BundleEvent event) {
                String header = bundle.getHeaders("").get(SchemaSet.HEADER);
                return header == null ? null : register(bundle, header);
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<ServiceRegistration<SchemaSet>> regs) {
                for (ServiceRegistration<SchemaSet> r : regs) {
                    try {
                        r.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // the bundle stopped first and took its services with it
                    }
                }
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    private List<ServiceRegistration<SchemaSet>> register(Bundle bundle, String header) {
        List<ServiceRegistration<SchemaSet>> regs = new ArrayList<>();
        BundleContext ctx = bundle.getBundleContext();
        if (ctx == null) {
            return null;
        }
        try {
            for (SchemaSetDeclaration d : SchemaSetDeclaration.parseHeader(header)) {
                LoadedSchemaSet set = new LoadedSchemaSet(d, scripts(bundle, d.path()), bundle.getSymbolicName());
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(SchemaSet.NAME_PROPERTY, set.name());
                props.put(ServiceProperties.ROLE, set.roles().stream().map(DbRole::id).toArray(String[]::new));
                regs.add(ctx.registerService(SchemaSet.class, set, props));
                LOG.debug("schema set {} from {} registered", set.name(), bundle.getSymbolicName());
            }
        } catch (RuntimeException | IOException e) {
            LOG.error("bundle {}: bad {} header, its schema sets are ignored: {}", bundle.getSymbolicName(),
                    SchemaSet.HEADER, e.getMessage());
            regs.forEach(ServiceRegistration::unregister);
            return null;
        }
        return regs;
    }

    private static List<SchemaScript> scripts(Bundle bundle, String path) throws IOException {
        List<SchemaScript> scripts = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries(path, "*.sql", false);
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String file = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            try (InputStream in = url.openStream()) {
                scripts.add(new SchemaScript(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return scripts;
    }
}
