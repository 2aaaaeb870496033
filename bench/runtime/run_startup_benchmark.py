#!/usr/bin/env python3
"""Start-up CPU of real Debian Qt programs, without and with uisan-run, side
by side: each run starts the program (QT_QPA_PLATFORM=offscreen), waits
until it is idle in its event loop (no thread has used CPU for 300 ms),
kills it and takes the CPU time (user + system, all threads, from wait4)
it used to get there. Runs alternate between the two, so both see the
same machine; medians are reported, and the difference is the start-up
cost of uisan-run (its own pack loading, libuisan's and the audit
module's start-up).

  run_startup_benchmark.py --uisan-run build/runtime/uisan-run \\
      [--app featherpad] [--app linguist] [--runs 21] [--smoke] \\
      [--before OTHER/uisan-run] [--display :N]

--before adds a third run to each round: another build of uisan-run (an
earlier commit's), so a change is measured against it on the same machine
at the same time.
"""
import argparse
import glob
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time


def thread_cpu_ns(pid):
    """CPU time of the live threads of `pid`, in ns (/proc/PID/task/*/schedstat)."""
    total = 0
    for path in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def start_up_cpu_ms(cmd, env, timeout=60):
    """CPU milliseconds `cmd` uses until it is idle."""
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    last, quiet = -1, 0
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if p.poll() is not None:
            sys.exit("%s exited (%d) before it was idle:\n%s" %
                     (" ".join(cmd), p.returncode, p.stderr.read().decode(errors="replace")))
        now = thread_cpu_ns(p.pid)
        quiet = quiet + 1 if now - last < 200000 else 0  # under 0.2 ms in 100 ms
        last = now
        if quiet >= 3:
            break
    p.send_signal(signal.SIGKILL)
    _, _, usage = os.wait4(p.pid, 0)
    p.returncode = -9
    p.stderr.close()
    return (usage.ru_utime + usage.ru_stime) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--app", action="append", help="a Qt program (default: featherpad, linguist)")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--smoke", action="store_true", help="one pair per program: checks it runs")
    ap.add_argument("--before", help="another uisan-run to run alongside (an earlier build)")
    ap.add_argument("--display", help="an X display (Xvfb) to start on, with Qt's xcb platform "
                                      "(default: Qt's offscreen platform)")
    a = ap.parse_args()
    apps = a.app or ["featherpad", "linguist"]
    runs = 1 if a.smoke else a.runs
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR="/tmp")
    if a.display:
        env.update(DISPLAY=a.display, QT_QPA_PLATFORM="xcb")
    env.pop("UISAN_OPTIONS", None)
    rows = []
    for app in apps:
        exe = shutil.which(app)
        if not exe:
            sys.exit("%s is not installed (see .ci/packages.txt)" % app)
        got = {"plain": [], "uisan": [], "before": []}
        for _ in range(runs):
            got["plain"].append(start_up_cpu_ms([exe], env))
            got["uisan"].append(start_up_cpu_ms([a.uisan_run, "--", exe], env))
            if a.before:
                got["before"].append(start_up_cpu_ms([a.before, "--", exe], env))
        added = lambda name: statistics.median(u - p for p, u in zip(got["plain"], got[name]))
        rows.append((app, statistics.median(got["plain"]), statistics.median(got["uisan"]),
                     added("uisan"), statistics.median(got["before"]) if a.before else None,
                     added("before") if a.before else None))
    if a.smoke:
        print("smoke run passed")
        return 0
    print("Machine: %s, %d CPUs; load average %.2f; Python %s" %
          (platform.platform(), os.cpu_count(), os.getloadavg()[0], platform.python_version()))
    print("Command: %s --runs %d %s%s\n" % (os.path.basename(sys.argv[0]), runs,
                                           " ".join("--app " + x for x in apps),
                                           (" --before " + a.before if a.before else "") +
                                           (" --display " + a.display if a.display else "")))
    before = " | with --before | its ratio | its added" if a.before else ""
    print("| program (median of %d) | start-up CPU without uisan | with uisan-run | ratio | added (median of pairs)%s |"
          % (runs, before))
    print("|---|---|---|---|---|" + ("---|---|---|" if a.before else ""))
    for app, plain, uisan, added, b, b_added in rows:
        extra = " | %.1f ms | %.2fx | %+.1f ms" % (b, b / plain, b_added) if a.before else ""
        print("| %s | %.1f ms | %.1f ms | %.2fx | %+.1f ms%s |" %
              (app, plain, uisan, uisan / plain, added, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
