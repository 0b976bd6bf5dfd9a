package io.cojson.core.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.testing.FixtureNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every group_engine fixture: each transaction's verdict (valid, exact reason, branch-pointer
 * outcome) compared per (session, txIndex), and every role query (read-side role, optionally at
 * a time) — covalues.md §5.
 */
class GroupEngineFixtureTest {
    static final String[] FILES = {"account_agent_resolution", "admin_demotion_rules", "all_invites", "basic_roles",
            "cross_session_ties", "deep_parent_chain", "everyone_roles", "initial_admin_self_promotion",
            "key_revelations", "malformed_changes", "manager_rules", "merged_tx_ties", "owned_by_account",
            "owned_by_group_role_change_over_time", "owned_by_group_roles", "owned_private_tx_meta_unavailable",
            "owned_reader_branch_pointer", "parent_capped", "parent_extend", "parent_revoked_inheritance",
            "private_tx_in_group", "self_extension_cycle", "self_revoke", "unsafe_allow_all", "write_only_keys"};

    static JsonNode load(String name) throws IOException {
        try (InputStream in = GroupEngineFixtureTest.class.getResourceAsStream("/fixtures/group_engine/" + name + ".json")) {
            assertNotNull(in, "fixture " + name + " is not on the classpath");
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<String> fixtures() {
        assertTrue(FILES.length == 25);
        return Stream.of(FILES);
    }

    @ParameterizedTest(name = "group_engine/{0}")
    @MethodSource("fixtures")
    void verdictsAndRoleQueriesMatchTheReference(String name) throws IOException {
        JsonNode f = load(name);
        FixtureNode node = new FixtureNode(new Crypto(CryptoProviders.auto())).ingest(f.get("covalues"));
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        Iterator<Map.Entry<String, JsonNode>> it = f.get("verdicts").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> v = it.next();
            CoValueCore core = node.require(v.getKey());
            core.validate(node);
            for (JsonNode exp : v.getValue()) {
                TxEntry e = find(core, exp.get("sessionId").textValue(), exp.get("txIndex").intValue());
                String where = v.getKey() + " " + exp.get("sessionId").textValue() + ":" + exp.get("txIndex").intValue();
                boolean valid = exp.get("valid").booleanValue();
                String reason = exp.get("reason").isNull() ? null : exp.get("reason").textValue();
                if (e.isValid() != valid || !java.util.Objects.equals(e.invalidReason(), reason)) {
                    mismatches.add(where + ": expected valid=" + valid + " reason=" + reason + ", got valid=" + e.isValid()
                            + " reason=" + e.invalidReason());
                }
                if (exp.has("outcome")) {
                    boolean pointer = exp.get("outcome").textValue().equals("validBranchPointerOnly");
                    if (pointer != e.isBranchPointerOnly()) mismatches.add(where + ": outcome " + exp.get("outcome"));
                }
                checked++;
            }
        }
        for (JsonNode q : f.get("roleQueries")) {
            CoValueCore group = node.require(q.get("groupId").textValue());
            Long at = q.get("atTime").isNull() ? null : q.get("atTime").longValue();
            String role = group.groupView(node).roleOf(q.get("member").textValue(), at, node);
            String expected = q.get("expectedRole").isNull() ? null : q.get("expectedRole").textValue();
            if (!java.util.Objects.equals(expected, role)) {
                mismatches.add("roleOf " + q.get("member").textValue() + " in " + group.id() + " at " + at
                        + ": expected " + expected + ", got " + role);
            }
            checked++;
        }
        assertTrue(checked > 0, name + " has no verdicts or role queries");
        assertEquals(List.of(), mismatches, name);
    }

    static TxEntry find(CoValueCore core, String session, int txIndex) {
        for (TxEntry e : core.entries()) {
            if (e.sessionID().value().equals(session) && e.txIndex() == txIndex) return e;
        }
        throw new AssertionError("no transaction " + session + ":" + txIndex + " in " + core.id());
    }
}
