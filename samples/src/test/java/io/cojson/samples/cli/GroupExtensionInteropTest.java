package io.cojson.samples.cli;

import java.util.List;
import java.util.Set;

/**
 * Roles, reads, writes and keys through extended groups (covalues.md §5.5, §5.6): nested parents,
 * {@code extend} and explicit role mappings, cycles, {@code everyone} in a parent, extending a parent
 * one is not a member of (group sealer), revoking in a parent and inherited admins. Six clients run the script as reference clients, as Java clients,
 * and mixed (the admin of one kind, the members of the other), through each server; every answer
 * must be the reference clients' answer (see target/group-extension-*.txt).
 *
 * <p>Not scripted: {@code revokeExtend} (ref-client has no command for it). What a member removed
 * from a parent reads afterwards is scripted at the end; {@link ChildKeyRotationInteropTest} covers
 * child-key rotation in depth.
 */
class GroupExtensionInteropTest extends BothServersInteropTest {

    static final String SCRIPT = """
            # A: Alice, admin of every group; B: Bob, C: Carol, D: Dave, E: Eve, F: Frank
            A> {"cmd":"createAccount","name":"Alice"} | me=accountID
            B> {"cmd":"createAccount","name":"Bob"} | bob=accountID
            C> {"cmd":"createAccount","name":"Carol"} | carol=accountID
            D> {"cmd":"createAccount","name":"Dave"} | dave=accountID
            E> {"cmd":"createAccount","name":"Eve"} | eve=accountID
            F> {"cmd":"createAccount","name":"Frank"} | frank=accountID
            # nested parents: child c extends parent p, which extends grandparent gp; roles in p: Bob writer,
            # Carol reader (and writer in gp), Dave admin, Eve writeOnly (never inherited); Frank is only in gp
            A> {"cmd":"createGroup","name":"grand"} | gp=id
            A> {"cmd":"createGroup","name":"parent"} | p=id
            A> {"cmd":"createGroup","name":"child"} | c=id
            A> {"cmd":"addMember","group":"${p}","member":"${bob}","role":"writer"}
            A> {"cmd":"addMember","group":"${p}","member":"${carol}","role":"reader"}
            A> {"cmd":"addMember","group":"${p}","member":"${dave}","role":"admin"}
            A> {"cmd":"addMember","group":"${p}","member":"${eve}","role":"writeOnly"}
            A> {"cmd":"addMember","group":"${gp}","member":"${carol}","role":"writer"}
            A> {"cmd":"addMember","group":"${gp}","member":"${frank}","role":"writer"}
            A> {"cmd":"extendGroup","group":"${p}","parent":"${gp}"}
            A> {"cmd":"extendGroup","group":"${c}","parent":"${p}","sync":true}
            A> {"cmd":"roleOf","group":"${c}","member":"${me}"}
            A> {"cmd":"roleOf","group":"${c}","member":"${bob}"}
            A> {"cmd":"roleOf","group":"${c}","member":"${carol}"}
            A> {"cmd":"roleOf","group":"${p}","member":"${carol}"}
            A> {"cmd":"roleOf","group":"${c}","member":"${dave}"}
            A> {"cmd":"roleOf","group":"${c}","member":"${eve}"}
            A> {"cmd":"roleOf","group":"${c}","member":"everyone"}
            # writes by inherited writers (Bob from p, Carol and Frank from gp through p: keys resolved through
            # two levels), reads by them, none by Eve (no key); an inherited admin (Dave) manages c; a writer
            # may not extend c
            A> {"cmd":"createMap","owner":"${c}","init":{"title":"t"},"sync":true} | m=id
            A> {"cmd":"waitSynced"}
            B> {"cmd":"roleOf","group":"${c}","member":"${bob}"}
            B> {"cmd":"get","id":"${m}"}
            B> {"cmd":"set","id":"${m}","key":"bob","value":1,"sync":true}
            B> {"cmd":"extendGroup","group":"${c}","parent":"${gp}"}
            C> {"cmd":"get","id":"${m}"}
            C> {"cmd":"set","id":"${m}","key":"carol","value":2,"sync":true}
            E> {"cmd":"get","id":"${m}"}
            E> {"cmd":"set","id":"${m}","key":"eve","value":3,"sync":true}
            F> {"cmd":"roleOf","group":"${c}","member":"${frank}"}
            F> {"cmd":"get","id":"${m}"}
            F> {"cmd":"set","id":"${m}","key":"frank","value":4,"sync":true}
            D> {"cmd":"roleOf","group":"${c}","member":"${dave}"}
            D> {"cmd":"addMember","group":"${c}","member":"${eve}","role":"reader","sync":true}
            A> {"cmd":"waitFor","id":"${m}","path":"bob","expected":1}
            A> {"cmd":"waitFor","id":"${m}","path":"carol","expected":2}
            A> {"cmd":"waitFor","id":"${m}","path":"frank","expected":4}
            A> {"cmd":"waitFor","id":"${c}","path":"${eve}","expected":"reader"}
            A> {"cmd":"get","id":"${m}"}
            A> {"cmd":"roleOf","group":"${c}","member":"${eve}"}
            # explicit mappings replace the parent role: reader (a parent admin becomes a reader), writer,
            # admin, manager; writeOnly is never inherited; mapping revoked ends the extension
            A> {"cmd":"createGroup","name":"readers"} | c2=id
            A> {"cmd":"extendGroup","group":"${c2}","parent":"${p}","role":"reader","sync":true}
            A> {"cmd":"roleOf","group":"${c2}","member":"${bob}"}
            A> {"cmd":"roleOf","group":"${c2}","member":"${dave}"}
            A> {"cmd":"roleOf","group":"${c2}","member":"${eve}"}
            A> {"cmd":"createMap","owner":"${c2}","init":{"x":1},"sync":true} | m2=id
            B> {"cmd":"get","id":"${m2}"}
            B> {"cmd":"createMap","owner":"${c2}"}
            A> {"cmd":"createGroup","name":"writers"} | c3=id
            A> {"cmd":"extendGroup","group":"${c3}","parent":"${p}","role":"writer","sync":true}
            A> {"cmd":"roleOf","group":"${c3}","member":"${carol}"}
            A> {"cmd":"roleOf","group":"${c3}","member":"${dave}"}
            A> {"cmd":"extendGroup","group":"${c3}","parent":"${p}","role":"revoked"}
            A> {"cmd":"roleOf","group":"${c3}","member":"${carol}"}
            A> {"cmd":"roleOf","group":"${c3}","member":"${dave}"}
            A> {"cmd":"createGroup","name":"admins"} | c4=id
            A> {"cmd":"extendGroup","group":"${c4}","parent":"${p}","role":"admin","sync":true}
            A> {"cmd":"roleOf","group":"${c4}","member":"${carol}"}
            A> {"cmd":"roleOf","group":"${c4}","member":"${eve}"}
            A> {"cmd":"extendGroup","group":"${c4}","parent":"${p}","role":"manager"}
            A> {"cmd":"roleOf","group":"${c4}","member":"${bob}"}
            # cycles: the reference writes nothing and answers ok
            A> {"cmd":"extendGroup","group":"${c4}","parent":"${c4}"}
            A> {"cmd":"extendGroup","group":"${gp}","parent":"${c}"}
            A> {"cmd":"roleOf","group":"${gp}","member":"${bob}"}
            # everyone in a parent: everyone reader, then writer, passes to every account in the child
            A> {"cmd":"createGroup","name":"pub"} | pub=id
            A> {"cmd":"addMember","group":"${pub}","member":"everyone","role":"reader"}
            A> {"cmd":"createGroup","name":"pubchild"} | pc=id
            A> {"cmd":"extendGroup","group":"${pc}","parent":"${pub}","sync":true}
            A> {"cmd":"roleOf","group":"${pc}","member":"${bob}"}
            A> {"cmd":"roleOf","group":"${pc}","member":"everyone"}
            A> {"cmd":"createMap","owner":"${pc}","init":{"open":true},"sync":true} | pm=id
            E> {"cmd":"get","id":"${pm}"}
            A> {"cmd":"addMember","group":"${pub}","member":"everyone","role":"writer","sync":true}
            E> {"cmd":"waitFor","id":"${pub}","path":"everyone","expected":"writer"}
            E> {"cmd":"roleOf","group":"${pc}","member":"${eve}"}
            E> {"cmd":"set","id":"${pm}","key":"eve","value":5,"sync":true}
            A> {"cmd":"waitFor","id":"${pm}","path":"eve","expected":5}
            E> {"cmd":"roleOf","group":"${pc}","member":"everyone"}
            # ... but not to a member whose own role in the parent (writeOnly) is not inherited
            A> {"cmd":"createGroup","name":"open"} | wo=id
            A> {"cmd":"addMember","group":"${wo}","member":"${eve}","role":"writeOnly"}
            A> {"cmd":"addMember","group":"${wo}","member":"everyone","role":"writer"}
            A> {"cmd":"createGroup","name":"openchild"} | woc=id
            A> {"cmd":"extendGroup","group":"${woc}","parent":"${wo}","sync":true}
            A> {"cmd":"roleOf","group":"${woc}","member":"${eve}"}
            A> {"cmd":"roleOf","group":"${woc}","member":"${bob}"}
            A> {"cmd":"roleOf","group":"${woc}","member":"everyone"}
            A> {"cmd":"roleOf","group":"${wo}","member":"${eve}"}
            # extending a parent the extender is not a member of: the child key is sealed to the parent's
            # group sealer; the parent's members resolve it from there (Bob, admin there, adds Carol)
            B> {"cmd":"createGroup","name":"bobs"} | bp=id
            B> {"cmd":"addMember","group":"${bp}","member":"${carol}","role":"reader","sync":true}
            A> {"cmd":"createGroup","name":"alices"} | c5=id
            A> {"cmd":"extendGroup","group":"${c5}","parent":"${bp}","sync":true}
            A> {"cmd":"roleOf","group":"${c5}","member":"${bob}"}
            A> {"cmd":"roleOf","group":"${c5}","member":"${carol}"}
            A> {"cmd":"createMap","owner":"${c5}","init":{"a":1},"sync":true} | m5=id
            C> {"cmd":"get","id":"${m5}"}
            B> {"cmd":"get","id":"${m5}"}
            B> {"cmd":"set","id":"${m5}","key":"b","value":2,"sync":true}
            B> {"cmd":"addMember","group":"${c5}","member":"${carol}","role":"writer","sync":true}
            C> {"cmd":"waitFor","id":"${c5}","path":"${carol}","expected":"writer"}
            C> {"cmd":"set","id":"${m5}","key":"c","value":3,"sync":true}
            A> {"cmd":"waitFor","id":"${m5}","path":"c","expected":3}
            A> {"cmd":"get","id":"${m5}"}
            # deleting a value of c needs admin there: an inherited admin may, an inherited writer may not
            A> {"cmd":"createMap","owner":"${c}","init":{"doomed":true},"sync":true} | md=id
            B> {"cmd":"deleteCoValue","id":"${md}"}
            D> {"cmd":"deleteCoValue","id":"${md}","sync":true}
            D> {"cmd":"get","id":"${md}"}
            # revoking in the parent: Carol keeps only her direct reader role, Bob loses his role in c, and
            # Carol (still a reader through p) reads what is written after the rotation
            A> {"cmd":"removeMember","group":"${gp}","member":"${carol}","sync":true}
            C> {"cmd":"waitFor","id":"${gp}","path":"${carol}","expected":"revoked"}
            C> {"cmd":"roleOf","group":"${c}","member":"${carol}"}
            C> {"cmd":"roleOf","group":"${p}","member":"${carol}"}
            A> {"cmd":"removeMember","group":"${p}","member":"${bob}","sync":true}
            A> {"cmd":"waitSynced"}
            B> {"cmd":"waitFor","id":"${p}","path":"${bob}","expected":"revoked"}
            B> {"cmd":"roleOf","group":"${c}","member":"${bob}"}
            A> {"cmd":"set","id":"${m}","key":"after","value":"secret","sync":true}
            C> {"cmd":"waitFor","id":"${m}","path":"after","expected":"secret"}
            A> {"cmd":"get","id":"${m}"}
            # Bob, removed from p, reads nothing written after the rotation of p and c (A.0)
            A> {"cmd":"set","id":"${m}","key":"marker","value":1,"privacy":"trusting","sync":true}
            B> {"cmd":"waitFor","id":"${m}","path":"marker","expected":1}
            B> {"cmd":"get","id":"${m}"}
            """;

    /** All-Java, then mixed both ways (a Java admin with JS members, a JS admin with Java members), through each server. */
    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, ClientScripts.parse(SCRIPT), "group-extension-" + server.name().toLowerCase() + "-server",
                List.of(Set.of("A", "B", "C", "D", "E", "F"), Set.of("A"), Set.of("B", "C", "D", "E", "F")));
    }
}
