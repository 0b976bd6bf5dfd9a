package io.cojson.core.values;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A handle on one CoValue of a {@link CojsonNode}: just the node and the ID, so handles are cheap,
 * immutable and safe to share between threads. Reads always see the node's current state.
 */
public abstract class CoValue {
    final CojsonNode node;
    final RawCoID id;
    final boolean privateWrites;

    CoValue(CojsonNode node, RawCoID id, boolean privateWrites) {
        this.node = node;
        this.id = id;
        this.privateWrites = privateWrites;
    }

    public final RawCoID id() {
        return id;
    }

    public final CojsonNode node() {
        return node;
    }

    public final CoValueHeader header() {
        return local().require(id).header();
    }

    public final CoValueKind kind() {
        return CoValueKind.of(header());
    }

    /** The group or account that owns this value; {@code null} for groups and accounts themselves. */
    public final RawCoID ownerId() {
        return header().ruleset() instanceof Ruleset.OwnedByGroup o ? o.group() : null;
    }

    /** Whether this handle encrypts what it writes (the default for values owned by a group or account). */
    public final boolean writesPrivately() {
        return privateWrites;
    }

    /** Whether an admin deleted this value (only its tombstone remains to sync). */
    public final boolean isDeleted() {
        return local().locked(() -> local().require(id).isDeleted());
    }

    /** Deletes this value; only admins of its owning group may (groups and accounts cannot be deleted). */
    public final void deleteCoValue() {
        local().deleteCoValue(id);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof CoValue v && v.getClass() == getClass() && v.node == node && v.id.equals(id)
                && v.privateWrites == privateWrites;
    }

    @Override
    public final int hashCode() {
        return Objects.hash(id, privateWrites);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + id.value() + ")";
    }

    // ---- for the subclasses ----

    final LocalNode local() {
        return node.localNode();
    }

    /** Applies {@code reader} to the current content view; it must return immutable values. */
    final <T, R> R read(Class<T> viewType, Function<T, R> reader) {
        LocalNode n = local();
        return n.locked(() -> reader.apply(viewType.cast(n.view(id))));
    }

    final void write(List<JsonValue> changes) {
        local().write(id, changes, null, privateWrites);
    }

    /** Plans changes against the current view and writes them as one transaction, atomically. */
    final <T> void edit(Class<T> viewType, Function<T, List<JsonValue>> plan) {
        LocalNode n = local();
        n.locked(() -> {
            n.write(id, plan.apply(viewType.cast(n.view(id))), null, privateWrites);
            return null;
        });
    }

    final Subscription listen(Runnable onChange) {
        io.cojson.core.node.Subscription s = local().subscribe(id, changed -> onChange.run());
        return s::close;
    }

    static boolean defaultPrivacy(CoValueHeader header) {
        return header.ruleset() instanceof Ruleset.OwnedByGroup;
    }
}
