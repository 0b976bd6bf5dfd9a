package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Found by the chaos run (issue 11 A.4): a Java client restarted on its storage connects before it
 * checks the login, and its sync thread walks the account's transactions (the dependency order of
 * its first {@code load}s, under the node's lock) while {@link Accounts#checkLogin} validated the
 * account without the lock. Validating a group sorts its transaction list, so the walk failed with a
 * ConcurrentModificationException and the client never synced on that connection. Here a reader
 * walks a freshly imported account under the lock while login is checked, 200 times.
 */
class CheckLoginLockTest {
    @Test
    void checkLoginDoesNotChangeTheAccountUnderAReaderHoldingTheNodesLock() throws Exception {
        Crypto crypto = Crypto.create();
        AgentSecret secret = crypto.newRandomAgentSecret();
        LocalNode original = Accounts.create(crypto, secret, "Alice");
        RawCoID account = original.accountID();
        List<Throwable> failures = new ArrayList<>();
        for (int round = 0; round < 200 && failures.isEmpty(); round++) {
            LocalNode node = LocalNode.forAccount(crypto, account, secret, crypto.newRandomSessionID(account.value()));
            for (RawCoID id : original.ids()) {
                for (ContentPiece p : original.exportContent(id)) node.importContent(p);
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        node.locked(() -> {
                            CoValueCore core = node.get(account);
                            int n = 0;
                            for (int i = 0; i < 50; i++) { // a long walk: most of the reader's time holds the lock
                                for (TxEntry e : core.entries()) n += e.isTrusting() ? 1 : 0;
                            }
                            return n;
                        });
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            reader.start();
            try {
                Accounts.checkLogin(node);
            } finally {
                done.set(true);
                reader.join(10_000);
            }
        }
        assertEquals(List.of(), failures);
    }
}
