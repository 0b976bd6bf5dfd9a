package io.cojson.samples.cli;

import io.cojson.server.CojsonServer;
import io.cojson.client.ClientTimeoutException;
import io.cojson.client.CojsonClient;
import io.cojson.client.LoadMode;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.values.Subscription;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import io.cojson.core.values.Role;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: a Java sync server on embedded MapDB storage (temp dir, free port) and two account
 * clients ({@link CojsonClient}s, in memory) connected to it through WebSockets sharing a todo list. Alice creates a group with Bob as
 * writer and a list of todo items; Bob sees them through a subscription, completes one and adds
 * one; Alice sees his edits. One JSON line per step; exit 0 once both lists are identical.
 */
@Command(name = "todo", mixinStandardHelpOptions = true,
        description = "Start a sync server on MapDB and two clients sharing a todo list over WebSockets.")
public final class TodoCommand implements Callable<Integer> {
    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Bound for every wait (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--db", description = "Server storage directory (default: a new temp dir, deleted at the end).")
    Path db;

    @Override
    public Integer call() {
        if (timeoutMs < 1) {
            System.err.println("todo: --timeout-ms must be positive");
            return 2;
        }
        return run(System.out, db, Duration.ofMillis(timeoutMs));
    }

    private static void print(PrintStream out, String event, Object... kv) {
        Object[] all = new Object[kv.length + 2];
        all[0] = "event";
        all[1] = JsonValue.of(event);
        for (int i = 0; i < kv.length; i++) all[i + 2] = kv[i] instanceof String && i % 2 == 1 ? JsonValue.of((String) kv[i]) : kv[i];
        synchronized (out) {
            out.println(JsonWriter.stringify(JsonValue.obj(all)));
            out.flush();
        }
    }

    private static JsonValue item(String title, boolean done) {
        return JsonValue.obj("title", JsonValue.of(title), "done", JsonValue.of(done));
    }

    /** Runs the whole scenario; returns the exit code (0 converged, 1 failure or timeout). */
    public static int run(PrintStream out, Path dbOrNull, Duration timeout) {
        Path db = dbOrNull;
        boolean tempDb = db == null;
        List<AutoCloseable> toClose = new ArrayList<>();
        Path clients = null;
        try {
            if (tempDb) db = Files.createTempDirectory("cojson-todo-");
            CojsonServer server = CojsonServer.builder().dataDirectory(db).start();
            toClose.add(server);
            print(out, "server", "url", server.url(), "storage", "mapdb", "dir", db.toAbsolutePath().toString());

            // each account is one client object on its own MapDB directory, connected to the server, owning its threads
            clients = Files.createTempDirectory("cojson-todo-clients-");
            CojsonClient aliceClient = client(server.url(), clients.resolve("alice"), timeout, toClose);
            CojsonClient bobClient = client(server.url(), clients.resolve("bob"), timeout, toClose);
            aliceClient.createAccount("Alice");
            bobClient.createAccount("Bob");
            CojsonNode alice = aliceClient.node();
            CojsonNode bob = bobClient.node();
            await(aliceClient.whenConnected(), timeout, "Alice connecting");
            await(bobClient.whenConnected(), timeout, "Bob connecting");
            print(out, "connected", "alice", alice.accountID().value(), "bob", bob.accountID().value());

            await(bobClient.waitForSync(bob.accountID()), timeout, "Bob's account reaching the server");
            await(aliceClient.load(bob.accountID(), LoadMode.LOCAL_FIRST), timeout, "Alice loading Bob's account");
            Group team = alice.createGroup();
            team.addMember(bob.accountID(), Role.WRITER);
            CoList todos = team.createList();
            todos.append(item("buy milk", false)).append(item("write report", false)).append(item("call mum", false));
            print(out, "aliceCreated", "group", team.id().value(), "list", todos.id().value(), "items", todos.toJson());
            await(aliceClient.waitForSync(todos.id()), timeout, "Alice's list reaching the server");
            print(out, "aliceSynced", "list", todos.id().value());

            Subscription aliceSub = todos.subscribe(l -> print(out, "aliceSees", "items", l.toJson()));
            toClose.add(aliceSub::close);

            CoList bobs = await(bobClient.load(todos.id(), LoadMode.LOCAL_FIRST, CoList.class), timeout, "Bob loading the list");
            Subscription bobSub = bobs.subscribe(l -> print(out, "bobSees", "items", l.toJson()));
            toClose.add(bobSub::close);
            print(out, "bobLoaded", "items", bobs.toJson(), "role", bob.group(team.id()).myRole() == null ? "none"
                    : bob.group(team.id()).myRole().wireName());
            if (bobs.size() != 3) {
                print(out, "error", "message", "Bob sees " + bobs.size() + " items, expected 3");
                return 1;
            }

            bobs.replace(0, item("buy milk", true));
            bobs.append(item("water plants", false));
            print(out, "bobEdited", "completed", "buy milk", "added", "water plants");

            JsonValue.Arr expected = JsonValue.arr(item("buy milk", true), item("write report", false),
                    item("call mum", false), item("water plants", false));
            waitUntil(() -> todos.toJson().equals(expected), timeout, "Alice seeing Bob's edits");
            print(out, "aliceSeesBob", "items", todos.toJson());

            todos.delete(2);
            print(out, "aliceEdited", "deleted", "call mum");
            JsonValue.Arr finalItems = JsonValue.arr(item("buy milk", true), item("write report", false), item("water plants", false));
            waitUntil(() -> bobs.toJson().equals(finalItems) && todos.toJson().equals(finalItems), timeout, "both converging");
            await(aliceClient.waitForSync(todos.id()), timeout, "Alice's edits reaching the server");
            await(bobClient.waitForSync(todos.id()), timeout, "Bob's edits reaching the server");
            server.flush(timeout);
            print(out, "converged", "items", todos.toJson(), "alice", todos.toJson(), "bob", bobs.toJson(),
                    "persisted", JsonValue.TRUE);
            return 0;
        } catch (TimeoutException e) {
            print(out, "timeout", "message", e.getMessage());
            return 1;
        } catch (Exception e) {
            print(out, "error", "message", String.valueOf(e));
            return 1;
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    System.err.println("todo: close: " + e);
                }
            }
            if (tempDb && db != null) deleteTree(db);
            if (clients != null) deleteTree(clients);
        }
    }

    private static CojsonClient client(String url, Path dir, Duration timeout, List<AutoCloseable> toClose) {
        CojsonClient c = CojsonClient.builder().dataDirectory(dir).syncServer(url).timeout(timeout).build();
        toClose.add(c);
        return c;
    }

    /** {@code f}'s value; its failure (a client timeout says what it waited for) as a {@link TimeoutException} or the cause. */
    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws Exception {
        try {
            return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("timed out after " + timeout.toMillis() + " ms: " + what);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ClientTimeoutException t) throw new TimeoutException(what + ": " + t.getMessage());
            throw new Exception(what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new TimeoutException("timed out after " + timeout.toMillis() + " ms: " + what);
            Thread.sleep(10);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("todo: could not delete " + root + ": " + e);
        }
    }

}
