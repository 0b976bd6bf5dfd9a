package io.cojson.core.values;

import io.cojson.core.groups.GroupView;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.Accounts;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.VerificationFailure;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The entry point: a peer acting as one account, holding its CoValues in memory. Create groups and
 * values through it, get typed handles for loaded values, and move content between peers with
 * {@link #exportContent} / {@link #importContent}. Safe to use from any thread.
 *
 * <pre>{@code
 * CojsonNode alice = CojsonNode.createAccount("Alice");
 * CoMap doc = alice.createGroup().createMap();
 * doc.set("title", "Hello");
 * }</pre>
 */
public final class CojsonNode {
    static {
        TypedNodes.install(new TypedNodes.Access() {
            @Override
            public CojsonNode wrap(LocalNode node) {
                return new CojsonNode(node);
            }

            @Override
            public LocalNode unwrap(CojsonNode node) {
                return node.node;
            }
        });
    }

    private final LocalNode node;

    private CojsonNode(LocalNode node) {
        this.node = node;
    }

    /** A new account with a random agent and a public profile {@code {name}}. */
    public static CojsonNode createAccount(String name) {
        return createAccount(Crypto.create(), name);
    }

    public static CojsonNode createAccount(Crypto crypto, String name) {
        return new CojsonNode(Accounts.create(crypto, name));
    }

    LocalNode localNode() {
        return node;
    }

    /** This node's account ID (null for an agent-only node). */
    public RawCoID accountID() {
        return node.accountID();
    }

    /** This node's own account. */
    public Account account() {
        if (node.accountID() == null) throw new IllegalStateException("this node has no account");
        return account(node.accountID());
    }

    /** A new group with this account as its admin. */
    public Group createGroup() {
        return new Group(this, GroupOperations.createGroup(node, null));
    }

    /** Joins a group (already loaded here) with an invite secret; returns the group. */
    public Group acceptInvite(RawCoID groupID, InviteSecret secret) {
        GroupOperations.acceptInvite(node, groupID, secret);
        return group(groupID);
    }

    /** Whether the CoValue is loaded on this node. */
    public boolean has(RawCoID id) {
        return node.get(id) != null;
    }

    /** A handle of the type the value's header declares ({@link CoMap}, {@link Group}, …). */
    public CoValue load(RawCoID id) {
        CoValueKind kind = kindOf(id);
        switch (kind) {
            case COMAP:
                return map(id);
            case COLIST:
                return list(id);
            case COSTREAM:
                return stream(id);
            case BINARY_COSTREAM:
                return binaryStream(id);
            case COPLAINTEXT:
                return plainText(id);
            case GROUP:
                return group(id);
            case ACCOUNT:
                return account(id);
            default:
                throw new WrongTypeException(id, kind, CoValueKind.COMAP);
        }
    }

    public CoMap map(RawCoID id) {
        return new CoMap(this, id, privacy(id, CoValueKind.COMAP));
    }

    public CoList list(RawCoID id) {
        return new CoList(this, id, privacy(id, CoValueKind.COLIST));
    }

    public CoStream stream(RawCoID id) {
        return new CoStream(this, id, privacy(id, CoValueKind.COSTREAM));
    }

    public BinaryCoStream binaryStream(RawCoID id) {
        return new BinaryCoStream(this, id, privacy(id, CoValueKind.BINARY_COSTREAM));
    }

    public CoPlainText plainText(RawCoID id) {
        return new CoPlainText(this, id, privacy(id, CoValueKind.COPLAINTEXT));
    }

    public Group group(RawCoID id) {
        expect(id, CoValueKind.GROUP);
        return new Group(this, id);
    }

    public Account account(RawCoID id) {
        expect(id, CoValueKind.ACCOUNT);
        return new Account(this, id);
    }

    /**
     * Everything this node has of {@code id} and of what verifying and reading it needs, in import
     * order: the accounts that wrote it, its owning group and that group's parents (recursively),
     * and accounts' profiles; then the value itself.
     */
    public ContentBundle exportContent(RawCoID id) {
        return new ContentBundle(node.locked(() -> {
            LinkedHashSet<RawCoID> order = new LinkedHashSet<>();
            collect(id, new LinkedHashSet<>(), order);
            List<ContentPiece> out = new ArrayList<>();
            for (RawCoID v : order) out.addAll(node.exportContent(v));
            return out;
        }));
    }

    /**
     * Imports pieces (dependencies first, as {@link #exportContent} orders them). Pieces that verify
     * are kept; if any session piece is refused, a {@link ContentRejectedException} lists them after
     * the rest was imported. Importing what is already known changes nothing.
     */
    public void importContent(ContentBundle bundle) {
        throwIfRejected(node.importContent(bundle.pieces())); // in order; signatures checked ahead on a second core
    }

    /**
     * As {@link #importContent(ContentBundle)} for a JSON array text of content messages (e.g. an exported
     * state, or a {@link ContentBundle#toJson()}): the signatures of the first pieces are checked on a second core while the rest of
     * the text is still being read. Malformed text throws what parsing it throws (e.g.
     * {@link io.cojson.core.json.InvalidJsonException}), and then nothing is imported.
     */
    public void importContentText(String jsonArray) {
        throwIfRejected(node.importContentText(jsonArray));
    }

    private static void throwIfRejected(List<AddResult> results) {
        List<VerificationFailure> failures = new ArrayList<>();
        for (AddResult r : results) {
            if (r instanceof AddResult.Rejected rejected) failures.add(rejected.failure());
        }
        if (!failures.isEmpty()) throw new ContentRejectedException(failures);
    }

    @Override
    public String toString() {
        return "CojsonNode(" + node.me() + ")";
    }

    private void collect(RawCoID id, LinkedHashSet<RawCoID> visiting, LinkedHashSet<RawCoID> out) {
        CoValueCore core = node.get(id);
        if (core == null || out.contains(id) || !visiting.add(id)) return;
        for (RawCoID dep : core.dependencies()) collect(dep, visiting, out);
        for (SessionID s : core.sessions().keySet()) {
            if (s.isAccountAuthor()) collect(s.accountID(), visiting, out);
        }
        out.add(id);
        if (CoValueKind.of(core.header()) == CoValueKind.ACCOUNT) {
            String profile = GroupView.of(core, node).getString("profile", null);
            if (profile != null && RawCoID.isValid(profile)) collect(new RawCoID(profile), visiting, out);
        }
    }

    private CoValueKind kindOf(RawCoID id) {
        return CoValueKind.of(node.require(id).header());
    }

    private void expect(RawCoID id, CoValueKind kind) {
        CoValueKind actual = kindOf(id);
        if (actual != kind) throw new WrongTypeException(id, actual, kind);
    }

    private boolean privacy(RawCoID id, CoValueKind kind) {
        expect(id, kind);
        return CoValue.defaultPrivacy(node.require(id).header());
    }
}
