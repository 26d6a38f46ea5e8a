package org.eucadb.lifecycle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;

/**
 * A role's DB VM properties ({@code org.eucadb.dbvm.<role>}), parsed and checked for syntax and
 * ranges. What only the provider knows (offered types, zones, images) is checked by
 * {@link ProviderCheck}.
 */
record DbVmConfig(
        DbRole role,
        boolean enabled,
        Optional<String> image,
        String instanceType,
        Optional<String> keyName,
        List<String> availabilityZones,
        int volumeSizeGib,
        Optional<String> volumeId,
        Optional<String> frontendCidr,
        Optional<String> adminCidr,
        Optional<String> ntpServer,
        int certValidityDays,
        String provider) {

    static final String ENABLED = "enabled";
    static final String IMAGE = "image";
    static final String INSTANCE_TYPE = "instance_type";
    static final String KEYNAME = "keyname";
    static final String AVAILABILITY_ZONES = "availability_zones";
    static final String VOLUME_SIZE_GIB = "volume_size_gib";
    static final String VOLUME_ID = "volume_id";
    static final String FRONTEND_CIDR = "frontend_cidr";
    static final String ADMIN_CIDR = "admin_cidr";
    static final String NTP_SERVER = "ntp_server";
    static final String CERT_VALIDITY_DAYS = "cert_validity_days";
    static final String PROVIDER = "provider";

    static final String DEFAULT_INSTANCE_TYPE = "m1.large";
    static final int DEFAULT_VOLUME_SIZE_GIB = 20;
    static final int DEFAULT_CERT_VALIDITY_DAYS = 365;
    static final String DEFAULT_PROVIDER = "local";
    /** The front end reaches a local provider's instances over loopback. */
    static final String LOCAL_FRONTEND_CIDR = "127.0.0.1/32";

    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern INSTANCE_TYPE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern KEY_NAME = Pattern.compile("[\\x20-\\x7e&&[^,]]{1,255}");
    private static final Pattern ZONE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})");
    private static final List<String> PROVIDERS = List.of("local", "aws");

    /** Each property: its Eucalyptus name (if any) and what it accepts. */
    static final Map<String, String[]> PROPERTIES = properties();

    private static Map<String, String[]> properties() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put(ENABLED, new String[] { "services.database.worker.configured", "true|false (default true)" });
        m.put(IMAGE, new String[] { "services.database.worker.image", "an image id the provider has" });
        m.put(INSTANCE_TYPE, new String[] { "services.database.worker.instance_type",
                "an instance type the provider offers (default " + DEFAULT_INSTANCE_TYPE + ")" });
        m.put(KEYNAME, new String[] { "services.database.worker.keyname", "an SSH key pair name, or empty" });
        m.put(AVAILABILITY_ZONES, new String[] { "services.database.worker.availability_zones",
                "comma-separated zones the provider has (default: its first zone)" });
        m.put(VOLUME_SIZE_GIB, new String[] { null, "data volume size in GiB, 1..16384 (default "
                + DEFAULT_VOLUME_SIZE_GIB + ")" });
        m.put(VOLUME_ID, new String[] { "services.database.worker.volume",
                "an existing volume to adopt instead of creating one, or empty" });
        m.put(FRONTEND_CIDR, new String[] { null, "the CIDR the front end connects from, e.g. 10.0.0.0/24 "
                + "(default " + LOCAL_FRONTEND_CIDR + " with the local provider)" });
        m.put(ADMIN_CIDR, new String[] { null, "a CIDR allowed to SSH in (only with a keyname), or empty" });
        m.put(NTP_SERVER, new String[] { "services.database.worker.ntp_server", "a host name or address, or empty" });
        m.put(CERT_VALIDITY_DAYS, new String[] { "services.database.worker.expiration_days",
                "server certificate validity in days, 1..3650 (default " + DEFAULT_CERT_VALIDITY_DAYS + ")" });
        m.put(PROVIDER, new String[] { null, String.join("|", PROVIDERS) + " (default " + DEFAULT_PROVIDER + ")" });
        return m;
    }

    /** The property named {@code name} or, by its Eucalyptus name, the one it stands for. */
    static Optional<String> canonicalName(String name) {
        if (PROPERTIES.containsKey(name)) {
            return Optional.of(name);
        }
        return PROPERTIES.entrySet().stream().filter(e -> name.equals(e.getValue()[0])).map(Map.Entry::getKey)
                .findFirst();
    }

    static DbVmConfig parse(DbRole role, Map<String, ?> props) {
        Values v = new Values(props);
        Optional<String> volumeId = v.optional(VOLUME_ID, RESOURCE_ID, "an existing volume id, or empty");
        int size = v.integer(VOLUME_SIZE_GIB, DEFAULT_VOLUME_SIZE_GIB, 1, 16384);
        String provider = v.optional(PROVIDER, Pattern.compile(String.join("|", PROVIDERS)),
                String.join("|", PROVIDERS)).orElse(DEFAULT_PROVIDER);
        Optional<String> keyName = v.optional(KEYNAME, KEY_NAME, "1..255 printable characters, no comma, or empty");
        Optional<String> adminCidr = v.cidr(ADMIN_CIDR);
        if (adminCidr.isPresent() && keyName.isEmpty()) {
            throw new InvalidValueException(ADMIN_CIDR, adminCidr.get(), "empty unless " + KEYNAME
                    + " is set (SSH is opened only for a key pair)");
        }
        List<String> zones = v.list(AVAILABILITY_ZONES, ZONE, "comma-separated zone names ([a-z0-9-])");
        return new DbVmConfig(role,
                v.bool(ENABLED, true),
                v.optional(IMAGE, RESOURCE_ID, "an image id: 1..128 of [A-Za-z0-9._:-]"),
                v.optional(INSTANCE_TYPE, INSTANCE_TYPE_NAME, "an instance type name such as m1.large")
                        .orElse(DEFAULT_INSTANCE_TYPE),
                keyName, zones, size, volumeId,
                v.cidr(FRONTEND_CIDR),
                adminCidr,
                v.optional(NTP_SERVER, HOST, "a host name or address, or empty"),
                v.integer(CERT_VALIDITY_DAYS, DEFAULT_CERT_VALIDITY_DAYS, 1, 3650),
                provider);
    }

    /** The value in force of a property, as text ("" when unset). */
    String value(String name) {
        return switch (name) {
            case ENABLED -> Boolean.toString(enabled);
            case IMAGE -> image.orElse("");
            case INSTANCE_TYPE -> instanceType;
            case KEYNAME -> keyName.orElse("");
            case AVAILABILITY_ZONES -> String.join(",", availabilityZones);
            case VOLUME_SIZE_GIB -> Integer.toString(volumeSizeGib);
            case VOLUME_ID -> volumeId.orElse("");
            case FRONTEND_CIDR -> frontendCidr.orElse("");
            case ADMIN_CIDR -> adminCidr.orElse("");
            case NTP_SERVER -> ntpServer.orElse("");
            case CERT_VALIDITY_DAYS -> Integer.toString(certValidityDays);
            case PROVIDER -> provider;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The CIDR PostgreSQL accepts connections from. */
    Optional<String> effectiveFrontendCidr() {
        return frontendCidr.or(() -> "local".equals(provider) ? Optional.of(LOCAL_FRONTEND_CIDR) : Optional.empty());
    }

    /** Reads typed values out of a configuration dictionary; every refusal names the property. */
    private static final class Values {
        private final Map<String, ?> props;

        Values(Map<String, ?> props) {
            this.props = props;
        }

        private Optional<String> text(String key) {
            Object o = props.get(key);
            if (o == null) {
                return Optional.empty();
            }
            String s = o.toString().trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        }

        Optional<String> optional(String key, Pattern pattern, String accepted) {
            Optional<String> s = text(key);
            if (s.isPresent() && !pattern.matcher(s.get()).matches()) {
                throw new InvalidValueException(key, s.get(), accepted);
            }
            return s;
        }

        Optional<String> cidr(String key) {
            Optional<String> s = text(key);
            if (s.isPresent() && !Cidr.valid(s.get())) {
                throw new InvalidValueException(key, s.get(), "a CIDR such as 10.0.0.0/24 or fd00::/64");
            }
            return s;
        }

        boolean bool(String key, boolean dflt) {
            Optional<String> s = text(key);
            if (s.isEmpty()) {
                return dflt;
            }
            return switch (s.get().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidValueException(key, s.get(), "true|false");
            };
        }

        int integer(String key, int dflt, int min, int max) {
            Optional<String> s = text(key);
            if (s.isEmpty()) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(s.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below, by name
            }
            throw new InvalidValueException(key, s.get(), "an integer " + min + ".." + max);
        }

        List<String> list(String key, Pattern item, String accepted) {
            Optional<String> s = text(key);
            List<String> out = new ArrayList<>();
            if (s.isEmpty()) {
                return out;
            }
            for (String part : Arrays.asList(s.get().split(","))) {
                String p = part.trim();
                if (!item.matcher(p).matches()) {
                    throw new InvalidValueException(key, s.get(), accepted);
                }
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        }
    }
}
