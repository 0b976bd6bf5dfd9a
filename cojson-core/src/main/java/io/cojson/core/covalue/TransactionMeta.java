package io.cojson.core.covalue;

import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 4 of the processing pipeline (covalues.md §3.3), the reference's
 * {@code parseMetaInformation}: once a valid transaction's meta is known (trusting ones when judged,
 * private ones when decrypted) it is parsed once per verdict epoch, in processing order, for
 * first-writer-wins races ({@code fww}, §4.4), branch start commits ({@code from}), branch pointers
 * ({@code branch}), merge commits ({@code merged}) and merged transactions ({@code mi}, §13.3).
 * Owned and guarded by its {@link CoValueCore}.
 */
final class TransactionMeta {
    private final boolean branched;
    private final Map<JsonValue, TxEntry> fwwWinners = new HashMap<>();
    /** The branch start frontier (several start commits merged by max), null until one is parsed. */
    private LinkedHashMap<SessionID, Integer> branchStart;
    private final List<JsonValue.Obj> mergeCommits = new ArrayList<>();
    /** Never cleared, like the reference's {@code branches}. */
    private final List<JsonValue.Obj> branchPointers = new ArrayList<>();
    /** How many valid transactions meta parsing has marked invalid (views of them must be rebuilt). */
    private long invalidations;
    /** The parse epoch: an entry's meta was parsed in it when its {@code metaEpoch} equals it (entries start at 0). */
    private int epoch = 1;

    TransactionMeta(boolean branched) {
        this.branched = branched;
    }

    /** The reference's {@code resetParsedTransactions}: everything is parsed again after a re-validation. */
    void reset() {
        fwwWinners.clear();
        branchStart = null;
        mergeCommits.clear();
        epoch++; // every entry unparsed at once, not a pass over thousands of them
    }

    /** Parses {@code e}'s meta if it is valid, known and not parsed yet in this epoch. */
    void parse(TxEntry e) {
        if (e.metaEpoch == epoch || !e.isValid() || e.meta == null) return;
        e.metaEpoch = epoch;
        JsonValue.Obj meta = e.meta;
        if (branched && meta.get("from") instanceof JsonValue.Obj from) {
            if (branchStart == null) branchStart = new LinkedHashMap<>();
            from.fields().forEach((s, n) -> {
                int count = n instanceof JsonValue.Num num && num.isSafeInteger() ? (int) num.value() : -1;
                SessionID sid = sessionOrNull(s);
                if (sid != null && count >= 0) branchStart.merge(sid, count, Math::max);
            });
        }
        if (meta.has("branch")) branchPointers.add(meta);
        if (meta.has("merged")) mergeCommits.add(meta);
        if (meta.has("fww")) fww(e, meta.get("fww"));
        if (meta.has("mi")) merged(e, meta);
    }

    private void fww(TxEntry e, JsonValue key) {
        // An object or array key is compared by identity in JS: it never meets another candidate.
        if (key instanceof JsonValue.Obj || key instanceof JsonValue.Arr) return;
        TxEntry current = fwwWinners.get(key);
        if (current == null) {
            fwwWinners.put(key, e);
        } else if (TxEntry.compare(e, current) < 0) {
            loses(current, key);
            fwwWinners.put(key, e);
        } else {
            loses(e, key);
        }
    }

    private void loses(TxEntry e, JsonValue key) {
        String shown = key instanceof JsonValue.Str s ? s.value() : JsonWriter.stringify(key);
        invalidate(e, "Transaction is not the first writer for fww key \"" + shown + "\"");
    }

    /** {@code mi}/{@code t}/{@code s}/{@code b}: the source identity of a transaction merged from a branch. */
    private void merged(TxEntry e, JsonValue.Obj meta) {
        TxEntry prev = e.previous;
        long current = e.madeAt();
        if (meta.get("t") instanceof JsonValue.Num t && t.value() != 0 && !Double.isNaN(t.value())) {
            e.sourceMadeAt = current - (long) t.value(); // a 0 offset counts as absent (JS truthiness)
        } else if (prev != null) {
            e.sourceMadeAt = prev.effectiveMadeAt();
        }
        if (e.sourceMadeAt != null && e.sourceMadeAt != 0 && e.sourceMadeAt > current) {
            invalidate(e, "Transaction sourceMadeAt is after the currentMadeAt");
        }
        SessionID session = meta.get("s") instanceof JsonValue.Str s ? sessionOrNull(s.value())
                : prev != null ? prev.effectiveSession() : null;
        int index = meta.get("mi") instanceof JsonValue.Num mi && mi.isSafeInteger() && mi.value() >= 0
                && mi.value() <= Integer.MAX_VALUE ? (int) mi.value() : -1;
        if (session != null && index >= 0) {
            e.sourceSession = session;
            e.sourceTxIndex = index;
            e.sourceBranch = meta.get("b") instanceof JsonValue.Str b ? b.value()
                    : prev != null ? prev.effectiveBranch() : null;
        }
    }

    private void invalidate(TxEntry e, String why) {
        if (e.isValid()) invalidations++;
        e.markInvalid(why);
    }

    private static SessionID sessionOrNull(String s) {
        try {
            return new SessionID(s);
        } catch (InvalidIdException ex) {
            return null;
        }
    }

    long invalidations() {
        return invalidations;
    }

    Map<SessionID, Integer> branchStart() {
        return branchStart == null ? null : Collections.unmodifiableMap(branchStart);
    }

    List<JsonValue.Obj> mergeCommits() {
        return Collections.unmodifiableList(mergeCommits);
    }

    List<JsonValue.Obj> branchPointers() {
        return Collections.unmodifiableList(branchPointers);
    }
}
