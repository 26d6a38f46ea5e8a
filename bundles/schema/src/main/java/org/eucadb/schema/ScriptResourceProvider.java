package org.eucadb.schema;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eucadb.api.schema.SchemaScript;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Gives Flyway a schema set's scripts directly, so Flyway never scans a class path (which in
 * OSGi would be the wrong bundle's).
 */
final class ScriptResourceProvider implements ResourceProvider {
    private final String setName;
    private final List<SchemaScript> scripts;

    ScriptResourceProvider(String setName, List<SchemaScript> scripts) {
        this.setName = setName;
        this.scripts = scripts;
    }

    @Override
    public LoadableResource getResource(String name) {
        for (SchemaScript s : scripts) {
            if (s.fileName().equals(name)) {
                return new ScriptResource(setName, s);
            }
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> found = new ArrayList<>();
        for (SchemaScript s : scripts) {
            if (s.fileName().startsWith(prefix) && endsWithAny(s.fileName(), suffixes)) {
                found.add(new ScriptResource(setName, s));
            }
        }
        return found;
    }

    private static boolean endsWithAny(String name, String[] suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static final class ScriptResource extends LoadableResource {
        private final String setName;
        private final SchemaScript script;

        ScriptResource(String setName, SchemaScript script) {
            this.setName = setName;
            this.script = script;
        }

        @Override
        public Reader read() {
            return new StringReader(script.sql());
        }

        @Override
        public String getAbsolutePath() {
            return setName + "/" + script.fileName();
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return script.fileName();
        }

        @Override
        public String getRelativePath() {
            return script.fileName();
        }
    }
}
