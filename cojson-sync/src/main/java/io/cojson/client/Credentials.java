package io.cojson.client;

import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import java.util.Objects;

/**
 * What logs an account in on any device: its ID and its agent secret. Save {@link #serialize()}
 * somewhere safe (a keystore, an encrypted preference) and {@link #parse} it back; whoever holds it
 * acts as the account. {@link #toString()} never shows the secret.
 */
public record Credentials(RawCoID accountID, AgentSecret agentSecret) {
    private static final String SEPARATOR = ":";

    public Credentials {
        Objects.requireNonNull(accountID, "accountID");
        Objects.requireNonNull(agentSecret, "agentSecret");
    }

    /**
     * The form {@link #serialize()} writes, {@code co_z…:sealerSecret_z…/signerSecret_z…}; an
     * {@link InvalidCredentialsException} (without the secret in its message) if it is malformed.
     */
    public static Credentials parse(String text) {
        if (text == null) throw new InvalidCredentialsException("no credentials (null)");
        String t = Compat.strip(text);
        int sep = t.indexOf(SEPARATOR);
        if (sep < 0) throw new InvalidCredentialsException("malformed credentials: expected accountID" + SEPARATOR + "agentSecret");
        RawCoID account;
        try {
            account = new RawCoID(t.substring(0, sep));
        } catch (RuntimeException e) {
            throw new InvalidCredentialsException("malformed credentials: the account ID is not a co_z… ID");
        }
        try {
            return new Credentials(account, AgentSecret.parse(t.substring(sep + 1)));
        } catch (InvalidIdException e) {
            throw new InvalidCredentialsException("malformed credentials of " + account.value() + ": " + e.getMessage());
        }
    }

    /** The text {@link #parse} reads back; it contains the secret. */
    public String serialize() {
        return accountID.value() + SEPARATOR + agentSecret.value();
    }

    @Override
    public String toString() {
        return "Credentials[" + accountID.value() + ", secret redacted]";
    }
}
