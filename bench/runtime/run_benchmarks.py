#!/usr/bin/env python3
"""Runs the runtime benchmarks side by side: the same binary without and
with libuisan (via uisan-run), plus start-up of an empty program, and
prints a Markdown table of the figures and the added cost per operation.

  run_benchmarks.py --uisan-run build/runtime/uisan-run \
      --bench build/bench/runtime/bench_runtime \
      --startup-app build/bench/runtime/bench_startup_app [--smoke]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def run_bench(cmd, min_time, repetitions, stat="median"):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        args = cmd + ["--benchmark_min_time=%s" % min_time,
                      "--benchmark_repetitions=%d" % repetitions,
                      "--benchmark_report_aggregates_only=false",
                      "--benchmark_out=" + out, "--benchmark_out_format=json"]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=600)
        if p.returncode != 0:
            sys.exit("benchmark failed (%d): %s\n%s" % (p.returncode, " ".join(args), p.stderr))
        if "WARNING: uisan" in p.stderr:
            sys.exit("the benchmark itself made uisan reports:\n" + p.stderr)
        with open(out) as f:
            data = json.load(f)
    finally:
        os.unlink(out)
    # Per benchmark: the minimum and the median over the repetitions. On a
    # shared machine the minimum is the least disturbed figure.
    samples = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        name = b.get("run_name", b["name"])
        name = name[:-len("/real_time")] if name.endswith("/real_time") else name
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
        samples.setdefault(name, []).append(b["real_time"] * scale)
        if "proc_cpu_ns" in b:
            samples.setdefault(name + " (process CPU)", []).append(b["proc_cpu_ns"])
    return {n: (min(v), statistics.median(v)) for n, v in samples.items()}


def time_runs(cmd, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1e3)
        if p.returncode != 0:
            sys.exit("start-up run failed: %s" % " ".join(cmd))
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--startup-app", required=True)
    ap.add_argument("--core", help="bench_runtime_core, the runtime's own work in isolation")
    ap.add_argument("--smoke", action="store_true", help="tiny counts; checks it runs")
    a = ap.parse_args()
    env_clean = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "UISAN_OPTIONS")}
    os.environ.clear()
    os.environ.update(env_clean)

    min_time, reps, starts = ("0.001", 1, 3) if a.smoke else ("0.3", 10, 40)
    base = run_bench([a.bench], min_time, reps)
    with_rt = run_bench([a.uisan_run, "--", a.bench], min_time, reps)
    plain = time_runs([a.startup_app], starts)
    under = time_runs([a.uisan_run, "--", a.startup_app], starts)

    print("Machine: %s, %s, %d CPUs" % (platform.node(), platform.processor() or platform.machine(),
                                        os.cpu_count()))
    print()
    print("| measure (min / median of %d) | without uisan | with uisan | added (min) | ratio (min) |" % reps)
    print("|---|---|---|---|---|")
    for name in ("BM_PthreadCreateJoin", "BM_PthreadCreateJoin (process CPU)",
                 "BM_StdThreadCreateJoin", "BM_StdThreadCreateJoin (process CPU)",
                 "BM_UiCallOnScriptThread"):
        (bmin, bmed), (wmin, wmed) = base[name], with_rt[name]
        print("| %s | %.1f / %.1f ns | %.1f / %.1f ns | %+.1f ns | %.2fx |" %
              (name, bmin, bmed, wmin, wmed, wmin - bmin, wmin / bmin if bmin else float("nan")))
    print("| start-up + exit of an empty program (median of %d) | %.2f ms | %.2f ms | %+.2f ms | %.2fx |"
          % (starts, plain, under, under - plain, under / plain))
    if a.core:
        core = run_bench([a.core], min_time, reps)
        print()
        print("| runtime work in isolation (min / median of %d) | time |" % reps)
        print("|---|---|")
        for name in sorted(core):
            print("| %s | %.1f / %.1f ns |" % (name, core[name][0], core[name][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
