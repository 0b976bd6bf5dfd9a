package io.cojson.core.values;

import io.cojson.core.session.VerificationFailure;
import java.util.List;

/**
 * Some imported content did not verify (bad signature, unknown signer, gap, …). Everything that
 * did verify was imported; the failures say which sessions were refused and why.
 */
public class ContentRejectedException extends RuntimeException {
    private final transient List<VerificationFailure> failures;

    public ContentRejectedException(List<VerificationFailure> failures) {
        super(failures.size() + " session piece(s) rejected; first: " + failures.get(0));
        this.failures = List.copyOf(failures);
    }

    public List<VerificationFailure> failures() {
        return failures;
    }
}
