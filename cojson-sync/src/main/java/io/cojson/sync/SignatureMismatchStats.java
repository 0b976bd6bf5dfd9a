package io.cojson.sync;

/**
 * Counters of signature-mismatch handling since the {@link SyncManager} was created (recovery.md
 * §4.1 and §15). A snapshot; every field only grows.
 *
 * @param detected             sessions of content from a peer (client or server) that failed
 *                             verification against the session's known signer over a well-formed
 *                             chain (the only failure that counts as a fork)
 * @param sent                 {@code SignatureMismatch} reports sent to client peers
 * @param suppressedDuplicate  not sent: already reported on that connection for the same version
 *                             of the session (same last signature here)
 * @param suppressedRateLimit  not sent: the connection's report budget was used up
 * @param notReportable        not sent: this node holds no transaction of that session, so there
 *                             is no version to report (the content is simply invalid)
 * @param forkedContentIgnored content pieces for an already-reported forked session that started
 *                             beyond this node's version and were ignored (no correction is asked,
 *                             so a forked client cannot loop)
 * @param received             {@code SignatureMismatch} reports received from server peers and
 *                             handed to the listeners
 */
public record SignatureMismatchStats(long detected, long sent, long suppressedDuplicate, long suppressedRateLimit,
        long notReportable, long forkedContentIgnored, long received) {}
