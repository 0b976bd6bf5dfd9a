package io.cojson.samples.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.client.CojsonClient;
import io.cojson.client.CreatedAccount;
import io.cojson.core.values.Account;
import io.cojson.core.values.CoMap;
import io.cojson.server.CojsonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's client quickstart, verbatim in {@link #quickstart}, run twice: create, then log in again. */
class ReadmeQuickstartTest {
    @TempDir
    Path tmp;

    static String quickstart(Path dataDir, String serverUrl) throws Exception {
        // --- README quickstart (client object) ---
        try (CojsonClient client = CojsonClient.builder()
                .dataDirectory(dataDir)                 // MapDB files; or .inMemory()
                .syncServer(serverUrl)                  // zero or more ws:// or wss:// URLs, checked by build()
                .build()) {
            Path saved = dataDir.resolve("credentials.txt");
            Account me;
            if (Files.exists(saved)) {
                me = client.login(Files.readString(saved));   // offline-first; on a new device from the server
            } else {
                CreatedAccount created = client.createAccount("Alice");
                Files.writeString(saved, created.credentials().serialize()); // keep it secret
                me = created.account();
                me.setRoot(client.node().createGroup().createMap());
            }
            CoMap root = me.root();
            root.set("visit-" + root.keys().size(), java.time.Instant.now().toString()); // offline works too
            client.waitForSync().get();                // everything reached the server
            return me.name() + " visited " + root.keys().size() + " time(s)";
        }                                              // close(): uploads, commits to disk, stops every thread
        // --- end of quickstart ---
    }

    @Test
    void theQuickstartRunsAndRemembersItsAccount() throws Exception {
        try (CojsonServer server = CojsonServer.builder().dataDirectory(tmp.resolve("server")).start()) {
            assertEquals("Alice visited 1 time(s)", quickstart(tmp.resolve("app"), server.url()));
            assertEquals("Alice visited 2 time(s)", quickstart(tmp.resolve("app"), server.url()));
        }
    }
}
