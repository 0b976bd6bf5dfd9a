#!/usr/bin/env python3
"""Interleaved benchmark comparison with the cojson JS reference (benchmarks.md).

For each round and workload: wait (up to --max-wait s) for the machine to be mostly idle, then run
the reference (`node bench.mjs W`, a fresh process), this SDK with JVM defaults
(`java -jar cojson-samples.jar bench W`) and with the flags `bench all` uses, each in a fresh
process. Appends every JSON line to --out, then prints medians, ratios (reference seconds / ours,
so >1 means we are faster), peak RSS, and whether every check fingerprint equals the reference's.

  python3 samples/scripts/compare-with-reference.py --rounds 3 --workloads W1,W2,W3,W4,W6
  python3 samples/scripts/compare-with-reference.py --analyze-only --out results.jsonl
"""
import argparse, collections, json, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUNED = "-XX:+UseSerialGC -Xms96m -Xmx256m -Xss512k -XX:TieredStopAtLevel=1"  # BenchAll.DEFAULT_JVM_OPTS


def cpu():
    with open("/proc/stat") as f:
        v = list(map(int, f.readline().split()[1:]))
    return v[3] + v[4], sum(v)


def idle_fraction(dt=1.0):
    i0, t0 = cpu()
    time.sleep(dt)
    i1, t1 = cpu()
    return (i1 - i0) / max(1, t1 - t0)


def wait_quiet(max_wait):
    start = time.time()
    while True:
        f = idle_fraction()
        if f >= 0.85 or time.time() - start > max_wait:
            return f


def run(args):
    jar = str(Path(args.jar).resolve())
    variants = {
        "ref": (["node", "bench.mjs"], args.reference),
        "java": (["java", "-jar", jar, "bench"], str(ROOT)),
        "java_tuned": (["java"] + args.tuned.split() + ["-jar", jar, "bench"], str(ROOT)),
    }
    with open(args.out, "a") as out:
        for rnd in range(1, args.rounds + 1):
            for w in args.workloads.split(","):
                idle = wait_quiet(args.max_wait)
                for v, (cmd, cwd) in variants.items():
                    p = subprocess.run(cmd + [w], cwd=cwd, capture_output=True, text=True, timeout=900)
                    if p.returncode != 0:
                        print("FAIL", v, w, p.returncode, p.stderr[-400:], flush=True)
                        continue
                    r = json.loads([l for l in p.stdout.splitlines() if l.strip()][-1])
                    out.write(json.dumps({"round": rnd, "variant": v, "w": w, "idle_before": round(idle, 2), "r": r}) + "\n")
                    out.flush()
                    print(rnd, v, w, "idle=%.2f" % idle, r["seconds"], r["peak_rss_mb"], r["check"], flush=True)


def analyze(path):
    recs = [json.loads(l) for l in open(path)]
    by = collections.defaultdict(list)
    for r in recs:
        by[(r["w"], r["variant"])].append(r["r"])
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    ok = True
    print("| workload | runs | ref s | ours s (JVM defaults) | ref/ours | ours s (bench-all flags) | ref/ours | RSS MB ref / defaults / flags | checks |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w in sorted({r["w"] for r in recs}):
        ref, j, jt = by[(w, "ref")], by[(w, "java")], by[(w, "java_tuned")]
        s = lambda rs: med([x["seconds"] for x in rs])
        m = lambda rs: med([x["peak_rss_mb"] for x in rs])
        ref_checks = {json.dumps(x["check"], sort_keys=True) for x in ref}
        ours_checks = {json.dumps(x["check"], sort_keys=True) for x in j + jt}
        same = len(ref_checks) == 1 and ours_checks == ref_checks
        ok &= same
        print(f"| {w} | {len(ref)}/{len(j)}/{len(jt)} | {s(ref):.3f} | {s(j):.3f} | {s(ref)/s(j):.2f}x | {s(jt):.3f} | {s(ref)/s(jt):.2f}x "
              f"| {m(ref):.0f} / {m(j):.0f} / {m(jt):.0f} | {'equal' if same else 'DIFFER ' + str(ref_checks | ours_checks)} |")
    print()
    for w in sorted({r["w"] for r in recs}):
        for v in ("ref", "java", "java_tuned"):
            xs = by[(w, v)]
            if not xs:
                continue
            keys = [k for k, val in xs[0].get("detail", {}).items() if isinstance(val, (int, float))]
            d = {k: round(med([x["detail"][k] for x in xs if isinstance(x["detail"].get(k), (int, float))]), 4) for k in keys}
            print(w, v, "seconds:", [x["seconds"] for x in xs], "detail medians:", d)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workloads", default="W1,W2,W3,W4,W6")
    ap.add_argument("--jar", default=str(ROOT / "samples/target/cojson-samples.jar"))
    ap.add_argument("--reference", default=str(ROOT.parent / "shared/reference-bench"))
    ap.add_argument("--tuned", default=TUNED, help="JVM flags of the second Java variant")
    ap.add_argument("--max-wait", type=float, default=45, help="seconds to wait for an idle machine per workload")
    ap.add_argument("--out", default="bench-results.jsonl")
    ap.add_argument("--analyze-only", action="store_true")
    args = ap.parse_args()
    if not args.analyze_only:
        run(args)
    sys.exit(0 if analyze(args.out) else 1)


if __name__ == "__main__":
    main()
