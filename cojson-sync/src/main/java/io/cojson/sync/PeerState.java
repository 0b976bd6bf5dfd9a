package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected peer as this node sees it: its role, and per CoValue what it is known to hold
 * (confirmed by its {@code load}/{@code known}/{@code content}) and what this node assumes it
 * holds after sending content (optimistic). A CoValue is subscribed for the peer once either
 * exists. Mutated only by the sync executor; the getters may be called from any thread.
 */
public final class PeerState {
    private static final Logger LOG = LoggerFactory.getLogger(PeerState.class);
    private static final int MAX_ERRORS = 100;

    private final String id;
    private final PeerRole role;
    private final boolean persistent;
    private final MessageChannel channel;
    private final Map<RawCoID, KnownState> confirmed = new ConcurrentHashMap<>();
    private final Map<RawCoID, KnownState> optimistic = new ConcurrentHashMap<>();
    /** CoValues whose state this node told the peer (§5.2 step 3: otherwise a known goes out once). */
    private final Set<RawCoID> told = ConcurrentHashMap.newKeySet();
    /** CoValues whose load this node sent and the peer has not yet answered. */
    private final Set<RawCoID> loadsSent = ConcurrentHashMap.newKeySet();
    private final Set<RawCoID> errored = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<SyncError> errors = new ArrayDeque<>();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PeerState(String id, PeerRole role, boolean persistent, MessageChannel channel) {
        this.id = id;
        this.role = role;
        this.persistent = persistent;
        this.channel = channel;
    }

    public String id() {
        return id;
    }

    public PeerRole role() {
        return role;
    }

    /** A persistent peer keeps pending loads and sync waiters across a reconnection under the same id. */
    public boolean isPersistent() {
        return persistent;
    }

    public boolean isClosed() {
        return closed;
    }

    /** What the peer confirmed it holds of {@code id}, or null if it never said. */
    public KnownState knownState(RawCoID id) {
        return confirmed.get(id);
    }

    /** What this node assumes the peer holds after what it sent, or null. */
    public KnownState optimisticKnownState(RawCoID id) {
        return optimistic.get(id);
    }

    public boolean isSubscribed(RawCoID id) {
        return optimistic.containsKey(id);
    }

    /** Whether invalid content was received for {@code id} from this peer (see {@link SyncOptions#stickyErrors}). */
    public boolean hasErrored(RawCoID id) {
        return errored.contains(id);
    }

    /** Per CoValue: corrections asked after a transient rejection (sync executor only). */
    private final Map<RawCoID, Integer> transientRetries = new java.util.HashMap<>();
    static final int MAX_TRANSIENT_RETRIES = 3;

    /**
     * Whether content of {@code id} rejected for a reason that may pass (the author's account was not
     * available yet) may be asked for again; at most {@link #MAX_TRANSIENT_RETRIES} times per
     * CoValue and connection, so a peer that cannot supply the account does not loop.
     */
    boolean mayRetryTransient(RawCoID id) {
        return transientRetries.merge(id, 1, Integer::sum) <= MAX_TRANSIENT_RETRIES;
    }

    /** The most recent errors caused by this peer (at most 100), oldest first. */
    public List<SyncError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** How many messages with this {@code action} were sent to / received from the peer. */
    public long sentCount(String action) {
        AtomicLong n = sent.get(action);
        return n == null ? 0 : n.get();
    }

    public long receivedCount(String action) {
        AtomicLong n = received.get(action);
        return n == null ? 0 : n.get();
    }

    @Override
    public String toString() {
        return "peer " + id + " (" + role + (closed ? ", closed" : "") + ")";
    }

    // ---- used by the sync executor ----

    MessageChannel channel() {
        return channel;
    }

    void send(SyncMessage m) {
        if (closed) return;
        count(sent, m.action());
        try {
            channel.send(m.toJson());
        } catch (RuntimeException e) { // a broken transport closes itself and reports onClosed
            LOG.warn("sending {} to {} failed: {}", m.action(), id, e.toString());
        }
    }

    void countReceived(String action) {
        count(received, action);
    }

    private static void count(Map<String, AtomicLong> m, String action) {
        m.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
    }

    /** Exactly this state, dropping optimistic assumptions (load, correction). */
    void setKnownState(KnownState ks) {
        confirmed.put(ks.id(), ks);
        optimistic.put(ks.id(), ks);
    }

    /** Merges what the peer says it holds into both views. */
    void combine(KnownState ks) {
        confirmed.merge(ks.id(), ks, KnownState::combine);
        optimistic.merge(ks.id(), ks, KnownState::combine);
    }

    /** After sending content: the peer will hold this once it arrives. */
    void combineOptimistic(KnownState ks) {
        optimistic.merge(ks.id(), ks, KnownState::combine);
    }

    /** This node told the peer its state of {@code id} (load, known, or content sent on its request). */
    void markTold(RawCoID id) {
        told.add(id);
    }

    boolean told(RawCoID id) {
        return told.contains(id);
    }

    void loadSent(RawCoID id) {
        loadsSent.add(id);
    }

    boolean answeredLoad(RawCoID id) {
        return loadsSent.remove(id);
    }

    boolean awaitsLoad(RawCoID id) {
        return loadsSent.contains(id);
    }

    void recordError(SyncError e, boolean sticky) {
        if (sticky && e.id() != null && e.kind() == SyncError.Kind.REJECTED_SESSION) errored.add(e.id());
        synchronized (errors) {
            if (errors.size() == MAX_ERRORS) errors.poll();
            errors.add(e);
        }
    }

    void markClosed() {
        closed = true;
        synchronized (incomingLock) {
            incomingLock.notifyAll(); // a reader held back by the incoming limit goes on (its message is then dropped as closed)
        }
    }

    // ---- the incoming queue (reliability.md RL-17) ----

    private final Object incomingLock = new Object();
    private int incomingQueued;
    private int incomingPeak;

    /**
     * Called by the transport's reader for each message of this peer before it is queued for
     * handling: waits while {@code limit} of them already wait (0: no limit), so that the reader
     * stops reading (backpressure) instead of the queue growing or messages being dropped.
     */
    void enterIncoming(int limit) {
        synchronized (incomingLock) {
            while (limit > 0 && incomingQueued >= limit && !closed) {
                try {
                    incomingLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the transport is stopping: queue it anyway
                    break;
                }
            }
            incomingQueued++;
            incomingPeak = Math.max(incomingPeak, incomingQueued);
        }
    }

    /** One queued message of this peer was handled. */
    void leaveIncoming() {
        synchronized (incomingLock) {
            incomingQueued--;
            incomingLock.notifyAll();
        }
    }

    /** The most messages of this peer that ever waited at once to be handled (the queue's high-water mark). */
    public int incomingHighWater() {
        synchronized (incomingLock) {
            return incomingPeak;
        }
    }
}
