package io.cojson.sync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.storage.Faults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transport and server points report to the shared registry of io.cojson.storage.Faults. */
class FaultPointsTest {
    @AfterEach
    void off() {
        Faults.configure(null);
    }

    @Test
    void transportHitsMatchTheBaseAndTheActionPoint() {
        Faults.configure("transport.in.content=drop*,transport.in=dup@2");
        assertEquals(Faults.Effect.DROP, FaultPoints.transport(FaultPoints.TRANSPORT_IN, "content"));
        assertEquals(Faults.Effect.DUP, FaultPoints.transport(FaultPoints.TRANSPORT_IN, "load"));
        assertEquals(Faults.Effect.NONE, FaultPoints.transport(FaultPoints.TRANSPORT_IN, "known"));
        assertEquals(Faults.Effect.NONE, FaultPoints.transport(FaultPoints.TRANSPORT_IN, null));
    }

    @Test
    void afterChainsSpanServerAndStoragePoints() throws Exception {
        Faults.configure("after:server.shutdown.begin/storage.tx.begin=throw:closed*");
        assertEquals(Faults.Effect.NONE, Faults.hit("storage.tx.begin"));
        SyncWebSocketServer server = SyncWebSocketServer.builder().build();
        server.start(ch -> {});
        server.close(); // hits server.shutdown.begin
        assertThrows(Faults.InjectedFault.class, () -> Faults.hit("storage.tx.begin"));
    }
}
