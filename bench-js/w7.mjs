// W7 server fan-out: one writer and S subscribers (account nodes, cojson 0.20.19, all in this
// process, one WebSocket each) on one sync server in its own process: the reference server
// (./sync-server.mjs, in memory) or the Java server (`java -jar cojson-samples.jar server --port 0`,
// in memory).
//
//   node w7.mjs [--server=ref|java] [--jar=PATH] [--java-opts="..."] [--clients=50] [--edits=2000]
//
// Setup (not timed): the writer creates a group and an empty trusting CoMap and waits until the
// server has it; every subscriber loads it through the server and subscribes.
// Timed: from just before edit 0 until every subscriber has seen edit E-1. Edit i is
// `map.set("k" + (i % 100), i, "trusting")`, one transaction; after each edit the writer yields
// to its event loop (setImmediate) so that the edit is sent as it is made, as an app's edits are
// (a tight loop would send nothing until it ends). Latency of edit i at subscriber s: from just
// before the writer's set(i) until the first notification of s whose view holds i+1
// transactions (edits arrive in session order). p50/p99 over all S*E samples (nearest rank).
// Check: every subscriber's final view has the same fingerprint {keys, value_sum}.
import { WebSocket } from "ws";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { LocalNode } from "cojson";
import { NapiCrypto } from "cojson/crypto/NapiCrypto";
import { createWebSocketPeer } from "cojson-transport-ws";
import {
  argValue,
  assert,
  expectedMapSum,
  mapChecksum,
  now,
  percentile,
  result,
  rssNowMb,
  secs,
  spawnJsonLine,
  stopChild,
  withTimeout,
} from "./lib/bench-common.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SETUP_TIMEOUT_MS = 60_000;
const CONVERGE_TIMEOUT_MS = 120_000;
const KEYS = 100;
const key = (i) => `k${i % KEYS}`;

async function startServer(kind) {
  if (kind === "ref") {
    const s = await spawnJsonLine(process.execPath, [join(HERE, "sync-server.mjs"), "--port=0", "--max-seconds=600"],
      30_000, "reference sync server");
    return { child: s.child, url: s.info.url };
  }
  const jar = resolve(argValue("jar", join(HERE, "..", "samples", "target", "cojson-samples.jar")));
  const opts = argValue("java-opts", "").split(/\s+/).filter(Boolean);
  const s = await spawnJsonLine("java", [...opts, "-jar", jar, "server", "--port", "0"], 60_000, "Java sync server");
  assert(s.info.ready === true, `Java server ready line: ${JSON.stringify(s.info)}`);
  return { child: s.child, url: `ws://127.0.0.1:${s.info.port}` };
}

/** VmHWM of a child (Linux), MB; null elsewhere. */
function childPeakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number((Number(m[1]) / 1024).toFixed(1)) : null;
  } catch {
    return null;
  }
}

/** User+system CPU seconds a child has used so far (Linux /proc, clock ticks of 1/100 s); null elsewhere. */
function childCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // the name may hold spaces
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

async function connectedAccountNode(crypto, name, url) {
  const ws = new WebSocket(url);
  const peer = createWebSocketPeer({ id: "sync-server", websocket: ws, role: "server" });
  const { node } = await LocalNode.withNewlyCreatedAccount({ creationProps: { name }, crypto, peers: [peer] });
  return { node, ws };
}

/** Transactions of a CoValue (all sessions). */
function txCount(core) {
  let c = 0;
  for (const v of Object.values(core.knownState().sessions)) c += v;
  return c;
}

