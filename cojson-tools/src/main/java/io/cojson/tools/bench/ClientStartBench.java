package io.cojson.tools.bench;

import io.cojson.client.CojsonClient;
import io.cojson.client.CreatedAccount;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A client's start-to-first-sync time with MapDB storage, each phase in a fresh JVM, against the
 * Java server in a child JVM: {@code create} builds a client on an empty data directory, creates
 * an account and waits until the server has it; {@code login} builds a client on that directory,
 * logs in from storage with the saved credentials and waits for sync. Only the public API.
 * Run: {@code java -cp cojson-samples.jar io.cojson.tools.bench.ClientStartBench [rounds]}.
 */
public final class ClientStartBench {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private ClientStartBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && (args[0].equals("create") || args[0].equals("login"))) {
            phase(args[0], Path.of(args[1]), args[2]);
            return;
        }
        int rounds = args.length >= 1 ? Integer.parseInt(args[0]) : 3;
        if (rounds < 1 || rounds > 50) throw new IllegalArgumentException("rounds must be in [1, 50]");
        try (ServerProcess server = ServerProcess.java()) {
            for (int r = 1; r <= rounds; r++) {
                Path dir = Files.createTempDirectory("cojson-client-start");
                try {
                    for (String phase : List.of("create", "login")) {
                        long spawned = System.nanoTime();
                        JsonValue.Obj line = ChildProcesses.lastJsonLine(ChildProcesses.javaCommand(ClientStartBench.class.getName(),
                                List.of(phase, dir.toString(), server.url)), 120);
                        double processMs = ms(System.nanoTime() - spawned); // JVM start to exit, client close included
                        System.out.println(JsonWriter.stringify(JsonValue.obj("round", JsonValue.of(r), "process_ms", JsonValue.of(processMs),
                                "result", line)));
                    }
                } finally {
                    deleteRecursively(dir);
                }
            }
        }
    }

    /** One phase in this (fresh) JVM: times from before the builder to the server's confirmation. */
    private static void phase(String phase, Path dir, String url) throws Exception {
        long t0 = System.nanoTime();
        Path saved = dir.resolve("credentials.txt");
        try (CojsonClient client = CojsonClient.builder().dataDirectory(dir.resolve("data")).syncServer(url).build()) {
            long built = System.nanoTime();
            if (phase.equals("create")) {
                CreatedAccount c = client.createAccount("bench");
                Files.writeString(saved, c.credentials().serialize());
            } else {
                client.login(Files.readString(saved));
            }
            long loggedIn = System.nanoTime();
            client.waitForSync(SYNC_TIMEOUT).get();
            long synced = System.nanoTime();
            System.out.println(JsonWriter.stringify(JsonValue.obj(
                    "phase", JsonValue.of(phase),
                    "build_ms", JsonValue.of(ms(built - t0)),
                    "account_ms", JsonValue.of(ms(loggedIn - built)),
                    "first_sync_ms", JsonValue.of(ms(synced - loggedIn)),
                    "start_to_first_sync_ms", JsonValue.of(ms(synced - t0)))));
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
