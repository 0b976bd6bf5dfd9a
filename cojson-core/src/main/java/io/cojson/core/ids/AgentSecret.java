package io.cojson.core.ids;

import io.cojson.core.encoding.InvalidEncodingException;

/** {@code sealerSecret_z…/signerSecret_z…}: the private keys of an agent. Never log it. */
public record AgentSecret(SealerSecret sealer, SignerSecret signer) {
    public AgentSecret {
        if (sealer == null || signer == null) throw new InvalidIdException("sealer and signer secrets", "null");
    }

    public static AgentSecret parse(String text) {
        if (text == null) throw new InvalidIdException("agent secret (sealerSecret_z…/signerSecret_z…)", "null");
        int slash = text.indexOf('/');
        if (slash < 0) {
            // Do not echo secret material into error messages.
            throw new InvalidIdException("agent secret (sealerSecret_z…/signerSecret_z…)",
                    "text of " + text.length() + " chars without '/'");
        }
        try {
            return new AgentSecret(new SealerSecret(text.substring(0, slash)), new SignerSecret(text.substring(slash + 1)));
        } catch (InvalidEncodingException e) {
            throw new InvalidIdException("agent secret (sealerSecret_z…/signerSecret_z…)", "a malformed half: " + e.expected());
        }
    }

    public String value() {
        return sealer.value() + "/" + signer.value();
    }

    /** Redacted, so secrets never end up in logs by accident. */
    @Override
    public String toString() {
        return "AgentSecret[redacted]";
    }

    // Written out with the generated values (31 * first + second); see SignerID
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof AgentSecret other && sealer.equals(other.sealer) && signer.equals(other.signer));
    }

    @Override
    public int hashCode() {
        return 31 * sealer.hashCode() + signer.hashCode();
    }
}
