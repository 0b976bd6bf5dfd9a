package io.cojson.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * JDK 9–12 conveniences that Android API level 26 does not have (and D8 does not backport),
 * written out so that core, storage and sync run there. The build's Android API check
 * (animal-sniffer) rejects the JDK originals in those modules. Not API.
 */
public final class Compat {
    private Compat() {}

    /** {@code CompletableFuture.failedFuture} (JDK 9). */
    public static <T> CompletableFuture<T> failedFuture(Throwable cause) {
        CompletableFuture<T> f = new CompletableFuture<>();
        f.completeExceptionally(cause);
        return f;
    }

    /** {@code future.exceptionallyCompose(fn)} (JDK 12): on failure, the stage {@code fn} returns. */
    public static <T> CompletableFuture<T> exceptionallyCompose(CompletableFuture<T> future,
            Function<Throwable, ? extends CompletionStage<T>> fn) {
        return future.handle((v, e) -> e == null ? CompletableFuture.completedFuture(v) : fn.apply(e))
                .thenCompose(Function.identity());
    }

    /** {@code s.isBlank()} (JDK 11): empty or only white space ({@link Character#isWhitespace(int)}). */
    public static boolean isBlank(String s) {
        return firstNonWhitespace(s) == s.length();
    }

    /** {@code s.strip()} (JDK 11): without leading and trailing white space. */
    public static String strip(String s) {
        int start = firstNonWhitespace(s);
        int end = s.length();
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!Character.isWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    private static int firstNonWhitespace(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!Character.isWhitespace(cp)) break;
            i += Character.charCount(cp);
        }
        return i;
    }
}
