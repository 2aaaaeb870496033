#!/usr/bin/env python3
"""uisan-run's toolkit checks on a real Qt Widgets program, side by side:
the same binary without and with uisan-run, alternating, so both see the
same machine. Prints a Markdown table: wall time of millions of legal UI
calls (ratio and added ns per call) and start-up of a Qt Widgets app.

  run_qt_benchmark.py --uisan-run build/runtime/uisan-run \\
      --bench build/bench/runtime/bench_qt_ui_calls [--calls N] [--runs N] [--smoke]
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
    m = re.search(r"(\d+) API\(s\) intercepted so far, (\d+) vtable slot", p.stderr)
    if not m or int(m.group(1)) == 0:
        sys.exit("uisan-run did not intercept the Qt program's calls:\n" + p.stderr)

    loops = {}
    for mode in ("cheap", "text"):
        calls = a.calls if mode == "cheap" else a.calls // 10
        loop = {"plain": [], "uisan": []}
        wall = {"plain": [], "uisan": []}
        for _ in range(a.runs):
            for name, cmd in (("plain", plain), ("uisan", checked)):
                w, out = run(cmd + [str(calls), mode], env)
                wall[name].append(w)
                loop[name].append(float(re.search(r"seconds=([0-9.]+)", out).group(1)))
        loops[mode] = (calls, loop, wall)
    start = {"plain": [], "uisan": []}
    for _ in range(a.startup_runs):
        for name, cmd in (("plain", plain), ("uisan", checked)):
            start[name].append(run(cmd + ["0"], env)[0])
    if a.smoke:
        print("smoke run passed")
        return 0

    meds = {k: statistics.median(v) for k, v in start.items()}
    print("Machine: %s, %d CPUs; Python %s" % (platform.platform(), os.cpu_count(),
                                               platform.python_version()))
    print("Command: %s --calls %d --runs %d --startup-runs %d\n" %
          (os.path.basename(sys.argv[0]), a.calls, a.runs, a.startup_runs))
    print("| measure | without uisan | with uisan-run | ratio | added |")
    print("|---|---|---|---|---|")
    for mode, (calls, loop, wall) in loops.items():
        med = {k: statistics.median(v) for k, v in loop.items()}
        medw = {k: statistics.median(v) for k, v in wall.items()}
        seen = calls // 4 * 3 if mode == "cheap" else calls
        print("| %s loop: %d UI calls, %d seen (median of %d) | %.3f s | %.3f s | %.3fx | %.2f ns per seen call |" %
              (mode, calls, seen, a.runs, med["plain"], med["uisan"], med["uisan"] / med["plain"],
               (med["uisan"] - med["plain"]) * 1e9 / seen))
        print("| %s: whole program wall, with the worker | %.3f s | %.3f s | %.3fx | %.1f ms |" %
              (mode, medw["plain"], medw["uisan"], medw["uisan"] / medw["plain"],
               (medw["uisan"] - medw["plain"]) * 1e3))
    print("| Qt Widgets start-up, wall (median of %d) | %.1f ms | %.1f ms | %.2fx | %.1f ms |" %
          (a.startup_runs, meds["plain"] * 1e3, meds["uisan"] * 1e3, meds["uisan"] / meds["plain"],
           (meds["uisan"] - meds["plain"]) * 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