async function run(kind, clients, edits) {
  const crypto = await NapiCrypto.create();
  const server = await startServer(kind);
  const nodes = [];
  try {
    const writer = await connectedAccountNode(crypto, "writer", server.url);
    nodes.push(writer);
    const map = writer.node.createGroup().createMap();
    await withTimeout(writer.node.syncManager.waitForSync(map.id), SETUP_TIMEOUT_MS, "initial upload");
    const subs = [];
    for (let s = 0; s < clients; s++) {
      const c = await connectedAccountNode(crypto, `subscriber-${s}`, server.url);
      nodes.push(c);
      subs.push(c);
    }
    const loaded = await withTimeout(Promise.all(subs.map((c) => c.node.load(map.id))), SETUP_TIMEOUT_MS, "subscribers' loads");
    assert(loaded.every((m) => m !== "unavailable"), "every subscriber loads the map");

    const editStart = new Float64Array(edits);
    const arrival = new Float64Array(clients * edits); // arrival[s * edits + i]
    const seen = new Int32Array(clients);
    let notifications = 0;
    let done = 0;
    let resolveAll;
    const all = new Promise((r) => (resolveAll = r));
    const unsubscribes = loaded.map((m, s) =>
      m.core.subscribe((core) => {
        notifications++;
        const t = now();
        const count = Math.min(edits, txCount(core));
        for (let i = seen[s]; i < count; i++) arrival[s * edits + i] = t;
        if (count === edits && seen[s] < edits && ++done === clients) resolveAll(t);
        seen[s] = Math.max(seen[s], count);
      }, false),
    );
    const rssBefore = rssNowMb();
    const serverCpu0 = childCpuSeconds(server.child.pid);

    const t0 = now();
    for (let i = 0; i < edits; i++) {
      editStart[i] = now();
      map.set(key(i), i, "trusting");
      await new Promise((r) => setImmediate(r));
    }
    const t1 = now();
    const tEnd = await withTimeout(all, CONVERGE_TIMEOUT_MS, "every subscriber has the last edit");
    const peak = Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
    const serverPeak = childPeakRssMb(server.child.pid);
    const serverCpu1 = childCpuSeconds(server.child.pid);
    for (const u of unsubscribes) u();

    const latencies = new Float64Array(clients * edits);
    for (let s = 0; s < clients; s++) {
      for (let i = 0; i < edits; i++) latencies[s * edits + i] = arrival[s * edits + i] - editStart[i];
    }
    latencies.sort();
    let fingerprint;
    for (const m of loaded) {
      const view = m.core.getCurrentContent().asObject();
      const fp = { keys: Object.keys(view).length, value_sum: mapChecksum(view, Math.min(KEYS, edits)) };
      if (fingerprint) assert(JSON.stringify(fp) === JSON.stringify(fingerprint), "subscribers' views differ");
      fingerprint = fp;
    }
    assert(fingerprint.value_sum === expectedMapSum(edits), `value_sum ${fingerprint.value_sum}`);
    return result("W7", edits, tEnd - t0, {
      privacy: "trusting",
      detail: {
        write_s: secs(t1 - t0),
        propagate_after_last_write_s: secs(tEnd - t1),
        latency_p50_s: secs(percentile(latencies, 50)),
        latency_p99_s: secs(percentile(latencies, 99)),
        latency_max_s: secs(latencies[latencies.length - 1]),
        notifications,
        clients,
        rss_before_mb: rssBefore,
        server: kind,
        server_peak_rss_mb: serverPeak,
        // the server's CPU in the timed region: both servers share the 2 cores with the clients
        server_cpu_s: serverCpu0 === null || serverCpu1 === null ? null : Number((serverCpu1 - serverCpu0).toFixed(2)),
        topology: `writer + ${clients} subscribers in this node process (one WebSocket each); ${kind} server in a child process; ws://127.0.0.1`,
      },
      check: { subscribers: loaded.length, keys: fingerprint.keys, value_sum: fingerprint.value_sum },
    }, peak);
  } finally {
    for (const c of nodes) c.ws.close();
    await withTimeout(Promise.allSettled(nodes.map((c) => c.node.gracefulShutdown())), 10_000, "shutdown").catch(() => {});
    await stopChild(server.child);
  }
}

const kind = argValue("server", "ref");
assert(kind === "ref" || kind === "java", "--server must be ref or java");
const r = await run(kind, Number(argValue("clients", "50")), Number(argValue("edits", "2000")));
process.stdout.write(`${JSON.stringify(r)}\n`);
process.exit(0);
