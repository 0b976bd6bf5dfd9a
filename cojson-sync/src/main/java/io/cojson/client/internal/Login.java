package io.cojson.client.internal;

import io.cojson.client.AccountNotUploadedException;
import io.cojson.client.CojsonClientException;
import io.cojson.client.CreatedAccount;
import io.cojson.client.Credentials;
import io.cojson.client.InvalidCredentialsException;
import io.cojson.client.UnavailableException;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.core.ids.AgentSecret;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** The steps of creating an account and of logging in (covalues.md §11), for {@code CojsonClient}. */
public final class Login {
    private Login() {}

    /** A new account, stored (the commit waited for) and syncing; its credentials. Not yet the client's. */
    public record Created(ActiveAccount account, Credentials credentials) {
        /** What the client hands the app. */
        public CreatedAccount result() {
            return new CreatedAccount(account.typed.account(), credentials, account.node.sessionID());
        }
    }

    /** The account, or {@link AccountNotUploadedException} (holding it) when a server had not confirmed it. */
    public static CreatedAccount uploadedOrThrow(Uploaded u, Duration uploadTimeout) {
        CreatedAccount c = u.created().result();
        if (!u.uploaded()) {
            throw new AccountNotUploadedException("account " + c.credentials().accountID().value() + " created but not confirmed by "
                    + String.join(", ", u.created().account().links().stream().map(ServerLink::url).collect(java.util.stream.Collectors.toList()))
                    + " within " + uploadTimeout.toMillis() + " ms" + (u.failure() == null ? "" : ": " + u.failure().getMessage()),
                    c, u.failure());
        }
        return c;
    }

    public static Created create(ClientContext ctx, String name) {
        return create(ctx, name, ctx.connection(), true);
    }

    private static Created create(ClientContext ctx, String name, ConnectionTracker tracker, boolean withRecovery) {
        AgentSecret secret = ctx.crypto().newRandomAgentSecret();
        LocalNode node = Accounts.create(ctx.crypto(), secret, name);
        created(node, ctx.storage(), ctx.continueLastSession());
        NodePersistence p = persist(node, ctx.storage(), false);
        try {
            if (p != null) {
                Futures.join(Futures.within(p.persistedAll(), ctx.timeout(), ctx.timer(), () -> "local storage to commit the new account"));
            }
            return new Created(ActiveAccount.start(node, p, ctx.storage(), ctx.servers(), ctx.timer(), tracker, withRecovery),
                    new Credentials(node.accountID(), secret));
        } catch (RuntimeException e) {
            if (p != null) p.close();
            throw e;
        }
    }

    /**
     * An account beside the client's own: created, stored, given {@code uploadTimeout} to reach
     * every server (its connections are its own, not in the client's connection state), then
     * closed. The result says whether every server confirmed it.
     */
    public static Uploaded createAside(ClientContext ctx, String name, Duration uploadTimeout) {
        Created c = create(ctx, name, new ConnectionTracker(ctx.servers(), ctx.listeners()), false);
        try {
            return upload(c, uploadTimeout);
        } finally {
            c.account().close(Duration.ZERO, url -> false);
        }
    }

