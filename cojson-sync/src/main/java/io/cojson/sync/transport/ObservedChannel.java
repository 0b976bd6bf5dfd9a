package io.cojson.sync.transport;

import io.cojson.core.json.JsonValue;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A channel that tells observers about each message it sends and receives, then passes it on
 * unchanged: for measuring a connection (messages, bytes) or recording it in tests. Observers
 * run on the sending or receiving thread and must be quick.
 */
public final class ObservedChannel implements MessageChannel {
    private final MessageChannel inner;
    private final Consumer<String> sent;
    private final Consumer<String> received;

    private ObservedChannel(MessageChannel inner, Consumer<String> sent, Consumer<String> received) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.sent = Objects.requireNonNull(sent, "sent");
        this.received = Objects.requireNonNull(received, "received");
    }

    /** {@code inner}, with {@code sent} told each outgoing and {@code received} each incoming message text. */
    public static ObservedChannel of(MessageChannel inner, Consumer<String> sent, Consumer<String> received) {
        return new ObservedChannel(inner, sent, received);
    }

    @Override
    public void send(String messageJson) {
        sent.accept(messageJson);
        inner.send(messageJson);
    }

    @Override
    public void setListener(Listener listener) {
        inner.setListener(new Listener() {
            @Override
            public void onMessage(String json) {
                received.accept(json);
                listener.onMessage(json);
            }

            @Override
            public void onMessage(String json, JsonValue parsed) {
                received.accept(json);
                listener.onMessage(json, parsed);
            }

            @Override
            public void onMessage(String json, JsonValue parsed, Runnable handled) {
                received.accept(json);
                listener.onMessage(json, parsed, handled);
            }

            @Override
            public void onClosed(String reason) {
                listener.onClosed(reason);
            }
        });
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
