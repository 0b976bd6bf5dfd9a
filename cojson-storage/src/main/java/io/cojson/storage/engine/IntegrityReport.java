package io.cojson.storage.engine;

import java.util.List;

/**
 * Result of an integrity check. {@link #problems} is empty when everything checked out; each
 * problem names the file and the record.
 */
public record IntegrityReport(int coValues, int sessions, long transactions, List<String> problems) {
    public IntegrityReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
