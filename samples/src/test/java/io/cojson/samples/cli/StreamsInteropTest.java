package io.cojson.samples.cli;

import java.util.List;
import java.util.Set;

/**
 * Streams between a JS and a Java client (issue 12 A.5), run with reference clients, then with B,
 * A, and both as Java clients, through both servers; every answer must be the reference run's text
 * (see target/streams-*.txt). Both peers push (private and trusting), with a pause between the
 * sides so the order by madeAt never rests on a tie; each peer's full view: items, by account,
 * each session's items ({@code bySession} by the session IDs from {@code whoami}), entries; what
 * an init writes (one transaction for all items, none for an empty one) for each kind of value.
 */
class StreamsInteropTest extends BothServersInteropTest {

    static final String STREAMS = """
            B> {"cmd":"createAccount","name":"B"} | bob=accountID
            A> {"cmd":"createAccount","name":"A"}
            A> {"cmd":"whoami"} | sa=sessionID
            B> {"cmd":"whoami"} | sb=sessionID
            A> {"cmd":"createGroup"} | g=id
            A> {"cmd":"addMember","group":"${g}","member":"${bob}","role":"writer","sync":true}
            A> {"cmd":"createStream","owner":"${g}","init":[0,"init"],"sync":true} | s=id
            A> {"cmd":"push","id":"${s}","value":{"n":1,"u":"\\u00fc\\ud83d\\ude00"}}
            A> {"cmd":"push","id":"${s}","value":"two","privacy":"trusting","sync":true}
            A> {"cmd":"get","id":"${s}"}
            A> {"cmd":"sleep","ms":20}
            B> {"cmd":"waitFor","id":"${s}","path":"items.3","expected":"two"}
            B> {"cmd":"push","id":"${s}","value":[3,null,true]}
            B> {"cmd":"push","id":"${s}","value":1e21,"privacy":"trusting"}
            B> {"cmd":"push","id":"${s}","value":null,"sync":true}
            B> {"cmd":"get","id":"${s}","path":["bySession","${sb}"]}
            B> {"cmd":"sleep","ms":20}
            A> {"cmd":"waitFor","id":"${s}","path":"items.length","expected":7}
            A> {"cmd":"push","id":"${s}","value":"last","sync":true}
            A> {"cmd":"get","id":"${s}"}
            A> {"cmd":"get","id":"${s}","path":["bySession","${sa}"]}
            A> {"cmd":"get","id":"${s}","path":["bySession","${sb}"]}
            A> {"cmd":"get","id":"${s}","path":"byAccount"}
            B> {"cmd":"waitFor","id":"${s}","path":"items.7","expected":"last"}
            B> {"cmd":"get","id":"${s}"}
            B> {"cmd":"get","id":"${s}","path":["bySession","${sa}"]}
            B> {"cmd":"get","id":"${s}","path":"entries.7"}
            B> {"cmd":"push","id":"${s}"}
            B> {"cmd":"push","id":"${s}","value":1,"privacy":"secret"}
            # what an init writes: one transaction with every item, none for an empty list
            A> {"cmd":"createStream","owner":"${g}","init":[]} | s0=id
            A> {"cmd":"knownState","id":"${s0}"}
            A> {"cmd":"createStream","owner":"${g}","init":[1,[2],{"three":3}],"privacy":"trusting"} | s3=id
            A> {"cmd":"exportContent","id":"${s3}"}
            A> {"cmd":"createMap","owner":"${g}","init":{}} | m0=id
            A> {"cmd":"knownState","id":"${m0}"}
            A> {"cmd":"createMap","owner":"${g}","init":{"a":1,"b":[2]},"privacy":"trusting"} | m2=id
            A> {"cmd":"exportContent","id":"${m2}"}
            A> {"cmd":"createList","owner":"${g}","init":[]} | l0=id
            A> {"cmd":"knownState","id":"${l0}"}
            A> {"cmd":"createText","owner":"${g}","init":""} | t0=id
            A> {"cmd":"knownState","id":"${t0}"}
            """;

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, ClientScripts.parse(STREAMS), "streams-" + server.name().toLowerCase() + "-server",
                List.of(Set.of("B"), Set.of("A"), Set.of("A", "B")));
    }
}
