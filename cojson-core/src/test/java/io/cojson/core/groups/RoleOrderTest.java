package io.cojson.core.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two role orderings as covalues.md words them, over every pair of roles (absent included):
 * the resolver's {@code isHigher} (§5.2, validating group transactions) and the read side's "more
 * permissive" (§5.5). Each expectation below is written from the spec's sentence, not the code.
 */
class RoleOrderTest {
    private static final List<String> ROLES = new ArrayList<>(Arrays.asList(null, Roles.ADMIN, Roles.MANAGER, Roles.WRITER,
            Roles.READER, Roles.WRITE_ONLY, Roles.REVOKED, Roles.ADMIN_INVITE, Roles.MANAGER_INVITE, Roles.WRITER_INVITE,
            Roles.READER_INVITE, Roles.WRITE_ONLY_INVITE));

    /**
     * §5.2: false if a is revoked/absent; true if b is absent or revoked; false if b is admin; true if
     * a is admin; false if b is manager; true if a is manager; otherwise true only for a = writer, b = reader.
     */
    private static boolean isHigherPerSpec(String a, String b) {
        if (a == null || a.equals(Roles.REVOKED)) return false;
        if (b == null || b.equals(Roles.REVOKED)) return true;
        if (b.equals(Roles.ADMIN)) return false;
        if (a.equals(Roles.ADMIN)) return true;
        if (b.equals(Roles.MANAGER)) return false;
        if (a.equals(Roles.MANAGER)) return true;
        return a.equals(Roles.WRITER) && b.equals(Roles.READER);
    }

    /**
     * §5.5: admin beats anything but admin; manager beats anything except manager and admin; writer
     * beats absent, reader and writeOnly; reader beats only absent; nothing else is adopted.
     */
    private static boolean morePermissivePerSpec(String candidate, String current) {
        if (candidate == null) return false;
        return switch (candidate) {
            case Roles.ADMIN -> !Roles.ADMIN.equals(current);
            case Roles.MANAGER -> !Roles.MANAGER.equals(current) && !Roles.ADMIN.equals(current);
            case Roles.WRITER -> current == null || current.equals(Roles.READER) || current.equals(Roles.WRITE_ONLY);
            case Roles.READER -> current == null;
            default -> false;
        };
    }

    @Test
    void isHigherFollowsTheResolverOrderForEveryPair() {
        List<String> wrong = new ArrayList<>();
        for (String a : ROLES) {
            for (String b : ROLES) {
                if (Roles.isHigher(a, b) != isHigherPerSpec(a, b)) wrong.add("isHigher(" + a + ", " + b + ")");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void morePermissiveFollowsTheReadSideOrderForEveryPair() {
        List<String> wrong = new ArrayList<>();
        for (String candidate : ROLES) {
            if (candidate == null) continue; // a candidate is always a role (§5.5 skips absent parent roles)
            for (String current : ROLES) {
                if (Roles.morePermissive(candidate, current) != morePermissivePerSpec(candidate, current)) {
                    wrong.add("morePermissive(" + candidate + ", " + current + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void keyRevelationKeysAreTheFourShapesOfTheSpec() {
        // §5.2 step 5: key-for-key, key-for-member (sealer or account), for everyone, key-for-group-sealer
        assertEquals(true, GroupValidator.isKeyRevelation("key_z1_for_key_z2"));
        assertEquals(true, GroupValidator.isKeyRevelation("key_z1_for_sealer_z2/signer_z3"));
        assertEquals(true, GroupValidator.isKeyRevelation("key_z1_for_co_zAccount"));
        assertEquals(true, GroupValidator.isKeyRevelation("key_z1_for_everyone"));
        assertEquals(true, GroupValidator.isKeyRevelation("key_z1_sealedFor_sealer_z2"));
        assertEquals(false, GroupValidator.isKeyRevelation("key_z1"));
        assertEquals(false, GroupValidator.isKeyRevelation("writeKeyFor_co_zA"));
        assertEquals(false, GroupValidator.isKeyRevelation("notkey_z1_for_co_zA"), "member keys must start with key_");
        assertEquals(false, GroupValidator.isKeyRevelation("readKey"));
    }
}
