package org.eucadb.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a phase's CPU went on this machine: this JVM, the benchmark's PostgreSQL (postmaster and
 * its backends, exited ones included), and everything else (other builds sharing the cores), from
 * /proc. On a shared machine wall-clock rates swing; CPU per datapoint is the steadier figure.
 */
final class CpuMeter {
    private static final double TICK = 100.0; // USER_HZ on Linux
    private final long postmaster;

    /** A point in time: CPU seconds used so far by each party, and the machine's busy/total seconds. */
    record Sample(double jvm, double pg, double machineBusy, double machineTotal, long nanos,
            Map<Long, Double> threads, double gcPauses, double gcThreads, double jitThreads) {
        Usage to(Sample end) {
            double java = 0;
            for (Map.Entry<Long, Double> t : end.threads.entrySet()) {
                java += t.getValue() - threads.getOrDefault(t.getKey(), 0.0);
            }
            return new Usage((end.nanos - nanos) / 1e9, end.jvm - jvm, end.jvm - jvm - java, end.gcPauses - gcPauses,
                    end.gcThreads - gcThreads, end.jitThreads - jitThreads, end.pg - pg, (end.machineBusy - machineBusy) - (end.jvm - jvm) - (end.pg - pg),
                    end.machineTotal - machineTotal);
        }
    }

    /**
     * CPU seconds of a phase; {@code jvmInternal} is the JVM's own threads (GC, JIT compilers),
     * {@code others} whatever else ran on the machine meanwhile.
     */
    record Usage(double wall, double jvm, double jvmInternal, double gcPauses, double gcThreads, double jitThreads,
            double pg, double others, double capacity) {
        String describe() {
            return String.format("wall %.1f s; CPU s: JVM %.1f (GC threads %.1f, JIT %.1f; GC pauses %.0f%% of wall),"
                    + " PostgreSQL %.1f, other processes %.1f (of %.1f)", wall, jvm, gcThreads, jitThreads,
                    100 * gcPauses / wall, pg, Math.max(0, others), capacity);
        }
    }

    /** Meters the PostgreSQL whose {@code postmaster.pid} lies somewhere under {@code pgBaseDir}. */
    CpuMeter(Path pgBaseDir) throws IOException {
        try (Stream<Path> files = Files.walk(pgBaseDir, 3)) {
            Path pidFile = files.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst()
                    .orElseThrow(() -> new IOException("no postmaster.pid under " + pgBaseDir));
            postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        }
    }

    Sample sample() throws IOException {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        double pg = ticks(postmaster, true);
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.descendants().toList())
                .orElse(List.of())) {
            pg += ticks(child.pid(), false);
        }
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        double total = 0;
        for (int i = 1; i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        double idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Double> threads = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                threads.put(id, t / 1e9);
            }
        }
        double gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime()) / 1000.0;
        }
        double[] internal = internalThreads();
        return new Sample(jvm, pg / TICK, (total - idle) / TICK, total / TICK, System.nanoTime(), threads, gc,
                internal[0], internal[1]);
    }

    /** CPU seconds of this JVM's garbage collector threads and of its JIT compiler threads, by thread name. */
    private static double[] internalThreads() throws IOException {
        double[] gcAndJit = new double[2];
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    int kind = name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread") ? 0
                            : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? 1 : -1;
                    if (kind >= 0) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        gcAndJit[kind] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return gcAndJit;
    }

    /** utime+stime of a process (and of its reaped children: backends that have exited). */
    private static double ticks(long pid, boolean withReaped) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the name start at 3 (state): utime=14, stime=15, cutime=16, cstime=17
            double t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withReaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException gone) {
            return 0; // exited between listing and reading: its time is in the postmaster's cutime
        }
    }
}
