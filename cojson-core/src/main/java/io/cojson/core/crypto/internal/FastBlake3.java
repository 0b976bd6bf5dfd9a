package io.cojson.core.crypto.internal;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoProvider;
import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE3 (default hash mode, 32-byte output) in plain Java, written for cojson's pattern: a
 * running hash over many small inputs with a digest after each. {@link #digest()} finishes from
 * the current state without copying it (a few compressions for the pending block and the
 * chaining-value stack), and {@link #copy()} copies a few small arrays. Follows the BLAKE3
 * reference implementation; checked against Bouncy Castle's {@code Blake3Digest} in tests.
 */
public final class FastBlake3 implements Blake3Hasher {
    private static final int BLOCK_LEN = 64;
    private static final int CHUNK_LEN = 1024;
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int PARENT = 4;
    private static final int ROOT = 8;
    private static final int IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A,
            IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;
    private static final int[] IV = {IV0, IV1, IV2, IV3, IV4, IV5, IV6, IV7};
    /** Message word order of each of the 7 rounds (the permutation applied round after round). */
    private static final int[][] SCHEDULE = schedule();

    // current chunk
    private final int[] cv = IV.clone();
    private final byte[] block = new byte[BLOCK_LEN];
    private int blockLen;
    private int blocksCompressed;
    private long chunkCounter;
    // chaining values of completed subtrees, 8 words each
    private int[] cvStack = new int[8 * 8];
    private int cvStackLen;
    // scratch (not state)
    private final int[] m = new int[16];
    private final int[] out = new int[16];

    public FastBlake3() {}

    private FastBlake3(FastBlake3 o) {
        System.arraycopy(o.cv, 0, cv, 0, 8);
        System.arraycopy(o.block, 0, block, 0, BLOCK_LEN);
        blockLen = o.blockLen;
        blocksCompressed = o.blocksCompressed;
        chunkCounter = o.chunkCounter;
        cvStack = Arrays.copyOf(o.cvStack, Math.max(8, o.cvStackLen * 8));
        cvStackLen = o.cvStackLen;
    }

    /** One-shot hash. */
    public static byte[] hash(byte[] data) {
        return new FastBlake3().update(data).digest();
    }

    @Override
    public FastBlake3 update(byte[] data) {
        Checks.notNull("blake3 input", data);
        return update0(data, 0, data.length);
    }

    @Override
    public FastBlake3 update(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Checks.notNull("blake3 input", data).length);
        return update0(data, offset, length);
    }

    private FastBlake3 update0(byte[] data, int off, int len) {
        int[] m = this.m;
        int[] out = this.out;
        while (len > 0) {
            if (blockLen == BLOCK_LEN) {
                if (blocksCompressed == CHUNK_LEN / BLOCK_LEN - 1) {
                    // the chunk is complete and more input follows: finish it, start the next
                    words(block, m);
                    compress(cv, m, chunkCounter, BLOCK_LEN, CHUNK_END, out);
                    addChunkCv(out, chunkCounter + 1);
                    chunkCounter++;
                    System.arraycopy(IV, 0, cv, 0, 8);
                    blocksCompressed = 0;
                } else {
                    words(block, m);
                    compressInPlace(cv, m, out, chunkCounter, BLOCK_LEN, blocksCompressed == 0 ? CHUNK_START : 0);
                    blocksCompressed++;
                }
                blockLen = 0;
            }
            // whole blocks straight from the input while more follows
            while (blockLen == 0 && len > BLOCK_LEN && blocksCompressed < CHUNK_LEN / BLOCK_LEN - 1) {
                words(data, off, m);
                compressInPlace(cv, m, out, chunkCounter, BLOCK_LEN, blocksCompressed == 0 ? CHUNK_START : 0);
                blocksCompressed++;
                off += BLOCK_LEN;
                len -= BLOCK_LEN;
            }
            int take = Math.min(BLOCK_LEN - blockLen, len);
            System.arraycopy(data, off, block, blockLen, take);
            blockLen += take;
            off += take;
            len -= take;
        }
        return this;
    }

    /** Pushes the chunk's chaining value (first 8 words of {@code cur}), merging completed subtrees. */
    private void addChunkCv(int[] cur, long totalChunks) {
        int[] m = this.m;
        while ((totalChunks & 1) == 0) {
            cvStackLen--;
            System.arraycopy(cvStack, cvStackLen * 8, m, 0, 8);
            System.arraycopy(cur, 0, m, 8, 8);
            compress(IV, m, 0, BLOCK_LEN, PARENT, cur);
            totalChunks >>= 1;
        }
        if ((cvStackLen + 1) * 8 > cvStack.length) cvStack = Arrays.copyOf(cvStack, cvStack.length * 2);
        System.arraycopy(cur, 0, cvStack, cvStackLen * 8, 8);
        cvStackLen++;
    }

    @Override
    public byte[] digest() {
        int[] m = this.m;
        int[] out = this.out;
        if (blockLen < BLOCK_LEN) Arrays.fill(block, blockLen, BLOCK_LEN, (byte) 0); // bytes past blockLen are not state
        words(block, m);
        int flags = CHUNK_END | (blocksCompressed == 0 ? CHUNK_START : 0);
        int[] inCv = cv;
        long counter = chunkCounter;
        int len = blockLen;
        for (int i = cvStackLen - 1; i >= 0; i--) {
            compress(inCv, m, counter, len, flags, out); // chaining value of the node below
            System.arraycopy(cvStack, i * 8, m, 0, 8);
            System.arraycopy(out, 0, m, 8, 8);
            inCv = IV;
            counter = 0;
            len = BLOCK_LEN;
            flags = PARENT;
        }
        compress(inCv, m, counter, len, flags | ROOT, out);
        byte[] h = new byte[CryptoProvider.BLAKE3_BYTES];
        for (int i = 0; i < 8; i++) {
            int w = out[i];
            h[4 * i] = (byte) w;
            h[4 * i + 1] = (byte) (w >>> 8);
            h[4 * i + 2] = (byte) (w >>> 16);
            h[4 * i + 3] = (byte) (w >>> 24);
        }
        return h;
    }

    @Override
    public FastBlake3 copy() {
        return new FastBlake3(this);
    }

    private static void words(byte[] b, int[] m) {
        words(b, 0, m);
    }

    private static void words(byte[] b, int off, int[] m) {
        for (int i = 0; i < 16; i++) {
            int p = off + 4 * i;
            m[i] = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
        }
    }

    /** Compresses and keeps only the new chaining value in {@code cv}. */
    private static void compressInPlace(int[] cv, int[] m, int[] out, long counter, int blockLen, int flags) {
        compress(cv, m, counter, blockLen, flags, out);
        System.arraycopy(out, 0, cv, 0, 8);
    }

    /** The BLAKE3 compression function; {@code out} gets the 16 output words; neither {@code m} nor {@code cv} may alias {@code out}. */
    static void compress(int[] cv, int[] m, long counter, int blockLen, int flags, int[] out) {
        int s0 = cv[0], s1 = cv[1], s2 = cv[2], s3 = cv[3], s4 = cv[4], s5 = cv[5], s6 = cv[6], s7 = cv[7];
        int s8 = IV0, s9 = IV1, s10 = IV2, s11 = IV3;
        int s12 = (int) counter, s13 = (int) (counter >>> 32), s14 = blockLen, s15 = flags;
        for (int r = 0; r < 7; r++) {
            int[] p = SCHEDULE[r];
            // columns
            s0 += s4 + m[p[0]]; s12 = Integer.rotateRight(s12 ^ s0, 16); s8 += s12; s4 = Integer.rotateRight(s4 ^ s8, 12);
            s0 += s4 + m[p[1]]; s12 = Integer.rotateRight(s12 ^ s0, 8); s8 += s12; s4 = Integer.rotateRight(s4 ^ s8, 7);
            s1 += s5 + m[p[2]]; s13 = Integer.rotateRight(s13 ^ s1, 16); s9 += s13; s5 = Integer.rotateRight(s5 ^ s9, 12);
            s1 += s5 + m[p[3]]; s13 = Integer.rotateRight(s13 ^ s1, 8); s9 += s13; s5 = Integer.rotateRight(s5 ^ s9, 7);
            s2 += s6 + m[p[4]]; s14 = Integer.rotateRight(s14 ^ s2, 16); s10 += s14; s6 = Integer.rotateRight(s6 ^ s10, 12);
            s2 += s6 + m[p[5]]; s14 = Integer.rotateRight(s14 ^ s2, 8); s10 += s14; s6 = Integer.rotateRight(s6 ^ s10, 7);
            s3 += s7 + m[p[6]]; s15 = Integer.rotateRight(s15 ^ s3, 16); s11 += s15; s7 = Integer.rotateRight(s7 ^ s11, 12);
            s3 += s7 + m[p[7]]; s15 = Integer.rotateRight(s15 ^ s3, 8); s11 += s15; s7 = Integer.rotateRight(s7 ^ s11, 7);
            // diagonals
            s0 += s5 + m[p[8]]; s15 = Integer.rotateRight(s15 ^ s0, 16); s10 += s15; s5 = Integer.rotateRight(s5 ^ s10, 12);
            s0 += s5 + m[p[9]]; s15 = Integer.rotateRight(s15 ^ s0, 8); s10 += s15; s5 = Integer.rotateRight(s5 ^ s10, 7);
            s1 += s6 + m[p[10]]; s12 = Integer.rotateRight(s12 ^ s1, 16); s11 += s12; s6 = Integer.rotateRight(s6 ^ s11, 12);
            s1 += s6 + m[p[11]]; s12 = Integer.rotateRight(s12 ^ s1, 8); s11 += s12; s6 = Integer.rotateRight(s6 ^ s11, 7);
            s2 += s7 + m[p[12]]; s13 = Integer.rotateRight(s13 ^ s2, 16); s8 += s13; s7 = Integer.rotateRight(s7 ^ s8, 12);
            s2 += s7 + m[p[13]]; s13 = Integer.rotateRight(s13 ^ s2, 8); s8 += s13; s7 = Integer.rotateRight(s7 ^ s8, 7);
            s3 += s4 + m[p[14]]; s14 = Integer.rotateRight(s14 ^ s3, 16); s9 += s14; s4 = Integer.rotateRight(s4 ^ s9, 12);
            s3 += s4 + m[p[15]]; s14 = Integer.rotateRight(s14 ^ s3, 8); s9 += s14; s4 = Integer.rotateRight(s4 ^ s9, 7);
        }
        out[0] = s0 ^ s8; out[1] = s1 ^ s9; out[2] = s2 ^ s10; out[3] = s3 ^ s11;
        out[4] = s4 ^ s12; out[5] = s5 ^ s13; out[6] = s6 ^ s14; out[7] = s7 ^ s15;
        out[8] = s8 ^ cv[0]; out[9] = s9 ^ cv[1]; out[10] = s10 ^ cv[2]; out[11] = s11 ^ cv[3];
        out[12] = s12 ^ cv[4]; out[13] = s13 ^ cv[5]; out[14] = s14 ^ cv[6]; out[15] = s15 ^ cv[7];
    }

    private static int[][] schedule() {
        int[] perm = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
        int[][] s = new int[7][16];
        int[] cur = new int[16];
        for (int i = 0; i < 16; i++) cur[i] = i;
        for (int r = 0; r < 7; r++) {
            s[r] = cur.clone();
            int[] next = new int[16];
            for (int i = 0; i < 16; i++) next[i] = cur[perm[i]];
            cur = next;
        }
        return s;
    }
}
