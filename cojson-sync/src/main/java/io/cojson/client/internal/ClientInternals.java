package io.cojson.client.internal;

import io.cojson.client.CojsonClient;
import java.util.function.Function;

/**
 * The running parts of a client's account (node, sync manager, persistence, recovery), for
 * cojson's own test peers that speak the protocol below the typed API (the sample {@code client}
 * command's raw exports and fault points). Not for apps: this package is not exported.
 */
public final class ClientInternals {
    private static volatile Function<CojsonClient, ActiveAccount> access;

    private ClientInternals() {}

    /** Called once by {@code CojsonClient}'s class initializer. */
    public static void install(Function<CojsonClient, ActiveAccount> a) {
        access = a;
    }

    /** The client's logged-in account, or null. */
    public static ActiveAccount active(CojsonClient client) {
        if (access == null) {
            try { // initialize CojsonClient, which installs the accessor
                Class.forName(CojsonClient.class.getName(), true, CojsonClient.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return access.apply(client);
    }
}
