package io.cojson.core.ids;

import io.cojson.core.encoding.InvalidEncodingException;

/**
 * One operation inside a transaction; stringified as {@code sessionID:txIndex:changeIdx}. Operations
 * made in a branch (and merged from one) also carry the branch's CoValue ID (covalues.md §13.2):
 * the same session may write both in a value and in its branch, so the branch is part of the identity.
 */
public record OpID(SessionID sessionID, int txIndex, int changeIdx, String branch) {
    public OpID {
        if (sessionID == null) throw new InvalidIdException("a session ID", "null");
        if (txIndex < 0 || changeIdx < 0) {
            throw new InvalidIdException("non-negative txIndex and changeIdx", txIndex + ":" + changeIdx);
        }
        if (branch != null && branch.isEmpty()) branch = null; // the reference tests it for truthiness
    }

    /** An operation outside any branch. */
    public OpID(SessionID sessionID, int txIndex, int changeIdx) {
        this(sessionID, txIndex, changeIdx, null);
    }

    /** The reference's per-session index key: the session, plus {@code _branch_<id>} in a branch. */
    public String sessionKey() {
        return branch == null ? sessionID.value() : sessionID.value() + "_branch_" + branch;
    }

    public TransactionID txID() {
        return new TransactionID(sessionID, txIndex);
    }

    public String stringify() {
        return sessionID.value() + ":" + txIndex + ":" + changeIdx;
    }

    /** Parses {@code sessionID:txIndex:changeIdx} (session IDs contain no ':'). */
    public static OpID parse(String text) {
        String expected = "op ID (sessionID:txIndex:changeIdx)";
        if (text == null) throw new InvalidIdException(expected, "null");
        int b = text.lastIndexOf(':');
        int a = b > 0 ? text.lastIndexOf(':', b - 1) : -1;
        if (a <= 0) throw new InvalidIdException(expected, InvalidEncodingException.describe(text));
        int txIndex = parseIndex(text.substring(a + 1, b));
        int changeIdx = parseIndex(text.substring(b + 1));
        if (txIndex < 0 || changeIdx < 0) throw new InvalidIdException(expected, InvalidEncodingException.describe(text));
        return new OpID(new SessionID(text.substring(0, a)), txIndex, changeIdx);
    }

    /**
     * The canonical decimal form {@link #stringify} writes: ASCII digits, no sign, no leading zero,
     * within int range; -1 otherwise. ({@link Integer#parseInt} would also accept {@code +1},
     * {@code 01} and non-ASCII digits such as U+0661, which do not round-trip.)
     */
    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    @Override
    public String toString() {
        return stringify();
    }

    // Written out (same values as the generated ones): a record's generated equals/hashCode run
    // through method-handle chains, which a cold JVM interprets on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof OpID other && txIndex == other.txIndex && changeIdx == other.changeIdx
                && sessionID.equals(other.sessionID) && java.util.Objects.equals(branch, other.branch));
    }

    @Override
    public int hashCode() {
        return ((sessionID.hashCode() * 31 + txIndex) * 31 + changeIdx) * 31 + java.util.Objects.hashCode(branch);
    }
}
