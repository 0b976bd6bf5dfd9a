/**
 * MapDB-backed storage for cojson. Apps see its typed errors, the fatal-error hook and the fault
 * points ({@code io.cojson.storage}); the client and server own the storage itself. The sync ({@code
 * MapDbStorage}) and queued ({@code AsyncMapDbStorage}) storage APIs and the node's persistence
 * ({@code io.cojson.storage.engine}) trade in the core's internal content pieces, so they are
 * exported only to cojson's sync and tools modules, as are the units, journal and MapDB plumbing
 * ({@code io.cojson.storage.engine.internal}, sync only).
 */
module io.cojson.storage {
    requires transitive io.cojson.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;
    requires mapdb;
    // MapDB is an automatic module; these dependencies of it are named modules, which nothing would
    // resolve on an app's module path otherwise (ModuleApiTest runs a client with storage there)
    requires kotlin.stdlib;
    requires com.google.common;

    exports io.cojson.storage;
    exports io.cojson.storage.engine to io.cojson.sync, io.cojson.tools;
    exports io.cojson.storage.engine.internal to io.cojson.sync;
}
