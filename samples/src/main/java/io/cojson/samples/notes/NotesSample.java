package io.cojson.samples.notes;

import io.cojson.client.CojsonClient;
import io.cojson.client.Conflict;
import io.cojson.client.CreatedAccount;
import io.cojson.client.LoadMode;
import io.cojson.core.values.Account;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A notes app on the client object, small enough to copy: one account per data directory (its
 * credentials saved beside the data), the notes in the account's root map, edits offline-first,
 * sharing with a second account as writer, live updates, and the conflicts crash recovery kept.
 * Run: {@code NotesSample <dir> <ws://server> [note text]}.
 */
public final class NotesSample implements AutoCloseable {
    private final CojsonClient client;
    private final CoMap notes;

    private NotesSample(CojsonClient client, CoMap notes) {
        this.client = client;
        this.notes = notes;
    }

    /** Logs in with the credentials saved in {@code dir}, or creates the account {@code name} and saves them there. */
    public static NotesSample open(Path dir, String server, String name) throws Exception {
        CojsonClient client = CojsonClient.builder().dataDirectory(dir.resolve("data")).syncServer(server).build();
        Path saved = dir.resolve("credentials.txt");
        Account me;
        if (Files.exists(saved)) {
            me = client.login(Files.readString(saved)); // offline from local storage
        } else {
            CreatedAccount created = client.createAccount(name);
            Files.writeString(saved, created.credentials().serialize()); // keep it secret in a real app
            me = created.account();
        }
        CoMap notes = me.root();
        if (notes == null) me.setRoot(notes = client.node().createGroup().createMap());
        return new NotesSample(client, notes);
    }

    /** Opens the notes another account shared with this one ({@link #shareWith}). */
    public CoMap shared(String notesId) throws Exception {
        return client.load(notesId, LoadMode.FRESH, CoMap.class).get();
    }

    /** Lets {@code accountId} edit these notes (its account is loaded from the server if needed). */
    public void shareWith(String accountId) throws Exception {
        Account writer = client.load(accountId, LoadMode.LOCAL_FIRST, Account.class).get();
        client.node().group(notes.ownerId()).addMember(writer.id(), Role.WRITER);
    }

    public CoMap notes() {
        return notes;
    }

    public String accountId() {
        return client.account().id().value();
    }

    /** Tells {@code listener} every change of these notes, also those other accounts make. */
    public AutoCloseable onChange(Consumer<CoMap> listener) {
        return client.subscribe(notes, listener);
    }

    /** Waits until the server has every change. */
    public void sync() throws Exception {
        client.waitForSync().get();
    }

    public List<Conflict> conflicts() {
        return client.conflicts();
    }

    @Override
    public void close() {
        client.close(); // uploads for up to 5 s, commits to disk, stops every thread
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (NotesSample app = open(Path.of(args[0]), args[1], "Note taker")) {
            if (args.length > 2) app.notes().set("note-" + app.notes().keys().size(), args[2]);
            app.sync();
            System.out.printf("synced after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, app.notes().toJson());
            app.conflicts().forEach(c -> System.out.println("conflict: " + c));
        }
        System.out.println("closed");
    }
}
