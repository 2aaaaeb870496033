#!/usr/bin/env python3
"""uisan-run's toolkit checks on a real Qt Widgets program, side by side:
the same binary without and with uisan-run, alternating, so both see the
same machine. Prints a Markdown table: wall time of millions of legal UI
calls (ratio and added ns per call) and start-up of a Qt Widgets app.

  run_qt_benchmark.py --uisan-run build/runtime/uisan-run \\
      --bench build/bench/runtime/bench_qt_ui_calls [--calls N] [--runs N] [--smoke]

Two measures: each loop alone (the stubs' cost per call, no other thread),
and the whole program with a worker doing a fixed amount of computing
(a third to a half of the plain loop's time), the wall time the issue's target is on.
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time


def run(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                       timeout=600)
    wall = time.perf_counter() - start
    if p.returncode != 0 or "WARNING: uisan" in p.stderr:
        sys.exit("failed (%d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return wall, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--calls", type=int, default=100000000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--startup-runs", type=int, default=20)
    ap.add_argument("--smoke", action="store_true", help="tiny counts: checks it runs, no figures")
    a = ap.parse_args()
    if a.smoke:
        a.calls, a.runs, a.startup_runs = 40000, 1, 1
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("UISAN_OPTIONS", None)
    plain = [a.bench]
    checked = [a.uisan_run, "--", a.bench]

    # The run under uisan-run must actually intercept the calls.
    p = subprocess.run([a.uisan_run, "--options", "verbosity=1", "--", a.bench, "4"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    m = re.search(r"coverage: qt: \d+ librar(?:y|ies), (\d+) UI APIs stubbed, (\d+) calls checked",
                  p.stderr)
    if not m or int(m.group(1)) == 0 or int(m.group(2)) == 0:
        sys.exit("uisan-run did not intercept the Qt program's calls:\n" + p.stderr)

    def side_by_side(args, runs):
        """Alternates plain and checked runs; medians of loop, worker and wall."""
        got = {n: {"loop": [], "worker": [], "wall": []} for n in ("plain", "uisan")}
        for _ in range(runs):
            for name, cmd in (("plain", plain), ("uisan", checked)):
                w, out = run(cmd + args, env)
                got[name]["wall"].append(w)
                got[name]["loop"].append(float(re.search(r" seconds=([0-9.]+)", out).group(1)))
                got[name]["worker"].append(
                    float(re.search(r"worker_seconds=([0-9.]+)", out).group(1)))
        return {n: {k: statistics.median(v) for k, v in m.items()} for n, m in got.items()}

    calls = {"cheap": a.calls, "text": a.calls // 10}
    seen = {"cheap": a.calls // 4 * 3, "text": a.calls // 10}
    # Alone: the GUI thread's loop with no worker, the stubs' cost per call.
    alone = {mode: side_by_side([str(calls[mode]), mode, "0"], a.runs) for mode in calls}
    # With a worker whose fixed work takes a third to a half of the plain
    # loop's time (modelled as growing as n^1.5), so the wall time is the GUI
    # thread's.
    probe = 20000 if a.smoke else 2000000
    w = statistics.median(float(re.search(r"worker_seconds=([0-9.]+)",
                                          run(plain + ["1", "cheap", str(probe)], env)[1]).group(1))
                          for _ in range(3))
    bound = {mode: int(probe * (alone[mode]["plain"]["loop"] / 2 / max(w, 1e-3)) ** (2 / 3))
             for mode in calls}
    busy = {mode: side_by_side([str(calls[mode]), mode, str(bound[mode])], a.runs)
            for mode in calls}

    start = {"plain": [], "uisan": []}
    for _ in range(a.startup_runs):
        for name, cmd in (("plain", plain), ("uisan", checked)):
            start[name].append(run(cmd + ["0"], env)[0])
    if a.smoke:
        print("smoke run passed")
        return 0

    def row(what, p, u, added):
        print("| %s | %.3f s | %.3f s | %.3fx | %s |" % (what, p, u, u / p, added))

    meds = {k: statistics.median(v) for k, v in start.items()}
    print("Machine: %s, %d CPUs; Python %s" % (platform.platform(), os.cpu_count(),
                                               platform.python_version()))
    print("Command: %s --calls %d --runs %d --startup-runs %d\n" %
          (os.path.basename(sys.argv[0]), a.calls, a.runs, a.startup_runs))
    print("| measure (median of %d; start-up: of %d) | without uisan | with uisan-run | ratio | added |"
          % (a.runs, a.startup_runs))
    print("|---|---|---|---|---|")
    for mode in calls:
        p, u = alone[mode]["plain"]["loop"], alone[mode]["uisan"]["loop"]
        row("%s loop alone: %d UI calls, %d seen" % (mode, calls[mode], seen[mode]), p, u,
            "%.2f ns per seen call" % ((u - p) * 1e9 / seen[mode]))
    for mode in calls:
        p, u = busy[mode]["plain"], busy[mode]["uisan"]
        row("%s program with a worker (primes below %d): wall" % (mode, bound[mode]),
            p["wall"], u["wall"], "%.1f ms" % ((u["wall"] - p["wall"]) * 1e3))
        row("&nbsp;&nbsp;its GUI loop", p["loop"], u["loop"],
            "%.1f ms" % ((u["loop"] - p["loop"]) * 1e3))
        row("&nbsp;&nbsp;its worker", p["worker"], u["worker"],
            "%.1f ms" % ((u["worker"] - p["worker"]) * 1e3))
    print("| Qt Widgets start-up, wall | %.1f ms | %.1f ms | %.2fx | %.1f ms |" %
          (meds["plain"] * 1e3, meds["uisan"] * 1e3, meds["uisan"] / meds["plain"],
           (meds["uisan"] - meds["plain"]) * 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
