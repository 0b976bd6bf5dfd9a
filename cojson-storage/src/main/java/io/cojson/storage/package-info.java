/**
 * Embedded storage for cojson on MapDB (sync-protocol.md §11, reliability.md, recovery.md §5.4):
 * what an app sees of it. The client and server own their storage; apps meet its typed errors
 * ({@link io.cojson.storage.StorageException} and its subclasses), the
 * fatal-error hook ({@link io.cojson.storage.FatalErrors}) and the named fault points of the test
 * harness ({@link io.cojson.storage.Faults}).
 *
 * <p>The storage itself is in {@code io.cojson.storage.engine}, exported only to cojson's sync and
 * tools modules: {@code CoValueStorage} is the contract, {@code MapDbStorage} runs every write
 * inline and {@code AsyncMapDbStorage} through one ordered bounded queue; every write is one
 * atomic, crash-safe commit whose future completes only after it is durable. Implementation
 * classes live in {@code io.cojson.storage.engine.internal}.
 */
package io.cojson.storage;
