// Helpers shared by w7.mjs and w8.mjs: the result line of the spec (benchmarks.md), RSS,
// percentiles, bounded waits and child processes that announce themselves with one JSON line.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const now = () => performance.now();
export const secs = (ms) => Number((ms / 1000).toFixed(6));
export const peakRssMb = () => Number((process.resourceUsage().maxRSS / 1024).toFixed(1)); // KiB
export const rssNowMb = () => Number((process.memoryUsage().rss / 1048576).toFixed(1));

export function result(workload, n, ms, extra = {}, peakRss = peakRssMb()) {
  const seconds = ms / 1000;
  return {
    workload,
    n,
    seconds: Number(seconds.toFixed(6)),
    ops_per_s: Number((n / seconds).toFixed(1)),
    peak_rss_mb: peakRss,
    node: process.version,
    crypto: "cojson-core-napi",
    ...extra,
  };
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}

/** Option `--name=value` of argv, or the fallback. */
export function argValue(name, fallback) {
  const prefix = `--${name}=`;
  const hit = process.argv.find((a) => a.startsWith(prefix));
  return hit ? hit.slice(prefix.length) : fallback;
}

/** Nearest-rank percentile (p in 0..100) of a sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what} after ${ms}ms`)), ms);
    }),
  ]);
}

/**
 * Spawns a child that prints a JSON object line (lines before it go to stderr); resolves {child, info, lines} once it
 * arrives (bounded by timeoutMs). `lines` collects every later stdout line.
 */
export function spawnJsonLine(cmd, args, timeoutMs, what, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"], ...opts });
    const lines = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${what} printed nothing within ${timeoutMs}ms`));
    }, timeoutMs);
    const rl = createInterface({ input: child.stdout });
    let first = true;
    rl.on("line", (line) => {
      if (!first) {
        lines.push(line);
        return;
      }
      if (!line.startsWith("{")) {
        // a JVM may print lines before the child's own (a stale CDS archive, an agent): pass them on
        process.stderr.write(`${what}: ${line}\n`);
        return;
      }
      first = false;
      clearTimeout(timer);
      try {
        resolve({ child, info: JSON.parse(line), lines });
      } catch (e) {
        child.kill("SIGKILL");
        reject(new Error(`${what}: not a JSON line: ${line}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (first) reject(new Error(`${what} exited early (${code})`));
    });
  });
}

/** Waits (bounded) for a child to exit; kills it when the bound passes. Resolves its exit code. */
export function waitExit(child, timeoutMs) {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Stops a server child: closes its stdin, SIGTERM, bounded wait, SIGKILL. */
export async function stopChild(child) {
  child.stdin?.end();
  child.kill("SIGTERM");
  await waitExit(child, 10_000);
}

/** Sum of a map view's values; it must have exactly `expectedKeys` keys. */
export function mapChecksum(obj, expectedKeys) {
  const keys = Object.keys(obj);
  assert(keys.length === expectedKeys, `expected ${expectedKeys} keys, got ${keys.length}`);
  let sum = 0;
  for (const k of keys) sum += obj[k];
  return sum;
}

/** Expected value_sum after sets i=0..n-1 of key k{i%100} := i. */
export function expectedMapSum(n, keys = 100) {
  let sum = 0;
  for (let r = 0; r < keys && r < n; r++) sum += r + keys * Math.floor((n - 1 - r) / keys);
  return sum;
}
