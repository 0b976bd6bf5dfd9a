package io.cojson.samples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Differential scripts with two peers (issue 12 A.5): peer A writes, peer B reads and writes back,
 * through one server: text with grapheme clusters, list delete/replace, streams, map deletes, a
 * 400-key map of 2 KB values (several content pieces), and invites. Each runs with A and B as
 * reference clients, then with B, A, and both as Java clients ({@link ClientScripts}), through the
 * JS server and the Java server; every answer must be the same text as the reference run's.
 * Reads by the other peer follow a {@code waitFor}, so arrival order never decides an answer.
 */
class TwoPeerScriptInteropTest extends BothServersInteropTest {

    private static ClientScripts.Step a(String command, String... captures) {
        return step("A", command, captures);
    }

    private static ClientScripts.Step b(String command, String... captures) {
        return step("B", command, captures);
    }

    private static ClientScripts.Step step(String peer, String command, String... captures) {
        List<String[]> caps = new ArrayList<>();
        for (String c : captures) caps.add(c.split("="));
        return new ClientScripts.Step(peer, command, caps, null);
    }

    /** Both accounts, a group where B is a writer, and B knowing the group. */
    private static List<ClientScripts.Step> setUp() {
        return List.of(
                b("{\"cmd\":\"createAccount\",\"name\":\"B\"}", "bob=accountID"),
                a("{\"cmd\":\"createAccount\",\"name\":\"A\"}", "alice=accountID"),
                a("{\"cmd\":\"createGroup\"}", "g=id"),
                a("{\"cmd\":\"addMember\",\"group\":\"${g}\",\"member\":\"${bob}\",\"role\":\"writer\",\"sync\":true}"),
                b("{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"${bob}\"}"));
    }

    private static final String EMOJI = "👩‍👩‍👧 e\u0301 🇫🇷 ok"; // ZWJ family, combining accent, flag

    private static final List<ClientScripts.Step> TEXT = List.of(
            a("{\"cmd\":\"createText\",\"owner\":\"${g}\",\"init\":" + q(EMOJI) + ",\"sync\":true}", "t=id"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":" + q(EMOJI) + "}"),
            b("{\"cmd\":\"get\",\"id\":\"${t}\"}"),
            b("{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\"🧑🏽‍💻+\",\"index\":2,\"sync\":true}", "text=text"),
            b("{\"cmd\":\"deleteText\",\"id\":\"${t}\",\"from\":0,\"to\":1,\"sync\":true}", "text=text"),
            b("{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\"ünï\",\"sync\":true}", "text=text"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":\"${text}\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${t}\"}"),
            a("{\"cmd\":\"deleteText\",\"id\":\"${t}\",\"from\":3,\"to\":9,\"sync\":true}", "text=text"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":\"${text}\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${t}\"}"));

    private static final List<ClientScripts.Step> LISTS = List.of(
            a("{\"cmd\":\"createList\",\"owner\":\"${g}\",\"init\":[\"a\",\"b\",\"c\",\"d\"],\"sync\":true}", "l=id"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"3\",\"expected\":\"d\"}"),
            b("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":1}"),
            b("{\"cmd\":\"replace\",\"id\":\"${l}\",\"index\":0,\"value\":{\"x\":[1,2.5,-0,1e21]}}"),
            b("{\"cmd\":\"append\",\"id\":\"${l}\",\"value\":null,\"after\":0}"),
            b("{\"cmd\":\"insert\",\"id\":\"${l}\",\"index\":3,\"value\":\"end\",\"sync\":true}"),
            b("{\"cmd\":\"get\",\"id\":\"${l}\"}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"3\",\"expected\":\"end\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${l}\"}"),
            a("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":0}"),
            a("{\"cmd\":\"replace\",\"id\":\"${l}\",\"index\":0,\"value\":\"first\"}"),
            a("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":9}"),
            a("{\"cmd\":\"prepend\",\"id\":\"${l}\",\"value\":\"zero\",\"sync\":true}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"0\",\"expected\":\"zero\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${l}\"}"));

