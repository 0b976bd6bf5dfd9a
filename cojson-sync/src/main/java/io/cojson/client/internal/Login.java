package io.cojson.client.internal;

import io.cojson.client.CojsonClientException;
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
import io.cojson.storage.CoValueStorage;
import io.cojson.storage.NodePersistence;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** The steps of creating an account and of logging in (covalues.md §11), for {@code CojsonClient}. */
public final class Login {
    private Login() {}

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
     * The node of {@code c} with its session chosen: with storage, the one this directory's last
     * run wrote with, unless a previous process may have forked it (recovery.md §13); else a new one.
     */
    public static LocalNode node(Crypto crypto, Credentials c, CoValueStorage storage) {
        SessionID session;
        if (storage != null) {
            SessionID last = SessionMemory.last(storage.directory(), c.accountID());
            session = SessionGuard.choose(storage, SessionRegistry.of(storage), crypto, c.accountID(), last).session();
            SessionMemory.remember(storage.directory(), session);
        } else {
            session = crypto.newRandomSessionID(c.accountID().value());
        }
        return LocalNode.forAccount(crypto, c.accountID(), c.agentSecret(), session);
    }

    /** With storage: the new account's session is the one its next start continues. */
    public static void created(LocalNode node, CoValueStorage storage) {
        if (storage != null) SessionMemory.remember(storage.directory(), node.sessionID());
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
