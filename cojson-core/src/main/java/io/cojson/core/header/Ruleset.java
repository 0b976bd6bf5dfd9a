package io.cojson.core.header;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;

/** Who may write a CoValue: a group's own rules, the owning group's, or anyone. */
public sealed interface Ruleset permits Ruleset.Group, Ruleset.OwnedByGroup, Ruleset.UnsafeAllowAll {

    /** A group or account; {@code initialAdmin} is an account ID or an agent ID. */
    record Group(String initialAdmin) implements Ruleset {}

    record OwnedByGroup(RawCoID group, boolean restrictDeletion) implements Ruleset {}

    record UnsafeAllowAll() implements Ruleset {}

    /** Insertion-ordered JSON as the reference creates it. */
    default JsonValue.Obj toJson() {
        if (this instanceof Group g) {
            return JsonValue.obj("type", JsonValue.of("group"), "initialAdmin", JsonValue.of(g.initialAdmin()));
        } else if (this instanceof OwnedByGroup o) {
            return o.restrictDeletion()
                    ? JsonValue.obj("type", JsonValue.of("ownedByGroup"), "group", JsonValue.of(o.group().value()),
                            "restrictDeletion", JsonValue.TRUE)
                    : JsonValue.obj("type", JsonValue.of("ownedByGroup"), "group", JsonValue.of(o.group().value()));
        } else {
            return JsonValue.obj("type", JsonValue.of("unsafeAllowAll"));
        }
    }

    static Ruleset fromJson(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o) || !(o.get("type") instanceof JsonValue.Str t)) {
            throw new InvalidHeaderException("ruleset object with a string \"type\"", String.valueOf(v));
        }
        switch (t.value()) {
            case "group":
                if (o.get("initialAdmin") instanceof JsonValue.Str a) return new Group(a.value());
                throw new InvalidHeaderException("group ruleset with a string initialAdmin", o.toString());
            case "ownedByGroup":
                if (!(o.get("group") instanceof JsonValue.Str g)) {
                    throw new InvalidHeaderException("ownedByGroup ruleset with a string group", o.toString());
                }
                JsonValue rd = o.get("restrictDeletion");
                if (rd != null && !(rd instanceof JsonValue.Bool)) {
                    throw new InvalidHeaderException("boolean restrictDeletion", rd.toString());
                }
                return new OwnedByGroup(new RawCoID(g.value()), rd == JsonValue.TRUE);
            case "unsafeAllowAll":
                return new UnsafeAllowAll();
            default:
                throw new InvalidHeaderException("ruleset type group, ownedByGroup or unsafeAllowAll", t.value());
        }
    }
}
