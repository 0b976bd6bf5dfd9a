package io.cojson.storage.engine.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * This machine's host name for the lock holder's description, the name
 * {@code InetAddress.getLocalHost().getHostName()} answers (the kernel's host name), found without a
 * name-service lookup where possible: {@code getLocalHost()} also resolves that name's addresses,
 * which on a host whose own name does not resolve (no entry in /etc/hosts, a slow or absent DNS
 * server, macOS's mDNS timeout) blocks the open for seconds, and on Android throws when called on
 * the UI thread. Linux and Android: {@code /proc/sys/kernel/hostname}; elsewhere the HOSTNAME or
 * COMPUTERNAME variable; failing those the lookup, waited for at most {@link #LOOKUP_WAIT_MS}.
 */
final class HostName {
    static final long LOOKUP_WAIT_MS = 500;
    private static volatile String cached;

    private HostName() {}

    static String get() {
        String h = cached;
        if (h == null) cached = h = find();
        return h;
    }

    private static String find() {
        String h = kernel();
        if (h == null) h = usable(System.getenv("HOSTNAME"));
        if (h == null) h = usable(System.getenv("COMPUTERNAME"));
        if (h == null) h = lookUp();
        return h == null ? "unknown-host" : h;
    }

    private static String kernel() {
        try {
            Path p = Paths.get("/proc/sys/kernel/hostname"); // Path.of is not on Android 26
            return Files.isReadable(p) ? usable(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String usable(String s) {
        if (s == null) return null;
        s = s.trim();
        return s.isEmpty() ? null : s;
    }

    /** The name-service way, on a daemon thread so that a host whose name does not resolve delays an open by {@link #LOOKUP_WAIT_MS} at most. */
    private static String lookUp() {
        String[] out = new String[1];
        Thread t = new Thread(() -> {
            try {
                String n = InetAddress.getLocalHost().getHostName();
                synchronized (out) {
                    out[0] = n;
                }
            } catch (IOException | RuntimeException e) {
                // unknown-host
            }
        }, "cojson-hostname");
        t.setDaemon(true);
        t.start();
        try {
            t.join(LOOKUP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (out) {
            return usable(out[0]);
        }
    }
}
