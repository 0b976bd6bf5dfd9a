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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

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

    /**
     * Starts {@code work} on a new daemon thread and answers its result on demand: the caller's
     * {@code get()} waits for it and rethrows what it threw (unchecked exceptions and errors as
     * they were). Start-up work that does not depend on the storage (the crypto provider's native
     * library load and self-check) runs this way while the storage opens.
     */
    public static <T> Supplier<T> inBackground(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "cojson-client-init");
        t.setDaemon(true);
        t.start();
        return () -> {
            try {
                return result.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) throw r;
                if (cause instanceof Error err) throw err;
                throw e;
            }
        };
    }

    /** Closes a storage opened for a client that could not be built; its failure is added to {@code failure}. */
    public static void closeQuietly(CoValueStorage storage, Throwable failure) {
        if (storage == null) return;
        try {
            storage.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
