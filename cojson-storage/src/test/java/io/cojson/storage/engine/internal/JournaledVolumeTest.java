package io.cojson.storage.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journaled MapDB volume on its own: reads see the uncommitted overlay page by page, a commit
 * lands in the journal and then the data file with the new length, and recovery re-applies a
 * complete journal (a crash after the journal was forced, before the data file was written) and
 * ignores a torn one. Real files in a temporary directory.
 */
class JournaledVolumeTest {
    private static final int PAGE = JournaledVolume.PAGE;
    private static final int SLICE_SHIFT = 13; // 8 KiB: ensureAvailable rounds up to it

    @TempDir
    Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private Path journal() {
        return tmp.resolve("journal");
    }

    private JournaledVolume open() {
        return new JournaledVolume(data(), journal(), true, SLICE_SHIFT);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed + i * 7);
        return b;
    }

    private static byte[] read(JournaledVolume v, long offset, int n) {
        byte[] b = new byte[n];
        v.getData(offset, b, 0, n);
        return b;
    }

    private static byte[] fileRange(Path p, int from, int n) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(p), from, from + n);
    }

    @Test
    void writesAcrossPageBoundariesReadBackBeforeAndAfterTheCommit() throws IOException {
        byte[] across = bytes(20, 3); // 10 bytes in page 0, 10 in page 1
        try (JournaledVolume v = open()) {
            v.ensureAvailable(PAGE + 1);
            assertEquals(2 * PAGE, v.length(), "rounded up to the slice size");
            v.putData(PAGE - 10, across, 0, across.length);
            v.putLong(3 * PAGE - 4, 0x0102030405060708L); // straddles pages 2 and 3, beyond the length so far
            v.putInt(100, 0xCAFEBABE);
            v.putByte(101 + 4, (byte) 0x5A);
            assertArrayEquals(across, read(v, PAGE - 10, 20), "from the overlay");
            assertEquals(0x0102030405060708L, v.getLong(3 * PAGE - 4));
            assertEquals(0xCAFEBABE, v.getInt(100));
            assertEquals((byte) 0x5A, v.getByte(105));
            assertArrayEquals(new byte[30], read(v, 200, 30), "untouched bytes of a written page are zero");
            v.ensureAvailable(3 * PAGE + 4);
            assertEquals(4 * PAGE, v.length());
            v.sync();
        }
        assertEquals(4 * PAGE, Files.size(data()), "the commit sets the file's length");
        assertArrayEquals(across, fileRange(data(), PAGE - 10, 20));
        try (JournaledVolume v = open()) {
            assertEquals(4 * PAGE, v.length());
            assertArrayEquals(across, read(v, PAGE - 10, 20), "from the file");
            assertEquals(0x0102030405060708L, v.getLong(3 * PAGE - 4));
            v.putByte(5, (byte) 1); // one dirty page: reads of other pages go to the file piece by piece
            assertArrayEquals(across, read(v, PAGE - 10, 20));
            assertEquals(0xCAFEBABE, v.getInt(100));
            assertArrayEquals(new byte[16], read(v, 4 * PAGE + 8, 16), "beyond the end of the file: zeros");
        }
    }

    @Test
    void aCompleteJournalIsReappliedAndATornOneIgnored() throws IOException {
        byte[] page1 = bytes(PAGE, 11);
        byte[] journal;
        try (JournaledVolume v = open()) {
            v.ensureAvailable(2 * PAGE);
            v.putData(PAGE, page1, 0, PAGE);
            v.sync();
            journal = Files.readAllBytes(journal()); // what a crash now would leave (a clean close empties it)
        }
        // a crash after the journal was forced, before the data file was written: old pages, old length
        Files.write(journal(), journal);
        Files.write(data(), new byte[PAGE / 2]);
        JournaledVolume.recover(data(), journal());
        assertEquals(2 * PAGE, Files.size(data()), "the journal's length");
        assertArrayEquals(page1, fileRange(data(), PAGE, PAGE));
        assertEquals(0, Files.size(journal()), "the journal is emptied once applied");
        JournaledVolume.recover(data(), journal()); // nothing to do
        assertEquals(2 * PAGE, Files.size(data()));

        byte[] garbage = bytes(3 * PAGE, 99);
        byte[] torn = journal.clone();
        torn[torn.length / 2] ^= 1; // checksum mismatch: this commit never touched the data file
        for (byte[] bad : new byte[][] {torn, Arrays.copyOf(journal, journal.length - 1), Arrays.copyOf(journal, 19)}) {
            Files.write(data(), garbage);
            Files.write(journal(), bad);
            JournaledVolume.recover(data(), journal());
            assertArrayEquals(garbage, Files.readAllBytes(data()), "a torn journal changes nothing");
            assertEquals(0, Files.size(journal()), "and is dropped");
        }
        // a longer data file is cut to the committed length
        Files.write(data(), garbage);
        Files.write(journal(), journal);
        JournaledVolume.recover(data(), journal());
        assertEquals(2 * PAGE, Files.size(data()));
        assertArrayEquals(page1, fileRange(data(), PAGE, PAGE));
        assertArrayEquals(Arrays.copyOf(garbage, PAGE), fileRange(data(), 0, PAGE), "pages not in the journal stay");
    }

    @Test
    void truncateDropsLaterPagesAndDiscardForgetsTheUncommitted() throws IOException {
        try (JournaledVolume v = open()) {
            v.ensureAvailable(3 * PAGE);
            v.putData(0, bytes(PAGE, 1), 0, PAGE);
            v.putData(2 * PAGE, bytes(PAGE, 2), 0, PAGE);
            v.sync();
            v.putData(PAGE, bytes(PAGE, 3), 0, PAGE);
            v.putData(2 * PAGE, bytes(PAGE, 4), 0, PAGE);
            v.truncate(2 * PAGE); // page 2 is gone, page 1 (below the new length) stays dirty
            v.sync();
            assertEquals(2 * PAGE, Files.size(data()));
            assertArrayEquals(bytes(PAGE, 3), fileRange(data(), PAGE, PAGE));
            v.ensureAvailable(3 * PAGE);
            v.putData(0, bytes(PAGE, 5), 0, PAGE);
            v.clear(PAGE, PAGE + 100);
            assertArrayEquals(new byte[100], read(v, PAGE, 100), "cleared in the overlay");
            v.discard();
            assertEquals(2 * PAGE, v.length(), "the committed length");
            assertArrayEquals(bytes(PAGE, 1), read(v, 0, PAGE), "the committed page");
            assertArrayEquals(bytes(PAGE, 3), read(v, PAGE, PAGE));
        }
    }

    /** A commit that only grows the file journals no page; recovery still restores the length. */
    @Test
    void aCommitThatOnlyChangesTheLengthIsRecovered() throws IOException {
        byte[] journal;
        try (JournaledVolume v = open()) {
            v.ensureAvailable(3 * PAGE);
            v.sync();
            journal = Files.readAllBytes(journal());
        }
        assertEquals(4 * PAGE, Files.size(data()));
        Files.write(journal(), journal); // a crash instead of the close: the journal stays
        Files.write(data(), new byte[10]); // the crash left the old, shorter file
        JournaledVolume.recover(data(), journal());
        assertEquals(4 * PAGE, Files.size(data()), "extended to the committed length");
        assertArrayEquals(new byte[4 * PAGE], Files.readAllBytes(data()));
    }

    /**
     * A clean close empties the journal once its commit is forced into the data file, so the next
     * open has nothing to re-apply; without fsync (the data file may not be on the device) the
     * journal stays for the next open's recovery.
     */
    @Test
    void aCleanCloseEmptiesTheJournalOnlyWhenTheDataFileIsForced() throws IOException {
        byte[] page = bytes(PAGE, 21);
        try (JournaledVolume v = open()) {
            v.ensureAvailable(PAGE);
            v.putData(0, page, 0, PAGE);
            v.sync();
            assertTrue(Files.size(journal()) > PAGE, "the commit went through the journal");
        }
        assertEquals(0, Files.size(journal()), "emptied by the clean close");
        assertArrayEquals(page, fileRange(data(), 0, PAGE), "the commit is in the data file");
        JournaledVolume.recover(data(), journal()); // nothing to do
        assertArrayEquals(page, fileRange(data(), 0, PAGE));

        byte[] page2 = bytes(PAGE, 22);
        try (JournaledVolume v = new JournaledVolume(data(), journal(), false, SLICE_SHIFT)) {
            v.putData(0, page2, 0, PAGE);
            v.sync();
        }
        assertTrue(Files.size(journal()) > PAGE, "kept: the data file was not forced");
        Files.write(data(), page); // as if the unforced page write was lost
        JournaledVolume.recover(data(), journal());
        assertArrayEquals(page2, fileRange(data(), 0, PAGE), "re-applied from the journal");
    }
}
