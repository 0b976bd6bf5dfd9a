package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening MapDB leaves no {@code liblz4-java*.so} in the temporary directory (issue 9): lz4-java used
 * to extract a new copy per JVM start, removed only by deleteOnExit, so every halted or killed
 * process left one behind.
 */
class Lz4TempFilesTest {
    @TempDir
    Path tmp;

    private List<String> runChild(Path tmpdir, Path store) throws Exception {
        Process p = TestSupport.startChild(Lz4TempChild.class, List.of("-Djava.io.tmpdir=" + tmpdir), Map.of(),
                store.toString());
        List<String> out = new CopyOnWriteArrayList<>();
        Thread pump = TestSupport.pump(p.getInputStream(), out::add);
        TestSupport.pump(p.getErrorStream(), out::add);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        pump.join(5_000);
        assertEquals(0, p.exitValue(), String.join("\n", out));
        return out;
    }

    private static List<Path> matching(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    @Test
    void openingMapDbLeavesNoLz4LibraryInTheTempDirectory() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        for (int run = 1; run <= 2; run++) {
            List<String> out = runChild(tmpdir, tmp.resolve("store"));
            assertTrue(out.contains("hash XXHashFactory:JNI"), "MapDB still gets the native xxhash: " + out);
            assertEquals(List.of(), matching(tmpdir, "liblz4"), "lz4 temp copies after run " + run);
        }
        // the one shared, verified copy that both runs used
        List<Path> caches = matching(tmpdir, "cojson-native-").stream()
                .filter(d -> Files.exists(d.resolve("liblz4-java.so"))).toList();
        assertEquals(1, caches.size(), "one cached lz4 library: " + caches);
    }
}
