package io.cojson.storage;

import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Path;

/**
 * Opens and closes MapDB storage in {@code args[0]}, prints which xxhash MapDB got, then halts
 * without shutdown hooks (as the sample server's shutdown does, and as a kill would): whatever it
 * left in java.io.tmpdir stays there.
 */
public final class Lz4TempChild {
    private Lz4TempChild() {}

    public static void main(String[] args) {
        try (MapDbStorage storage = MapDbStorage.open(Path.of(args[0]))) {
            System.out.println("hash " + org.mapdb.CC.HASH_FACTORY);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
