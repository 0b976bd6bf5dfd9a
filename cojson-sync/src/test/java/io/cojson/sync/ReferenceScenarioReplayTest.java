package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InMemoryChannel;
import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replays the client messages of sync.json's in-memory scenario (Alice and Bob talking to a sync
 * server) against a Java server node, and checks that the server accepts every one and answers
 * each client with the reference server's messages, in the same order: same actions, ids and
 * known states, and content byte for byte.
 */
class ReferenceScenarioReplayTest {

    @Test
    void javaServerAnswersLikeTheReferenceServer() throws Exception {
        JsonValue.Obj scenario = SyncVectors.obj(SyncVectors.root(), "inMemory");
        Crypto crypto = Crypto.create();
        String serverSecret = SyncVectors.str(SyncVectors.obj(SyncVectors.obj(scenario, "agents"), "server"), "agentSecret");
        LocalNode serverNode = LocalNode.forAgent(crypto, AgentSecret.parse(serverSecret));
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        try (SyncManager server = SyncManager.create(serverNode)) {
            server.onError(errors::add);
            Map<String, MessageChannel> clientEnds = new HashMap<>();
            Map<String, BlockingQueue<String>> received = new HashMap<>();
            for (String client : List.of("Alice", "Bob")) {
                InMemoryChannel.Pair pair = InMemoryChannel.pair(client, "server");
                BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
                pair.a().setListener(new MessageChannel.Listener() {
                    @Override
                    public void onMessage(String json) {
                        inbox.add(json);
                    }

                    @Override
                    public void onClosed(String reason) {}
                });
                server.addPeer(client, PeerRole.CLIENT, pair.b());
                clientEnds.put(client, pair.a());
                received.put(client, inbox);
            }

            List<String> mismatches = new ArrayList<>();
            for (JsonValue m : SyncVectors.arr(scenario, "messages").items()) {
                String from = SyncVectors.str(m, "from");
                String to = SyncVectors.str(m, "to");
                String wire = SyncVectors.str(m, "wire");
                String name = SyncVectors.str(m, "step") + " " + SyncVectors.str(m, "name");
                if (to.equals("server")) {
                    clientEnds.get(from).send(wire);
                    continue;
                }
                String actual = received.get(to).poll(10, TimeUnit.SECONDS);
                assertNotNull(actual, name + ": the server sent nothing");
                String diff = compare(SyncMessage.parse(wire), SyncMessage.parse(actual));
                if (diff != null) mismatches.add(name + ": " + diff + "\n  expected " + wire + "\n  actual   " + actual);
            }
            assertEquals(List.of(), mismatches);
            for (String client : List.of("Alice", "Bob")) {
                // A load of a value nobody has, answered by the server after everything it sent before:
                // any message in front of that answer is one the reference server did not send.
                String unknown = io.cojson.core.node.Accounts.create(crypto, "Nobody").accountID().value();
                clientEnds.get(client).send("{\"action\":\"load\",\"id\":\"" + unknown + "\",\"header\":false,\"sessions\":{}}");
                String next = received.get(client).poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "the server answered the load of " + unknown);
                assertEquals(unknown, SyncMessage.parse(next).coValueId().value(), "no extra messages to " + client + ": " + next);
            }
            assertEquals(List.of(), errors, "the server accepted every client message");
        }
    }

    /** Null when equal; known states compare as maps (the reference's session order is not stable). */
    private static String compare(SyncMessage expected, SyncMessage actual) {
        if (!expected.action().equals(actual.action())) return "action " + actual.action();
        if (!expected.coValueId().equals(actual.coValueId())) return "id " + actual.coValueId();
        if (expected instanceof SyncMessage.Content) {
            return expected.toJson().equals(actual.toJson()) ? null : "content differs";
        }
        if (expected instanceof SyncMessage.Known e && actual instanceof SyncMessage.Known a) {
            if (e.isCorrection() != a.isCorrection()) return "isCorrection " + a.isCorrection();
            return e.knownState().equals(a.knownState()) ? null : "known state " + a.knownState();
        }
        if (expected instanceof SyncMessage.Load e && actual instanceof SyncMessage.Load a) {
            return e.knownState().equals(a.knownState()) ? null : "load state " + a.knownState();
        }
        return null;
    }
}
