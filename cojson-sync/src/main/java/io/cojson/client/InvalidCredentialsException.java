package io.cojson.client;

/**
 * The credentials do not belong together: the agent secret is not the one the account was created
 * with (checked before any storage or network is touched), or it is malformed. The message never
 * contains the secret.
 */
public final class InvalidCredentialsException extends CojsonClientException {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialsException(String message) {
        super(message);
    }
}
