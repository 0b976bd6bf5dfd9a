package io.cojson.samples.cli;

import java.util.List;
import java.util.Set;

/**
 * Deleting whole CoValues from the command line ({@code deleteCoValue}, covalues.md §14): who may
 * delete what, the answers and errors, {@code "deleted":true} in {@code get} and
 * {@code exportContent}, writes to deleted values, the tombstone as a member that had the value
 * and one that loads it later see it. Three clients run the script as reference clients, as Java
 * clients, and mixed, through each server; every answer must be the reference clients' answer
 * (see target/delete-covalue-*.txt).
 */
class DeleteCoValueInteropTest extends BothServersInteropTest {

    static final String SCRIPT = """
            # A: Alice, admin of g; B: Bob, writer (has the map loaded when it is deleted); D: Dave, reader
            # who loads everything only after the deletion
            A> {"cmd":"createAccount","name":"Alice"} | me=accountID
            B> {"cmd":"createAccount","name":"Bob"} | bob=accountID
            D> {"cmd":"createAccount","name":"Dave"} | dave=accountID
            A> {"cmd":"createGroup"} | g=id
            A> {"cmd":"addMember","group":"${g}","member":"${bob}","role":"writer"}
            A> {"cmd":"addMember","group":"${g}","member":"${dave}","role":"reader"}
            A> {"cmd":"createMap","owner":"${g}","init":{"title":"hello"},"sync":true} | m=id
            A> {"cmd":"set","id":"${m}","key":"t","value":1,"privacy":"trusting","sync":true}
            A> {"cmd":"createList","owner":"${g}","init":[1,2],"sync":true} | l=id
            A> {"cmd":"createText","owner":"${g}","init":"hi","sync":true} | t=id
            A> {"cmd":"createStream","owner":"${g}","init":[1],"sync":true} | s=id
            A> {"cmd":"createMap","init":{"own":true}} | om=id og=owner
            B> {"cmd":"get","id":"${m}"}
            # refusals: a writer, groups, accounts, a missing or malformed id
            B> {"cmd":"deleteCoValue","id":"${m}"}
            B> {"cmd":"deleteCoValue","id":"${g}"}
            A> {"cmd":"deleteCoValue","id":"${g}"}
            A> {"cmd":"deleteCoValue","id":"${me}"}
            A> {"cmd":"deleteCoValue"}
            A> {"cmd":"deleteCoValue","id":"x"}
            # the admin deletes; again is a no-op; the local view keeps its content and shows "deleted"
            A> {"cmd":"deleteCoValue","id":"${m}","sync":true,"reqId":7}
            A> {"cmd":"deleteCoValue","id":"${m}"}
            A> {"cmd":"get","id":"${m}"}
            A> {"cmd":"get","id":"${m}","path":"title"}
            # writes to a deleted value: answered as the reference answers (dropped, value unchanged);
            # argument errors still come first
            A> {"cmd":"set","id":"${m}","key":"x","value":1}
            A> {"cmd":"set","id":"${m}","key":"y","value":2,"privacy":"trusting","sync":true}
            A> {"cmd":"delete","id":"${m}","key":"title"}
            A> {"cmd":"set","id":"${m}","value":1}
            A> {"cmd":"get","id":"${m}"}
            A> {"cmd":"knownState","id":"${m}"}
            A> {"cmd":"exportContent","id":"${m}"}
            # each kind of value
            A> {"cmd":"deleteCoValue","id":"${l}"}
            A> {"cmd":"append","id":"${l}","value":3}
            A> {"cmd":"prepend","id":"${l}","value":0}
            A> {"cmd":"insert","id":"${l}","index":1,"value":"x"}
            A> {"cmd":"insert","id":"${l}","index":99,"value":"x"}
            A> {"cmd":"deleteAt","id":"${l}","index":0}
            A> {"cmd":"replace","id":"${l}","index":0,"value":"y"}
            A> {"cmd":"get","id":"${l}"}
            A> {"cmd":"deleteCoValue","id":"${t}","sync":true}
            A> {"cmd":"insertText","id":"${t}","text":"!"}
            A> {"cmd":"deleteText","id":"${t}","from":0,"to":1}
            A> {"cmd":"get","id":"${t}"}
            A> {"cmd":"deleteCoValue","id":"${s}"}
            A> {"cmd":"push","id":"${s}","value":2}
            A> {"cmd":"get","id":"${s}","path":"items"}
            A> {"cmd":"deleteCoValue","id":"${om}"}
            A> {"cmd":"get","id":"${om}"}
            A> {"cmd":"waitSynced"}
            # the writer receives the tombstone: its view keeps the content; its writes are dropped
            B> {"cmd":"get","id":"${m}"} | until=deleted
            B> {"cmd":"set","id":"${m}","key":"late","value":1,"sync":true}
            B> {"cmd":"get","id":"${m}"}
            B> {"cmd":"knownState","id":"${m}"}
            # deleting a deleted value is a no-op, even for a writer
            B> {"cmd":"deleteCoValue","id":"${m}"}
            # a member loading the values afterwards gets only the tombstones: empty views
            D> {"cmd":"get","id":"${m}"}
            D> {"cmd":"knownState","id":"${m}"}
            D> {"cmd":"get","id":"${l}"}
            D> {"cmd":"get","id":"${t}"}
            D> {"cmd":"get","id":"${s}"}
            D> {"cmd":"exportContent","id":"${l}"}
            """;

    /** All-Java, then mixed both ways (a Java admin with JS members, a JS admin with Java members), through each server. */
    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, ClientScripts.parse(SCRIPT), "delete-covalue-" + server.name().toLowerCase() + "-server",
                List.of(Set.of("A", "B", "D"), Set.of("A"), Set.of("B", "D")));
    }
}
