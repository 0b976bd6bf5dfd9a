package io.cojson.tools.bench;

import io.cojson.server.CojsonServer;
import java.util.concurrent.CountDownLatch;

/**
 * The Java sync server of W7 in a child JVM, in memory, with the server's default options (those of
 * the samples' {@code server} command without flags). Prints {@code {"ready":true,"port":N}} and
 * runs until its stdin closes or the process is signalled.
 */
public final class BenchServer {
    private BenchServer() {}

    public static void main(String[] args) throws Exception {
        CojsonServer server = CojsonServer.builder().host("127.0.0.1").port(0).start();
        CountDownLatch stdinClosed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bench-server-shutdown"));
        System.out.println("{\"ready\":true,\"port\":" + server.port() + "}");
        System.out.flush();
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; end of input means it is gone
                }
            } catch (java.io.IOException e) {
                // closed
            }
            stdinClosed.countDown();
        }, "bench-server-stdin");
        watch.setDaemon(true);
        watch.start();
        stdinClosed.await();
        System.exit(0); // runs the shutdown hook, which closes the server
    }
}
