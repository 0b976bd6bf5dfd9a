package io.cojson.core.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {
    private static final String RESOURCE = "vectors/crypto.json"; // any bundled resource will do
    private static final String BIG_RESOURCE = "vectors/covalues.json"; // 360 KB: several read chunks

    @TempDir
    Path base;

    private byte[] resourceBytes() throws IOException {
        return resourceBytes(RESOURCE);
    }

    private byte[] resourceBytes(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void extractsOnceAndReusesTheVerifiedCopy() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        String first = NativeLibraryCache.extract(cl, RESOURCE, base.toFile());
        assertArrayEquals(resourceBytes(), Files.readAllBytes(Path.of(first)));
        File lib = new File(first);
        assertTrue(lib.setLastModified(1_000_000L));
        String second = NativeLibraryCache.extract(cl, RESOURCE, base.toFile());
        assertEquals(first, second, "same content, same file");
        assertEquals(1_000_000L, new File(second).lastModified(), "not rewritten");
        try (var dirs = Files.list(base)) {
            assertEquals(1, dirs.count(), "one directory for all starts");
        }
    }

    @Test
    void anAlteredCopyIsReplacedBeforeUse() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        String path = NativeLibraryCache.extract(cl, RESOURCE, base.toFile());
        Files.write(Path.of(path), new byte[] {1, 2, 3});
        assertEquals(path, NativeLibraryCache.extract(cl, RESOURCE, base.toFile()));
        assertArrayEquals(resourceBytes(), Files.readAllBytes(Path.of(path)));
    }

    /** A copy of the right length that differs in one byte past the first chunks is caught too. */
    @Test
    void aSameLengthCopyDifferingNearItsEndIsReplaced() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        byte[] bundled = resourceBytes(BIG_RESOURCE);
        assertTrue(bundled.length > 3 * 64 * 1024, "a resource over several read chunks: " + bundled.length);
        String path = NativeLibraryCache.extract(cl, BIG_RESOURCE, base.toFile());
        byte[] altered = bundled.clone();
        altered[altered.length - 2] ^= 1;
        Files.write(Path.of(path), altered);
        assertEquals(path, NativeLibraryCache.extract(cl, BIG_RESOURCE, base.toFile()));
        assertArrayEquals(bundled, Files.readAllBytes(Path.of(path)));
    }

    @Test
    void aMissingResourceIsATypedError() {
        IOException e = assertThrows(IOException.class,
                () -> NativeLibraryCache.extract(getClass().getClassLoader(), "no/such/libsodium.so", base.toFile()));
        assertTrue(e.getMessage().contains("no/such/libsodium.so"), e.getMessage());
    }
}
