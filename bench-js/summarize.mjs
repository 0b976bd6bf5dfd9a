// Medians per configuration of interleave.sh's output: node summarize.mjs FILE
import { readFileSync } from "node:fs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rows = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const byConfig = new Map();
for (const r of rows) {
  if (!byConfig.has(r.config)) byConfig.set(r.config, []);
  byConfig.get(r.config).push(r);
}
for (const [config, rs] of byConfig) {
  const ok = rs.filter((r) => r.result);
  const d = (k) => ok.map((r) => r.result.detail?.[k]).filter((x) => typeof x === "number");
  const checks = new Set(ok.map((r) => JSON.stringify(r.result.check)));
  const out = {
    config,
    runs: ok.length,
    failed: rs.length - ok.length,
    seconds: median(ok.map((r) => r.result.seconds)),
    seconds_all: ok.map((r) => r.result.seconds),
    peak_rss_mb: median(ok.map((r) => r.result.peak_rss_mb)),
    load1: median(rs.map((r) => r.load1)),
    check: checks.size === 1 ? JSON.parse([...checks][0]) : [...checks],
  };
  for (const k of ["latency_p50_s", "latency_p99_s", "write_s", "server_peak_rss_mb", "server_cpu_s", "open_s", "load_s", "read_s", "build_s"]) {
    const xs = d(k);
    if (xs.length === ok.length && xs.length > 0) out[k] = median(xs);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
