package org.eucadb.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.ReportRow;

/**
 * What the cloud offers, as configured (the usage data cannot tell): instances per zone and
 * type, volume storage per zone. The CAPACITY report sets it against what was used.
 *
 * @param instances  count by {@code zone/instance type}
 * @param volumeGib  GiB by zone
 */
public record CapacityPlan(Map<String, Long> instances, Map<String, Long> volumeGib) {
    static final String INSTANCES = "capacity.instances";
    static final String VOLUME_GIB = "capacity.volume.gib";

    public CapacityPlan {
        instances = Map.copyOf(instances);
        volumeGib = Map.copyOf(volumeGib);
    }

    public static CapacityPlan none() {
        return new CapacityPlan(Map.of(), Map.of());
    }

    /** Parses {@code zone/type=count} and {@code zone=GiB} entries; a bad entry names its property. */
    public static CapacityPlan parse(String[] instanceEntries, String[] volumeEntries) {
        Map<String, Long> inst = new TreeMap<>();
        for (String e : instanceEntries == null ? new String[0] : instanceEntries) {
            String[] kv = e.split("=", 2);
            if (kv.length != 2 || !kv[0].matches("[^/\\s]+/[^/\\s]+")) {
                throw new InvalidValueException(INSTANCES, e, "entries zone/instance-type=count, e.g. one/m1.small=40");
            }
            inst.put(kv[0].trim(), count(INSTANCES, e, kv[1]));
        }
        Map<String, Long> vol = new TreeMap<>();
        for (String e : volumeEntries == null ? new String[0] : volumeEntries) {
            String[] kv = e.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[0].contains("/")) {
                throw new InvalidValueException(VOLUME_GIB, e, "entries zone=GiB, e.g. one=2048");
            }
            vol.put(kv[0].trim(), count(VOLUME_GIB, e, kv[1]));
        }
        return new CapacityPlan(inst, vol);
    }

    private static long count(String field, String entry, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidValueException(field, entry, "a count of 0 or more after '='");
    }

    /**
     * Rows (zone, resource, unit; offered, used, used %) for every configured or used zone and
     * type: {@code instanceUse} rows are (zone, instance type; instances, running hours, ...),
     * {@code volumeUse} rows (zone; volumes, GiB-days).
     */
    List<ReportRow> compare(double periodHours, List<ReportRow> instanceUse, List<ReportRow> volumeUse) {
        Map<List<String>, double[]> rows = new TreeMap<>((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = Objects.toString(a.get(i), "").compareTo(Objects.toString(b.get(i), ""));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        instances.forEach((zoneType, n) -> {
            String[] zt = zoneType.split("/", 2);
            rows.computeIfAbsent(List.of(zt[0], zt[1], "instance-hours"), k -> new double[2])[0] = n * periodHours;
        });
        volumeGib.forEach((zone, gib) -> rows.computeIfAbsent(List.of(zone, "volume-storage", "GiB-days"),
                k -> new double[2])[0] = gib * periodHours / 24);
        for (ReportRow u : instanceUse) {
            rows.computeIfAbsent(key(u.keys().get(0), u.keys().get(1), "instance-hours"), k -> new double[2])[1]
                    += u.measures().get(1);
        }
        for (ReportRow u : volumeUse) {
            rows.computeIfAbsent(key(u.keys().get(0), "volume-storage", "GiB-days"), k -> new double[2])[1]
                    += u.measures().get(1);
        }
        List<ReportRow> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new ReportRow(k, List.of(v[0], v[1], v[0] == 0 ? 0 : 100 * v[1] / v[0]))));
        return out;
    }

    private static List<String> key(String zone, String resource, String unit) {
        List<String> k = new ArrayList<>();
        k.add(zone);
        k.add(resource);
        k.add(unit);
        return k;
    }
}
