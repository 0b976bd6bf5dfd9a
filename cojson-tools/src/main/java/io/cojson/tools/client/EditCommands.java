package io.cojson.tools.client;

import io.cojson.core.groups.GroupView;
import static io.cojson.tools.client.Args.coId;
import static io.cojson.tools.client.Args.integer;
import static io.cojson.tools.client.Args.optInt;
import static io.cojson.tools.client.Args.privacy;
import static io.cojson.tools.client.Args.str;
import static io.cojson.tools.client.Args.value;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.CoValueDeletedException;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CoPlainText;
import io.cojson.core.values.CoStream;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writing commands of the client: groups and their members, creating CoMaps, CoLists,
 * CoPlainTexts and CoStreams, editing and deleting them. Every write honours {@code privacy}
 * (private by default) and {@code "sync":true}.
 *
 * <p>A write to a deleted value is answered as ref-client.mjs answers it: the reference's
 * {@code makeTransaction} drops it (logging "Cannot make transaction on a deleted coValue") and the
 * command still answers ok, with the unchanged length or text. This client does the same, so the two
 * stay interchangeable, and prints the core's {@link CoValueDeletedException} on stderr.
 */
final class EditCommands {
    private static final List<String> MEMBER_ROLES = List.of("reader", "writer", "manager", "admin", "writeOnly");

    private final ClientSession session;

    EditCommands(ClientSession session) {
        this.session = session;
    }

    private LocalNode node() {
        return session.node();
    }

    private CojsonNode typed() {
        return session.typed();
    }

    // ---- groups ----

    void createGroup(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        session.requireNode();
        String name = str(req, "name", true);
        RawCoID id = GroupOperations.createGroup(node(), name == null ? null : (JsonValue.Obj) JsonValue.obj("name", JsonValue.of(name)));
        r.put("id", JsonValue.of(id.value()));
        session.maybeSync(req, id, r);
    }

    void addMember(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        String role = str(req, "role", false);
        if (!MEMBER_ROLES.contains(role)) throw new CommandError("\"role\" must be one of " + String.join(", ", MEMBER_ROLES));
        RawCoID group = session.loadGroup(coId(req, "group", false), session.timeout(req));
        String member = session.resolveMember(req);
        session.refuseAccount(group, "Cannot add a member to an account");
        GroupOperations.addMember(node(), group, member, role);
        session.maybeSync(req, group, r);
    }

    void removeMember(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID group = session.loadGroup(coId(req, "group", false), session.timeout(req));
        String member = session.resolveMember(req);
        if (member.startsWith("sealer_")) throw new CommandError("removeMember takes an account ID or everyone");
        session.refuseAccount(group, "Cannot remove a member from an account");
        GroupOperations.removeMember(node(), group, member);
        session.maybeSync(req, group, r);
    }

    void roleOf(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID group = session.loadGroup(coId(req, "group", false), session.timeout(req));
        String member = str(req, "member", false);
        LocalNode n = node();
        String role = n.locked(() -> GroupView.of(n.require(group), n).roleOf(member, null, n)); // groups and accounts
        r.put("role", role == null ? JsonValue.NULL : JsonValue.of(role));
    }

    void extendGroup(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        long t = session.timeout(req);
        RawCoID child = session.loadGroup(coId(req, "group", false), t);
        RawCoID parent = session.loadGroup(coId(req, "parent", false), t);
        String role = str(req, "role", true);
        session.refuseAccount(child, "Cannot extend an account");
        // core applies the reference's checks: a cycle is silently skipped, only a child admin extends
        GroupOperations.extend(node(), child, parent, role == null || role.equals("inherit") ? "extend" : role);
        session.maybeSync(req, child, r);
    }

    void createInvite(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID group = session.loadGroup(coId(req, "group", false), session.timeout(req));
        String role = str(req, "role", false);
        session.refuseAccount(group, "Cannot create invite from an account");
        InviteSecret secret = GroupOperations.createInvite(node(), group, role);
        r.put("inviteSecret", JsonValue.of(secret.value()));
        session.maybeSync(req, group, r);
    }

