package org.eucadb.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/** The Pax Exam options every eucadb container test uses: our distribution, on Java 17. */
final class KarafOptions {
    private KarafOptions() {
    }

    static Path projectRoot() {
        return Paths.get(System.getProperty("eucadb.it.projectRoot", "..")).toAbsolutePath().normalize();
    }

    static List<Option> base() {
        List<Option> o = new ArrayList<>();
        o.add(karafDistributionConfiguration()
                .frameworkUrl(maven("org.eucadb", "eucadb").type("tar.gz").versionAsInProject())
                .unpackDirectory(new File("target/exam"))
                .useDeployFolder(false));
        // Kept so a failing run can show karaf.log (Pax Exam itself only says the container never came up).
        o.add(keepRuntimeFolder());
        o.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
        o.add(logLevel(LogLevel.INFO));
        // What bin/karaf adds on Java 17; Pax Exam does not (paths relative to the Karaf home).
        o.add(vmOptions("--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-4.4.10.jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-4.4.10.jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "-Xmx1g"));
        String localRepo = System.getProperty("eucadb.it.localRepository");
        if (localRepo != null) {
            o.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.localRepository", localRepo));
        }
        o.add(mavenBundle("org.eucadb", "eucadb-test-support").versionAsInProject());
        o.add(systemProperty("eucadb.it.projectRoot").value(projectRoot().toString()));
        return o;
    }

    /**
     * {@link #base()} plus the front end's own DB: a PostgreSQL started in the test JVM (stopped
     * when it exits) and {@code org.eucadb.frontend} pointing at it.
     */
    static List<Option> withFrontend() throws Exception {
        org.eucadb.testsupport.PostgresServer frontend = org.eucadb.testsupport.PostgresServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                frontend.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        String pw = "fe-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        frontend.createDatabase("eucalyptus", "eucalyptus", pw);
        Path pwFile = org.eucadb.testsupport.PostgresServer.writeSecretFile(frontend.baseDir(), "frontend.pw", pw);
        List<Option> o = base();
        o.add(editConfigurationFilePut("etc/org.eucadb.frontend.cfg", "url", frontend.jdbcUrl("eucalyptus")));
        o.add(editConfigurationFilePut("etc/org.eucadb.frontend.cfg", "user", "eucalyptus"));
        o.add(editConfigurationFilePut("etc/org.eucadb.frontend.cfg", "password.file", pwFile.toString()));
        return o;
    }

    static Option[] with(List<Option> base, Option... more) {
        List<Option> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all.toArray(Option[]::new);
    }
}
