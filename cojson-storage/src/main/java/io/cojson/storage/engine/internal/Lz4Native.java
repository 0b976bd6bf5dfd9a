package io.cojson.storage.engine.internal;

import io.cojson.core.crypto.internal.NativeLibraryCache;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MapDB hashes with lz4-java's xxhash ({@code CC.HASH_FACTORY = XXHashFactory.fastestInstance()}),
 * and lz4-java 1.3.0 extracts its native library to a new {@code liblz4-java*.so} in java.io.tmpdir
 * on every JVM start, removed only by deleteOnExit: each halted, killed or crashed process left one
 * behind. Before MapDB first touches lz4, this loads that bundled library from one verified copy
 * that every start reuses ({@link NativeLibraryCache}, as for libsodium; directory
 * {@code cojson.native.dir}, default java.io.tmpdir) and tells lz4 it is loaded. If any step is
 * impossible (another class loader, an unknown lz4 version or platform), lz4 keeps its own way.
 */
final class Lz4Native {
    private static final Logger LOG = LoggerFactory.getLogger(Lz4Native.class);
    private static boolean attempted;

    private Lz4Native() {}

    static synchronized void prepare() {
        if (attempted) return;
        attempted = true;
        try {
            ClassLoader ours = Lz4Native.class.getClassLoader();
            Class<?> nat = Class.forName("net.jpountz.util.Native", false, ours);
            // System.load binds the library to the caller's class loader, which must be lz4's
            if (nat.getClassLoader() != ours) return;
            synchronized (nat) { // lz4's Native.load() and isLoaded() are static synchronized
                Field loaded = nat.getDeclaredField("loaded");
                loaded.setAccessible(true);
                if (loaded.getBoolean(null)) return;
                Method resourceName = nat.getDeclaredMethod("resourceName"); // "/linux/amd64/liblz4-java.so"
                resourceName.setAccessible(true);
                String resource = ((String) resourceName.invoke(null)).substring(1);
                String base = System.getProperty("cojson.native.dir", System.getProperty("java.io.tmpdir"));
                String path = NativeLibraryCache.extract(nat.getClassLoader(), resource, new File(base));
                System.load(path);
                loaded.setBoolean(null, true);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            LOG.debug("lz4-java loads its native library itself: {}", e.toString());
        }
    }
}
