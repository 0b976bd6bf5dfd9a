package io.cojson.storage;

import java.util.function.Consumer;

/**
 * Where the library's own threads (sync executor, timers, socket readers, storage workers) report
 * an error the JVM may not recover from ({@link VirtualMachineError}: out of memory, stack
 * overflow, internal error). Such a thread would otherwise log it and go on in a half-broken
 * process: a server that accepts connections and acknowledges nothing. By default nothing
 * happens beyond the caller's own logging; a program that is restarted by a supervisor (the
 * sample {@code server}) installs a handler that ends the process.
 */
public final class FatalErrors {
    private static volatile Consumer<Throwable> handler;

    private FatalErrors() {}

    /** Installs the process-wide handler (null removes it); it must not return normally in a server. */
    public static void onFatal(Consumer<Throwable> h) {
        handler = h;
    }

    /** Whether {@code t}, or anything in its cause chain, is a {@link VirtualMachineError}. */
    public static boolean isFatal(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof VirtualMachineError) return true;
        }
        return false;
    }

    /** Hands {@code t} to the handler if it is fatal; returns whether it was. */
    public static boolean report(Throwable t) {
        if (!isFatal(t)) return false;
        Consumer<Throwable> h = handler;
        if (h != null) h.accept(t);
        return true;
    }
}
