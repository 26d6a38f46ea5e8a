package org.eucadb.schema;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.schema.SchemaMigrationException;
import org.eucadb.api.schema.SchemaScript;
import org.eucadb.api.schema.SchemaSet;

/**
 * Schema sets declared by the manifests on a plain class path: what the OSGi extender does,
 * for tests and benchmarks that run outside a framework.
 */
public final class ClasspathSchemaSets {
    private ClasspathSchemaSets() {
    }

    /** Every set declared by a {@value SchemaSet#HEADER} header on the class path, by order then name. */
    public static List<SchemaSet> discover(ClassLoader loader) throws IOException {
        List<SchemaSet> sets = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources("META-INF/MANIFEST.MF"))) {
            Manifest mf;
            try (InputStream in = url.openStream()) {
                mf = new Manifest(in);
            }
            String header = mf.getMainAttributes().getValue(SchemaSet.HEADER);
            if (header == null) {
                continue;
            }
            String origin = mf.getMainAttributes().getValue("Bundle-SymbolicName");
            for (SchemaSetDeclaration d : SchemaSetDeclaration.parseHeader(header)) {
                sets.add(new LoadedSchemaSet(d, scripts(url, d.path()), origin == null ? url.toString() : origin));
            }
        }
        sets.sort(Comparator.comparingInt(SchemaSet::order).thenComparing(SchemaSet::name));
        return sets;
    }

    /**
     * Migrates every set on the class path into each given database whose role it serves, sets
     * in order: what the pool bundle does when it connects, for tests and benchmarks.
     */
    public static void migrate(ClassLoader loader, Map<DbRole, DataSource> databases)
            throws IOException, SchemaMigrationException {
        FlywaySchemaMigrator migrator = new FlywaySchemaMigrator();
        for (SchemaSet set : discover(loader)) {
            for (Map.Entry<DbRole, DataSource> db : databases.entrySet()) {
                if (set.roles().contains(db.getKey())) {
                    migrator.migrate(db.getValue(), set);
                }
            }
        }
    }

    /** The set called {@code name} on the class path. */
    public static SchemaSet named(ClassLoader loader, String name) throws IOException {
        return discover(loader).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no schema set " + name + " on the class path"));
    }

    private static List<SchemaScript> scripts(URL manifestUrl, String path) throws IOException {
        List<SchemaScript> scripts = new ArrayList<>();
        if ("jar".equals(manifestUrl.getProtocol())) {
            JarURLConnection conn = (JarURLConnection) manifestUrl.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                String prefix = path.endsWith("/") ? path : path + "/";
                for (var e : Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (n.startsWith(prefix) && n.endsWith(".sql") && n.indexOf('/', prefix.length()) < 0) {
                        try (InputStream in = jar.getInputStream(e)) {
                            scripts.add(new SchemaScript(n.substring(prefix.length()),
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                        }
                    }
                }
            }
        } else {
            Path root;
            try {
                root = Paths.get(manifestUrl.toURI()).getParent().getParent();
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            Path dir = root.resolve(path);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                        scripts.add(new SchemaScript(f.getFileName().toString(), Files.readString(f)));
                    }
                }
            }
        }
        return scripts;
    }
}
