package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.InvalidEncodingException;

/**
 * A session: {@code <author>_session_z<base58(8 bytes)>}; a delete session
 * {@code <author>_session_d<base58(7 bytes)>$}; and this SDK's conflict form, the session ID plus
 * {@code !}, which holds local edits that diverged from what the server stored (crash recovery).
 * The author (text before the first {@code _session}) is an account ({@code co_z…}) or an agent ID.
 */
public record SessionID(String value) {
    private static final String MARK = "_session_";
    public static final char CONFLICT_SUFFIX = '!';

    public SessionID {
        validate(value);
    }

    public static SessionID parse(String value) {
        return new SessionID(value);
    }

    /** A fresh active session for an account or agent, from 8 random bytes. */
    public static SessionID newRandom(String author, byte[] random8) {
        return new SessionID(author + MARK + "z" + Base58.encode(random8));
    }

    /** A fresh delete session, from 7 random bytes. */
    public static SessionID newDelete(String author, byte[] random7) {
        return new SessionID(author + MARK + "d" + Base58.encode(random7) + "$");
    }

    /** The author part: everything before the first {@code _session}. */
    public String author() {
        return value.substring(0, value.indexOf("_session"));
    }

    public boolean isAccountAuthor() {
        return value.startsWith(RawCoID.PREFIX);
    }

    /** The account that wrote this session, if the author is an account. */
    public RawCoID accountID() {
        if (!isAccountAuthor()) throw new IllegalStateException("session " + value + " is not authored by an account");
        return new RawCoID(author());
    }

    /** The agent that wrote this session, if the author is an agent. */
    public AgentID agentID() {
        if (isAccountAuthor()) throw new IllegalStateException("session " + value + " is authored by an account");
        return AgentID.parse(author());
    }

    /** The reference's test: contains {@code _session_d} and ends with {@code $}. */
    public boolean isDeleteSession() {
        return value.endsWith("$") && value.contains("_session_d");
    }

    public boolean isConflictSession() {
        return value.charAt(value.length() - 1) == CONFLICT_SUFFIX;
    }

    /** The conflict session that keeps this session's divergent local edits. */
    public SessionID conflictSession() {
        if (isConflictSession()) throw new IllegalStateException(value + " is already a conflict session");
        if (isDeleteSession()) throw new IllegalStateException(value + " is a delete session");
        return new SessionID(value + CONFLICT_SUFFIX);
    }

    /** For a conflict session, the session it was split from; otherwise this session. */
    public SessionID baseSession() {
        return isConflictSession() ? new SessionID(value.substring(0, value.length() - 1)) : this;
    }

    /** The same random suffix with another author (used for an account's edits of its own CoValue). */
    public SessionID withAuthor(String newAuthor) {
        return new SessionID(newAuthor + value.substring(value.indexOf("_session")));
    }

    private static void validate(String value) {
        String expected = "session ID (<account or agent>_session_z<base58>, _session_d<base58>$, optionally + '!')";
        if (value == null) throw new InvalidIdException(expected, "null");
        int at = value.indexOf(MARK);
        if (at <= 0) throw new InvalidIdException(expected, InvalidEncodingException.describe(value));
        String author = value.substring(0, at);
        if (value.indexOf("_session") != at) throw new InvalidIdException(expected, InvalidEncodingException.describe(value));
        if (author.startsWith(RawCoID.PREFIX)) {
            if (!RawCoID.isValid(author)) throw new InvalidIdException(expected + " with a valid account ID", InvalidEncodingException.describe(value));
        } else {
            try {
                AgentID.parse(author);
            } catch (InvalidIdException e) {
                throw new InvalidIdException(expected + " with a valid author", e.getMessage());
            }
        }
        String rest = value.substring(at + MARK.length());
        if (!rest.isEmpty() && rest.charAt(rest.length() - 1) == CONFLICT_SUFFIX) rest = rest.substring(0, rest.length() - 1);
        boolean ok;
        if (rest.startsWith("z")) {
            ok = isAlnum(rest, 1, rest.length());
        } else if (rest.startsWith("d") && rest.endsWith("$") && !value.endsWith("!")) {
            ok = isAlnum(rest, 1, rest.length() - 1);
        } else {
            ok = false;
        }
        if (!ok) throw new InvalidIdException(expected, InvalidEncodingException.describe(value));
    }

    private static boolean isAlnum(String s, int from, int to) {
        return to - from >= 1 && to - from <= 32 && Prefixed.isAlnum(s, from, to);
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (same values as the generated ones): a record's generated equals/hashCode run
    // through method-handle chains, which a cold JVM interprets on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof SessionID other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
