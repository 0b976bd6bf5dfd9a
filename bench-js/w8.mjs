// W8 large list: the reference (cojson 0.20.19, SQLite storage via node-sqlite3-wasm) builds a
// CoList of N items (N/B transactions of B trusting appends each, `appendItems` at the end) into
// a SQLite file (setup), then a FRESH node process opens that file, loads the list (with its
// group and account) and reads all of it (`asArray()`). Timed: storage open + load + full read,
// in the fresh process; peak RSS is that process's.
//
//   node w8.mjs [--items=100000] [--per-tx=100] [--dir=DIR]
//
// Prints one JSON line (benchmarks.md). Check: {length, weighted_sum = Σ (p+1)·view[p]}, with
// item i = the number i, so weighted_sum = Σ_{p<N} (p+1)·p (the Java bench computes the same).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalNode, getSqliteStorage } from "cojson";
import { NapiCrypto } from "cojson/crypto/NapiCrypto";
import { WasmSqliteDriver } from "./lib/sqlite-wasm-driver.mjs";
import {
  argValue,
  assert,
  now,
  result,
  rssNowMb,
  secs,
  spawnJsonLine,
  waitExit,
  withTimeout,
} from "./lib/bench-common.mjs";

const LOAD_TIMEOUT_MS = 240_000;

function expectedWeightedSum(n) {
  let s = 0;
  for (let p = 0; p < n; p++) s += (p + 1) * p;
  return s;
}

/** Setup: the list in a SQLite file. Returns the list's id and the build time. */
async function build(file, items, perTx) {
  const crypto = await NapiCrypto.create();
  const driver = new WasmSqliteDriver(file);
  try {
    const { node, accountID } = await LocalNode.withNewlyCreatedAccount({
      creationProps: { name: "writer" },
      crypto,
      storage: getSqliteStorage(driver),
    });
    const group = node.createGroup();
    const list = group.createList();
    const t0 = now();
    for (let i = 0; i < items; i += perTx) {
      const batch = [];
      for (let j = i; j < Math.min(items, i + perTx); j++) batch.push(j);
      list.appendItems(batch, undefined, "trusting");
    }
    const t1 = now();
    for (const id of [accountID, group.id, list.id]) {
      await withTimeout(node.syncManager.waitForStorageSync(id), 120_000, `storage of ${id}`);
    }
    const t2 = now();
    await node.gracefulShutdown();
    return { id: list.id, buildMs: t1 - t0, storeWaitMs: t2 - t1 };
  } finally {
    driver.closeDb();
  }
}

/** The timed part, in a fresh process: open storage, load the list, read all of it. */
async function load(file, id, items) {
  const crypto = await NapiCrypto.create();
  const secret = crypto.newRandomAgentSecret();
  const node = new LocalNode(secret, crypto.newRandomSessionID(crypto.getAgentID(secret)), crypto);
  const rssBefore = rssNowMb();

  const t0 = now();
  const driver = new WasmSqliteDriver(file);
  node.setStorage(getSqliteStorage(driver));
  const t1 = now();
  const loaded = await withTimeout(node.load(id), LOAD_TIMEOUT_MS, "load of the list");
  assert(loaded !== "unavailable", "the list loads from storage");
  // Storage streams a large CoValue in pieces and load() resolves with the first: wait for all.
  const core = node.getCoValue(id);
  await withTimeout(core.waitForFullStreaming(), LOAD_TIMEOUT_MS, "streaming of the list");
  const list = core.getCurrentContent();
  const t2 = now();
  const view = list.asArray();
  let weighted = 0;
  for (let p = 0; p < view.length; p++) weighted += (p + 1) * view[p];
  const t3 = now();

  assert(view.length === items, `list length ${view.length} != ${items}`);
  for (let p = 0; p < view.length; p++) assert(view[p] === p, `item ${p} is ${view[p]}`);
  assert(weighted === expectedWeightedSum(items), `weighted_sum ${weighted}`);
  const res = result("W8", items, t3 - t0, {
    privacy: "trusting",
    detail: {
      open_s: secs(t1 - t0),
      load_s: secs(t2 - t1),
      read_s: secs(t3 - t2),
      rss_before_mb: rssBefore,
      storage: "sqlite (node-sqlite3-wasm)",
    },
    check: { length: view.length, weighted_sum: weighted },
  });
  await node.gracefulShutdown();
  driver.closeDb();
  return res;
}

async function main() {
  const items = Number(argValue("items", "100000"));
  const perTx = Number(argValue("per-tx", "100"));
  assert(items > 0 && perTx > 0, "--items and --per-tx must be positive");
  if (process.argv.includes("--load")) {
    const r = await load(argValue("db", ""), argValue("id", ""), items);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  }
  const given = argValue("dir", undefined);
  const dir = given ?? mkdtempSync(join(tmpdir(), "w8-js-"));
  const file = join(dir, "w8.sqlite");
  try {
    const built = await build(file, items, perTx);
    const args = [fileURLToPath(import.meta.url), "--load", `--db=${file}`, `--id=${built.id}`, `--items=${items}`];
    const { child, info } = await spawnJsonLine(process.execPath, args, LOAD_TIMEOUT_MS, "W8 load process");
    const code = await waitExit(child, 30_000);
    assert(code === 0, `the load process exited with ${code}`);
    info.detail = {
      ...info.detail,
      build_s: secs(built.buildMs),
      store_wait_s: secs(built.storeWaitMs),
      transactions: Math.ceil(items / perTx),
      items_per_transaction: perTx,
      db_bytes: statSync(file).size,
      topology: "built in the driver process; loaded in a fresh node process",
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
