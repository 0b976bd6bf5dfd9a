package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.KeySource;
import io.cojson.core.covalue.SignerResolution;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoException;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.Sealed;
import io.cojson.core.ids.SealedForGroup;
import io.cojson.core.ids.SealerSecret;
import io.cojson.core.json.JsonValue;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a key secret through a group (covalues.md §6.3): {@code _for_everyone}, sealed to me,
 * wrapped by another key of the group, or wrapped by / sealed to a parent group's key.
 */
public final class KeyResolver implements KeySource {
    private final Crypto crypto;
    private final CoValueResolver resolver;
    private final ReaderIdentity me;

    public KeyResolver(Crypto crypto, CoValueResolver resolver, ReaderIdentity me) {
        this.crypto = crypto;
        this.resolver = resolver;
        this.me = me;
    }

    /** The secret of {@code keyID} as obtainable through {@code group}, or empty. */
    @Override
    public Optional<KeySecret> readKey(CoValueCore group, KeyID keyID) {
        KeySecret known = me.knownKeys().get(keyID);
        if (known != null) return Optional.of(known);
        return Optional.ofNullable(resolve(group, keyID.value(), new HashSet<>()));
    }

    private KeySecret resolve(CoValueCore group, String keyID, Set<String> visiting) {
        String visitKey = group.id().value() + "|" + keyID;
        if (!visiting.add(visitKey)) return null;
        KeySecret known = parseKey(keyID);
        if (known != null) return known;
        GroupView v = GroupView.of(group, resolver);
        // 1. readable by everyone
        if (v.get(keyID + GroupKeys.FOR_EVERYONE, null) instanceof JsonValue.Str s) {
            KeySecret k = secretOrNull(s.value());
            if (k != null) return k;
        }
        // 2. sealed to me
        KeySecret mine = unsealForMe(group, v, keyID);
        if (mine != null) return mine;
        // 3. wrapped by another key of this group, 4. by a parent group's key
        for (String field : v.keys()) {
            if (!field.startsWith(keyID + "_for_key_")) continue;
            String other = field.substring((keyID + GroupKeys.FOR).length());
            KeySecret otherSecret = resolve(group, other, visiting);
            if (otherSecret == null) {
                for (RawCoID p : v.parentIDs()) {
                    CoValueCore parent = resolver.get(p);
                    if (parent != null && parent.isGroupOrAccount()) otherSecret = resolve(parent, other, visiting);
                    if (otherSecret != null) break;
                }
            }
            KeySecret k = otherSecret == null ? null : unwrap(v, field, keyID, other, otherSecret);
            if (k != null) return k;
        }
        return sealedForParent(group, v, keyID, visiting);
    }

    private KeySecret unsealForMe(CoValueCore group, GroupView v, String keyID) {
        if (me.agentSecret() == null) return null;
        String meInGroup = group.header().isAccount() || me.accountID() == null ? me.agentID().value() : me.accountID().value();
        GroupView.Edit edit = v.lastEdit(keyID + GroupKeys.FOR + meInGroup, null);
        if (edit == null || !(edit.value() instanceof JsonValue.Str s)) return null;
        try {
            AgentID revealer = SignerResolution.agentOf(edit.source().sessionID().author(), resolver);
            JsonValue plain = crypto.unseal(new Sealed(s.value()), me.agentSecret().sealer(), revealer.sealer(),
                    edit.source().txID().nonceMaterial(group.id()));
            return plain instanceof JsonValue.Str k ? secretOrNull(k.value()) : null;
        } catch (CryptoException | InvalidIdException | SignerResolution.UnresolvableSignerException e) {
            return null;
        }
    }

    private KeySecret unwrap(GroupView v, String field, String keyID, String other, KeySecret otherSecret) {
        if (!(v.get(field, null) instanceof JsonValue.Str s)) return null;
        try {
            return crypto.decryptKeySecret(new KeyID(keyID), new KeyID(other), new Encrypted(s.value()), otherSecret).orElse(null);
        } catch (InvalidIdException e) {
            return null;
        }
    }

    /** {@code <keyID>_sealedFor_<sealerID>} opened with a parent's group sealer, newest first. */
    private KeySecret sealedForParent(CoValueCore group, GroupView v, String keyID, Set<String> visiting) {
        for (RawCoID p : v.parentIDs()) {
            CoValueCore parent = resolver.get(p);
            if (parent == null || !parent.isGroupOrAccount()) continue;
            GroupView pv = GroupView.of(parent, resolver);
            List<GroupView.Edit> sealers = pv.edits(GroupKeys.GROUP_SEALER);
            for (int i = sealers.size() - 1; i >= 0; i--) {
                if (!(sealers.get(i).value() instanceof JsonValue.Str sv) || !sv.value().contains("@")) continue;
                String parentKey = sv.value().substring(0, sv.value().indexOf('@'));
                String sealerID = sv.value().substring(sv.value().indexOf('@') + 1);
                GroupView.Edit sealedEdit = v.lastEdit(keyID + GroupKeys.SEALED_FOR + sealerID, null);
                if (sealedEdit == null || !(sealedEdit.value() instanceof JsonValue.Str sealed)) continue;
                KeySecret parentSecret = resolve(parent, parentKey, visiting);
                if (parentSecret == null) continue;
                SealerSecret groupSealer = crypto.groupSealerFromReadKey(parentSecret).secret();
                try {
                    Optional<JsonValue> plain = crypto.unsealForGroup(new SealedForGroup(sealed.value()), groupSealer,
                            sealedEdit.source().txID().nonceMaterial(group.id()));
                    if (plain.isPresent() && plain.get() instanceof JsonValue.Str k) {
                        KeySecret secret = secretOrNull(k.value());
                        if (secret != null) return secret;
                    }
                } catch (InvalidIdException e) {
                    // malformed value: try the next sealer
                }
            }
        }
        return null;
    }

    private KeySecret parseKey(String keyID) {
        try {
            return me.knownKeys().get(new KeyID(keyID));
        } catch (InvalidIdException e) {
            return null;
        }
    }

    private static KeySecret secretOrNull(String s) {
        try {
            return new KeySecret(s);
        } catch (InvalidIdException e) {
            return null;
        }
    }
}
