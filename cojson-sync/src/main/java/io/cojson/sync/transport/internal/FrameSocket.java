package io.cojson.sync.transport.internal;

/**
 * The little a channel needs from a WebSocket (OkHttp on the client, Jetty on the server): the
 * browser {@code WebSocket} surface that cojson-transport-ws programs against.
 */
public interface FrameSocket {
    /** {@code readyState === OPEN}. */
    boolean isOpen();

    /** Bytes (or characters) handed to the socket but not yet written: {@code bufferedAmount}. */
    long bufferedAmount();

    /** Sends one text frame; never blocks. Returns false when the socket refused it. */
    boolean sendFrame(String frame);

    /** Starts the close handshake after what was already sent (or gives up if never opened). */
    void close(int code, String reason);

    /** Drops the connection at once (dead peer, injected fault). */
    void abort();
}
