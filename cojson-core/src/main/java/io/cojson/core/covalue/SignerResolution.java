package io.cojson.core.covalue;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;

/**
 * Who signs a session (wire-format §1.4): an agent author signs with its own signer key; an
 * account author with the agent named by its account header's {@code initialAdmin}.
 */
public final class SignerResolution {
    private SignerResolution() {}

    /** The signer, or throws {@link UnresolvableSignerException} saying why not. */
    public static SignerID signerOf(SessionID session, CoValueResolver resolver) {
        return agentOf(session.author(), resolver).signer();
    }

    /** The agent behind an account ID or agent ID string. */
    public static AgentID agentOf(String accountOrAgent, CoValueResolver resolver) {
        if (!accountOrAgent.startsWith(RawCoID.PREFIX)) {
            try {
                return AgentID.parse(accountOrAgent);
            } catch (InvalidIdException e) {
                throw new UnresolvableSignerException("author is not a valid agent ID: " + e.getMessage());
            }
        }
        RawCoID accountID = new RawCoID(accountOrAgent);
        CoValueCore account = resolver.get(accountID);
        if (account == null) throw new UnresolvableSignerException("account " + accountID + " is not loaded");
        CoValueHeader h = account.header();
        if (!h.type().equals("comap") || !h.isAccount() || !(h.ruleset() instanceof Ruleset.Group g)) {
            throw new UnresolvableSignerException(accountID + " is not an account");
        }
        try {
            return AgentID.parse(g.initialAdmin());
        } catch (InvalidIdException e) {
            throw new UnresolvableSignerException("account " + accountID + " has a malformed initialAdmin");
        }
    }

    /** A session's signer could not be determined (the reference's ResolveAccountAgentError). */
    public static final class UnresolvableSignerException extends RuntimeException {
        public UnresolvableSignerException(String message) {
            super(message);
        }
    }
}
