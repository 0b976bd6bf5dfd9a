package io.cojson.core.values;

import io.cojson.core.groups.Roles;

/** A member's role in a group, as the reference names them on the wire. */
public enum Role {
    ADMIN(Roles.ADMIN),
    MANAGER(Roles.MANAGER),
    WRITER(Roles.WRITER),
    READER(Roles.READER),
    /** May write values of the group but not read what others wrote. */
    WRITE_ONLY(Roles.WRITE_ONLY);

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The role string stored in groups ({@code "admin"}, {@code "writeOnly"}, …). */
    public String wireName() {
        return wireName;
    }

    /** The role for a wire name; {@code null} for null, {@code revoked}, invite roles and unknown names. */
    public static Role fromWire(String name) {
        if (name == null) return null;
        for (Role r : values()) if (r.wireName.equals(name)) return r;
        return null;
    }
}
