// Branch-and-merge history written by the reference (cojson 0.20.19), for BranchMergeInteropTest.
//
//   node branch-merge.mjs <interop dir> <ws://server>
//
// Creates an account, a group, a map and a list; branches both, edits the branches and the
// sources, merges, waits until the server has everything, then prints one JSON line:
// {accountID, agentSecret, map, mapBranch, list, listBranch, fww, views: {<id>: toJSON()}}.
// It also writes a map with first-writer-wins races in private (encrypted) metas.
// Diagnostics go to stderr. Runs next to account-node.mjs (the connection).
import { accountNode } from "./account-node.mjs";

const [dir, url] = process.argv.slice(2);
const { node, created, crypto, common, wsPeer } = await accountNode(dir, url, "brancher");

const tick = () => new Promise((r) => setTimeout(r, 3)); // distinct madeAt for every write
const group = node.createGroup();

const map = group.createMap();
map.set("a", 1); await tick();
map.set("b", 1); await tick();
const mapBranch = map.core.createBranch("draft").getCurrentContent();
mapBranch.set("a", 2); await tick();
mapBranch.set("c", 3, "trusting"); await tick();
map.set("b", 5); await tick();
map.set("a", 9); await tick();          // later than the branch's a=2: must win after the merge
mapBranch.set("d", 4); await tick();
mapBranch.core.mergeBranch(); await tick();
mapBranch.set("e", 5); await tick();    // a second merge carries only this one
mapBranch.core.mergeBranch(); await tick();

const list = group.createList();
list.append("x"); await tick();
list.append("y"); await tick();
const listBranch = list.core.createBranch("draft").getCurrentContent();
listBranch.append("z"); await tick();   // anchored on a source item
listBranch.append("w"); await tick();   // anchored on a branch item (its OpID names the branch)
listBranch.prepend("first"); await tick();
list.append("q"); await tick();         // source edit after the branch start
listBranch.delete(listBranch.asArray().indexOf("y")); await tick();
listBranch.core.mergeBranch(); await tick();

// First-writer-wins with encrypted metas: the race is only visible after decryption.
const fww = group.createMap();
fww.core.makeTransaction([{ op: "set", key: "owner", value: "first" }], "private", { fww: "init" }); await tick();
fww.core.makeTransaction([{ op: "set", key: "owner", value: "second" }], "private", { fww: "init" }); await tick();
fww.core.makeTransaction([{ op: "set", key: "n", value: 1 }], "trusting", { fww: 1 }); await tick();
fww.core.makeTransaction([{ op: "set", key: "n", value: 2 }], "private", { fww: 1 }); await tick();
fww.core.makeTransaction([{ op: "set", key: "s", value: "number key" }], "private", { fww: "1" }); await tick();

await node.syncManager.waitForAllCoValuesSync(20000);
const ids = [map.id, mapBranch.id, list.id, listBranch.id, fww.id];
const views = {};
for (const id of ids) views[id] = node.getCoValue(id).getCurrentContent().toJSON();
common.emit({
  accountID: created.accountID,
  agentSecret: created.accountSecret,
  map: map.id,
  mapBranch: mapBranch.id,
  list: list.id,
  listBranch: listBranch.id,
  fww: fww.id,
  views,
});
wsPeer.disable();
await node.gracefulShutdown();
process.exit(0);