    private static final List<ClientScripts.Step> STREAMS = List.of(
            a("{\"cmd\":\"createStream\",\"owner\":\"${g}\",\"sync\":true}", "s=id"),
            a("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":{\"n\":1}}"),
            a("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":\"two\",\"privacy\":\"trusting\",\"sync\":true}"),
            b("{\"cmd\":\"waitSynced\"}"),
            b("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":[3],\"sync\":true}"),
            a("{\"cmd\":\"waitSynced\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${s}\",\"path\":\"items\"}"));

    private static final List<ClientScripts.Step> INVITES = List.of(
            b("{\"cmd\":\"createAccount\",\"name\":\"C\",\"keepCurrent\":true}"),
            a("{\"cmd\":\"createGroup\"}", "gi=id"),
            a("{\"cmd\":\"createMap\",\"owner\":\"${gi}\",\"init\":{\"k\":\"v\"},\"sync\":true}", "mi=id"),
            a("{\"cmd\":\"createInvite\",\"group\":\"${gi}\",\"role\":\"writer\",\"sync\":true}", "invite=inviteSecret"),
            b("{\"cmd\":\"acceptInvite\",\"id\":\"${gi}\",\"inviteSecret\":\"${invite}\"}"),
            b("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${mi}\",\"path\":\"k\",\"expected\":\"v\"}"),
            b("{\"cmd\":\"set\",\"id\":\"${mi}\",\"key\":\"byInvitee\",\"value\":true,\"sync\":true}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${mi}\",\"path\":\"byInvitee\",\"expected\":true}"),
            a("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${mi}\"}"),
            a("{\"cmd\":\"createInvite\",\"group\":\"${gi}\",\"role\":\"reader\",\"sync\":true}", "rinvite=inviteSecret"),
            b("{\"cmd\":\"acceptInvite\",\"id\":\"${gi}\",\"inviteSecret\":\"${rinvite}\"}"),
            b("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"));

    private static final List<ClientScripts.Step> MAPS = List.of(
            a("{\"cmd\":\"createMap\",\"owner\":\"${g}\",\"sync\":true}", "m=id"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"gone\",\"value\":1}"),
            a("{\"cmd\":\"delete\",\"id\":\"${m}\",\"key\":\"gone\"}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"n\",\"value\":0.1}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"2\",\"value\":\"array-index key\"}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"done\",\"value\":true,\"sync\":true}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"done\",\"expected\":true}"),
            b("{\"cmd\":\"get\",\"id\":\"${m}\"}"),
            b("{\"cmd\":\"delete\",\"id\":\"${m}\",\"key\":\"n\"}"),
            b("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"back\",\"value\":\"from B\",\"sync\":true}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"back\",\"expected\":\"from B\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${m}\"}"));

    /** A map of 400 keys with 2 KB values each: several content pieces on the wire. */
    private static List<ClientScripts.Step> largeMap() {
        List<ClientScripts.Step> steps = new ArrayList<>();
        steps.add(a("{\"cmd\":\"createMap\",\"owner\":\"${g}\",\"sync\":true}", "big=id"));
        String value = "v".repeat(2048);
        for (int i = 0; i < 400; i++) {
            steps.add(a("{\"cmd\":\"set\",\"id\":\"${big}\",\"key\":\"k" + i + "\",\"value\":\"" + value + i + "\"}"));
        }
        steps.add(a("{\"cmd\":\"set\",\"id\":\"${big}\",\"key\":\"last\",\"value\":true,\"sync\":true}"));
        steps.add(b("{\"cmd\":\"waitFor\",\"id\":\"${big}\",\"path\":\"last\",\"expected\":true}"));
        steps.add(b("{\"cmd\":\"get\",\"id\":\"${big}\",\"path\":\"k399\"}"));
        steps.add(b("{\"cmd\":\"get\",\"id\":\"${big}\"}"));
        return steps;
    }

    private static String q(String s) {
        return InteropProcesses.q(s);
    }

    private static List<ClientScripts.Step> script() {
        List<ClientScripts.Step> steps = new ArrayList<>(setUp());
        for (List<ClientScripts.Step> part : List.of(TEXT, LISTS, STREAMS, MAPS, largeMap(), INVITES)) steps.addAll(part);
        return steps;
    }

    private static final List<Set<String>> MIXES = List.of(Set.of("B"), Set.of("A"), Set.of("A", "B"));

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, script(), "two-peer-" + server.name().toLowerCase() + "-server", MIXES);
    }
}
