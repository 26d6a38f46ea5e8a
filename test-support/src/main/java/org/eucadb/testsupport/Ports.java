package org.eucadb.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;

/** Free loopback ports for servers a test starts. */
public final class Ports {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ports() {
    }

    public static int free() throws IOException {
        return PostgresServer.freePort();
    }

    /** The first of {@code n} consecutive ports free right now (for a provider's port range). */
    public static int freeBlock(int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20000 + RANDOM.nextInt(40000);
            boolean free = true;
            for (int p = first; p < first + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + n + " free ports");
    }
}
