package io.cojson.core.groups;

/**
 * The keys of a group's map that the protocol gives a meaning (covalues.md §6), defined once:
 * members' roles are keyed by account or agent ID; these are the rest.
 */
public final class GroupKeys {
    /** The current read key's ID. */
    public static final String READ_KEY = "readKey";
    /** The group's sealer (for revelations to child groups through {@link #SEALED_FOR}). */
    public static final String GROUP_SEALER = "groupSealer";
    /** {@code writeKeyFor_<member>}: a writeOnly member's own write key. */
    public static final String WRITE_KEY_FOR = "writeKeyFor_";
    /** {@code parent_<groupID>}: a parent group and the role it passes down. */
    public static final String PARENT = "parent_";
    /** {@code child_<groupID>}: a child group extending this one. */
    public static final String CHILD = "child_";
    /** {@code <keyID>_for_<member>}: a key sealed for a member (or {@code everyone}, in the clear). */
    public static final String FOR = "_for_";
    /** {@code <keyID>_for_everyone}: a key revealed to everyone. */
    public static final String FOR_EVERYONE = FOR + Roles.EVERYONE;
    /** {@code <keyID>_sealedFor_<sealerID>}: a key sealed for a parent group's sealer. */
    public static final String SEALED_FOR = "_sealedFor_";

    private GroupKeys() {}
}
