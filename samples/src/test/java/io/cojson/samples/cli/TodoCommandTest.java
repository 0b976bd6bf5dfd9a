package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command (`todo`), run in-process: server on MapDB, two WebSocket clients, convergence. */
class TodoCommandTest {
    @Test
    void theMainJobConverges() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TodoCommand.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), null, Duration.ofSeconds(60));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        List<String> lines = out.lines().toList();
        for (String l : lines) Json.parse(l); // every line is JSON
        JsonValue.Obj last = (JsonValue.Obj) Json.parse(lines.get(lines.size() - 1));
        assertEquals(JsonValue.of("converged"), last.get("event"), out);
        assertEquals(last.get("alice"), last.get("bob"));
        assertEquals(Json.parse("[{\"title\":\"buy milk\",\"done\":true},{\"title\":\"write report\",\"done\":false},"
                + "{\"title\":\"water plants\",\"done\":false}]"), last.get("items"));
        assertTrue(out.contains("\"event\":\"bobLoaded\""), out);
        assertTrue(out.contains("\"event\":\"aliceSeesBob\""), out);
    }
}