    /** Waits up to {@code timeout} for every server to confirm {@code c}'s account (at once without servers). */
    public static Uploaded upload(Created c, Duration timeout) {
        try {
            c.account().waitForSyncAll(timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Uploaded(c, true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Uploaded(c, false, e);
        } catch (ExecutionException e) {
            return new Uploaded(c, false, e.getCause());
        } catch (TimeoutException e) {
            return new Uploaded(c, false, null);
        }
    }

    /** What {@link #createAside} made, whether it reached every server, and why not when a server said so. */
    public record Uploaded(Created created, boolean uploaded, Throwable failure) {}

    /** {@link #login} on connections of its own and without recovery, for {@link ActiveAccount#adopt} once it is ready. */
    public static ActiveAccount loginBeside(ClientContext ctx, Credentials credentials, SessionID session) {
        ClientContext own = new ClientContext(ctx.crypto(), ctx.storage(), ctx.servers(), ctx.timeout(), ctx.timer(),
                new ConnectionTracker(ctx.servers(), ctx.listeners()), ctx.listeners(), ctx.continueLastSession());
        return login(own, credentials, session, false);
    }

    /** {@link #create} on connections of its own and without recovery, for {@link ActiveAccount#adopt} once it is ready. */
    public static Created createBeside(ClientContext ctx, String name) {
        return create(ctx, name, new ConnectionTracker(ctx.servers(), ctx.listeners()), false);
    }

    /**
     * Logs in (credentials checked first, then the node with its session, persisted and syncing;
     * on a new device the account fetched from the servers); the account, not yet the client's.
     */
    public static ActiveAccount login(ClientContext ctx, Credentials credentials, SessionID session) {
        return login(ctx, credentials, session, true);
    }

    private static ActiveAccount login(ClientContext ctx, Credentials credentials, SessionID session, boolean withRecovery) {
        checkCredentials(ctx.crypto(), credentials);
        LocalNode node = node(ctx.crypto(), credentials, ctx.storage(), session, ctx.continueLastSession());
        NodePersistence p = persist(node, ctx.storage(), true);
        boolean local = node.get(credentials.accountID()) != null;
        ActiveAccount a = null;
        try {
            if (!local && ctx.servers().isEmpty()) {
                throw new UnavailableException(credentials.accountID(), "account " + credentials.accountID().value()
                        + " is not in " + (ctx.storage() != null ? "local storage" : "memory") + " and no sync server is configured");
            }
            a = ActiveAccount.start(node, p, ctx.storage(), ctx.servers(), ctx.timer(), ctx.connection(), withRecovery);
            if (!local) fetchAccount(a, ctx.timeout(), ctx.timer(), ctx.connection());
            checkAccount(node);
            return a;
        } catch (RuntimeException e) {
            if (a != null) a.close(Duration.ZERO, url -> false);
            else if (p != null) p.close();
            ctx.connection().stopped(false);
            throw e;
        }
    }

    /**
     * Fails with {@link InvalidCredentialsException} unless the agent secret is the one of the
     * account: an account's ID is the hash of a header naming its agent, so this needs neither
     * storage nor network.
     */
    public static void checkCredentials(Crypto crypto, Credentials c) {
        AgentID agent = crypto.getAgentID(c.agentSecret());
        RawCoID expected = Accounts.accountHeader(agent).id(crypto);
        if (!expected.equals(c.accountID())) {
            throw new InvalidCredentialsException("the agent secret is not the one of account " + c.accountID().value());
        }
    }

    /**
     * The node of {@code c} with its session chosen: {@code requested} if given, else (with
     * {@code continueLast}) the one this directory's last run wrote with, unless a previous process
     * may have forked it (recovery.md §13: then a new one); else a new one.
     */
    public static LocalNode node(Crypto crypto, Credentials c, CoValueStorage storage, SessionID requested, boolean continueLast) {
        if (requested != null && !requested.accountID().equals(c.accountID())) {
            throw new IllegalArgumentException("session " + requested.value() + " is not one of account " + c.accountID().value());
        }
        SessionID session;
        if (storage != null) {
            SessionID wanted = requested != null ? requested : continueLast ? SessionMemory.last(storage.directory(), c.accountID()) : null;
            session = SessionGuard.choose(storage, SessionRegistry.of(storage), crypto, c.accountID(), wanted).session();
            if (continueLast) SessionMemory.remember(storage.directory(), session);
        } else {
            session = requested != null ? requested : crypto.newRandomSessionID(c.accountID().value());
        }
        return LocalNode.forAccount(crypto, c.accountID(), c.agentSecret(), session);
    }

    /** With storage: the new account's session is the one its next start continues. */
    public static void created(LocalNode node, CoValueStorage storage, boolean continueLast) {
        if (storage != null && continueLast) SessionMemory.remember(storage.directory(), node.sessionID());
    }

    /**
     * On a new device (nothing stored): the account, its profile and its root from the servers, bounded by
     * {@code timeout}; {@link UnavailableException} if no server has it.
     */
    public static void fetchAccount(ActiveAccount a, Duration timeout, ScheduledExecutorService timer, ConnectionTracker tracker) {
        RawCoID id = a.node.accountID();
        if (a.sync == null) {
            throw new UnavailableException(id, "account " + id.value() + " is not in local storage and no sync server is configured");
        }
        Optional<CoValueCore> got = Futures.join(Futures.within(a.sync.load(id, true), timeout, timer,
                () -> "the sync servers to send account " + id.value() + " (" + tracker.describe() + ")"));
        if (!got.isPresent()) throw new UnavailableException(id, "no sync server has account " + id.value());
        for (String key : new String[] {"profile", "root"}) { // what Account.profile() and root() return
            RawCoID ref = refID(a.node, key);
            if (ref == null) continue;
            Futures.join(Futures.within(a.sync.load(ref, true), timeout, timer,
                    () -> "the sync servers to send the " + key + " " + ref.value() + " of account " + id.value()));
        }
    }

    /** The last login check, once the account is here: it must have a profile. */
    public static void checkAccount(LocalNode node) {
        try {
            Accounts.checkLogin(node);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("secret")) throw new InvalidCredentialsException(e.getMessage());
            throw new CojsonClientException("cannot log in: " + e.getMessage(), e);
        }
    }

    static RawCoID refID(LocalNode n, String key) {
        try {
            JsonValue p = n.locked(() -> ((CoMapContent) n.view(n.accountID())).toJson().get(key));
            return p instanceof JsonValue.Str s && RawCoID.isValid(s.value()) ? new RawCoID(s.value()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Attaches persistence and loads what is stored (each piece verified on import). */
    public static NodePersistence persist(LocalNode node, CoValueStorage storage, boolean loadStored) {
        if (storage == null) return null;
        NodePersistence p = NodePersistence.attach(node, storage);
        if (loadStored) p.loadAll();
        return p;
    }
}