    void acceptInvite(JsonValue.Obj req) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        CoValue v = typed().load(id);
        RawCoID group = v.kind() == CoValueKind.GROUP ? id : v.ownerId();
        InviteSecret secret = new InviteSecret(str(req, "inviteSecret", false));
        awaitInvite(group, secret);
        GroupOperations.acceptInvite(node(), group, secret);
    }

    /**
     * Waits up to 2 s for the invite to appear in the group, as the reference's
     * {@code LocalNode.acceptInvite} does: an invite created just before may still be on its way.
     */
    private void awaitInvite(RawCoID group, InviteSecret secret) throws Exception {
        LocalNode n = node();
        String inviteAgent = n.crypto().getAgentID(n.crypto().agentSecretFromInviteSecret(secret)).value();
        java.util.function.BooleanSupplier present = () -> n.locked(() -> GroupView.of(n.require(group), n).get(inviteAgent, null) != null);
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        try (var sub = n.subscribe(group, changed -> {
            if (present.getAsBoolean()) seen.countDown();
        })) {
            if (!present.getAsBoolean() && !seen.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new CommandError("Couldn't find invite before timeout");
            }
        }
    }

    // ---- creating values ----

    /** {@code createMap}, {@code createList}, {@code createText}, {@code createStream} ({@code type} is the header type). */
    void create(JsonValue.Obj req, Map<String, JsonValue> r, String type) throws Exception {
        session.requireNode();
        String ownerId = coId(req, "owner", true);
        boolean createdGroup = ownerId == null;
        RawCoID owner = createdGroup ? GroupOperations.createGroup(node(), null) : session.loadGroup(ownerId, session.timeout(req));
        JsonValue init = req.get("init");
        if (init instanceof JsonValue.Null) init = null;
        boolean priv = privacy(req);
        if (init != null) {
            if (type.equals("comap") && !(init instanceof JsonValue.Obj)) throw new CommandError("\"init\" must be a JSON object");
            if ((type.equals("colist") || type.equals("costream")) && !(init instanceof JsonValue.Arr)) throw new CommandError("\"init\" must be a JSON array");
            if (type.equals("coplaintext") && !(init instanceof JsonValue.Str)) throw new CommandError("\"init\" must be a string");
        }
        JsonValue meta = req.get("meta");
        String myRole = node().locked(() -> node().myRoleIn(node().require(owner), null));
        if (myRole == null || myRole.equals(Roles.READER) || myRole.equals(Roles.REVOKED)) { // group.js assertCanWrite
            throw new CommandError("Cannot create content: current user does not have write permissions");
        }
        RawCoID id = Accounts.createOwned(node(), type, owner, meta == null ? JsonValue.NULL : meta);
        if (init != null) initialize(id, type, init, priv);
        r.put("id", JsonValue.of(id.value()));
        r.put("owner", JsonValue.of(owner.value()));
        if (createdGroup) r.put("createdGroup", JsonValue.TRUE);
        session.maybeSync(req, id, r);
    }

    /**
     * Writes {@code init} as the reference's {@code group.create*(init)} does: a map's init is one
     * transaction even when empty ({@code map.assign({})} writes no changes), a list's or stream's
     * non-empty init one transaction, a text's non-empty init through {@code insertAfter(0, init)}.
     */
    private void initialize(RawCoID id, String type, JsonValue init, boolean priv) {
        switch (type) {
            case "comap": {
                List<JsonValue> changes = new ArrayList<>();
                ((JsonValue.Obj) init).fields().forEach((k, v) -> changes.add(CoMapContent.setChange(k, v)));
                node().write(id, changes, null, priv);
                break;
            }
            case "colist": {
                CoList l = priv ? typed().list(id) : typed().list(id).trusting();
                l.appendAll(((JsonValue.Arr) init).items());
                break;
            }
            case "costream": {
                CoStream s = priv ? typed().stream(id) : typed().stream(id).trusting();
                s.pushAll(((JsonValue.Arr) init).items());
                break;
            }
            default: {
                String text = ((JsonValue.Str) init).value();
                CoPlainText t = priv ? typed().plainText(id) : typed().plainText(id).trusting();
                if (!text.isEmpty()) t.insertAfter(0, text); // as the reference's group.createPlainText(init)
                break;
            }
        }
    }

    /** Runs one write; a write to a deleted value is dropped as the reference drops it (class comment). */
    private static void write(Runnable write) {
        try {
            write.run();
        } catch (CoValueDeletedException e) {
            System.err.println("[client] " + e.getMessage());
        }
    }

    // ---- deleting a whole value ----

    /** ref-client's {@code deleteCoValue}: admins of the owning group only; deleting twice is a no-op. */
    void deleteCoValue(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        node().deleteCoValue(id);
        r.put("deleted", JsonValue.of(typed().load(id).isDeleted()));
        session.maybeSync(req, id, r);
    }

    // ---- CoMaps ----

    void set(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoMap map = mapFor(req);
        String key = str(req, "key", false);
        JsonValue value = value(req, "value");
        write(() -> map.set(key, value));
        session.maybeSync(req, map.id(), r);
    }

    void delete(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoMap map = mapFor(req);
        String key = str(req, "key", false);
        write(() -> map.delete(key));
        session.maybeSync(req, map.id(), r);
    }

    private CoMap mapFor(JsonValue.Obj req) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        session.expectKind(id, "comap", "group", "account");
        CoMap m = typed().map(id);
        return privacy(req) ? m : m.trusting();
    }

    // ---- CoLists ----

    void append(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoList list = listFor(req);
        Integer after = optInt(req, "after");
        JsonValue value = value(req, "value");
        write(() -> {
            if (after == null) list.append(value);
            else list.append(value, after);
        });
        listDone(req, list, r);
    }

    void prepend(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoList list = listFor(req);
        Integer before = optInt(req, "before");
        JsonValue value = value(req, "value");
        write(() -> list.prepend(value, before == null ? 0 : before));
        listDone(req, list, r);
    }

    void insert(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoList list = listFor(req);
        int index = integer(req, "index");
        int length = list.size();
        if (index < 0 || index > length) throw new CommandError("index " + index + " out of range 0.." + length);
        JsonValue value = value(req, "value");
        write(() -> list.prepend(value, index)); // what ref-client.mjs writes: "pre" before the item now at index
        listDone(req, list, r);
    }

    void deleteAt(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoList list = listFor(req);
        int index = existingIndex(req, list);
        write(() -> list.delete(index));
        listDone(req, list, r);
    }

    void replace(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoList list = listFor(req);
        int index = existingIndex(req, list);
        JsonValue value = value(req, "value");
        write(() -> list.replace(index, value));
        listDone(req, list, r);
    }

    /** The index of an existing item, or the reference's error for any other. */
    private static int existingIndex(JsonValue.Obj req, CoList list) throws Exception {
        int index = integer(req, "index");
        if (index < 0 || index >= list.size()) throw new CommandError("Invalid index " + index);
        return index;
    }

    private CoList listFor(JsonValue.Obj req) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        CoList l = (CoList) session.expectKind(id, "colist");
        return privacy(req) ? l : l.trusting();
    }

    private void listDone(JsonValue.Obj req, CoList list, Map<String, JsonValue> r) throws Exception {
        r.put("length", JsonValue.of(list.size()));
        session.maybeSync(req, list.id(), r);
    }

    // ---- plain text ----

    void insertText(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoPlainText text = textFor(req);
        String insert = str(req, "text", false);
        int length = text.length();
        Integer index = optInt(req, "index");
        int at = index == null ? length : index;
        if (at < 0 || at > length) throw new CommandError("index " + at + " out of range 0.." + length);
        if (!insert.isEmpty()) {
            write(() -> {
                if (at < length) text.insertBefore(at, insert);
                else if (length == 0) text.insertBefore(0, insert);
                else text.insertAfter(length - 1, insert);
            });
        }
        r.put("text", JsonValue.of(text.toString()));
        session.maybeSync(req, text.id(), r);
    }

    void deleteText(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        CoPlainText text = textFor(req);
        int from = integer(req, "from");
        int to = integer(req, "to");
        int length = text.length();
        if (from < 0 || to > length || from > to) throw new CommandError("range " + from + ".." + to + " out of 0.." + length);
        if (to > from) write(() -> text.deleteRange(from, to));
        r.put("text", JsonValue.of(text.toString()));
        session.maybeSync(req, text.id(), r);
    }

    private CoPlainText textFor(JsonValue.Obj req) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        CoPlainText t = (CoPlainText) session.expectKind(id, "coplaintext");
        return privacy(req) ? t : t.trusting();
    }

    // ---- CoStreams ----

    void push(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        CoStream s = (CoStream) session.expectKind(id, "costream");
        CoStream target = privacy(req) ? s : s.trusting();
        JsonValue value = value(req, "value");
        write(() -> target.push(value));
        session.maybeSync(req, id, r);
    }
}
