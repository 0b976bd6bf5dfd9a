package io.cojson.client;

/**
 * One observation of the client's connection.
 *
 * @param state     the state
 * @param server    the server URL the observation is about (null when none is configured)
 * @param lastCause why the last connection or attempt ended (e.g. {@code connection failed:
 *                  java.net.ConnectException …}), kept while reconnecting; null if none ended yet
 * @param sinceMillis when the state was entered (epoch milliseconds)
 */
public record ConnectionStatus(ConnectionState state, String server, String lastCause, long sinceMillis) {
    public boolean isConnected() {
        return state == ConnectionState.CONNECTED;
    }
}
