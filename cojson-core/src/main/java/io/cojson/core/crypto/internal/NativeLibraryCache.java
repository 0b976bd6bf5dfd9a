package io.cojson.core.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Puts a native library bundled as a class-path resource into one file that every JVM start reuses.
 * lazysodium's own loader extracts into a new temporary directory per start and never removes it
 * (when run from a shaded jar it copies the whole jar, ~176 MB a start), which fills the disk of a
 * machine that starts many JVMs. Here the file's directory is named by a fingerprint of its bytes
 * (CRC-32 and length) and the file is compared byte for byte with the bundled library before every
 * use, so a stale or altered copy is never loaded. (No SHA-256: hashing the 2 MB libsodium twice
 * on a cold JVM, plus the security providers' start, cost tens of milliseconds per start; the full
 * comparison checks more than a digest would.) java.io only (Android).
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
        CRC32 crc = new CRC32(); // native even before the JIT: a fingerprint for the name, not the check
        crc.update(bytes, 0, bytes.length);
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        File dir = new File(baseDir, "cojson-native-" + hex8(crc.getValue()) + hex8(bytes.length));
        File lib = new File(dir, name);
        if (lib.isFile() && holds(lib, bytes)) return lib.getAbsolutePath();
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
            if (!tmp.renameTo(lib) && !(lib.isFile() && holds(lib, bytes))) {
                throw new IOException("cannot move " + tmp + " to " + lib);
            }
        } finally {
            if (tmp.exists() && !tmp.delete()) tmp.deleteOnExit();
        }
        if (!holds(lib, bytes)) throw new IOException(lib + " does not hold the bundled library");
        return lib.getAbsolutePath();
    }

    /** Whether {@code f} holds exactly {@code bytes}. */
    private static boolean holds(File f, byte[] bytes) throws IOException {
        return f.length() == bytes.length && Arrays.equals(readFile(f), bytes);
    }

    private static String hex8(long v) {
        String h = Long.toHexString(v & 0xffffffffL);
        return "00000000".substring(h.length()) + h;
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
}
