package io.cojson.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The written-out JDK 9–12 methods behave as the JDK's own (which the tests, on a JVM, may use). */
class CompatTest {
    private static final String[] SAMPLES = {"", " ", "\t\n", "a", " a ", "\u2003x\u2003", "\u0001", " \u00a0 ",
        "\u3000", "x\ty", "\ud83d\ude00 ", "  \r\n\u2028"};

    @Test
    void isBlankAndStripAgreeWithTheJdk() {
        for (String s : SAMPLES) {
            assertEquals(s.isBlank(), Compat.isBlank(s), "isBlank of [" + s + "]");
            assertEquals(s.strip(), Compat.strip(s), "strip of [" + s + "]");
        }
    }

    @Test
    void failedFutureIsCompletedExceptionally() {
        IllegalStateException cause = new IllegalStateException("x");
        CompletableFuture<String> f = Compat.failedFuture(cause);
        assertTrue(f.isCompletedExceptionally());
        assertSame(cause, assertThrows(ExecutionException.class, f::get).getCause());
    }

    @Test
    void exceptionallyComposeRecoversOnlyOnFailure() throws Exception {
        assertEquals("ok", Compat.exceptionallyCompose(CompletableFuture.completedFuture("ok"),
                e -> CompletableFuture.completedFuture("recovered")).get(5, TimeUnit.SECONDS));
        assertEquals("recovered", Compat.exceptionallyCompose(Compat.<String>failedFuture(new RuntimeException("boom")),
                e -> CompletableFuture.completedFuture("recovered")).get(5, TimeUnit.SECONDS));
        CompletableFuture<String> stillFailed = Compat.exceptionallyCompose(Compat.failedFuture(new RuntimeException("boom")),
                e -> Compat.failedFuture(new IllegalArgumentException("again")));
        assertTrue(assertThrows(ExecutionException.class, () -> stillFailed.get(5, TimeUnit.SECONDS)).getCause()
                instanceof IllegalArgumentException);
    }
}
