package io.cojson.client;

import io.cojson.server.CojsonServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Java sync server ({@link CojsonServer}) on MapDB behind a real WebSocket on 127.0.0.1, which
 * a test can stop and start again on the same port and data.
 */
final class TestSyncServer implements AutoCloseable {
    private final Path dir;
    private int port;
    private CojsonServer server;

    TestSyncServer(Path dir) {
        this.dir = dir;
        start();
    }

    synchronized void start() {
        try {
            server = CojsonServer.builder().port(port).dataDirectory(dir).transport(b -> b.stopTimeout(Duration.ofSeconds(2))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.port();
    }

    synchronized void stop() {
        if (server == null) return;
        server.close();
        server = null;
    }

    String url() {
        return "ws://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
