package io.cojson.core.values.internal;

import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CojsonNode;
import java.util.Objects;

/**
 * The typed API over a {@link LocalNode}, and back: for cojson's own modules (the client owns its
 * node and hands apps the typed one). Not exported to apps, so that no public method of the typed
 * API names the node's internals.
 */
public final class TypedNodes {
    /** Implemented by the typed API's package, which installs it when {@link CojsonNode} initializes. */
    public interface Access {
        CojsonNode wrap(LocalNode node);

        LocalNode unwrap(CojsonNode node);
    }

    private static volatile Access access;

    private TypedNodes() {}

    public static void install(Access a) {
        if (access != null) throw new IllegalStateException("already installed");
        access = Objects.requireNonNull(a);
    }

    /** The typed API over an existing node (e.g. one logged in with {@link LocalNode#forAccount}). */
    public static CojsonNode of(LocalNode node) {
        return access().wrap(Objects.requireNonNull(node, "node"));
    }

    /** The node under the typed API, for sync and lower-level use. */
    public static LocalNode localNode(CojsonNode node) {
        return access().unwrap(Objects.requireNonNull(node, "node"));
    }

    private static Access access() {
        Access a = access;
        if (a != null) return a;
        try { // CojsonNode's static initializer installs the bridge
            Class.forName(CojsonNode.class.getName(), true, CojsonNode.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return Objects.requireNonNull(access, "the typed API did not install its bridge");
    }
}
