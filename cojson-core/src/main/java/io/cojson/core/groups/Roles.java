package io.cojson.core.groups;

import java.util.Set;

/** Role strings and the reference's role orderings (covalues.md §5.1, §5.2, §5.5). */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String MANAGER = "manager";
    public static final String WRITER = "writer";
    public static final String READER = "reader";
    public static final String WRITE_ONLY = "writeOnly";
    public static final String REVOKED = "revoked";
    public static final String ADMIN_INVITE = "adminInvite";
    public static final String MANAGER_INVITE = "managerInvite";
    public static final String WRITER_INVITE = "writerInvite";
    public static final String READER_INVITE = "readerInvite";
    public static final String WRITE_ONLY_INVITE = "writeOnlyInvite";
    public static final String EVERYONE = "everyone";

    public static final Set<String> ALL = Set.of(ADMIN, MANAGER, WRITER, READER, WRITE_ONLY, REVOKED,
            ADMIN_INVITE, MANAGER_INVITE, WRITER_INVITE, READER_INVITE, WRITE_ONLY_INVITE);
    /** Roles a parent passes down (read-side roles never return revoked). */
    static final Set<String> INHERITABLE = Set.of(ADMIN, MANAGER, WRITER, READER);
    /** Roles that may write values owned by the group. */
    public static final Set<String> CAN_WRITE = Set.of(ADMIN, MANAGER, WRITER, WRITE_ONLY);
    /** Roles that can read the group's read key. */
    public static final Set<String> CAN_READ = Set.of(ADMIN, MANAGER, WRITER, READER);

    private Roles() {}

    /** The resolver's {@code isHigher(a, b)} used while validating group transactions (§5.2). */
    static boolean isHigher(String a, String b) {
        if (a == null || a.equals(REVOKED)) return false;
        if (b == null || b.equals(REVOKED)) return true;
        if (b.equals(ADMIN)) return false;
        if (a.equals(ADMIN)) return true;
        if (b.equals(MANAGER)) return false;
        if (a.equals(MANAGER)) return true;
        return a.equals(WRITER) && b.equals(READER);
    }

    /** Whether an inherited {@code candidate} replaces {@code current} on the read side (§5.5). */
    static boolean morePermissive(String candidate, String current) {
        switch (candidate) {
            case ADMIN:
                return !ADMIN.equals(current);
            case MANAGER:
                return !MANAGER.equals(current) && !ADMIN.equals(current);
            case WRITER:
                return current == null || current.equals(READER) || current.equals(WRITE_ONLY);
            case READER:
                return current == null;
            default:
                return false;
        }
    }
}
