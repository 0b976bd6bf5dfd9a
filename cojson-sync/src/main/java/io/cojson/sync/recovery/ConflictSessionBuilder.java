package io.cojson.sync.recovery;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-writes a divergent tail of session S into its conflict session S! (recovery.md §5.3): same
 * {@code madeAt}, privacy and meta; CoList/CoPlainText references into the tail remapped to S!
 * coordinates; private transactions decrypted and re-encrypted with the same key for their new
 * transaction ID (the nonce derives from it); signed by this node's agent as a continuation of S!.
 * Ed25519 and the nonce rule are deterministic, so the same inputs give byte-identical output.
 * Call with the node's lock held.
 */
final class ConflictSessionBuilder {
    private static final List<String> REFERENCE_FIELDS = List.of("after", "before", "insertion");

    /** A tail transaction could not be decoded (its key is not readable): no partial S! (§5.8). */
    static final class UndecodableTail extends Exception {
        UndecodableTail(String message) {
            super(message);
        }
    }

    private ConflictSessionBuilder() {}

    /** {@link #build(LocalNode, CoValueCore, SessionID, int, List, SessionID)} into {@code session + "!"}. */
    static SessionPiece build(LocalNode node, CoValueCore core, SessionID session, int commonPrefix, List<Transaction> tail)
            throws UndecodableTail {
        return build(node, core, session, commonPrefix, tail, session.conflictSession());
    }

    /**
     * The {@code conflict} transactions for {@code tail} (local {@code session} from index
     * {@code commonPrefix}), appended after what {@code conflict} already holds in {@code core};
     * null when the tail is empty or it already holds it. {@code conflict} is S! for a session S,
     * or a new active session for the tail of a conflict session that forked itself (§5.8).
     */
    static SessionPiece build(LocalNode node, CoValueCore core, SessionID session, int commonPrefix, List<Transaction> tail,
            SessionID conflict) throws UndecodableTail {
        if (tail.isEmpty()) return null;
        SessionLog existing = core.sessions().get(conflict);
        if (existing == null) return buildOn(node, core, session, commonPrefix, tail, new SessionLog(node.crypto(), conflict, node.agentID().signer()), conflict);
        // An earlier attempt of this round may already be here (received from a peer, e.g. after
        // storage was restored from a backup): then its transactions end S!, and re-deriving them
        // on the log before them gives the same bytes. Continue from there instead of duplicating.
        int size = existing.size();
        for (int j = Math.min(tail.size(), size); j >= 1; j--) {
            int b = size - j;
            if (!sameTimes(existing, b, tail, j)) continue;
            SessionPiece candidate = buildOn(node, core, session, commonPrefix, tail, existing.prefix(b), conflict);
            if (candidate.transactions().subList(0, j).equals(existing.transactions().subList(b, size))) return candidate;
        }
        // The whole tail may be an earlier round's, followed there by more (the disk kept only the
        // start of a tail that was recovered before, then lost its S!): already preserved, nothing
        // to write. (Found by the model-based property: the tail went into S! a second time.)
        for (int b = size - tail.size() - 1; b >= 0; b--) {
            if (!sameTimes(existing, b, tail, tail.size())) continue;
            SessionPiece candidate = buildOn(node, core, session, commonPrefix, tail, existing.prefix(b), conflict);
            if (candidate.transactions().equals(existing.transactions().subList(b, b + tail.size()))) return null;
        }
        return buildOn(node, core, session, commonPrefix, tail, existing.copy(), conflict);
    }

    private static boolean sameTimes(SessionLog existing, int from, List<Transaction> tail, int count) {
        for (int i = 0; i < count; i++) if (existing.get(from + i).madeAt() != tail.get(i).madeAt()) return false;
        return true;
    }

    private static SessionPiece buildOn(LocalNode node, CoValueCore core, SessionID session, int commonPrefix, List<Transaction> tail,
            SessionLog log, SessionID conflict) throws UndecodableTail {
        Crypto crypto = node.crypto();
        int base = log.size();
        for (int k = 0; k < tail.size(); k++) {
            Transaction tx = tail.get(k);
            int originalIndex = commonPrefix + k;
            if (tx instanceof Transaction.Trusting t) {
                String changes = remap(t.changes(), session, commonPrefix, conflict, base);
                if (core.isGroupOrAccount()) {
                    changes = reseal(node, core, changes, new TransactionID(session, originalIndex), new TransactionID(conflict, log.size()));
                }
                node.appendSigned(log, changes, t.madeAt(), t.meta());
            } else if (tx instanceof Transaction.Private p) {
                KeyID keyID = new KeyID(p.keyUsed());
                CoValueCore keyGroup = keyGroup(node, core);
                KeySecret key = node.keys().readKey(keyGroup, keyID).orElseThrow(() -> new UndecodableTail(
                        "key " + keyID + " of " + keyGroup.id() + " is not readable for " + session + " transaction " + originalIndex));
                JsonValue nonce = new TransactionID(session, originalIndex).nonceMaterial(core.id());
                String changes = crypto.decryptText(new Encrypted(p.encryptedChanges()), key, nonce);
                String meta = p.meta() == null ? null : crypto.decryptText(new Encrypted(p.meta()), key, nonce);
                changes = remap(changes, session, commonPrefix, conflict, base);
                node.appendSignedPrivate(log, core.id(), keyID, key, changes, p.madeAt(), meta);
            }
        }
        List<Transaction> written = List.copyOf(log.transactions().subList(base, log.size()));
        return new SessionPiece(conflict, base, written, log.lastSignature().value());
    }

