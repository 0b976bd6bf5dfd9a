package io.cojson.client.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last session each account wrote with in a data directory ({@value #FILE}), so that the next
 * start continues it instead of adding a session to every value it edits; {@code SessionGuard}
 * still refuses one a previous process may have forked. Losing the file only costs a new session.
 */
final class SessionMemory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionMemory.class);
    static final String FILE = "client-sessions.properties";

    private SessionMemory() {}

    static SessionID last(Path dir, RawCoID account) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
            String s = p.getProperty(account.value());
            return s == null ? null : new SessionID(s);
        } catch (IOException | RuntimeException e) {
            LOG.info("no session to continue for {}: {}", account, e.toString());
            return null;
        }
    }

    static void remember(Path dir, SessionID session) {
        Path f = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        Properties p = new Properties();
        try {
            if (Files.exists(f)) {
                try (Reader r = Files.newBufferedReader(f)) {
                    p.load(r);
                }
            }
            p.setProperty(session.accountID().value(), session.value());
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "the session each account continues on its next start (cojson client)");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.info("could not remember session {}: {}", session, e.toString());
        }
    }
}
