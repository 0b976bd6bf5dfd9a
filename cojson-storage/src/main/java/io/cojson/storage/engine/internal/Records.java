package io.cojson.storage.engine.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Checksum;

/**
 * Record encoding: every stored value is {@code crc32c(key bytes ++ payload)} (4 bytes) followed by
 * the payload, so that a damaged value, and a damaged key found by a scan, are both detected (MapDB
 * has no record checksums when transactions are enabled).
 */
final class Records {
    private Records() {}

    static final class Damaged extends Exception {
        Damaged(String message) {
            super(message);
        }
    }

    static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] keyBytes(long key) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) key;
            key >>>= 8;
        }
        return b;
    }

    static byte[] seal(byte[] key, byte[] payload) {
        Checksum crc = Crc32c.create();
        crc.update(key, 0, key.length);
        crc.update(payload, 0, payload.length);
        int c = (int) crc.getValue();
        byte[] out = new byte[payload.length + 4];
        out[0] = (byte) (c >>> 24);
        out[1] = (byte) (c >>> 16);
        out[2] = (byte) (c >>> 8);
        out[3] = (byte) c;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /** The payload of a sealed record, or {@link Damaged} if the checksum does not match. */
    static byte[] open(byte[] key, byte[] record) throws Damaged {
        check(key, record);
        byte[] payload = new byte[record.length - 4];
        System.arraycopy(record, 4, payload, 0, payload.length);
        return payload;
    }

    /**
     * {@code text(open(key, record))} without the payload's copy: a load reads every stored
     * transaction run once, megabytes of them.
     */
    static String openText(byte[] key, byte[] record) throws Damaged {
        check(key, record);
        return new String(record, 4, record.length - 4, StandardCharsets.UTF_8);
    }

    private static void check(byte[] key, byte[] record) throws Damaged {
        if (record == null || record.length < 4) throw new Damaged("record shorter than its checksum");
        Checksum crc = Crc32c.create();
        crc.update(key, 0, key.length);
        crc.update(record, 4, record.length - 4);
        int c = (int) crc.getValue();
        int stored = ((record[0] & 0xff) << 24) | ((record[1] & 0xff) << 16) | ((record[2] & 0xff) << 8) | (record[3] & 0xff);
        if (c != stored) throw new Damaged("checksum mismatch");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    static byte[] longPayload(long v) {
        return keyBytes(v);
    }

    static long longOf(byte[] payload) throws Damaged {
        if (payload.length != 8) throw new Damaged("expected 8 bytes, found " + payload.length);
        long v = 0;
        for (byte b : payload) v = (v << 8) | (b & 0xff);
        return v;
    }

    /** A session row: its row ID (insertion order), stored count, last signature, bytes since the last checkpoint. */
    record SessionRow(long rowId, int lastIdx, String lastSignature, int bytesSinceLastSignature) {
        byte[] encode() {
            try {
                ByteArrayOutputStream bos = new ByteArrayOutputStream(128);
                DataOutputStream out = new DataOutputStream(bos);
                out.writeByte(1);
                out.writeLong(rowId);
                out.writeInt(lastIdx);
                out.writeBoolean(lastSignature != null);
                if (lastSignature != null) out.writeUTF(lastSignature);
                out.writeInt(bytesSinceLastSignature);
                return bos.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static SessionRow decode(byte[] payload) throws Damaged {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
                if (in.readByte() != 1) throw new Damaged("unknown session row version");
                long rowId = in.readLong();
                int lastIdx = in.readInt();
                String sig = in.readBoolean() ? in.readUTF() : null;
                int bytes = in.readInt();
                if (lastIdx < 0 || rowId < 0 || (lastIdx > 0) != (sig != null)) throw new Damaged("inconsistent session row");
                return new SessionRow(rowId, lastIdx, sig, bytes);
            } catch (IOException e) {
                throw new Damaged("truncated session row");
            }
        }
    }
}
