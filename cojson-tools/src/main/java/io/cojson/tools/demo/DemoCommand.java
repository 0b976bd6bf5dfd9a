package io.cojson.tools.demo;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.SignedTransaction;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job until the sync layer lands: two in-process peers. The writer creates an agent, a
 * CoMap header and a signed session of edits (one of them private); the reader receives the wire
 * JSON, checks the header's ID, verifies the session's signatures and decrypts the private edit.
 * A tampered copy is rejected with a typed verification failure. Prints one JSON line per step.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Write a signed cojson session and verify it as a second peer would.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--edits", defaultValue = "5", description = "Number of trusting edits to write (default ${DEFAULT-VALUE}).")
    int edits;

    @Override
    public Integer call() {
        if (edits < 1 || edits > 100_000) {
            System.err.println("--edits must be between 1 and 100000");
            return 2;
        }
        Crypto crypto = Crypto.create();
        print("provider", JsonValue.of(crypto.provider().name()));

        AgentSecret agent = crypto.newRandomAgentSecret();
        AgentID agentID = crypto.getAgentID(agent);
        print("agent", JsonValue.of(agentID.value()));

        CoValueHeader header = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(crypto.newUniqueness()));
        RawCoID id = header.id(crypto);
        print("header", JsonValue.obj("id", JsonValue.of(id.value()), "stable", JsonValue.of(header.stableJson())));

        SessionID session = crypto.newRandomSessionID(agentID.value());
        SessionLog writer = new SessionLog(crypto, session, agentID.signer());
        for (int i = 0; i < edits; i++) {
            String changes = JsonWriter.stringify(JsonValue.arr(JsonValue.obj(
                    "op", JsonValue.of("set"), "key", JsonValue.of("todo" + i), "value", JsonValue.of("item " + i))));
            SignedTransaction st = writer.appendTrusting(agent.signer(), changes, System.currentTimeMillis(), null);
            print("wrote", JsonValue.obj("txIndex", JsonValue.of(st.txIndex()), "hash", JsonValue.of(st.hashAfter().value())));
        }
        Crypto.NewKey key = crypto.newRandomKeySecret();
        writer.appendPrivate(agent.signer(), id, key.id(), key.secret(),
                "[{\"op\":\"set\",\"key\":\"secret\",\"value\":\"only members read this\"}]", System.currentTimeMillis(), null);

        // The "network": wire JSON of the header and the session.
        String wireHeader = JsonWriter.stringify(header.json());
        String wireTxs = TransactionCodec.toJsonArray(writer.transactions());
        String wireSig = writer.lastSignature().value();

        // The receiving peer.
        CoValueHeader received = new CoValueHeader((JsonValue.Obj) io.cojson.core.json.Json.parse(wireHeader));
        received.validate(id, crypto);
        SessionLog reader = new SessionLog(crypto, session, agentID.signer());
        AddResult result = reader.tryAppendJson(wireTxs, wireSig);
        print("verified", JsonValue.obj("accepted", JsonValue.of(result.isAdded()), "transactions", JsonValue.of(reader.size()),
                "sameHash", JsonValue.of(reader.lastHash().equals(writer.lastHash()))));

        Transaction.Private priv = (Transaction.Private) reader.get(reader.size() - 1);
        String plain = crypto.decryptText(new io.cojson.core.ids.Encrypted(priv.encryptedChanges()), key.secret(),
                new io.cojson.core.ids.TransactionID(session, reader.size() - 1).nonceMaterial(id));
        print("decrypted", JsonValue.of(plain));

        List<Transaction> tampered = new ArrayList<>(writer.transactions());
        Transaction.Trusting first = (Transaction.Trusting) tampered.get(0);
        tampered.set(0, new Transaction.Trusting(first.changes().replace("item 0", "item X"), first.madeAt(), null));
        AddResult bad = new SessionLog(crypto, session, agentID.signer()).tryAppend(tampered, wireSig);
        if (bad instanceof AddResult.Rejected r) {
            print("tamperedRejected", JsonValue.obj("kind", JsonValue.of(r.failure().kind().name()),
                    "message", JsonValue.of(r.failure().message())));
        } else {
            print("tamperedRejected", JsonValue.FALSE);
            return 1;
        }
        return result.isAdded() && reader.lastHash().equals(writer.lastHash()) ? 0 : 1;
    }

    static void print(String event, JsonValue value) {
        System.out.println(JsonWriter.stringify(JsonValue.obj("event", JsonValue.of(event), "data", value)));
    }

}
