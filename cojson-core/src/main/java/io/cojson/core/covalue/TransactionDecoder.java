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
import java.util.List;
import java.util.Optional;

/**
 * Turns a validated CoValue into the transactions its content view consumes, in the reference's
 * processing order (covalues.md §3.3): valid trusting transactions in working-list order, then
 * valid private ones that could be decrypted. Decrypted plaintext is kept on the entry.
 */
public final class TransactionDecoder {
    private TransactionDecoder() {}

    public static List<DecodedTx> decode(CoValueCore core, CoValueResolver resolver, KeyResolver keys) {
        core.validate(resolver);
        List<DecodedTx> trusting = new ArrayList<>();
        List<DecodedTx> decrypted = new ArrayList<>();
        CoValueCore keyGroup = keyGroup(core, resolver);
        for (TxEntry e : core.entries()) {
            if (!e.isValid()) continue;
            if (e.isTrusting() || e.isBranchPointerOnly()) {
                if (e.changes != null) trusting.add(decoded(e));
            } else if (e.changes != null || (keyGroup != null && decrypt(core, keyGroup, e, keys))) {
                decrypted.add(decoded(e));
            }
        }
        trusting.addAll(decrypted);
        return trusting;
    }

    private static DecodedTx decoded(TxEntry e) {
        return new DecodedTx(e.txID(), e.madeAt(), e.changes.items(), e.isTrusting());
    }

    /** The group whose keys encrypt this CoValue's private transactions. */
    static CoValueCore keyGroup(CoValueCore core, CoValueResolver resolver) {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.OwnedByGroup o) return resolver.get(o.group());
        if (r instanceof Ruleset.Group) return core;
        return null;
    }

    private static boolean decrypt(CoValueCore core, CoValueCore keyGroup, TxEntry e, KeyResolver keys) {
        Transaction.Private p = (Transaction.Private) e.tx;
        Optional<KeySecret> key;
        try {
            key = keys.readKey(keyGroup, new KeyID(p.keyUsed()));
        } catch (InvalidIdException ex) {
            return false;
        }
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
