/**
 * The app SDK: {@link io.cojson.client.CojsonClient}, the one object an application holds. It owns
 * the local storage (MapDB files in a data directory, or memory), the account's node, sync with
 * zero or more servers, reconnection, crash recovery and every thread these use; the values
 * themselves are the typed API of {@link io.cojson.core.values}.
 *
 * <ul>
 *   <li>Accounts: {@code createAccount} returns {@link io.cojson.client.Credentials} to save;
 *       {@code login} checks them first ({@link io.cojson.client.InvalidCredentialsException}), then
 *       loads the account from storage (offline) or, on a new device, from the servers.</li>
 *   <li>Connection: {@link io.cojson.client.ConnectionStatus} (getter and listener),
 *       {@code whenConnected}; every wait is bounded and a {@link io.cojson.client.ClientTimeoutException}
 *       says what it waited for.</li>
 *   <li>Loading: {@code load(id, LoadMode)} answers a handle, or
 *       {@link io.cojson.client.UnavailableException} / {@link io.cojson.client.NoAccessException}
 *       instead of an empty value; {@code loadRef} follows a reference; {@code subscribe} optionally
 *       to a depth of references; {@code waitForSync} for a value or everything.</li>
 *   <li>Conflicts: what crash recovery preserved, as {@link io.cojson.client.Conflict}s.</li>
 * </ul>
 *
 * <p>Threads: listeners run on the listener executor (default: one daemon thread per client, in
 * order), never on a sync, socket or storage thread, so a blocking listener never stalls sync.
 * Writes through the typed API may be made from any thread. {@code close()} stops everything,
 * bounded; the process-wide daemon pools of the lower layers (transport timers, background
 * signing) never keep a JVM alive.
 */
package io.cojson.client;
