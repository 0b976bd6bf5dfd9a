package io.cojson.tools.client;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading the arguments of a client command, with the ref-client's error messages. */
final class Args {
    private Args() {}

    static String str(JsonValue.Obj req, String name, boolean optional) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) {
            if (optional) return null;
            throw new CommandError("missing \"" + name + "\"");
        }
        if (!(v instanceof JsonValue.Str)) throw new CommandError("\"" + name + "\" must be a string");
        return ((JsonValue.Str) v).value();
    }

    static Integer optInt(JsonValue.Obj req, String name) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) return null;
        return integer(req, name);
    }

    static int integer(JsonValue.Obj req, String name) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) throw new CommandError("missing \"" + name + "\"");
        if (!(v instanceof JsonValue.Num)) throw new CommandError("\"" + name + "\" must be an integer");
        double d = ((JsonValue.Num) v).value();
        if (d != Math.rint(d) || Double.isInfinite(d)) throw new CommandError("\"" + name + "\" must be an integer");
        return (int) d;
    }

    static String coId(JsonValue.Obj req, String name, boolean optional) {
        String v = str(req, name, optional);
        if (v != null && !v.startsWith("co_z")) {
            throw new CommandError("\"" + name + "\" must be a CoValue ID (co_z...), got " + JsonWriter.stringify(JsonValue.of(v)));
        }
        return v;
    }

    static JsonValue value(JsonValue.Obj req, String name) {
        if (!req.has(name)) throw new CommandError("missing \"" + name + "\"");
        return req.get(name);
    }

    /** True for private (the default), false for trusting. */
    static boolean privacy(JsonValue.Obj req) {
        String p = str(req, "privacy", true);
        if (p == null || p.equals("private")) return true;
        if (p.equals("trusting")) return false;
        throw new CommandError("\"privacy\" must be \"private\" or \"trusting\"");
    }

    /** {@code timeoutMs} of the command, or {@code defaultMs}. */
    static long timeout(JsonValue.Obj req, long defaultMs) {
        JsonValue t = req.get("timeoutMs");
        if (t == null || t instanceof JsonValue.Null) return defaultMs;
        if (!(t instanceof JsonValue.Num) || !(((JsonValue.Num) t).value() > 0)) throw new CommandError("timeoutMs must be a positive number");
        return (long) ((JsonValue.Num) t).value();
    }

    /** Waits for {@code f}; a timeout or a failure becomes a {@link CommandError}. */
    static <T> T await(CompletableFuture<T> f, long timeoutMs, String what) throws Exception {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommandError("timeout after " + timeoutMs + " ms " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new CommandError(c.getMessage() == null ? c.toString() : c.getMessage());
        }
    }
}
