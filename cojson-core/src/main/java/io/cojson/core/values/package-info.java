/**
 * The typed API: {@link io.cojson.core.values.CojsonNode} (an account's node) hands out handles for
 * groups, accounts and collaborative values ({@link io.cojson.core.values.CoMap},
 * {@link io.cojson.core.values.CoList}, {@link io.cojson.core.values.CoStream},
 * {@link io.cojson.core.values.BinaryCoStream}, {@link io.cojson.core.values.CoPlainText}).
 *
 * <p>Threading: handles are immutable and may be used from any thread. Every read sees the node's
 * current state and returns immutable Java values; every write is checked against the value's
 * permissions before it is signed (a refused write throws
 * {@link io.cojson.core.node.PermissionDeniedException} and changes nothing) and is visible to
 * reads as soon as the call returns. Listeners run on the thread that made the change (a local
 * write or an import), after the change and outside the node's lock, so they may read and write.
 *
 * <p>Privacy: writes to values owned by a group or an account are encrypted with the group's
 * current key, as the reference does; {@code trusting()} gives a handle that writes in the clear.
 */
package io.cojson.core.values;
