/**
 * MapDB-backed storage for cojson: the sync ({@code MapDbStorage}) and queued ({@code
 * AsyncMapDbStorage}) storage APIs, their options, reports and typed errors. The units, journal and
 * MapDB plumbing ({@code io.cojson.storage.internal}) are exported only to cojson's sync module.
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
    exports io.cojson.storage.internal to io.cojson.sync;
}
