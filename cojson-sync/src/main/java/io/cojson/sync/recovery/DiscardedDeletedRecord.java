package io.cojson.sync.recovery;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Edits of this installation that were never acknowledged by a server when it learned that their
 * CoValue had been deleted (recovery.md §5.3, §10 gap 1): deletion wins, so they are not written
 * into the CoValue (no conflict session) but kept here, as signed, for the application to show.
 * Status {@code DISCARDED_DELETED} (§11). Persisted as one JSON line.
 *
 * @param from         index in {@code session} of the first discarded transaction
 * @param transactions the discarded transactions {@code from .. from + size}, as they were signed
 */
public record DiscardedDeletedRecord(RawCoID coValue, SessionID session, int from, List<Transaction> transactions, long detectedAt) {
    public static final String STATUS = "DISCARDED_DELETED";

    public DiscardedDeletedRecord {
        Objects.requireNonNull(coValue, "coValue");
        Objects.requireNonNull(session, "session");
        if (from < 0 || transactions.isEmpty()) throw new IllegalArgumentException("a record holds at least one transaction from index >= 0");
        transactions = List.copyOf(transactions);
    }

    /** Stable per (CoValue, session, range): the same discard found twice is one record. */
    public String id() {
        return coValue.value() + "/" + session.value() + "/" + from + "-" + to();
    }

    public int to() {
        return from + transactions.size();
    }

    public String status() {
        return STATUS;
    }

    /** The record without the transactions themselves: what a listing shows (recovery.md §11). */
    public JsonValue.Obj summaryJson() {
        return JsonValue.obj("id", JsonValue.of(id()), "status", JsonValue.of(STATUS), "coValue", JsonValue.of(coValue.value()),
                "session", JsonValue.of(session.value()), "from", JsonValue.of((long) from), "to", JsonValue.of((long) to()),
                "detectedAt", JsonValue.of(detectedAt));
    }

    String toJsonLine() {
        List<JsonValue> txs = new ArrayList<>();
        for (Transaction t : transactions) txs.add(t.toJson());
        return JsonWriter.stringify(JsonValue.obj("id", JsonValue.of(id()), "status", JsonValue.of(STATUS), "coValue",
                JsonValue.of(coValue.value()), "session", JsonValue.of(session.value()), "from", JsonValue.of((long) from), "to",
                JsonValue.of((long) to()), "detectedAt", JsonValue.of(detectedAt), "transactions", new JsonValue.Arr(txs)));
    }

    static DiscardedDeletedRecord fromJsonLine(String line) {
        JsonValue.Obj o = (JsonValue.Obj) Json.parse(line);
        List<Transaction> txs = new ArrayList<>();
        for (JsonValue t : ((JsonValue.Arr) o.get("transactions")).items()) txs.add(TransactionCodec.fromJson(t));
        return new DiscardedDeletedRecord(new RawCoID(str(o, "coValue")), new SessionID(str(o, "session")),
                (int) ((JsonValue.Num) o.get("from")).longValue(), txs, ((JsonValue.Num) o.get("detectedAt")).longValue());
    }

    private static String str(JsonValue.Obj o, String key) {
        return ((JsonValue.Str) o.get(key)).value();
    }
}
