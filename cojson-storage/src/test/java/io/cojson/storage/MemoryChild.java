package io.cojson.storage;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.internal.NodeLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a store in a JVM with a small heap: {@code stream dir} streams every CoValue through a
 * counting consumer (storage's own memory), {@code node dir} loads everything into a node.
 * Prints one JSON line with counts, the largest piece, the heap peak and the time.
 */
public final class MemoryChild {
    private MemoryChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        long t0 = System.nanoTime();
        long[] txs = {0};
        long[] maxPiece = {0};
        int values = 0;
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            if (args[0].equals("stream")) {
                for (int offset = 0;; offset += 1000) {
                    List<RawCoID> ids = s.coValueIDs(offset, 1000);
                    for (RawCoID id : ids) {
                        values++;
                        s.load(id, p -> {
                            long bytes = 0;
                            for (ContentPiece.SessionPiece sp : p.sessions()) {
                                txs[0] += sp.transactions().size();
                                for (var t : sp.transactions()) bytes += t.canonicalJson().length();
                            }
                            maxPiece[0] = Math.max(maxPiece[0], bytes);
                        });
                    }
                    if (ids.size() < 1000) break;
                }
            } else {
                LocalNode node = LocalNode.forAgent(Crypto.create(), Crypto.create().newRandomAgentSecret());
                LoadReport r = new NodeLoader(node, s).loadAll().report();
                if (!r.clean()) throw new IllegalStateException(r.toString());
                values = r.loaded();
                txs[0] = r.transactions();
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf("{\"mode\":\"%s\",\"coValues\":%d,\"transactions\":%d,\"maxPieceBytes\":%d,\"heapPeakMB\":%d,\"maxHeapMB\":%d,\"ms\":%d}%n",
                args[0], values, txs[0], maxPiece[0], peak >> 20, Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - t0) / 1_000_000);
    }
}
