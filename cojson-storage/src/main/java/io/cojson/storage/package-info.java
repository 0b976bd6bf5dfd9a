/**
 * Embedded storage for cojson (MapDB-backed sync and async storage). The storage layer is built
 * in its own issue; this module currently only establishes the dependency direction
 * core ← storage ← sync ← samples.
 */
package io.cojson.storage;
