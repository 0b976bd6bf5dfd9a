/**
 * The cojson sync protocol, peers and WebSocket transport. Built in its own issue; this module
 * currently only establishes the dependency direction core ← storage ← sync ← samples.
 */
package io.cojson.sync;
