package io.cojson.core.node;

import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.List;

/** Creating accounts and logging in, as the reference does (covalues.md §11). */
public final class Accounts {
    private Accounts() {}

    /** The account header of an agent: the account ID is a pure function of the agent. */
    public static CoValueHeader accountHeader(AgentID agent) {
        return CoValueHeader.create("comap", new Ruleset.Group(agent.value()),
                JsonValue.obj("type", JsonValue.of("account")), null, JsonValue.NULL);
    }

    /** Creates a new account with a random agent and a public profile {@code {name}}. */
    public static LocalNode create(Crypto crypto, String name) {
        return create(crypto, crypto.newRandomAgentSecret(), name);
    }

    /** Creates the account of {@code agentSecret}: bootstrap admin, read key, profile (§11.1). */
    public static LocalNode create(Crypto crypto, AgentSecret agentSecret, String name) {
        return create(crypto, agentSecret, name, System::currentTimeMillis);
    }

    /** As {@link #create(Crypto, AgentSecret, String)} with a given clock (simulations and tests). */
    public static LocalNode create(Crypto crypto, AgentSecret agentSecret, String name, java.util.function.LongSupplier clock) {
        AgentID agent = crypto.getAgentID(agentSecret);
        CoValueHeader header = accountHeader(agent);
        RawCoID accountID = header.id(crypto);
        LocalNode node = new LocalNode(crypto, agentSecret, accountID, null, clock);
        node.inLock(() -> {
            CoValueCore account = node.createCoValue(header);
            GroupOperations.set(node, accountID, agent.value(), JsonValue.of(Roles.ADMIN));
            Crypto.NewKey key = crypto.newRandomKeySecret();
            TransactionID tx = new TransactionID(node.writeSessionFor(account), node.nextTxIndex(account));
            JsonValue sealed = JsonValue.of(crypto.seal(JsonValue.of(key.secret().value()), agentSecret.sealer(),
                    agent.sealer(), tx.nonceMaterial(accountID)).value());
            GroupOperations.set(node, accountID, key.id().value() + GroupKeys.FOR + agent.value(), sealed);
            GroupOperations.set(node, accountID, GroupKeys.READ_KEY, JsonValue.of(key.id().value()));

            RawCoID profileGroup = GroupOperations.createGroup(node, null);
            GroupOperations.addMember(node, profileGroup, Roles.EVERYONE, Roles.READER);
            RawCoID profile = createOwned(node, "comap", profileGroup, JsonValue.NULL);
            node.write(profile, List.of(GroupOperations.setChange("name", JsonValue.of(name))), null, true);
            GroupOperations.set(node, accountID, "profile", JsonValue.of(profile.value()));
        });
        return node;
    }

    /** Creates a value owned by a group or account: header only (createdNowUnique, no transaction). */
    public static RawCoID createOwned(LocalNode node, String type, RawCoID owner, JsonValue meta) {
        CoValueHeader header = CoValueHeader.create(type, new Ruleset.OwnedByGroup(owner, false), meta,
                CoValueHeader.isoTimestamp(node.now()), JsonValue.of(node.crypto().newUniqueness()));
        return node.createCoValue(header).id();
    }

    /**
     * Checks a login once the account's content is imported: the account header must name this
     * agent and the account must have a profile (§11.2).
     */
    public static void checkLogin(LocalNode node) {
        RawCoID id = node.accountID();
        if (id == null) throw new IllegalStateException("node has no account");
        // Under the node's lock: validating the account sorts its transaction list, which a sync
        // thread may be reading at the same time (a node is often connected before login is checked).
        String profile = node.locked(() -> {
            CoValueCore account = node.get(id);
            if (account == null) throw new IllegalStateException("account " + id + " is not loaded");
            if (!(account.header().ruleset() instanceof Ruleset.Group g) || !g.initialAdmin().equals(node.agentID().value())) {
                throw new IllegalStateException("Account secret does not match expected agent ID in account");
            }
            return GroupView.of(account, node).getString("profile", null);
        });
        if (profile == null) throw new IllegalStateException("account " + id + " has no profile");
    }
}
