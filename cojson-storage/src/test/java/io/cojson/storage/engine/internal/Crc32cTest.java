package io.cojson.storage.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;

/** The table-driven CRC-32C (used where the platform lacks java.util.zip.CRC32C) gives the JDK's values. */
class Crc32cTest {
    @Test
    void checkValueOfTheCastagnoliCrc() {
        Checksum c = Crc32c.portable();
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        c.update(b, 0, b.length);
        assertEquals(0xE3069283L, c.getValue()); // the standard check value of CRC-32C
    }

    @Test
    void sameValuesAsTheJdkOverPiecesOfRandomData() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] b = new byte[r.nextInt(9000)];
            r.nextBytes(b);
            Checksum ours = Crc32c.portable();
            CRC32C jdk = new CRC32C();
            int at = 0;
            while (at < b.length) { // in pieces, as Records and the journal feed it
                int n = Math.min(b.length - at, r.nextInt(700));
                if (n == 1) ours.update(b[at]); else ours.update(b, at, n);
                jdk.update(b, at, n);
                at += n;
            }
            assertEquals(jdk.getValue(), ours.getValue(), "round " + round + ", " + b.length + " bytes");
            ours.reset();
            jdk.reset();
            ours.update(b, 0, b.length);
            jdk.update(b, 0, b.length);
            assertEquals(jdk.getValue(), ours.getValue(), "after reset, round " + round);
        }
    }

    @Test
    void createUsesThePlatformClassOnTheJvm() {
        assertEquals(CRC32C.class, Crc32c.create().getClass());
    }
}
