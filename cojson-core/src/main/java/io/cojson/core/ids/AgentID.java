package io.cojson.core.ids;

import io.cojson.core.encoding.InvalidEncodingException;

/** {@code sealer_z…/signer_z…}: the public identity of an agent (a device key pair). */
public record AgentID(SealerID sealer, SignerID signer) {
    public AgentID {
        if (sealer == null || signer == null) throw new InvalidIdException("sealer and signer IDs", "null");
    }

    /** The last agent parsed (text and value): loading many values of one author parses the same ID again and again. */
    private record Parsed(String text, AgentID agent) {}

    private static volatile Parsed last;

    /** Parses {@code sealer_z…/signer_z…}; both halves are fully validated (32-byte keys). */
    public static AgentID parse(String text) {
        if (text == null) throw new InvalidIdException("agent ID (sealer_z…/signer_z…)", "null");
        Parsed p = last; // immutable: a racy read sees a whole pair or an older one
        if (p != null && (p.text == text || p.text.equals(text))) return p.agent;
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidIdException("agent ID (sealer_z…/signer_z…)", InvalidEncodingException.describe(text));
        }
        AgentID agent = new AgentID(new SealerID(text.substring(0, slash)), new SignerID(text.substring(slash + 1)));
        last = new Parsed(text, agent);
        return agent;
    }

    /** The reference's {@code isAgentID}: starts with {@code sealer_} and contains {@code /signer_}. */
    public static boolean looksLikeAgentID(String text) {
        return text != null && text.startsWith("sealer_") && text.contains("/signer_");
    }

    public String value() {
        return sealer.value() + "/" + signer.value();
    }

    @Override
    public String toString() {
        return value();
    }

    // Written out with the generated values (31 * first + second); see SignerID
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof AgentID other && sealer.equals(other.sealer) && signer.equals(other.signer));
    }

    @Override
    public int hashCode() {
        return 31 * sealer.hashCode() + signer.hashCode();
    }
}
