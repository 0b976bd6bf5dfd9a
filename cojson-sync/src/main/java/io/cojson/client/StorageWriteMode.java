package io.cojson.client;

/** How a client with a data directory commits to its MapDB storage ({@link CojsonClient.Builder#storageWriteMode}). */
public enum StorageWriteMode {
    /** Writes go through an asynchronous queue that commits in batches off the caller's thread (the default). */
    ASYNC_QUEUE,
    /** Each write is committed before the call that made it returns: slower, nothing queued at a crash. */
    INLINE
}
