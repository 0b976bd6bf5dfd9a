package io.cojson.storage.engine.internal;

import java.lang.reflect.Constructor;
import java.util.zip.Checksum;

/**
 * CRC-32C (Castagnoli), the checksum of sealed records and of the page journal. The JDK's
 * {@code java.util.zip.CRC32C} (hardware-accelerated) when the platform has it, else a table-driven
 * one with the same values: Android has that class only from API level 34. Callers use the
 * three-argument {@link Checksum#update(byte[], int, int)}, which Android 26 has.
 */
final class Crc32c {
    private static final Constructor<? extends Checksum> PLATFORM = platform();
    private static final int[] TABLE = table();

    private Crc32c() {}

    static Checksum create() {
        if (PLATFORM != null) {
            try {
                return PLATFORM.newInstance();
            } catch (ReflectiveOperationException e) {
                // not expected once the constructor was found; the portable one gives the same values
            }
        }
        return new Portable();
    }

    /** Always the table-driven implementation (tests compare it with the platform's). */
    static Checksum portable() {
        return new Portable();
    }

    private static Constructor<? extends Checksum> platform() {
        try {
            return Class.forName("java.util.zip.CRC32C").asSubclass(Checksum.class).getConstructor();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    private static int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            t[i] = c;
        }
        return t;
    }

    private static final class Portable implements Checksum {
        private int crc = 0xFFFFFFFF;

        @Override
        public void update(int b) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xff];
        }

        @Override
        public void update(byte[] b, int off, int len) {
            if (off < 0 || len < 0 || off > b.length - len) throw new ArrayIndexOutOfBoundsException();
            int c = crc;
            for (int i = off, end = off + len; i < end; i++) c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xff];
            crc = c;
        }

        @Override
        public long getValue() {
            return ~crc & 0xFFFFFFFFL;
        }

        @Override
        public void reset() {
            crc = 0xFFFFFFFF;
        }
    }
}
