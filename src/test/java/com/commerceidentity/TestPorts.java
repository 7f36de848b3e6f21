package com.commerceidentity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test starts on a port it must know beforehand (the app, a Kafka broker).
 *
 * <p>Why not {@code new ServerSocket(0)}: the tests run in two JVMs at once, and a port probed that way is
 * released before the app binds it; meanwhile the other JVM's simulators and clients, which bind port 0, draw from
 * the same range the operating system hands out (32768-60999 on Linux), and took one (seen in CI: "camel.server.port
 * 41655 ... cannot be bound"). Each JVM instead takes ports in turn from its own stretch below that range
 * ({@code test.fork}, surefire's fork number, given in the pom's argLine), skipping any in use.
 */
public final class TestPorts {
    private static final int STRETCH = 4_000;
    private static final int FIRST = 20_000 + STRETCH * ((Integer.getInteger("test.fork", 1) - 1) % 3);
    // A random start: two builds on one machine (a CI run beside a developer's) hand out the same stretch, and
    // from the same first port each would probe, free, the port the other is about to bind.
    private static final AtomicInteger NEXT = new AtomicInteger(new java.util.Random().nextInt(STRETCH));

    private TestPorts() {
    }

    public static int free() {
        for (int tries = 0; tries < STRETCH; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), STRETCH);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException inUse) {
                // taken by something else on this machine: the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "-" + (FIRST + STRETCH - 1));
    }
}
