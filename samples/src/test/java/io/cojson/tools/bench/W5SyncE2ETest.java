package io.cojson.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import java.io.File;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** W5 at a small size: B's view through the Java server (here) and the reference server (interop). */
class W5SyncE2ETest {
    private static final int N = 200;

    private static void assertResult(BenchResult r, String server) {
        assertEquals(WorkloadChecksTest.mapCheck(N), r.checkValues());
        assertEquals(N, r.n());
        JsonValue.Obj detail = (JsonValue.Obj) r.toJson().get("detail");
        assertEquals(server, ((JsonValue.Str) detail.get("server")).value());
        assertTrue(((JsonValue.Num) detail.get("b_notifications")).longValue() >= 1);
        assertTrue(detail.has("write_s"));
        assertTrue(detail.has("propagate_after_last_write_s"));
    }

    @Test
    void javaServer() {
        assertResult(W5SyncE2E.run(N, W5SyncE2E.Server.JAVA, W5SyncE2E.defaultInteropDir()), "java");
    }

    @Test
    void specValueSum() {
        assertEquals(494_950L, WorkloadChecksTest.mapCheck(5_000).get("value_sum"));
    }

    @Tag("interop")
    @Test
    void referenceServer() {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop"));
        assertResult(W5SyncE2E.run(N, W5SyncE2E.Server.REF, dir), "ref");
    }
}
