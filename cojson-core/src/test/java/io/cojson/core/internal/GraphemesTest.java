package io.cojson.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Graphemes} against clusters the reference's {@code splitGraphemes} (unicode-segmenter
 * 0.12.0) printed for these code points (hex, {@code +} joins a cluster, {@code |} separates
 * clusters). The first six are sequences where the reference departs from UAX #29, so ICU's
 * standard segmentation must differ there; the live comparison over random strings and every code
 * point is samples' GraphemeSegmentationInteropTest.
 */
class GraphemesTest {
    /** code points => the reference's clusters */
    private static final String[][] DEPARTING = {
            {"94d 20 915 937", "94d | 20 | 915+937"},
            {"b95 20 fe0f 200d 1f469", "b95 | 20+fe0f+200d+1f469"},
            {"20e3 200d 1f3f3 a 1f3fb 1f3f4", "20e3+200d+1f3f3 | a | 1f3fb | 1f3f4"},
            {"ac01 a ad bcd 200d 1f3f3 1f525 1f476", "ac01 | a | ad | bcd+200d+1f3f3 | 1f525 | 1f476"},
            {"11003 1f1eb 2764 301 200d 200d 1f476", "11003 | 1f1eb | 2764+301+200d+200d+1f476"},
            {"2764 937 11a8 11003 1100 94d 937 200c", "2764 | 937 | 11a8 | 11003 | 1100+94d+937+200c"},
    };

    private static final String[][] STANDARD = {
            {"61 200d 1f469", "61+200d | 1f469"},
            {"915 94d 937 93f", "915+94d+937+93f"},
            {"1f469 200d 1f469 200d 1f467", "1f469+200d+1f469+200d+1f467"},
            {"1f1eb 1f1f7 1f1e9", "1f1eb+1f1f7 | 1f1e9"},
            {"d a 61", "d+a | 61"},
            {"1f3f3 fe0f 200d 1f308", "1f3f3+fe0f+200d+1f308"},
            {"31 fe0f 20e3", "31+fe0f+20e3"},
            {"600 61", "600+61"},
            {"1100 1161 11a8", "1100+1161+11a8"},
    };

    @Test
    void splitsAsTheReferenceWhereItDepartsFromUax29() {
        for (String[] v : DEPARTING) {
            String text = text(v[0]);
            assertEquals(clusters(v[1]), Graphemes.split(text), v[0]);
            assertNotEquals(clusters(v[1]), icu(text), v[0] + ": ICU follows UAX #29 here");
        }
    }

    @Test
    void splitsAsTheReferenceAndUax29Elsewhere() {
        for (String[] v : STANDARD) {
            String text = text(v[0]);
            assertEquals(clusters(v[1]), Graphemes.split(text), v[0]);
            assertEquals(icu(text), Graphemes.split(text), v[0]);
        }
        assertEquals(List.of(), Graphemes.split(""));
        assertEquals(List.of("\uD800", "a"), Graphemes.split("\uD800a"), "a lone surrogate is a cluster of its own");
    }

    private static String text(String hex) {
        StringBuilder b = new StringBuilder();
        for (String h : hex.split(" ")) b.appendCodePoint(Integer.parseInt(h, 16));
        return b.toString();
    }

    private static List<String> clusters(String spec) {
        List<String> out = new ArrayList<>();
        for (String c : spec.split(" \\| ")) out.add(text(c.replace('+', ' ')));
        return out;
    }

    private static List<String> icu(String text) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getCharacterInstance(ULocale.ROOT);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) out.add(text.substring(start, end));
        return out;
    }
}
