package io.cojson.sync.transport;

import io.cojson.core.json.JsonValue;

/**
 * A bidirectional, ordered channel of sync messages to one peer. Each message is the JSON text of
 * one sync message ({@code JSON.stringify} form, no newline). The WebSocket transport frames and
 * batches them exactly as cojson-transport-ws does; an in-memory pair connects two nodes in tests.
 */
public interface MessageChannel extends AutoCloseable {

    /** Receives what arrives on a channel. Calls come from one thread at a time, in order. */
    interface Listener {
        /** One incoming message's JSON text (not yet validated). */
        void onMessage(String messageJson);

        /**
         * One incoming message whose text the transport already parsed ({@code parsed} is what
         * {@code Json.parse(messageJson)} returns), so that the listener need not parse it again.
         */
        default void onMessage(String messageJson, JsonValue parsed) {
            onMessage(messageJson);
        }

        /**
         * As above ({@code parsed} may be null), with {@code handled} to run once the listener no
         * longer holds the message's text: the transport counts the message against its incoming
         * memory budget until then. It may run on any thread; running it again does nothing. The
         * default handles the message at once and then runs it.
         */
        default void onMessage(String messageJson, JsonValue parsed, Runnable handled) {
            try {
                if (parsed == null) onMessage(messageJson);
                else onMessage(messageJson, parsed);
            } finally {
                handled.run();
            }
        }

        /** The channel closed (by either side or by an error); no more messages follow. */
        void onClosed(String reason);
    }

    /** Queues one message for sending, in order; never blocks for long. Ignored after close. */
    void send(String messageJson);

    /** Sets the listener; messages that arrived before are delivered to it, in order. */
    void setListener(Listener listener);

    /** A name for logs (e.g. the remote address). */
    String describe();

    @Override
    void close();
}
