package org.eucadb.cloud.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eucadb.api.InvalidValueException;

/**
 * The cloud-local configuration ({@code org.eucadb.cloud.local}), parsed and checked: every
 * refusal names the property and what it accepts.
 *
 * @param stateDir      records, volumes, instances and the extracted guest scripts
 * @param firstPort     lowest instance port
 * @param lastPort      highest instance port
 * @param listenAddress where instances listen, and the address the front end dials
 * @param instanceTypes instance types offered
 * @param zones         availability zones offered
 * @param pgBinDir      PostgreSQL binaries
 * @param osUser        OS user running PostgreSQL
 */
record LocalCloudConfig(Path stateDir, int firstPort, int lastPort, String listenAddress, Set<String> instanceTypes,
        Set<String> zones, Path pgBinDir, String osUser) {

    static final String PID = "org.eucadb.cloud.local";
    static final String STATE_DIR = "state_dir";
    static final String PORT_RANGE = "port_range";
    static final String LISTEN_ADDRESS = "listen_address";
    static final String INSTANCE_TYPES = "instance_types";
    static final String ZONES = "zones";
    static final String PG_BIN_DIR = "pg_bin_dir";
    static final String OS_USER = "os_user";

    static final String DEFAULT_PORT_RANGE = "15500-15599";
    static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    static final String DEFAULT_INSTANCE_TYPES = "m1.small,m1.medium,m1.large,m1.xlarge,m5.large";
    static final String DEFAULT_ZONES = "local-a,local-b";

    private static final Pattern PORT_RANGE_SYNTAX = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern ZONE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
    private static final Pattern OS_USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final List<String> PG_BINARIES = List.of("postgres", "pg_ctl", "initdb", "psql", "pg_isready");

    /** What the defaults come from: Karaf's data dir and the user Karaf runs as. */
    record Environment(Optional<Path> karafData, String userName) {
        static Environment current(String karafData) {
            return new Environment(Optional.ofNullable(karafData).filter(s -> !s.isBlank()).map(Paths::get),
                    System.getProperty("user.name"));
        }
    }

    static LocalCloudConfig parse(Map<String, ?> props, Environment env) {
        Path stateDir = stateDir(text(props, STATE_DIR), env);
        int[] ports = portRange(text(props, PORT_RANGE).orElse(DEFAULT_PORT_RANGE));
        String listen = listenAddress(text(props, LISTEN_ADDRESS).orElse(DEFAULT_LISTEN_ADDRESS));
        Set<String> types = names(INSTANCE_TYPES, text(props, INSTANCE_TYPES).orElse(DEFAULT_INSTANCE_TYPES),
                INSTANCE_TYPE, "comma-separated instance types like m1.small (a-z, 0-9, '.', '-')");
        Set<String> zones = names(ZONES, text(props, ZONES).orElse(DEFAULT_ZONES), ZONE,
                "comma-separated zone names like local-a (a-z, 0-9, '-')");
        Path bin = pgBinDir(text(props, PG_BIN_DIR));
        String user = osUser(text(props, OS_USER).orElse("root".equals(env.userName()) ? "postgres" : env.userName()));
        return new LocalCloudConfig(stateDir, ports[0], ports[1], listen, types, zones, bin, user);
    }

    private static Optional<String> text(Map<String, ?> props, String name) {
        Object v = props.get(name);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().trim());
    }

    private static Path stateDir(Optional<String> given, Environment env) {
        Path dir;
        if (given.isPresent()) {
            dir = Paths.get(given.get());
            if (!dir.isAbsolute() || given.get().contains("\n")) {
                throw new InvalidValueException(STATE_DIR, given.get(), "an absolute directory path");
            }
        } else {
            dir = env.karafData().map(d -> d.resolve("eucadb").resolve("cloud-local")).orElseThrow(
                    () -> new InvalidValueException(STATE_DIR, "", "an absolute directory path (no karaf.data to default to)"));
        }
        dir = dir.normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidValueException(STATE_DIR, dir, "a directory (this is a file)");
        }
        return dir;
    }

    private static int[] portRange(String v) {
        Matcher m = PORT_RANGE_SYNTAX.matcher(v);
        String accepted = "FIRST-LAST with 1024 <= FIRST <= LAST <= 65535, e.g. " + DEFAULT_PORT_RANGE;
        if (!m.matches()) {
            throw new InvalidValueException(PORT_RANGE, v, accepted);
        }
        int first = Integer.parseInt(m.group(1));
        int last = Integer.parseInt(m.group(2));
        if (first < 1024 || last > 65535 || first > last) {
            throw new InvalidValueException(PORT_RANGE, v, accepted);
        }
        return new int[] { first, last };
    }

    private static String listenAddress(String v) {
        // All digits and dots is an IPv4 address, never a host name.
        boolean valid = v.matches("[0-9.]+") ? IPV4.matcher(v).matches() : HOST_NAME.matcher(v).matches();
        if (!valid || v.equals("0.0.0.0")) {
            throw new InvalidValueException(LISTEN_ADDRESS, v,
                    "one IPv4 address or host name the front end can dial, e.g. 127.0.0.1 (not a wildcard)");
        }
        return v;
    }

    private static Set<String> names(String property, String v, Pattern pattern, String accepted) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : v.split(",")) {
            String name = s.trim();
            if (!pattern.matcher(name).matches()) {
                throw new InvalidValueException(property, v, accepted);
            }
            out.add(name);
        }
        return Set.copyOf(out);
    }

    private static Path pgBinDir(Optional<String> given) {
        Path dir;
        if (given.isPresent()) {
            dir = Paths.get(given.get());
        } else {
            Path root = Paths.get("/usr/lib/postgresql");
            try (Stream<Path> versions = Files.list(root)) {
                dir = versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                        .map(p -> p.resolve("bin"))
                        .orElseThrow(() -> new InvalidValueException(PG_BIN_DIR, "",
                                "a directory of PostgreSQL binaries (none under /usr/lib/postgresql)"));
            } catch (IOException e) {
                throw new InvalidValueException(PG_BIN_DIR, "", "a directory of PostgreSQL binaries (none under "
                        + root + ": install postgresql)");
            }
        }
        for (String b : PG_BINARIES) {
            if (!Files.isExecutable(dir.resolve(b))) {
                throw new InvalidValueException(PG_BIN_DIR, dir, "a directory holding PostgreSQL's "
                        + Arrays.toString(PG_BINARIES.toArray()) + " (no executable " + b + ")");
            }
        }
        return dir;
    }

    private static String osUser(String v) {
        if (!OS_USER_NAME.matcher(v).matches() || "root".equals(v)) {
            throw new InvalidValueException(OS_USER, v, "an existing unprivileged OS user (PostgreSQL refuses root)");
        }
        try {
            Process p = new ProcessBuilder("id", "-u", v).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new InvalidValueException(OS_USER, v, "an existing unprivileged OS user (no such user)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run id to check " + OS_USER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted checking " + OS_USER, e);
        }
        return v;
    }

    int portCount() {
        return lastPort - firstPort + 1;
    }

    @Override
    public String toString() {
        return STATE_DIR + "=" + stateDir + ", " + PORT_RANGE + "=" + firstPort + "-" + lastPort + ", " + LISTEN_ADDRESS
                + "=" + listenAddress + ", " + INSTANCE_TYPES + "=" + instanceTypes.stream().sorted().collect(Collectors.joining(","))
                + ", " + ZONES + "=" + zones.stream().sorted().collect(Collectors.joining(",")) + ", " + PG_BIN_DIR + "="
                + pgBinDir + ", " + OS_USER + "=" + osUser;
    }
}
