package io.cojson.core.values;

import io.cojson.core.ids.SessionID;
import io.cojson.core.session.VerificationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Some imported content did not verify (bad signature, unknown signer, gap, …). Everything that
 * did verify was imported; the rejections say which sessions were refused and why.
 */
public class ContentRejectedException extends RuntimeException {
    /**
     * One refused session piece: its session, the category ({@code SIGNATURE_MISMATCH},
     * {@code NOT_CONTIGUOUS}, {@code SIGNER_UNKNOWN}, …) and the reason in words.
     */
    public record Rejection(SessionID session, String kind, String message) {}

    private final transient List<Rejection> rejections;

    ContentRejectedException(List<VerificationFailure> failures) {
        super(failures.size() + " session piece(s) rejected; first: " + failures.get(0));
        List<Rejection> out = new ArrayList<>(failures.size());
        for (VerificationFailure f : failures) out.add(new Rejection(f.sessionID(), f.kind().name(), f.message() != null ? f.message() : f.kind().name()));
        this.rejections = List.copyOf(out);
    }

    public List<Rejection> rejections() {
        return rejections;
    }
}
