/**
 * cojson sync: the app SDK's client object ({@code io.cojson.client.CojsonClient}) and, for teams
 * that run a sync server on the JVM, the WebSocket server ({@code io.cojson.sync.transport}).
 * The sync protocol, recovery and transport internals are not exported.
 */
module io.cojson.sync {
    requires transitive io.cojson.core;
    requires transitive io.cojson.storage;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;
    requires transitive okhttp3; // WebSocketClientChannel and ReconnectingClient take an app's OkHttpClient
    requires okio;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.api;
    requires org.eclipse.jetty.websocket.server;

    exports io.cojson.client;
    exports io.cojson.server;
    exports io.cojson.sync;
    exports io.cojson.sync.transport;
}
