package io.cojson.core.groups;

import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import java.util.Map;

/**
 * Who is reading: the node's account (null for an agent-only node such as a sync server), its
 * agent, and key secrets known out of band (tests, fixtures). Used to unlock group read keys.
 */
public record ReaderIdentity(RawCoID accountID, AgentSecret agentSecret, AgentID agentID, Map<KeyID, KeySecret> knownKeys) {
    public ReaderIdentity {
        knownKeys = Map.copyOf(knownKeys);
    }

    /** A reader that holds no identity at all, only the given keys. */
    public static ReaderIdentity keysOnly(Map<KeyID, KeySecret> keys) {
        return new ReaderIdentity(null, null, null, keys);
    }
}
