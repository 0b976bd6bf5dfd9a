/**
 * Embedded storage for cojson on MapDB (sync-protocol.md §11, reliability.md, recovery.md §5.4).
 *
 * <p>{@link io.cojson.storage.CoValueStorage} is the contract; {@link io.cojson.storage.MapDbStorage}
 * runs every write inline, {@link io.cojson.storage.AsyncMapDbStorage} through one ordered bounded
 * queue. Every write is one atomic, crash-safe commit whose future completes only after it is
 * durable. {@link io.cojson.storage.NodePersistence} connects a {@code LocalNode};
 * {@link io.cojson.storage.IntegrityCheck} re-verifies a directory; {@link io.cojson.storage.Faults}
 * holds the named fault points of the test harness. Implementation classes live in
 * {@code io.cojson.storage.internal}.
 */
package io.cojson.storage;
