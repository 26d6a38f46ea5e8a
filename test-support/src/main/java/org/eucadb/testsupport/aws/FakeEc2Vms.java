package org.eucadb.testsupport.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eucadb.testsupport.PgProcesses;

/**
 * The fake EC2's instances as virtual machines booted from a real DB VM disk image under QEMU:
 * each launch boots a copy-on-write overlay of the image with a NoCloud seed carrying the
 * instance's user-data (cloud-init reads it as on a cloud), and the role's data volume as a
 * virtio disk whose serial is the volume id (as KVM clouds name it), so the image's guest agent
 * finds it by its id. The volume is wired in at boot, not hot-plugged: the agent waits for it
 * either way. PostgreSQL's port is forwarded from {@code hostAddress:port}; the VM reaches the
 * host (the bootstrap endpoint) through QEMU's user network at the same address. A terminated
 * instance is powered off through ACPI (its agent stops PostgreSQL cleanly) before the
 * termination returns. One instance at a time: the port is shared.
 */
public final class FakeEc2Vms implements AutoCloseable {
    private final Path base;
    private final Path image;
    private final String hostAddress;
    private final int port;
    private final Map<String, Process> vms = new ConcurrentHashMap<>();

    /**
     * Plays {@code ec2}'s instances from now on (it takes its hooks and addresses).
     *
     * @param base        where overlays, seeds, volumes and console logs are made
     * @param image       the raw DB VM disk image (image/build-image)
     * @param hostAddress a non-loopback address of this machine: the instances' address
     * @param port        the host port PostgreSQL is forwarded from
     */
    public FakeEc2Vms(FakeEc2 ec2, Path base, Path image, String hostAddress, int port) throws IOException {
        this.base = Files.createDirectories(base);
        this.image = image;
        this.hostAddress = hostAddress;
        this.port = port;
        Files.createDirectories(base.resolve("volumes"));
        ec2.privateIpAddresses(id -> hostAddress);
        ec2.onLaunch(this::boot);
        ec2.onTerminate(this::powerOff);
    }

    /** The VMs running now, by instance id. */
    public Map<String, Process> running() {
        vms.values().removeIf(p -> !p.isAlive());
        return Map.copyOf(vms);
    }

    /** What the instance printed on its serial console (what get-console-output shows). */
    public String console(String instanceId) throws IOException {
        Path log = base.resolve(instanceId).resolve("console.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** The data volume's disk file. */
    public Path volume(String volumeId) {
        return base.resolve("volumes").resolve(volumeId + ".raw");
    }

    private void boot(FakeEc2.LaunchedInstance i) {
        try {
            Path dir = Files.createDirectories(base.resolve(i.instanceId()));
            String userData = i.userData() == null ? "" : i.userData();
            String volumeId = userData.lines().filter(l -> l.startsWith("EUCADB_VOLUME_ID=")).findFirst()
                    .map(l -> l.substring("EUCADB_VOLUME_ID=".length())).orElseThrow(
                            () -> new IllegalStateException(i.instanceId() + ": no EUCADB_VOLUME_ID in its user-data"));
            Path volume = volume(volumeId);
            if (!Files.exists(volume)) {
                PgProcesses.run(List.of("truncate", "-s", "2G", volume.toString()), 30);
            }
            Path overlay = dir.resolve("root.qcow2");
            PgProcesses.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                    image.toAbsolutePath().toString(), overlay.toString()), 60);
            Path seed = seed(dir, i.instanceId(), userData);
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "1024", "-smp",
                    "2", "-display", "none", "-no-reboot", "-nodefaults",
                    "-drive", "file=" + overlay + ",if=none,id=root,format=qcow2",
                    "-device", "virtio-blk-pci,drive=root,bootindex=0",
                    "-drive", "file=" + seed + ",if=none,id=seed,format=raw,readonly=on",
                    "-device", "virtio-blk-pci,drive=seed",
                    "-drive", "file=" + volume + ",if=none,id=data,format=raw",
                    "-device", "virtio-blk-pci,drive=data,serial=" + volumeId,
                    "-netdev", "user,id=net,hostfwd=tcp:" + hostAddress + ":" + port + "-:5432",
                    "-device", "virtio-net-pci,netdev=net",
                    "-serial", "file:" + dir.resolve("console.log"),
                    "-monitor", "unix:" + dir.resolve("monitor.sock") + ",server,nowait"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("qemu.log").toFile()));
            vms.put(i.instanceId(), pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("booting " + i.instanceId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A NoCloud seed: a FAT disk labelled cidata with the instance's meta-data and user-data. */
    private static Path seed(Path dir, String instanceId, String userData) throws IOException, InterruptedException {
        Path seed = dir.resolve("seed.img");
        Files.writeString(dir.resolve("meta-data"), "instance-id: " + instanceId + "\nlocal-hostname: " + instanceId
                + "\n");
        Files.writeString(dir.resolve("user-data"), userData);
        PgProcesses.run(List.of("truncate", "-s", "2M", seed.toString()), 30);
        PgProcesses.run(List.of("mkfs.vfat", "-n", "cidata", seed.toString()), 30);
        for (String f : List.of("meta-data", "user-data")) {
            PgProcesses.runForResult(List.of("env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-i", seed.toString(),
                    dir.resolve(f).toString(), "::/" + f), null, 30);
        }
        return seed;
    }

    /** ACPI power button, as a cloud stops an instance; pulled after 120 s. */
    private void powerOff(String instanceId) {
        Process p = vms.remove(instanceId);
        if (p == null) {
            return;
        }
        try {
            try (SocketChannel monitor = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                monitor.connect(UnixDomainSocketAddress.of(base.resolve(instanceId).resolve("monitor.sock")));
                monitor.write(ByteBuffer.wrap("system_powerdown\n".getBytes(StandardCharsets.US_ASCII)));
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException monitorGone) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Powers every VM off. */
    @Override
    public void close() {
        for (String id : List.copyOf(vms.keySet())) {
            powerOff(id);
        }
    }

    /** What QEMU itself said about an instance (its own errors, not the VM's console). */
    public String qemuLog(String instanceId) throws IOException {
        Path log = base.resolve(instanceId).resolve("qemu.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
