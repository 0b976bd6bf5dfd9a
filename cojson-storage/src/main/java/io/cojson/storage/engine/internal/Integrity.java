package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.IntegrityReport;
import io.cojson.storage.StorageException;
import io.cojson.storage.engine.internal.Records.SessionRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural half of the integrity check (reliability.md §1): every record's checksum; every
 * session's transactions present exactly once from 0 to its stored length; checkpoint signatures
 * inside the session and at the end of a stored run; erased CoValues holding only delete sessions;
 * no orphaned rows. Signatures are verified by importing into a node ({@code IntegrityCheck}).
 */
public final class Integrity {
    private Integrity() {}

    public static IntegrityReport check(Engine engine) {
        return engine.reading(() -> {
            try {
                return scan(engine.tables());
            } catch (RuntimeException | AssertionError e) {
                return new IntegrityReport(0, 0, 0, List.of(engine.dataFile() + ": cannot scan the store: " + e));
            }
        });
    }

    private static IntegrityReport scan(Tables t) {
        List<String> problems = new ArrayList<>();
        String file = t.file.toString();
        int coValues = 0;
        for (Map.Entry<String, byte[]> e : t.allCoValues()) {
            coValues++;
            guard(problems, file, () -> t.header(new RawCoID(e.getKey())));
        }
        Map<Long, String> rows = new HashMap<>();
        int sessions = 0;
        long transactions = 0;
        for (Map.Entry<String, byte[]> e : t.allSessions()) {
            sessions++;
            String key = e.getKey();
            int sp = key.indexOf(' ');
            try {
                RawCoID id = new RawCoID(key.substring(0, sp));
                SessionID s = new SessionID(key.substring(sp + 1));
                SessionRow row = t.decodeSession(key, e.getValue());
                if (!t.hasCoValue(id)) problems.add(file + ": session " + key + " of a CoValue without header");
                Integer status = t.deletedStatus(id);
                if (status != null && status == 1 && !s.isDeleteSession()) problems.add(file + ": erased CoValue " + id + " still holds " + s);
                String dup = rows.put(row.rowId(), key);
                if (dup != null) problems.add(file + ": sessions " + dup + " and " + key + " share row " + row.rowId());
                transactions += checkRows(t, key, row, problems);
            } catch (StorageException | IllegalArgumentException ex) {
                problems.add(file + ": " + ex.getMessage());
            }
        }
        for (long k : t.runs.keySet()) {
            if (!rows.containsKey(k >>> 32)) problems.add(file + ": orphaned transactions of session row " + (k >>> 32) + " at " + (k & 0xffffffffL));
        }
        for (long k : t.sigs.keySet()) {
            if (!rows.containsKey(k >>> 32)) problems.add(file + ": orphaned signatureAfter of session row " + (k >>> 32) + " at " + (k & 0xffffffffL));
        }
        guard(problems, file, () -> {
            Long next = t.metaLong("nextSessionRow");
            for (long r : rows.keySet()) {
                if (next == null || r >= next) problems.add(file + ": session row " + r + " not below the row counter " + next);
            }
            return null;
        });
        return new IntegrityReport(coValues, sessions, transactions, problems);
    }

    private static long checkRows(Tables t, String key, SessionRow row, List<String> problems) {
        String file = t.file.toString();
        List<Map.Entry<Integer, List<Transaction>>> runs = t.runs(row.rowId(), 0, Integer.MAX_VALUE);
        java.util.Set<Integer> runEnds = new java.util.HashSet<>();
        int next = 0;
        for (Map.Entry<Integer, List<Transaction>> run : runs) {
            if (run.getKey() != next) {
                problems.add(file + ": session " + key + " has a run at " + run.getKey() + ", expected " + next);
                return next;
            }
            next += run.getValue().size();
            runEnds.add(next - 1);
        }
        if (next != row.lastIdx()) problems.add(file + ": session " + key + " claims " + row.lastIdx() + " transactions, " + next + " stored");
        for (Map.Entry<Integer, String> sig : t.signatures(row.rowId())) {
            if (sig.getKey() >= row.lastIdx() || !runEnds.contains(sig.getKey())) {
                problems.add(file + ": session " + key + " has a checkpoint signature at " + sig.getKey() + " that ends no stored run");
            }
        }
        return next;
    }

    private static void guard(List<String> problems, String file, java.util.function.Supplier<Object> check) {
        try {
            check.get();
        } catch (StorageException | IllegalArgumentException ex) {
            problems.add(file + ": " + ex.getMessage());
        }
    }
}
