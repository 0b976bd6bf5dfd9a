package io.cojson.storage.engine;

import io.cojson.storage.StorageRejectedException;
import java.time.Duration;

/**
 * Tuning of a store.
 *
 * @param queueCapacity  async storage: queued operations before writers block (back-pressure)
 * @param maxBatch       async storage: ordinary stores committed together at most (group commit;
 *                       every one still completes only after that commit)
 * @param syncOnCommit   force the files to the device on every commit (power-loss durability);
 *                       without it a commit survives a process crash but not an OS crash
 * @param enqueueTimeout how long a writer waits for queue space before the operation fails with
 *                       {@link StorageRejectedException}; null waits without limit
 * @param closeBudget    how long {@code CoValueStorage.close()} waits for queued writes
 */
public record StorageOptions(int queueCapacity, int maxBatch, boolean syncOnCommit, Duration enqueueTimeout, Duration closeBudget) {
    public StorageOptions {
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        if (closeBudget == null || closeBudget.isNegative()) throw new IllegalArgumentException("closeBudget must be >= 0");
    }

    public static StorageOptions defaults() {
        return new StorageOptions(1024, 256, true, null, Duration.ofSeconds(10));
    }

    public StorageOptions withQueueCapacity(int n) {
        return new StorageOptions(n, maxBatch, syncOnCommit, enqueueTimeout, closeBudget);
    }

    public StorageOptions withMaxBatch(int n) {
        return new StorageOptions(queueCapacity, n, syncOnCommit, enqueueTimeout, closeBudget);
    }

    public StorageOptions withSyncOnCommit(boolean sync) {
        return new StorageOptions(queueCapacity, maxBatch, sync, enqueueTimeout, closeBudget);
    }

    public StorageOptions withEnqueueTimeout(Duration timeout) {
        return new StorageOptions(queueCapacity, maxBatch, syncOnCommit, timeout, closeBudget);
    }

    public StorageOptions withCloseBudget(Duration budget) {
        return new StorageOptions(queueCapacity, maxBatch, syncOnCommit, enqueueTimeout, budget);
    }
}
