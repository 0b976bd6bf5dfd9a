package io.cojson.storage.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock holder's note is written without java.time's formatter and without a name-service
 * lookup; it must read as before: {@code pid=… host=… opened=<Instant.toString()>}.
 */
class HolderNoteTest {
    @TempDir
    Path tmp;

    @Test
    void theTimestampIsWhatInstantToStringWrites() {
        SplittableRandom r = new SplittableRandom(42);
        long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        int[] nanos = {0, 1, 999_999_999, 1_000_000, 123_000_000, 123_456_000, 123_456_789, 500_000, 7_000};
        for (int i = 0; i < 200_000; i++) {
            long secs = from + (long) (r.nextDouble() * (to - from));
            int nano = i < nanos.length * 1000 ? nanos[i % nanos.length] : r.nextInt(1_000_000_000);
            if (i % 3 == 0) nano -= nano % 1000; // microsecond clocks
            Instant t = Instant.ofEpochSecond(secs, nano);
            assertEquals(t.toString(), StoreFiles.iso(t));
        }
        for (String s : new String[] {"1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999Z", "2100-03-01T00:00:00.000001Z",
                "2026-12-31T12:00:00.100200300Z", "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(s);
            assertEquals(t.toString(), StoreFiles.iso(t), s);
        }
        Instant now = Instant.now();
        assertEquals(now.toString(), StoreFiles.iso(now));
    }

    @Test
    void theHostIsTheNameGetLocalHostAnswers() {
        String host = HostName.get();
        assertFalse(host.isEmpty() || host.chars().anyMatch(Character::isWhitespace), host);
        String viaLookup;
        try {
            viaLookup = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            viaLookup = null; // this host's own name does not resolve: the old note said unknown-host here
        }
        if (viaLookup != null) assertEquals(viaLookup, host);
    }

    @Test
    void theLockFileNamesPidHostAndOpeningTime() throws Exception {
        Instant before = Instant.now();
        StoreFiles f = StoreFiles.open(tmp.resolve("s"), true);
        try {
            String note = new String(Files.readAllBytes(tmp.resolve("s").resolve(StoreFiles.LOCK_FILE)), StandardCharsets.UTF_8);
            String prefix = "pid=" + ProcessHandle.current().pid() + " host=" + HostName.get() + " opened=";
            assertTrue(note.startsWith(prefix) && note.endsWith("\n"), note);
            Instant opened = Instant.parse(note.substring(prefix.length(), note.length() - 1));
            assertFalse(opened.isBefore(before) || opened.isAfter(Instant.now()), note);
            String marker = new String(Files.readAllBytes(tmp.resolve("s").resolve(StoreFiles.OPEN_MARKER)), StandardCharsets.UTF_8);
            assertTrue(marker.matches("pid=" + ProcessHandle.current().pid() + " opened=\\S+Z\n"), marker);
        } finally {
            f.close();
        }
    }
}
