package io.cojson.sync;

/** A peer's role as seen from this node (sync-protocol §1). */
public enum PeerRole {
    /** An upstream peer: what a client app calls its sync server. */
    SERVER,
    /** A downstream peer: what a sync server calls each connected app. */
    CLIENT
}
