package io.cojson.core.header;

import io.cojson.core.json.JsonValue;

/** What a CoValue is, from its header alone: this decides which content view reads it. */
public enum CoValueKind {
    COMAP("comap"),
    COLIST("colist"),
    COSTREAM("costream"),
    /** A {@code costream} whose header meta is {@code {"type":"binary"}}. */
    BINARY_COSTREAM("binary costream"),
    COPLAINTEXT("coplaintext"),
    /** A {@code comap} with the group ruleset. */
    GROUP("group"),
    /** A group-ruled {@code comap} whose meta is {@code {"type":"account"}}. */
    ACCOUNT("account"),
    UNKNOWN("value of unknown type");

    private final String label;

    CoValueKind(String label) {
        this.label = label;
    }

    public static CoValueKind of(CoValueHeader header) {
        switch (header.type()) {
            case "comap":
                if (!(header.ruleset() instanceof Ruleset.Group)) return COMAP;
                return header.isAccount() ? ACCOUNT : GROUP;
            case "colist":
                return COLIST;
            case "coplaintext":
                return COPLAINTEXT;
            case "costream":
                boolean binary = header.meta() instanceof JsonValue.Obj m && JsonValue.of("binary").equals(m.get("type"));
                return binary ? BINARY_COSTREAM : COSTREAM;
            default:
                return UNKNOWN;
        }
    }

    /** A readable name for error messages ("colist", "group", …). */
    public String label() {
        return label;
    }
}
