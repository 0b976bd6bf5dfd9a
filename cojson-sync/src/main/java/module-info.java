/**
 * cojson sync: the app SDK's client object ({@code io.cojson.client.CojsonClient}) and, for teams
 * that run a sync server on the JVM, the server ({@code io.cojson.server.CojsonServer}).
 * The sync protocol, recovery and transport internals are not exported.
 */
module io.cojson.sync {
    requires transitive io.cojson.core;
    requires transitive io.cojson.storage;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;
    requires transitive okhttp3; // WebSocketClientChannel and ReconnectingClient take an app's OkHttpClient
    requires okio;
    // The server's libraries are optional (a client app does not get Jetty): a modular server app
    // adds `requires org.eclipse.jetty.websocket.server;` (README, ModuleApiTest).
    requires static org.eclipse.jetty.server;
    requires static org.eclipse.jetty.http;
    requires static org.eclipse.jetty.io;
    requires static org.eclipse.jetty.util;
    requires static org.eclipse.jetty.websocket.api;
    requires static org.eclipse.jetty.websocket.server;

    exports io.cojson.client;
    exports io.cojson.server;
    exports io.cojson.sync.transport;

    // the benchmarks and the protocol-level scripted client (cojson-tools; not an API)
    exports io.cojson.client.peer to io.cojson.tools;
    exports io.cojson.sync to io.cojson.tools; // SyncManager trades in the core's internal types
    exports io.cojson.sync.recovery to io.cojson.tools;
}
