package io.cojson.core.testing;

import io.cojson.core.crypto.CryptoProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A provider that delegates every primitive to a real one but answers {@code randomBytes} from a
 * fixed script of byte strings, so operations that draw randomness (new keys, session IDs,
 * uniqueness) can be compared with the reference vectors, which were generated with seeded
 * randomness. Each draw must ask for exactly the length of the next scripted chunk, which also pins
 * down the order in which an operation draws. (A dynamic proxy, so it keeps compiling when the
 * provider interface grows.)
 */
public final class ScriptedRandom {
    private ScriptedRandom() {}

    public static Deque<byte[]> script(byte[]... chunks) {
        return new ArrayDeque<>(List.of(chunks));
    }

    /** Wraps {@code delegate}; draws consume {@code script} from the front (check it is empty afterwards). */
    public static CryptoProvider wrap(CryptoProvider delegate, Deque<byte[]> script) {
        return (CryptoProvider) Proxy.newProxyInstance(
                ScriptedRandom.class.getClassLoader(),
                new Class<?>[] {CryptoProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("randomBytes") && args != null && args.length == 1 && args[0] instanceof byte[]) {
                        byte[] out = (byte[]) args[0];
                        byte[] next = script.poll();
                        if (next == null) throw new AssertionError("unexpected random draw of " + out.length + " bytes: script exhausted");
                        if (next.length != out.length) {
                            throw new AssertionError("random draw of " + out.length + " bytes, but the next scripted chunk has " + next.length);
                        }
                        System.arraycopy(next, 0, out, 0, next.length);
                        return null;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
