package io.cojson.core.internal;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into grapheme clusters exactly as the reference does: cojson's CoPlainText uses
 * {@code splitGraphemes} of the npm package unicode-segmenter 0.12.0 (Unicode 16), whose state
 * machine departs from UAX #29 in a few sequences that ICU's {@code BreakIterator} segments by the
 * standard, e.g. a non-pictographic base, ZWJ, then a pictograph stays one cluster
 * ("a\u200D👩"), and an Indic linker seen before a space still joins two later consonants. The
 * segments decide the list entries of a text and so every later index, hence this port of that
 * state machine (same states, same rule order). Property values come from ICU4J (Unicode 16,
 * like the reference's tables; an interop test compares both over every code point).
 */
public final class Graphemes {
    // unicode-segmenter's category numbers
    static final int ANY = 0, CR = 1, CONTROL = 2, EXTEND = 3, EXT_PICT = 4, L = 5, LF = 6, LV = 7, LVT = 8,
            PREPEND = 9, RI = 10, SPACING_MARK = 11, T = 12, V = 13, ZWJ = 14;

    private Graphemes() {}

    /** The grapheme clusters of {@code input}, as the reference's {@code splitGraphemes}. */
    public static List<String> split(String input) {
        List<String> out = new ArrayList<>();
        if (input.isEmpty()) return out;
        int len = input.length();
        int cursor = 0;
        int segStart = 0;
        int catAfter = -1; // -1: not yet known (the reference's null)
        int risCount = 0;
        boolean emoji = false, consonant = false, linker = false, incb = false;
        int cp = input.codePointAt(0);
        while (true) {
            cursor += cp <= 0xFFFF ? 1 : 2;
            int catBefore = catAfter == -1 ? category(cp) : catAfter;
            // the reference updates these lazily, in this order (an else-if)
            if (!consonant && catBefore == ANY) consonant = isConsonant(cp);
            else if (catBefore == EXTEND) linker = isLinker(cp);
            if (cursor >= len) {
                out.add(input.substring(segStart));
                return out;
            }
            cp = input.codePointAt(cursor);
            catAfter = category(cp);
            if (catBefore == RI) {
                risCount++;
            } else {
                risCount = 0;
                if (catAfter == ZWJ && (catBefore == EXTEND || catBefore == EXT_PICT)) {
                    emoji = true;
                } else if (catAfter == ANY) {
                    if (consonant && linker) {
                        consonant = isConsonant(cp);
                        incb = consonant;
                    } else {
                        incb = false;
                    }
                    linker = linker && !consonant;
                }
            }
            if (isBoundary(catBefore, catAfter, risCount, emoji, incb)) {
                out.add(input.substring(segStart, cursor));
                segStart = cursor;
                emoji = false;
                incb = false;
            }
        }
    }

    /** unicode-segmenter's category of a code point: Grapheme_Cluster_Break, with Extended_Pictographic for Other. */
    public static int category(int cp) {
        if (cp < 127) {
            if (cp >= 32) return ANY;
            if (cp == 10) return LF;
            if (cp == 13) return CR;
            return CONTROL;
        }
        switch (UCharacter.getIntPropertyValue(cp, UProperty.GRAPHEME_CLUSTER_BREAK)) {
            case UCharacter.GraphemeClusterBreak.CR: return CR;
            case UCharacter.GraphemeClusterBreak.LF: return LF;
            case UCharacter.GraphemeClusterBreak.CONTROL: return CONTROL;
            case UCharacter.GraphemeClusterBreak.EXTEND: return EXTEND;
            case UCharacter.GraphemeClusterBreak.L: return L;
            case UCharacter.GraphemeClusterBreak.LV: return LV;
            case UCharacter.GraphemeClusterBreak.LVT: return LVT;
            case UCharacter.GraphemeClusterBreak.T: return T;
            case UCharacter.GraphemeClusterBreak.V: return V;
            case UCharacter.GraphemeClusterBreak.PREPEND: return PREPEND;
            case UCharacter.GraphemeClusterBreak.REGIONAL_INDICATOR: return RI;
            case UCharacter.GraphemeClusterBreak.SPACING_MARK: return SPACING_MARK;
            case UCharacter.GraphemeClusterBreak.ZWJ: return ZWJ;
            default: return UCharacter.hasBinaryProperty(cp, UProperty.EXTENDED_PICTOGRAPHIC) ? EXT_PICT : ANY;
        }
    }

    /** Indic_Conjunct_Break=Consonant. */
    public static boolean isConsonant(int cp) {
        return UCharacter.getIntPropertyValue(cp, UProperty.INDIC_CONJUNCT_BREAK) == UCharacter.IndicConjunctBreak.CONSONANT.ordinal(); // the property value is the ordinal (ICU 76)
    }

    /** The six viramas the reference treats as Indic_Conjunct_Break=Linker (its list, not the property). */
    static boolean isLinker(int cp) {
        return cp == 0x094D || cp == 0x09CD || cp == 0x0ACD || cp == 0x0B4D || cp == 0x0C4D || cp == 0x0D4D;
    }

    /** The reference's rules GB3..GB999, in its order. */
    private static boolean isBoundary(int before, int after, int risCount, boolean emoji, boolean incb) {
        if (before == CR && after == LF) return false; // GB3
        if (before == CR || before == CONTROL || before == LF) return true; // GB4
        if (after == CR || after == CONTROL || after == LF) return true; // GB5
        if (before == L && (after == L || after == V || after == LV || after == LVT)) return false; // GB6
        if ((before == LV || before == V) && (after == V || after == T)) return false; // GB7
        if (after == T && (before == LVT || before == T)) return false; // GB8
        if (after == EXTEND || after == ZWJ) return false; // GB9
        if (after == SPACING_MARK) return false; // GB9a
        if (before == PREPEND) return false; // GB9b
        if (after == ANY && incb) return false; // GB9c
        if (before == ZWJ && after == EXT_PICT) return !emoji; // GB11
        if (before == RI && after == RI) return risCount % 2 == 0; // GB12, GB13
        return true; // GB999
    }
}
