package io.cojson.jmh;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.List;

/** A writer's exported map (account, group, map with {@code n} sets), as W3 ingests it. */
final class IngestState {
    final Crypto crypto;
    final RawCoID map;
    final String text;

    IngestState(int n) {
        crypto = Crypto.create();
        CojsonNode writer = CojsonNode.createAccount(crypto, "writer");
        Group group = writer.createGroup();
        CoMap m = group.createMap().trusting();
        for (int i = 0; i < n; i++) m.set("k" + (i % 100), i);
        SessionLog.awaitBackgroundSignatures();
        map = m.id();
        List<JsonValue> messages = new ArrayList<>();
        for (RawCoID id : List.of(writer.accountID(), group.id(), map)) {
            for (ContentPiece p : TypedNodes.localNode(writer).exportContent(id)) messages.add(p.toContentMessage());
        }
        text = JsonWriter.stringify(new JsonValue.Arr(messages));
    }
}
