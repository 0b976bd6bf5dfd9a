package io.cojson.samples.cli;

import io.cojson.server.CojsonServer;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.storage.FatalErrors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code server --port N --db DIR [--host H]}: a Java sync server on MapDB storage. Prints
 * {@code {"ready":true,"port":N}} once it accepts connections and {@code {"stopped":true}} after
 * SIGTERM/SIGINT once connections are closed and storage is flushed.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a cojson sync server (WebSocket) persisting to MapDB storage.")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Port to listen on (0 picks a free one).")
    String port;

    @Option(names = "--db", description = "Storage directory (MapDB). Without it the server keeps everything in memory.")
    Path db;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--max-outgoing-mib", description = "Per connection: most MiB waiting to be sent before a client that does not read is dropped (default: an eighth of the heap, 16 to 256).")
    Long maxOutgoingMib;

    @Option(names = "--max-incoming-mib", description = "Server-wide: most MiB of incoming message text held at once, from a message's first piece until it is handled; connections are not read further meanwhile (default: an eighth of the heap, 16 to 512).")
    Long maxIncomingMib;

    @Override
    public Integer call() {
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            System.err.println("server: --port must be an integer between 0 and 65535, got '" + port + "'");
            return 2;
        }
        if (p < 0 || p > 65535) {
            System.err.println("server: --port must be between 0 and 65535, got " + p);
            return 2;
        }
        if ((maxOutgoingMib != null && maxOutgoingMib < 0) || (maxIncomingMib != null && maxIncomingMib < 0)) {
            System.err.println("server: --max-outgoing-mib and --max-incoming-mib must not be negative");
            return 2;
        }
        if (host == null || host.isBlank()) {
            System.err.println("server: --host must not be empty");
            return 2;
        }
        endProcessOnFatalErrors();
        PrintStream out = System.out;
        CojsonServer server;
        try {
            server = CojsonServer.builder().host(host).port(p).dataDirectory(db).transport(b -> {
                if (maxOutgoingMib != null) b.maxOutgoingBytes(maxOutgoingMib << 20);
                if (maxIncomingMib != null) b.maxIncomingBytes(maxIncomingMib << 20);
            }).start();
        } catch (Exception e) {
            System.err.println("server: cannot start: " + e);
            return 1;
        }
        if (db == null) System.err.println("server: no --db given: running in memory, nothing is persisted");
        else System.err.println("server: storage " + db.toAbsolutePath() + " holds " + server.storedCoValues() + " CoValues");
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            boolean clean = false;
            try {
                server.close();
                out.println(JsonWriter.stringify(JsonValue.obj("stopped", JsonValue.TRUE)));
                out.flush();
                clean = true;
            } catch (RuntimeException | Error e) {
                System.err.println("server: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
            // A clean stop on SIGTERM/SIGINT exits 0 like the reference server (not the JVM's 128+signal).
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "cojson-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("server: listening on " + server.url() + " (storage: " + (db == null ? "memory" : "mapdb") + ")");
        out.println(JsonWriter.stringify(JsonValue.obj("ready", JsonValue.TRUE, "port", JsonValue.of(server.port()))));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Exit status after a fatal error (EX_SOFTWARE): a supervisor restarts the server. */
    static final int FATAL_EXIT = 70;

    /**
     * An out-of-memory (or other {@link VirtualMachineError}) on any of the server's threads ends
     * the process at once: left running, it would accept connections and acknowledge nothing.
     * Storage needs no clean close: what was committed is in its journal.
     */
    private static void endProcessOnFatalErrors() {
        FatalErrors.onFatal(ServerCommand::die);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (FatalErrors.isFatal(e)) die(e);
            if (previous != null) previous.uncaughtException(thread, e);
            else e.printStackTrace();
        });
    }

    private static void die(Throwable e) {
        try {
            System.err.println("server: fatal error on thread " + Thread.currentThread().getName() + ": " + e
                    + "; exiting with status " + FATAL_EXIT);
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(FATAL_EXIT);
        }
    }
}
