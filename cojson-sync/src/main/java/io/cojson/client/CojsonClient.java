package io.cojson.client;

import io.cojson.client.internal.ActiveAccount;
import io.cojson.client.internal.ClientContext;
import io.cojson.client.internal.ClientInternals;
import io.cojson.client.internal.ConnectionTracker;
import io.cojson.client.internal.Conflicts;
import io.cojson.client.internal.DeepSubscription;
import io.cojson.client.internal.Futures;
import io.cojson.client.internal.Listeners;
import io.cojson.client.internal.Loader;
import io.cojson.client.internal.Login;
import io.cojson.client.internal.Setup;
import io.cojson.client.internal.Threads;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.json.JsonValue;
import io.cojson.core.values.Subscription;
import io.cojson.core.values.Account;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one object an app holds: local storage, the account's node, sync with the servers,
 * reconnection, crash recovery and every thread they use. Build one per data directory, log in
 * (or create an account), use the typed values of {@link #node()}, and {@link #close()} it.
 *
 * <pre>{@code
 * try (CojsonClient client = CojsonClient.builder()
 *         .dataDirectory(Path.of("notes-data"))
 *         .syncServer("wss://sync.example.com")
 *         .build()) {
 *     Account me = savedText != null
 *             ? client.login(savedText)                                  // offline-first
 *             : client.createAccount("Alice").account();                 // save its credentials().serialize()
 *     CoMap note = client.node().createGroup().createMap().set("text", "hello");
 *     client.waitForSync().join();                                      // reached every server
 * }
 * }</pre>
 *
 * <p>Offline first: writes go to memory and storage at once and sync when a server is reachable;
 * the client reconnects by itself. Threads: all daemon threads, stopped by {@link #close()}.
 * Listeners ({@link #subscribe}, {@link #onConnectionChange}) run on the
 * {@link Builder#listenerExecutor listener executor} (by default one daemon thread of this client,
 * in order), never on a sync or storage thread: a listener that blocks delays other listeners,
 * not syncing. One account at a time: {@link #logout()} before logging in as another, or
 * {@link #switchAccount} (the current one stays until the new one is ready).
 */
public final class CojsonClient implements AutoCloseable {
    static {
        ClientInternals.install(c -> c.active);
    }

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private final String name = "c" + CLIENTS.incrementAndGet();
    private final Crypto crypto;
    private final Path dataDirectory;
    private final List<String> servers;
    private final Duration timeout;
    private final Duration closeSyncTimeout;
    private final CoValueStorage storage;
    private final ScheduledExecutorService timer;
    private final ExecutorService io;
    private final Listeners listeners;
    private final ConnectionTracker connection;
    private final ClientContext ctx;
    private final Object lock = new Object();
    private volatile ActiveAccount active;
    private volatile Loader loader;
    private volatile boolean closed;

    private CojsonClient(Builder b, CoValueStorage storage, CryptoProvider provider) {
        this.crypto = new Crypto(provider);
        this.dataDirectory = b.dataDirectory;
        this.servers = List.copyOf(b.servers);
        this.timeout = b.timeout;
        this.closeSyncTimeout = b.closeSyncTimeout;
        this.storage = storage;
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cojson-client-timer-" + name));
        this.io = Executors.newSingleThreadExecutor(Threads.daemon("cojson-client-io-" + name));
        this.listeners = new Listeners(b.listenerExecutor, name);
        this.connection = new ConnectionTracker(servers, listeners);
        this.ctx = new ClientContext(crypto, storage, servers, timeout, timer, connection, listeners, b.continueLastSession);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a client; {@link #dataDirectory} or {@link #inMemory} is required. */
    public static final class Builder {
        private Path dataDirectory;
        private boolean inMemory;
        private final List<String> servers = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(30);
        private Duration closeSyncTimeout = Duration.ofSeconds(5);
        private Executor listenerExecutor;
        private CryptoProvider cryptoProvider;
        private StorageWriteMode writeMode = StorageWriteMode.ASYNC_QUEUE;
        private boolean continueLastSession = true;

        private Builder() {}

        /** How the data directory's storage commits (default {@link StorageWriteMode#ASYNC_QUEUE}). */
        public Builder storageWriteMode(StorageWriteMode mode) {
            this.writeMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether {@link #login(Credentials)} continues the session this data directory last wrote
         * with (default true: values keep one session per device instead of one per start; the
         * directory keeps a small file naming it). False: a new session at every login.
         */
        public Builder continueLastSession(boolean continueLast) {
            this.continueLastSession = continueLast;
            return this;
        }

        /**
         * The crypto primitives (default {@link CryptoProviders#auto()}: libsodium if its bundled
         * native library loads here, else Bouncy Castle). On Android, e.g.
         * {@code CryptoProviders.libsodium(new SodiumAndroid())} from lazysodium-android.
         */
        public Builder crypto(CryptoProvider provider) {
            this.cryptoProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Keeps everything in MapDB files in {@code dir} (created if missing; one client per directory at a time). */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir, "dir");
            this.inMemory = false;
            return this;
        }

        /** Keeps everything in memory only: nothing survives {@link #close()} except what reached a server. */
        public Builder inMemory() {
            this.inMemory = true;
            this.dataDirectory = null;
            return this;
        }

        /** Adds a sync server ({@code ws://} or {@code wss://}); checked by {@link #build()}. Zero servers: local only. */
        public Builder syncServer(String url) {
            servers.add(url);
            return this;
        }

        /** Default bound of every wait of the client: connecting, loading, syncing, logging in on a new device (30 s). */
        public Builder timeout(Duration t) {
            if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.timeout = t;
            return this;
        }

        /** How long {@link #close()} lets a connected client upload what the servers lack (5 s; zero: none). */
        public Builder closeSyncTimeout(Duration t) {
            if (t.isNegative()) throw new IllegalArgumentException("closeSyncTimeout must not be negative");
            this.closeSyncTimeout = t;
            return this;
        }

        /**
         * Where listeners run. Default: one daemon thread of the client, calling listeners one at a
         * time in order, stopped by {@link #close()}. An executor given here is not shut down by the client.
         */
        public Builder listenerExecutor(Executor e) {
            this.listenerExecutor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /**
         * Checks the settings ({@link InvalidServerUrlException} for a URL that cannot be connected
         * to) and opens the storage. Connecting starts with {@code login} or {@code createAccount}.
         */
        public CojsonClient build() {
            if (dataDirectory == null && !inMemory) throw new IllegalStateException("choose dataDirectory(path) or inMemory()");
            // the crypto provider (native library load, self-check) on its own thread while the storage opens
            Supplier<CryptoProvider> provider = cryptoProvider != null ? () -> cryptoProvider : Setup.inBackground(CryptoProviders::auto);
            Setup.checkServers(servers);
            CoValueStorage storage = Setup.openStorage(dataDirectory, writeMode == StorageWriteMode.INLINE);
            try {
                return new CojsonClient(this, storage, provider.get());
            } catch (RuntimeException | Error e) {
                Setup.closeQuietly(storage, e); // no lock left held by a client that was never returned
                throw e;
            }
        }
    }

    // ---- accounts ----

    /**
     * Creates an account with a public profile {@code {name}}, makes it this client's account and
     * starts syncing it; returns it with the credentials to save. Stored locally at once (the
     * call waits for the commit); uploaded when a server is reachable ({@link #waitForSync()}).
     */
    public CreatedAccount createAccount(String name) {
        synchronized (lock) {
            requireNoAccount();
            Login.Created c = Login.create(ctx, name);
            activate(c.account());
            return c.result();
        }
    }

    /**
     * Creates another account without changing this client's (an app signing someone up, or
     * preparing an account to log in to later): stored at once, then given {@code uploadTimeout}
     * to reach every sync server on connections of its own. Returns it with its credentials; its
     * {@code account()} handle shows the new account's state but is not synced: log in to use it.
     *
     * @throws AccountNotUploadedException when a server had not confirmed it in time (it holds the credentials)
     */
    public CreatedAccount createAccountWithoutSwitching(String name, Duration uploadTimeout) {
        Objects.requireNonNull(uploadTimeout, "uploadTimeout");
        synchronized (lock) {
            requireOpen();
            return Login.uploadedOrThrow(Login.createAside(ctx, name, uploadTimeout), uploadTimeout);
        }
    }

    /**
     * Creates an account and makes it this client's, keeping the current account (if any) until
     * the new one is ready: with an {@code uploadTimeout} (null: none), every sync server must
     * confirm it first, else an {@link AccountNotUploadedException} and the current account stays.
     * Then the current account is logged out, its servers given {@code currentSyncBudget}.
     */
    public CreatedAccount createAccountAndSwitch(String name, Duration uploadTimeout, Duration currentSyncBudget) {
        synchronized (lock) {
            requireOpen();
            Login.Created next = Login.createBeside(ctx, name);
            CreatedAccount c;
            try {
                c = uploadTimeout == null ? next.result() : Login.uploadedOrThrow(Login.upload(next, uploadTimeout), uploadTimeout);
            } catch (RuntimeException e) {
                next.account().close(Duration.ZERO, url -> false);
                throw e;
            }
            switchTo(next.account(), currentSyncBudget);
            return c;
        }
    }

    /** Logs the current account out (its servers given {@code budget}) and makes {@code next}, made ready beside it, the client's. */
    private void switchTo(ActiveAccount next, Duration budget) {
        detach(budget);
        next.adopt(connection);
        activate(next);
    }

    /** Closes the account (its connected servers given {@code budget}); whether everything had reached them. Under the lock. */
    private boolean detach(Duration budget) {
        ActiveAccount a = active;
        if (a == null) return true;
        active = null;
        loader = null;
        boolean synced = a.close(budget, connection::isConnected);
        connection.stopped(false);
        return synced;
    }

    /**
     * Logs in: checks the credentials first ({@link InvalidCredentialsException}, before anything
     * is loaded), then loads the account from local storage (offline works), or on a new device
     * from the sync servers (bounded by the timeout: {@link ClientTimeoutException}; no server has
     * it: {@link UnavailableException}). Syncing starts; returns the account.
     */
    public Account login(Credentials credentials) {
        return login(credentials, null);
    }

    /**
     * {@link #login(Credentials)} writing in {@code session} (one of this account's; null: as
     * {@link #login(Credentials)}), unless a previous process may have written in it unstored
     * (recovery.md §13): then in a new session, to keep the account's history free of forks.
     * {@link #sessionID()} says which one.
     */
    public Account login(Credentials credentials, SessionID session) {
        Objects.requireNonNull(credentials, "credentials");
        synchronized (lock) {
            requireNoAccount();
            ActiveAccount a = Login.login(ctx, credentials, session);
            activate(a);
            return a.typed.account();
        }
    }

    /**
     * Logs in as {@link #login(Credentials, SessionID)} does while the current account (if any)
     * keeps running, on connections of its own; on failure the current account stays as it was;
     * once logged in, the current account is logged out (its servers given {@code currentSyncBudget})
     * and the new one becomes this client's.
     */
    public Account switchAccount(Credentials credentials, SessionID session, Duration currentSyncBudget) {
        Objects.requireNonNull(credentials, "credentials");
        synchronized (lock) {
            requireOpen();
            ActiveAccount next = Login.loginBeside(ctx, credentials, session);
            switchTo(next, currentSyncBudget);
            return next.typed.account();
        }
    }

    /**
     * Ends the account's session on this client, as {@link #close()} does for it (the connected
     * servers get {@link Builder#closeSyncTimeout} to receive what they lack, then sync stops and
     * storage commits) but keeps the client open for another {@code login} or
     * {@code createAccount}. Returns whether everything had reached every server (true without
     * servers; false when offline). Nothing to log out: true.
     */
    public boolean logout() {
        return logout(closeSyncTimeout);
    }

    /** {@link #logout()} giving the servers {@code syncBudget} instead. */
    public boolean logout(Duration syncBudget) {
        synchronized (lock) {
            requireOpen();
            return detach(syncBudget);
        }
    }

    /** The session this client writes the account's changes in. */
    public SessionID sessionID() {
        return requireAccount().node.sessionID();
    }

    /** Parses {@code serialized} ({@link Credentials#parse}) and logs in. */
    public Account login(String serialized) {
        return login(Credentials.parse(serialized));
    }

    private void requireNoAccount() {
        requireOpen();
        if (active != null) {
            throw new IllegalStateException("this client already has account " + active.node.accountID().value()
                    + "; log out first to switch accounts");
        }
    }

    private void activate(ActiveAccount a) {
        loader = new Loader(a, timeout, timer, io, connection); // before active: whoever sees an account finds its loader
        active = a;
    }

    /** The typed API of the logged-in account: create groups and values, get handles. */
    public CojsonNode node() {
        return requireAccount().typed;
    }

    /** The logged-in account ({@link Account#profile()}, {@link Account#root()}). */
    public Account account() {
        return requireAccount().typed.account();
    }

    public boolean isLoggedIn() {
        return active != null;
    }

    private ActiveAccount requireAccount() {
        requireOpen();
        ActiveAccount a = active;
        if (a == null) throw new IllegalStateException("no account: call login or createAccount first");
        return a;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the client is closed");
    }

    // ---- connection ----

    /** The connection now (OFFLINE before login, without servers, and after close). */
    public ConnectionStatus connectionStatus() {
        return connection.status();
    }

    /** Calls {@code listener} (on the listener executor) at every change of {@link #connectionStatus()}. */
    public Subscription onConnectionChange(Consumer<ConnectionStatus> listener) {
        return connection.subscribe(listener);
    }

    /**
     * Completes once a server connection is open (at once if it is), failing after the timeout
     * with a {@link ClientTimeoutException} naming the servers, the state and the last cause; fails
     * at once without servers.
     */
    public CompletableFuture<Void> whenConnected() {
        return whenConnected(timeout);
    }

    public CompletableFuture<Void> whenConnected(Duration timeout) {
        return connection.whenConnected(timeout, timer);
    }

    /**
     * Goes offline on purpose: closes the server connections and stops reconnecting (status
     * {@link ConnectionState#OFFLINE}); edits go on locally and sync after {@link #connect()}.
     * Until the next login, for the logged-in account only.
     */
    public void disconnect() {
        requireAccount().disconnect();
    }

    /**
     * Connects again after {@link #disconnect()} (no-op when connecting or connected already, and
     * without servers); returns once the attempts started: {@link #whenConnected()} waits for one.
     */
    public void connect() {
        requireAccount().connect();
    }

    /** The sync server URLs, as configured. */
    public List<String> syncServers() {
        return servers;
    }

    /** The data directory, or null in memory. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    // ---- loading and syncing ----

    /**
     * The value {@code id}, as a handle of its type ({@link io.cojson.core.values.CoMap}, …).
     * Fails with {@link UnavailableException} when no source has it, {@link NoAccessException}
     * when this account may not read it, {@link ClientTimeoutException} after the timeout.
     */
    public CompletableFuture<CoValue> load(RawCoID id, LoadMode mode) {
        requireAccount();
        return loader.load(Objects.requireNonNull(id, "id"), Objects.requireNonNull(mode, "mode"));
    }

    /** {@link #load(RawCoID, LoadMode)} by the ID's text ({@code co_z…}). */
    public CompletableFuture<CoValue> load(String id, LoadMode mode) {
        return load(new RawCoID(id), mode);
    }

    /** {@link #load(RawCoID, LoadMode, Class)} by the ID's text ({@code co_z…}). */
    public <T extends CoValue> CompletableFuture<T> load(String id, LoadMode mode, Class<T> type) {
        return load(new RawCoID(id), mode, type);
    }

    /** {@link #load(RawCoID, LoadMode)} of a value of a known type; a {@link io.cojson.core.values.WrongTypeException} otherwise. */
    public <T extends CoValue> CompletableFuture<T> load(RawCoID id, LoadMode mode, Class<T> type) {
        return load(id, mode).thenApply(v -> {
            if (!type.isInstance(v)) {
                throw new CojsonClientException(id.value() + " is a " + v.getClass().getSimpleName() + ", not a " + type.getSimpleName());
            }
            return type.cast(v);
        });
    }

    /**
     * Calls {@code listener} with {@code value} after it (or a value it depends on, such as its
     * group) changed, locally or from a server. Runs on the listener executor; changes that come
     * while a call is queued are folded into it.
     */
    public <T extends CoValue> Subscription subscribe(T value, Consumer<? super T> listener) {
        ActiveAccount a = requireAccount();
        Runnable trigger = listeners.coalescing(() -> listener.accept(value));
        return a.node.subscribe(value.id(), id -> trigger.run())::close;
    }

    /**
     * {@link #subscribe(CoValue, Consumer)} that also covers the values {@code value} references,
     * {@code depth} references deep (CoMap field values and CoList items holding CoValue IDs; 0:
     * the value alone): those not here are loaded ({@link LoadMode#LOCAL_FIRST}), newly referenced
     * ones are watched and unreferenced ones dropped as the values change.
     */
    public <T extends CoValue> Subscription subscribe(T value, int depth, Consumer<? super T> listener) {
        if (depth < 0) throw new IllegalArgumentException("depth must not be negative");
        ActiveAccount a = requireAccount();
        Loader l = loader;
        return new DeepSubscription(a.typed, value.id(), depth, listeners, () -> listener.accept(value),
                id -> l.load(id, LoadMode.LOCAL_FIRST).exceptionally(e -> null));
    }

    /**
     * The value field {@code key} of {@code map} refers to, as its type {@code type}, loaded as
     * {@link #load} does ({@link LoadMode#LOCAL_FIRST}); an {@link UnavailableException} when the
     * field holds no CoValue ID.
     */
    public <T extends CoValue> CompletableFuture<T> loadRef(CoMap map, String key, Class<T> type) {
        return loadRefTo(map.id(), map.get(key), "field " + key, type);
    }

    /** {@link #loadRef(CoMap, String, Class)} for item {@code index} of {@code list}. */
    public <T extends CoValue> CompletableFuture<T> loadRef(CoList list, int index, Class<T> type) {
        return loadRefTo(list.id(), index >= 0 && index < list.size() ? list.get(index) : null, "item " + index, type);
    }

    private <T extends CoValue> CompletableFuture<T> loadRefTo(RawCoID from, JsonValue ref, String where, Class<T> type) {
        if (!(ref instanceof JsonValue.Str s) || !RawCoID.isValid(s.value())) {
            return Compat.failedFuture(new UnavailableException(null,
                    where + " of " + from.value() + " holds no CoValue reference" + (ref == null ? "" : ": " + ref)));
        }
        return load(new RawCoID(s.value()), LoadMode.LOCAL_FIRST, type);
    }

    /**
     * Completes once every sync server confirmed holding everything this client has of {@code id}
     * now; at once without servers; a {@link ClientTimeoutException} saying which server had not
     * confirmed after the timeout.
     */
    public CompletableFuture<Void> waitForSync(RawCoID id) {
        return waitForSync(id, timeout);
    }

    /** {@link #waitForSync(RawCoID)} bounded by {@code timeout} instead of the client's. */
    public CompletableFuture<Void> waitForSync(RawCoID id, Duration timeout) {
        ActiveAccount a = requireAccount();
        return Futures.within(a.waitForSync(id, timeout), timeout.plusMillis(200), timer,
                () -> "the sync servers to confirm " + id.value() + " (" + connection.describe() + ")");
    }

    /** {@link #waitForSync(RawCoID)} for every value this client holds. */
    public CompletableFuture<Void> waitForSync() {
        return waitForSync(timeout);
    }

    /** {@link #waitForSync()} bounded by {@code timeout} instead of the client's. */
    public CompletableFuture<Void> waitForSync(Duration timeout) {
        ActiveAccount a = requireAccount();
        return Futures.within(a.waitForSyncAll(timeout), timeout.plusMillis(200), timer,
                () -> "the sync servers to confirm everything (" + connection.describe() + ")");
    }

    /** Completes once local storage committed every change made so far (at once in memory). */
    public CompletableFuture<Void> waitForStorage() {
        ActiveAccount a = requireAccount();
        if (a.persistence == null) return CompletableFuture.completedFuture(null);
        return Futures.within(a.persistence.persistedAll(), timeout, timer, () -> "local storage to commit every change");
    }

    // ---- conflicts ----

    /** The conflicts crash recovery preserved for this account's values, oldest first (kept in storage when there is one). */
    public List<Conflict> conflicts() {
        return conflictsOf().all();
    }

    /** The conflicts of one value, oldest first. */
    public List<Conflict> conflicts(RawCoID valueId) {
        return conflictsOf().of(valueId);
    }

    /**
     * Calls {@code listener} (on the listener executor) for each new conflict and each status
     * change; with {@code replay}, first for every conflict already recorded.
     */
    public Subscription onConflict(Consumer<Conflict> listener, boolean replay) {
        Objects.requireNonNull(listener, "listener");
        var inner = conflictsOf().records().onRecord(r -> {
            Conflict c = Conflicts.toConflict(r);
            listeners.run(() -> listener.accept(c));
        }, replay);
        return inner::close;
    }

    /**
     * Keeps the merged state (both sides' edits) and marks the conflict seen.
     *
     * @throws IllegalArgumentException when there is no conflict {@code recordId}
     */
    public Conflict acknowledge(String recordId) {
        return conflictsOf().acknowledge(recordId);
    }

    /** Marks the conflict resolved after the app made its own edits through the normal API. */
    public Conflict markResolved(String recordId) {
        return conflictsOf().markResolved(recordId);
    }

    /**
     * Undoes the preserved local edits in the value's state with compensating edits in the current
     * session (sessions are never rewritten; the edits sync like any other): map keys they touched
     * get the value they have without them, list and text items they inserted are deleted. What
     * cannot be undone is listed in the result.
     */
    public ConflictResolution preferServer(String recordId) {
        return conflictsOf().preferServer(recordId);
    }

    /**
     * The JSON of a loaded value as it is without any conflict session (a map's object, a list's
     * array, a text's string, a stream's entries per session), to show next to the merged state.
     *
     * @throws IllegalArgumentException when the value is not loaded
     */
    public JsonValue withoutConflicts(RawCoID valueId) {
        return conflictsOf().withoutConflicts(valueId);
    }

    private Conflicts conflictsOf() {
        ActiveAccount a = requireAccount();
        return new Conflicts(a.node, a.conflicts());
    }

    // ---- closing ----

    /**
     * Gives the servers connected now {@link Builder#closeSyncTimeout} to receive what they lack, then stops recovery, the
     * connections and sync, commits what is pending to storage and closes it, and stops the
     * client's threads; every step bounded. Idempotent. Afterwards no thread of the client keeps
     * the JVM alive.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            ActiveAccount a = active;
            active = null;
            loader = null;
            if (a != null) a.close(closeSyncTimeout, connection::isConnected);
            connection.stopped(true);
            if (storage instanceof AsyncMapDbStorage s) s.close(Duration.ofSeconds(10));
            else if (storage != null) storage.close();
            Threads.stop(io, Duration.ofSeconds(2));
            Threads.stop(timer, Duration.ofSeconds(1));
            listeners.close(Duration.ofSeconds(2));
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        ActiveAccount a = active;
        return "CojsonClient(" + (dataDirectory != null ? dataDirectory : "in memory") + ", servers " + servers
                + (a != null ? ", account " + a.node.accountID().value() : "") + (closed ? ", closed" : "") + ")";
    }
}
