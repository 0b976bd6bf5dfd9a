package io.cojson.sync;

import io.cojson.core.internal.Compat;
import java.util.Locale;

/**
 * The prevention switches of recovery.md §13 as reliability.md §2.1 names them: system
 * properties, else environment variables with the dots replaced by underscores and upper-cased
 * ({@code cojson.persistBeforeSend} → {@code COJSON_PERSISTBEFORESEND}). Read at each call, so a
 * test can set a property before it builds the component that reads it. Values are
 * {@code true} or {@code false} (any case); anything else is refused with a clear error.
 */
public final class RecoverySwitches {
    public static final String SESSION_REUSE_GUARD = "cojson.sessionReuseGuard";
    public static final String PERSIST_BEFORE_SEND = "cojson.persistBeforeSend";
    public static final String VERIFY_BEFORE_PUSH = "cojson.verifyBeforePush";

    private RecoverySwitches() {}

    /**
     * Default true. {@code false} keeps appending to an at-risk session after an unclean shutdown,
     * so that crash tests can produce forks. Consulted by the recovery package's {@code SessionGuard}.
     */
    public static boolean sessionReuseGuard() {
        return read(SESSION_REUSE_GUARD, true);
    }

    /** Default false. {@code true}: local content is sent only once its store committed ({@link SyncOptions#persistBeforeSend}). */
    public static boolean persistBeforeSend() {
        return read(PERSIST_BEFORE_SEND, false);
    }

    /**
     * Default true. {@code false} disables the startup check T4 so that a forked client pushes its
     * fork and the server-side detection is exercised. (Read here; T4 is not built yet.)
     */
    public static boolean verifyBeforePush() {
        return read(VERIFY_BEFORE_PUSH, true);
    }

    static boolean read(String property, boolean defaultValue) {
        String v = System.getProperty(property);
        String source = property;
        if (v == null) {
            source = property.replace('.', '_').toUpperCase(Locale.ROOT);
            v = System.getenv(source);
        }
        if (v == null || Compat.isBlank(v)) return defaultValue;
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        throw new IllegalArgumentException(source + " must be true or false, not \"" + v + "\"");
    }
}