    /**
     * A group's key revelation {@code <keyID>_for_<member>} is sealed with a nonce derived from the
     * ID of the transaction that writes it, so moved to S! as it was it could never be opened
     * again, and whatever that key encrypted would be unreadable for every other device (found
     * by the model-based property: a forked key rotation). The author of the tail sealed it, and
     * the X25519 secret is symmetric, so it is opened here and sealed again for the S! position
     * (deterministic: same inputs, same bytes). A revelation this agent did not seal stays as it
     * was (it could not be opened at its old place either). Other changes are kept as they are; a
     * {@code _sealedFor_} revelation to a parent group (an ephemeral key, not re-derivable) is not
     * handled yet.
     */
    static String reseal(LocalNode node, CoValueCore core, String changesJson, TransactionID from, TransactionID to) {
        if (!changesJson.contains(GroupKeys.FOR)) return changesJson;
        JsonValue parsed;
        try {
            parsed = Json.parse(changesJson);
        } catch (RuntimeException e) {
            return changesJson;
        }
        if (!(parsed instanceof JsonValue.Arr arr)) return changesJson;
        boolean changed = false;
        List<JsonValue> out = new java.util.ArrayList<>(arr.items().size());
        for (JsonValue change : arr.items()) {
            JsonValue mapped = change;
            if (change instanceof JsonValue.Obj o && o.fields().get("op") instanceof JsonValue.Str op && op.value().equals("set")
                    && o.fields().get("key") instanceof JsonValue.Str key && o.fields().get("value") instanceof JsonValue.Str value
                    && value.value().startsWith("sealed_")) {
                int at = key.value().indexOf(GroupKeys.FOR);
                String member = at < 0 ? null : key.value().substring(at + GroupKeys.FOR.length());
                if (member != null && !member.equals("everyone") && !member.startsWith("key_")) {
                    try {
                        io.cojson.core.ids.SealerID recipient = io.cojson.core.covalue.SignerResolution.agentOf(member, node).sealer();
                        String resealed = node.resealOwn(new io.cojson.core.ids.Sealed(value.value()), recipient,
                                from.nonceMaterial(core.id()), to.nonceMaterial(core.id())).value();
                        Map<String, JsonValue> fields = new LinkedHashMap<>(o.fields());
                        fields.put("value", JsonValue.of(resealed));
                        mapped = new JsonValue.Obj(fields);
                    } catch (RuntimeException e) { // not sealed by this agent: it could not be opened at its old place either
                        mapped = change;
                    }
                }
            }
            changed |= mapped != change;
            out.add(mapped);
        }
        return changed ? JsonWriter.stringify(new JsonValue.Arr(out)) : changesJson;
    }

    private static CoValueCore keyGroup(LocalNode node, CoValueCore core) throws UndecodableTail {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.OwnedByGroup o) {
            CoValueCore g = node.get(o.group());
            if (g == null) throw new UndecodableTail("owning group " + o.group() + " is not loaded");
            return g;
        }
        if (r instanceof Ruleset.Group) return core;
        throw new UndecodableTail("a value without a group holds a private transaction");
    }

    /**
     * Rewrites list/text operation references ({@code after}, {@code before}, {@code insertion})
     * that point into the tail (session S, index >= P) to the matching S! transaction. Returns the
     * text unchanged when nothing points there.
     */
    static String remap(String changesJson, SessionID session, int commonPrefix, SessionID conflict, int base) {
        if (!changesJson.contains(session.value())) return changesJson;
        JsonValue parsed;
        try {
            parsed = Json.parse(changesJson);
        } catch (RuntimeException e) {
            return changesJson; // not JSON: nothing to remap, kept as written
        }
        if (!(parsed instanceof JsonValue.Arr arr)) return changesJson;
        boolean changed = false;
        List<JsonValue> out = new java.util.ArrayList<>(arr.items().size());
        for (JsonValue change : arr.items()) {
            JsonValue mapped = remapChange(change, session, commonPrefix, conflict, base);
            changed |= mapped != change;
            out.add(mapped);
        }
        return changed ? JsonWriter.stringify(new JsonValue.Arr(out)) : changesJson;
    }

    private static JsonValue remapChange(JsonValue change, SessionID session, int p, SessionID conflict, int base) {
        if (!(change instanceof JsonValue.Obj o)) return change;
        Map<String, JsonValue> fields = null;
        for (String f : REFERENCE_FIELDS) {
            if (!(o.fields().get(f) instanceof JsonValue.Obj ref)) continue;
            if (!(ref.fields().get("sessionID") instanceof JsonValue.Str s) || !s.value().equals(session.value())) continue;
            if (!(ref.fields().get("txIndex") instanceof JsonValue.Num n) || !n.isSafeInteger() || n.longValue() < p) continue;
            Map<String, JsonValue> r = new LinkedHashMap<>(ref.fields());
            r.put("sessionID", JsonValue.of(conflict.value()));
            r.put("txIndex", JsonValue.of(base + (n.longValue() - p)));
            if (fields == null) fields = new LinkedHashMap<>(o.fields());
            fields.put(f, new JsonValue.Obj(r));
        }
        return fields == null ? change : new JsonValue.Obj(fields);
    }
}
