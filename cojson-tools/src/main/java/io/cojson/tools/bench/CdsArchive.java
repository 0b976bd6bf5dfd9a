package io.cojson.tools.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive (JDK dynamic CDS, JEP 350) of the SDK's classes, for the fresh JVMs
 * of {@code bench all}. A short-lived JVM spends much of its start parsing and verifying classes
 * from the jar (opening MapDB storage alone loads ~470); with an archive it maps them already
 * parsed and verified. Training runs every workload small in one JVM started with
 * {@code -XX:ArchiveClassesAtExit}; the JVM writes the archive when it exits. The JVM checks an
 * archive against its class path and JDK on every start and ignores one that does not match, so a
 * stale archive costs speed, never correctness. Apps and servers do the same with two flags (see
 * the README); the SDK itself needs no flag.
 */
public final class CdsArchive {
    private static final long TRAIN_TIMEOUT_S = 240;
    private static final int TRAIN_N = 400;

    private CdsArchive() {}

    /**
     * The archive for this class path, JDK and {@code jvmFlags}, trained now in a child JVM if
     * there is none yet (in {@code java.io.tmpdir}/cojson-cds); null when training failed (the
     * reason goes to stderr; the caller runs without one).
     */
    public static Path ensure(List<String> jvmFlags) {
        return ensure(jvmFlags, System.getProperty("java.class.path"), Path.of(System.getProperty("java.io.tmpdir"), "cojson-cds"));
    }

    /**
     * As above, for JVMs started with {@code classPath}, the archive kept in {@code dir}. The JDK
     * archives classes from jar files only: a class path with a non-empty directory (classes
     * compiled by an IDE, {@code mvn test}) gets null.
     */
    static Path ensure(List<String> jvmFlags, String classPath, Path dir) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (new File(entry).isDirectory()) {
                System.err.println("class-data-sharing archive not made: the class path has a directory (" + entry
                        + "); the JDK archives classes from jars only");
                return null;
            }
        }
        Path archive = dir.resolve(key(classPath, jvmFlags) + ".jsa");
        if (Files.isRegularFile(archive)) return archive;
        Path partial = null;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, "training-", ".jsa");
            Files.delete(partial); // the JVM writes it anew at exit
            List<String> flags = new ArrayList<>();
            for (String f : jvmFlags) if (!isArchiveFlag(f)) flags.add(f); // a dump cannot sit on another dynamic archive
            flags.add("-XX:ArchiveClassesAtExit=" + partial);
            List<String> cmd = ChildProcesses.javaCommand(flags, classPath, CdsArchive.class.getName(), List.of());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(TRAIN_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("training timed out after " + TRAIN_TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("training JVM exited with " + p.exitValue() + (Files.isRegularFile(partial) ? "" : ", no archive"));
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return archive;
        } catch (IOException | RuntimeException e) {
            System.err.println("class-data-sharing archive not made (" + e.getMessage() + "); running without one");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover partial file is never used: only the final name is
                }
            }
        }
    }

    /**
     * Names the archive by what the JVM checks it against: the JDK, the flags and each class-path
     * entry with its size and modification time (a rebuilt jar gets a new archive).
     */
    static String key(String classPath, List<String> jvmFlags) {
        StringBuilder sb = new StringBuilder();
        sb.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        for (String f : jvmFlags) if (!isArchiveFlag(f)) sb.append(f).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            File f = new File(entry);
            sb.append(f.getAbsolutePath()).append(' ').append(f.length()).append(' ').append(f.lastModified()).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The training run: every workload at a small size in this JVM, so that the classes of
     * accounts, groups, values, private transactions, import, list views, storage (build, open,
     * load) and the Java sync server with its WebSocket clients are loaded. W7 is left out: its
     * clients are the ones W5 uses. Run it yourself with {@code -XX:ArchiveClassesAtExit=FILE}
     * ({@code bench train}).
     */
    public static void train() throws IOException {
        for (String w : List.of("W1", "W2", "W3", "W4", "W6")) Workloads.run(w, TRAIN_N, 1);
        W5SyncE2E.run(TRAIN_N, W5SyncE2E.Server.JAVA, W5SyncE2E.defaultInteropDir());
        W8LargeList.buildAndLoadHere(TRAIN_N * 5, W8LargeList.DEFAULT_PER_TX);
    }

    /** A flag that names an archive to use or to write. */
    static boolean isArchiveFlag(String flag) {
        return flag.startsWith("-XX:SharedArchiveFile=") || flag.startsWith("-XX:ArchiveClassesAtExit=");
    }

    /** The training JVM of {@link #ensure}: trains, then exits (the JVM writes the archive). */
    public static void main(String[] args) throws IOException {
        train();
        System.exit(0);
    }
}
