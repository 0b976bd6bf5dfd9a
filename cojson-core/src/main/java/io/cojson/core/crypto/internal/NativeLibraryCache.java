package io.cojson.core.crypto.internal;

import io.cojson.core.encoding.Hex;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Puts a native library bundled as a class-path resource into one file that every JVM start reuses.
 * lazysodium's own loader extracts into a new temporary directory per start and never removes it
 * (when run from a shaded jar it copies the whole jar, ~176 MB a start), which fills the disk of a
 * machine that starts many JVMs. Here the file is named by the SHA-256 of its bytes and checked
 * against them before every use, so a stale or altered copy is never loaded. java.io only (Android).
 * Also used by cojson-storage for lz4-java's library (MapDB's xxhash).
 */
public final class NativeLibraryCache {
    private NativeLibraryCache() {}

    /**
     * The absolute path of a verified copy of {@code resource} (loaded through {@code loader}) in
     * {@code baseDir}, written there (atomically, by rename) if missing or different.
     */
    public static String extract(ClassLoader loader, String resource, File baseDir) throws IOException {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no bundled native library " + resource + " on the class path");
            bytes = readAll(in);
        }
        String digest = sha256(bytes);
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        File dir = new File(baseDir, "cojson-native-" + digest.substring(0, 16));
        File lib = new File(dir, name);
        if (lib.isFile() && digest.equals(sha256(readFile(lib)))) return lib.getAbsolutePath();
        if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) throw new IOException("cannot create " + dir);
        // owner-only, so another user cannot swap the file between our check and the load
        dir.setReadable(false, false);
        dir.setReadable(true, true);
        dir.setWritable(false, false);
        dir.setWritable(true, true);
        dir.setExecutable(false, false);
        dir.setExecutable(true, true);
        File tmp = File.createTempFile(name, ".part", dir);
        try {
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(bytes);
                out.getFD().sync();
            }
            if (!tmp.renameTo(lib) && !(lib.isFile() && digest.equals(sha256(readFile(lib))))) {
                throw new IOException("cannot move " + tmp + " to " + lib);
            }
        } finally {
            if (tmp.exists() && !tmp.delete()) tmp.deleteOnExit();
        }
        if (!digest.equals(sha256(readFile(lib)))) throw new IOException(lib + " does not hold the bundled library");
        return lib.getAbsolutePath();
    }

    private static byte[] readFile(File f) throws IOException {
        try (InputStream in = new FileInputStream(f)) {
            return readAll(in);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0;) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every Java platform", e);
        }
    }
}
