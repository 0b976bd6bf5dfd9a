// Shared by the interop Node scripts (copied next to them): a reference LocalNode (cojson 0.20.19)
// with a new account, connected to the sync server at `url`. Modules are imported from the
// interop folder `dir` by absolute URL, so the scripts can live anywhere.
import { pathToFileURL } from "node:url";
import path from "node:path";

export async function accountNode(dir, url, name) {
  const mod = (p) => import(pathToFileURL(path.join(dir, p)).href);
  const common = await mod("lib/common.mjs");
  common.keepStdoutClean("error");
  const { LocalNode } = await mod("node_modules/cojson/dist/index.js");
  const { WebSocketPeerWithReconnection } = await mod("node_modules/cojson-transport-ws/dist/index.js");
  const { WebSocket } = await mod("node_modules/ws/wrapper.mjs");
  const { crypto } = await common.createCrypto("napi");

  const pending = []; // peers that connect before the node exists
  let node;
  const wsPeer = new WebSocketPeerWithReconnection({
    peer: url,
    reconnectionTimeout: 100,
    addPeer: (peer) => (node ? node.syncManager.addPeer(peer) : pending.push(peer)),
    removePeer: () => {},
    WebSocketConstructor: WebSocket,
  });
  wsPeer.enable();
  const created = await LocalNode.withNewlyCreatedAccount({ creationProps: { name }, peers: pending.splice(0), crypto });
  node = created.node;
  for (const p of pending.splice(0)) node.syncManager.addPeer(p);
  return { node, created, crypto, common, wsPeer };
}
