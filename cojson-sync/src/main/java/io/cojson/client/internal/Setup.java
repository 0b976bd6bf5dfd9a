package io.cojson.client.internal;

import io.cojson.client.InvalidServerUrlException;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.transport.InvalidUrlException;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code CojsonClient.Builder.build()} checks and opens before the client exists. */
public final class Setup {
    private Setup() {}

    /** {@link InvalidServerUrlException} for the first URL that cannot be connected to. */
    public static void checkServers(List<String> urls) {
        for (String url : urls) {
            try {
                WebSocketClientChannel.checkUrl(url);
            } catch (InvalidUrlException | NullPointerException e) {
                throw new InvalidServerUrlException(url, e.getMessage() == null ? "sync server URL is null" : e.getMessage(), e);
            }
        }
    }

    /** The storage in {@code dir} (created if missing): committing inline, or through the asynchronous queue. Null: in memory. */
    public static CoValueStorage openStorage(Path dir, boolean inline) {
        if (dir == null) return null;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        return inline ? MapDbStorage.open(dir) : AsyncMapDbStorage.open(dir);
    }
}
