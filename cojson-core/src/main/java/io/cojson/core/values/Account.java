package io.cojson.core.values;

import io.cojson.core.groups.GroupView;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import java.util.List;
import java.util.function.Consumer;

/**
 * An account: an identity whose public profile carries its name, and optionally a {@code root} map
 * holding the account's own data. Only the account itself can change it.
 */
public final class Account extends CoValue {
    Account(CojsonNode node, RawCoID id) {
        super(node, id, false);
    }

    /** Whether this is the account of the node it was obtained from. */
    public boolean isMe() {
        return id.equals(local().accountID());
    }

    /** The profile's name, or null when the profile is not loaded here. */
    public String name() {
        CoMap profile = profile();
        return profile == null ? null : profile.getString("name");
    }

    /** The public profile, or null when it is not loaded on this node. */
    public CoMap profile() {
        return ref("profile");
    }

    /** The root map, or null when unset or not loaded. */
    public CoMap root() {
        return ref("root");
    }

    /** The profile's ID as the account holds it (whether or not it is loaded here), or null. */
    public RawCoID profileId() {
        return refId("profile");
    }

    /** The root's ID as the account holds it (whether or not it is loaded here; load it to read it), or null when unset. */
    public RawCoID rootId() {
        return refId("root");
    }

    /** Sets the root map (only on the account's own node). */
    public Account setRoot(CoMap root) {
        local().write(id, List.of(CoMapContent.setChange("root", JsonValue.of(root.id().value()))),
                null, false);
        return this;
    }

    /** Calls {@code listener} after every change of this account. */
    public Subscription subscribe(Consumer<Account> listener) {
        return listen(() -> listener.accept(this));
    }

    private RawCoID refId(String key) {
        LocalNode n = local();
        return n.locked(() -> {
            String ref = GroupView.of(n.require(id), n).getString(key, null);
            return ref != null && RawCoID.isValid(ref) ? new RawCoID(ref) : null;
        });
    }

    private CoMap ref(String key) {
        LocalNode n = local();
        return n.locked(() -> {
            CoValueCore account = n.require(id);
            String ref = GroupView.of(account, n).getString(key, null);
            if (ref == null || !RawCoID.isValid(ref) || n.get(new RawCoID(ref)) == null) return null;
            return node.map(new RawCoID(ref));
        });
    }
}
