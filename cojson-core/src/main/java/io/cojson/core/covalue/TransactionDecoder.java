package io.cojson.core.covalue;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.crypto.CryptoException;
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
import java.util.function.Predicate;

/**
 * Turns a validated CoValue into the transactions its content view consumes, in the reference's
 * processing order (covalues.md §3.3). A valid trusting transaction enters the reference's "to
 * process" queue when it is validated; a private one only once decrypted, after the trusting ones
 * of the same pass. When the queue is rebuilt after a re-validation, private transactions the view
 * had processed before keep their plaintext and their working-list place. So a batch lists first
 * the readable ones in working-list order, then the private ones read in this pass (a local write
 * is a pass of its own, so its known plaintext needs no special place). Decrypted plaintext is kept
 * on the entry.
 */
public final class TransactionDecoder {
    private TransactionDecoder() {}

    /**
     * What {@link #decodeFrom} produced: the decoded transactions in processing order, the entries
     * they came from (same order and size), and how many valid private transactions could not be
     * decrypted (they may become readable later).
     */
    public record Batch(List<DecodedTx> txs, List<TxEntry> entries, int undecryptable) {}

    /** Every valid readable transaction, as one processing pass of a fresh view. */
    public static List<DecodedTx> decode(CoValueCore core, CoValueResolver resolver, KeySource keys) {
        core.validate(resolver);
        return decodeFrom(core, 0, resolver, keys).txs();
    }

    /**
     * Decodes only the entries from index {@code from} of the working list, as one processing pass.
     * Incremental views feed these to their content while {@link CoValueCore#verdictEpoch()} is
     * unchanged. The caller validates first; each distinct key is resolved once per call.
     */
    public static Batch decodeFrom(CoValueCore core, int from, CoValueResolver resolver, KeySource keys) {
        return decodeFrom(core, from, resolver, keys, e -> false);
    }

    /**
     * Same, where {@code processedBefore} names the private entries whose plaintext the view already
     * had (a rebuilt queue keeps those in working-list order, covalues.md §3.3).
     */
    public static Batch decodeFrom(CoValueCore core, int from, CoValueResolver resolver, KeySource keys,
            Predicate<TxEntry> processedBefore) {
        List<TxEntry> entries = core.entries();
        List<TxEntry> ready = new ArrayList<>(Math.max(0, entries.size() - from));
        // made on the first private entry: a view refreshed after each trusting write needs none of them
        List<TxEntry> decrypted = null;
        Map<String, Optional<KeySecret>> keyCache = null;
        CoValueCore keyGroup = null;
        int undecryptable = 0;
        for (int i = from; i < entries.size(); i++) {
            TxEntry e = entries.get(i);
            if (!e.isValid()) continue;
            if (e.isTrusting() || e.isBranchPointerOnly()) {
                if (e.changes() != null) ready.add(e);
                continue;
            }
            if (e.changes() != null && processedBefore.test(e)) {
                ready.add(e);
                continue;
            }
            if (decrypted == null) {
                decrypted = new ArrayList<>();
                keyCache = new HashMap<>();
                keyGroup = keyGroup(core, resolver);
            }
            if (e.changes() != null || (keyGroup != null && decrypt(core, keyGroup, e, keys, keyCache))) {
                decrypted.add(e); // read in this pass, even if its plaintext was known (written here, decoded for someone else)
            } else {
                undecryptable++;
            }
        }
        if (decrypted != null) {
            // Step 4: metas that became known by decryption are parsed now, after the known ones (which
            // CoValueCore parsed when judging); a race lost here takes the loser out of this pass too.
            for (TxEntry e : decrypted) core.parseMeta(e);
            ready.addAll(decrypted);
        }
        ready.removeIf(e -> !e.isValid());
        List<DecodedTx> txs = new ArrayList<>(ready.size());
        for (TxEntry e : ready) txs.add(decoded(e));
        return new Batch(txs, ready, undecryptable);
    }

    /** The transaction as views consume it: changes and the effective time and ID (covalues.md §13.3). */
    public static DecodedTx decoded(TxEntry e) {
        return new DecodedTx(e.effectiveTxID(), e.effectiveMadeAt(), e.changes().items(), e.isTrusting(), e.effectiveBranch());
    }

    /** The group whose keys encrypt this CoValue's private transactions. */
    static CoValueCore keyGroup(CoValueCore core, CoValueResolver resolver) {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.OwnedByGroup o) return resolver.get(o.group());
        if (r instanceof Ruleset.Group) return core;
        return null;
    }

    private static boolean decrypt(CoValueCore core, CoValueCore keyGroup, TxEntry e, KeySource keys,
            Map<String, Optional<KeySecret>> keyCache) {
        Transaction.Private p = (Transaction.Private) e.tx;
        Optional<KeySecret> key = keyCache.computeIfAbsent(p.keyUsed(), k -> {
            try {
                return keys.readKey(keyGroup, new KeyID(k));
            } catch (InvalidIdException ex) {
                return Optional.empty();
            }
        });
        if (!key.isPresent()) return false;
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
