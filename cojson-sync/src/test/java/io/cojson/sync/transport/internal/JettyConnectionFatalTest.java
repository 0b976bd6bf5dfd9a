package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cojson.storage.FatalErrors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An out-of-memory error that reaches a connection on a Jetty thread ends the process like one on
 * our own threads (issue 11 B.1: no zombie that accepts connections and does nothing); an ordinary
 * socket error does not.
 */
class JettyConnectionFatalTest {
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private final List<JettyConnection> closed = new CopyOnWriteArrayList<>();

    @AfterEach
    void off() {
        FatalErrors.onFatal(null);
    }

    private JettyConnection connection() {
        FatalErrors.onFatal(fatal::add);
        return new JettyConnection(new JettyConnection.Owner() {
            @Override
            public void opened(JettyConnection c) {}

            @Override
            public void closed(JettyConnection c) {
                closed.add(c);
            }
        }, 0, "test", Timers.shared(), 1, 0, 0);
    }

    @Test
    void anOutOfMemoryErrorOnAJettyThreadIsReportedAsFatal() {
        JettyConnection c = connection();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (test)");
        c.onWebSocketError(new RuntimeException("wrapped by Jetty", oom));
        assertEquals(1, fatal.size());
        assertSame(oom, fatal.get(0).getCause());
        assertEquals(List.of(c), closed, "the connection is gone either way");
    }

    @Test
    void anOrdinarySocketErrorIsNot() {
        JettyConnection c = connection();
        c.onWebSocketError(new java.io.IOException("connection reset"));
        assertEquals(List.of(), fatal);
        assertEquals(List.of(c), closed);
    }
}
