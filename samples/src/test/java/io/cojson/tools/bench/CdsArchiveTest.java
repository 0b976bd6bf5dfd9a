package io.cojson.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archive of {@code bench all}: trained in a real child JVM, reused, used by
 * a fresh JVM (its classes come from the archive), and ignored by the JVM once a jar changed.
 */
class CdsArchiveTest {
    private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m");

    @TempDir
    Path tmp;

    @Test
    void aTrainedArchiveIsReusedAndAFreshJvmLoadsTheSdkFromIt() throws Exception {
        List<Path> packed = new ArrayList<>();
        String cp = jarOnlyClassPath(packed);
        Path dir = tmp.resolve("cds");

        Path archive = CdsArchive.ensure(FLAGS, cp, dir);
        assertNotNull(archive, "the training JVM wrote an archive");
        assertTrue(Files.size(archive) > 0);
        FileTime made = Files.getLastModifiedTime(archive);
        assertEquals(archive, CdsArchive.ensure(FLAGS, cp, dir), "same jars and flags: the same archive");
        assertEquals(made, Files.getLastModifiedTime(archive), "reused, not trained again");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(archive), files.toList(), "no partial file left behind");
        }

        String loaded = classLoadLog(archive, cp);
        assertTrue(loaded.contains("io.cojson.tools.bench.W8LargeList source: shared objects file"), loaded);
        assertTrue(loaded.contains("io.cojson.core.json.JsonValue source: shared objects file"), loaded);

        // a rebuilt jar: the JVM checks the class path and reads the classes from the jars again
        assertTrue(!packed.isEmpty(), "the test's own classes were packed into a jar");
        Files.setLastModifiedTime(packed.get(0), FileTime.fromMillis(made.toMillis() + 60_000));
        String stale = classLoadLog(archive, cp);
        assertTrue(stale.contains("io.cojson.tools.bench.W8LargeList source: file:"), stale);
        assertTrue(!stale.contains("io.cojson.tools.bench.W8LargeList source: shared objects file"), stale);
    }

    @Test
    void theArchiveIsNamedByFlagsAndJarsButNotByArchiveFlags() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1, 2, 3});
        String cp = jar.toString();
        String key = CdsArchive.key(cp, FLAGS);
        assertEquals(key, CdsArchive.key(cp, List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:SharedArchiveFile=/x.jsa")));
        assertEquals(key, CdsArchive.key(cp, List.of("-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=/y.jsa", "-Xmx256m")));
        assertNotEquals(key, CdsArchive.key(cp, List.of("-XX:+UseSerialGC", "-Xmx512m")));
        Files.write(jar, new byte[] {1, 2, 3, 4});
        assertNotEquals(key, CdsArchive.key(cp, FLAGS), "a jar of another size is another archive");
    }

    @Test
    void aClassPathWithADirectoryGetsNoArchive() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.write(classes.resolve("A.class"), new byte[] {1});
        assertNull(CdsArchive.ensure(FLAGS, classes.toString(), tmp.resolve("cds")));
        assertTrue(!Files.exists(tmp.resolve("cds")), "nothing trained, nothing written");
    }

    /** W8's loader started with the archive and without arguments (a usage error, exit 2), logging where its classes came from. */
    private static String classLoadLog(Path archive, String cp) throws Exception {
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-XX:SharedArchiveFile=" + archive);
        flags.add("-Xlog:class+load=info");
        Path log = Files.createTempFile(archive.getParent(), "class-load-", ".log");
        Process p = new ProcessBuilder(ChildProcesses.javaCommand(flags, cp, W8LargeList.class.getName(), List.of()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the JVM did not end within 60 s");
        }
        assertEquals(2, p.exitValue(), "the loader ran to its usage error");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log); // the archive's directory holds only the archive
        return out;
    }

    /** This JVM's class path with each directory packed into a jar in the temp dir (added to {@code packed}). */
    private String jarOnlyClassPath(List<Path> packed) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(e);
            if (f.isDirectory()) {
                Path jar = tmp.resolve("packed-" + packed.size() + ".jar");
                pack(f.toPath(), jar);
                packed.add(jar);
                entries.add(jar.toString());
            } else if (f.isFile()) {
                entries.add(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
