package io.cojson.core.covalue;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.crypto.CryptoException;
import io.cojson.core.groups.KeyResolver;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a validated CoValue into the transactions its content view consumes, in the reference's
 * processing order (covalues.md §3.3): valid trusting transactions in working-list order, then
 * valid private ones that could be decrypted. Decrypted plaintext is kept on the entry.
 */
public final class TransactionDecoder {
    private TransactionDecoder() {}

    /**
     * What {@link #decodeFrom} produced: the decoded transactions in processing order, and how
     * many valid private transactions could not be decrypted (they may become readable later).
     */
    public record Batch(List<DecodedTx> txs, int undecryptable) {}

    public static List<DecodedTx> decode(CoValueCore core, CoValueResolver resolver, KeyResolver keys) {
        core.validate(resolver);
        return decodeFrom(core, 0, resolver, keys).txs();
    }

    /**
     * Decodes only the entries from index {@code from} of the working list, in the same order
     * {@link #decode} uses for them (trusting first, then decrypted private). Incremental views
     * feed these to their content while {@link CoValueCore#verdictEpoch()} is unchanged. The
     * caller validates first; each distinct key is resolved once per call.
     */
    public static Batch decodeFrom(CoValueCore core, int from, CoValueResolver resolver, KeyResolver keys) {
        List<DecodedTx> trusting = new ArrayList<>();
        List<DecodedTx> decrypted = new ArrayList<>();
        Map<String, Optional<KeySecret>> keyCache = new HashMap<>();
        int undecryptable = 0;
        CoValueCore keyGroup = keyGroup(core, resolver);
        List<TxEntry> entries = core.entries();
        for (int i = from; i < entries.size(); i++) {
            TxEntry e = entries.get(i);
            if (!e.isValid()) continue;
            if (e.isTrusting() || e.isBranchPointerOnly()) {
                if (e.changes() != null) trusting.add(decoded(e));
            } else if (e.changes() != null || (keyGroup != null && decrypt(core, keyGroup, e, keys, keyCache))) {
                decrypted.add(decoded(e));
            } else {
                undecryptable++;
            }
        }
        trusting.addAll(decrypted);
        return new Batch(trusting, undecryptable);
    }

    private static DecodedTx decoded(TxEntry e) {
        return new DecodedTx(e.txID(), e.madeAt(), e.changes().items(), e.isTrusting());
    }

    /** The group whose keys encrypt this CoValue's private transactions. */
    static CoValueCore keyGroup(CoValueCore core, CoValueResolver resolver) {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.OwnedByGroup o) return resolver.get(o.group());
        if (r instanceof Ruleset.Group) return core;
        return null;
    }

    private static boolean decrypt(CoValueCore core, CoValueCore keyGroup, TxEntry e, KeyResolver keys,
            Map<String, Optional<KeySecret>> keyCache) {
        Transaction.Private p = (Transaction.Private) e.tx;
        Optional<KeySecret> key = keyCache.computeIfAbsent(p.keyUsed(), k -> {
            try {
                return keys.readKey(keyGroup, new KeyID(k));
            } catch (InvalidIdException ex) {
                return Optional.empty();
            }
        });
        if (key.isEmpty()) return false;
        JsonValue material = e.txID().nonceMaterial(core.id());
        try {
            JsonValue changes = Json.parse(core.crypto().decryptText(new Encrypted(p.encryptedChanges()), key.get(), material));
            if (!(changes instanceof JsonValue.Arr arr)) return false;
            JsonValue.Obj meta = null;
            if (p.meta() != null) {
                meta = CoValueCore.parseMeta(core.crypto().decryptText(new Encrypted(p.meta()), key.get(), material));
            }
            core.setDecrypted(e, arr, meta);
            return true;
        } catch (InvalidJsonException | InvalidIdException | CryptoException ex) {
            return false; // wrong key or corrupt: contributes nothing, as in the reference
        }
    }
}
