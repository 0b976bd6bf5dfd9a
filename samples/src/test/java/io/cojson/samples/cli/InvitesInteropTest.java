package io.cojson.samples.cli;

import java.util.List;
import java.util.Set;

/**
 * Invites between JS and Java clients (issue 12 A.5): one per role (reader, writer, admin,
 * manager, writeOnly), each accepted by a fresh account, then what each can read and write;
 * invites for roles the reference rejects, accepting twice, a weaker invite after a stronger one,
 * an invite created by an invited admin, a wrong secret, a writeOnly invite to a group extending a
 * parent. Run with reference clients, then with the invitees and then the admin as Java clients
 * (both directions; six clients per run), through both servers; every answer must be the
 * reference run's text (see target/invites-*.txt).
 */
class InvitesInteropTest extends BothServersInteropTest {

    static final String INVITES = """
            A> {"cmd":"createAccount","name":"A"} | alice=accountID
            R> {"cmd":"createAccount","name":"R"} | r=accountID
            W> {"cmd":"createAccount","name":"W"} | w=accountID
            M> {"cmd":"createAccount","name":"M"} | m=accountID
            N> {"cmd":"createAccount","name":"N"} | n=accountID
            O> {"cmd":"createAccount","name":"O"} | o=accountID
            A> {"cmd":"createGroup"} | gi=id
            A> {"cmd":"createMap","owner":"${gi}","init":{"k":"v"},"sync":true} | mi=id
            A> {"cmd":"createInvite","group":"${gi}","role":"reader","sync":true} | ir=inviteSecret
            A> {"cmd":"createInvite","group":"${gi}","role":"writer","sync":true} | iw=inviteSecret
            A> {"cmd":"createInvite","group":"${gi}","role":"admin","sync":true} | im=inviteSecret
            A> {"cmd":"createInvite","group":"${gi}","role":"manager","sync":true}
            A> {"cmd":"createInvite","group":"${gi}","role":"writeOnly","sync":true} | io=inviteSecret
            A> {"cmd":"createInvite","group":"${gi}","role":"revoked"}
            A> {"cmd":"createInvite","group":"${gi}","role":"boss"}
            A> {"cmd":"createInvite","group":"${gi}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${r}"}
            # reader: reads, cannot write; accepting again changes nothing
            R> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${ir}"}
            R> {"cmd":"roleOf","group":"${gi}","member":"${r}"}
            R> {"cmd":"get","id":"${mi}"}
            # a reader's write: signed and synced (the reference checks no role), then ignored by every peer
            R> {"cmd":"set","id":"${mi}","key":"r","value":1,"sync":true}
            R> {"cmd":"get","id":"${mi}"}
            R> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${ir}"}
            R> {"cmd":"roleOf","group":"${gi}","member":"${r}"}
            # writer, through the map's ID; then a reader invite does not downgrade
            W> {"cmd":"acceptInvite","id":"${mi}","inviteSecret":"${iw}"}
            W> {"cmd":"roleOf","group":"${gi}","member":"${w}"}
            W> {"cmd":"set","id":"${mi}","key":"w","value":2,"sync":true}
            W> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${ir}"}
            W> {"cmd":"roleOf","group":"${gi}","member":"${w}"}
            # admin: adds a member itself
            M> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${im}"}
            M> {"cmd":"roleOf","group":"${gi}","member":"${m}"}
            M> {"cmd":"set","id":"${mi}","key":"m","value":3,"sync":true}
            M> {"cmd":"addMember","group":"${gi}","member":"${n}","role":"reader","sync":true}
            M> {"cmd":"createInvite","group":"${gi}","role":"writer","sync":true} | im2=inviteSecret
            # writeOnly: writes, reads nothing it did not write
            O> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${io}"}
            O> {"cmd":"roleOf","group":"${gi}","member":"${o}"}
            O> {"cmd":"get","id":"${mi}"}
            O> {"cmd":"set","id":"${mi}","key":"o","value":4,"sync":true}
            O> {"cmd":"get","id":"${mi}"}
            # N, made a reader by the admin, upgrades with the admin's writer invite; a wrong secret fails
            N> {"cmd":"waitFor","id":"${gi}","path":"${n}","expected":"reader"}
            N> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"inviteSecret_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz","timeoutMs":3000}
            N> {"cmd":"acceptInvite","id":"${gi}","inviteSecret":"${im2}"}
            N> {"cmd":"roleOf","group":"${gi}","member":"${n}"}
            N> {"cmd":"set","id":"${mi}","key":"n","value":5,"sync":true}
            A> {"cmd":"waitFor","id":"${mi}","path":"n","expected":5}
            A> {"cmd":"waitFor","id":"${mi}","path":"o","expected":4}
            A> {"cmd":"waitFor","id":"${mi}","path":"m","expected":3}
            A> {"cmd":"waitFor","id":"${mi}","path":"w","expected":2}
            A> {"cmd":"get","id":"${mi}"}
            A> {"cmd":"knownState","id":"${mi}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${r}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${w}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${m}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${n}"}
            A> {"cmd":"roleOf","group":"${gi}","member":"${o}"}
            # a writeOnly invite to a group that extends a parent: the invitee's write key is revealed to
            # the parent (sealed to its group sealer: the invite is no member there), so a reader of the
            # parent only reads the invitee's write
            A> {"cmd":"createGroup","name":"parent"} | gp=id
            A> {"cmd":"addMember","group":"${gp}","member":"${r}","role":"reader"}
            A> {"cmd":"createGroup","name":"child"} | gc=id
            A> {"cmd":"extendGroup","group":"${gc}","parent":"${gp}","sync":true}
            A> {"cmd":"createMap","owner":"${gc}","init":{"c":1},"sync":true} | mc=id
            A> {"cmd":"createInvite","group":"${gc}","role":"writeOnly","sync":true} | ioc=inviteSecret
            O> {"cmd":"acceptInvite","id":"${mc}","inviteSecret":"${ioc}"}
            O> {"cmd":"set","id":"${mc}","key":"o","value":"from O","sync":true}
            O> {"cmd":"get","id":"${mc}"}
            R> {"cmd":"waitFor","id":"${mc}","path":"o","expected":"from O"}
            R> {"cmd":"get","id":"${mc}"}
            A> {"cmd":"waitFor","id":"${mc}","path":"o","expected":"from O"}
            A> {"cmd":"get","id":"${gc}"}
            """;

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, ClientScripts.parse(INVITES), "invites-" + server.name().toLowerCase() + "-server",
                List.of(Set.of("R", "W", "M", "N", "O"), Set.of("A"))); // Java to Java: LocalNodeTest, ValuesApiTest, the other scripts
    }
}
