#!/usr/bin/env python3
"""Both halves agree: runs uisan-tidy on a runtime fixture (a real program
that uisan-run runs in its own test) and checks that the lines uisan-tidy
reports as UI calls on a worker thread are exactly the lines the fixture
expects uisan-run to report as ui-call-off-thread (its EXPECT and
EXPECT-MORE lines). A line only one half reports fails the test, with the
other half's view.

  static_twin.py --uisan-tidy build/checker/uisan-tidy --source F.cpp [--pkg Qt6Widgets] -- <flags>
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_fixture import parse_source  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-tidy", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--pkg", action="append", default=[],
                    help="a pkg-config module whose --cflags are added")
    ap.add_argument("flags", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    flags = [f for f in args.flags if f != "--"]
    if args.pkg:
        out = subprocess.run(["pkg-config", "--cflags"] + args.pkg, stdout=subprocess.PIPE,
                             text=True)
        if out.returncode != 0:
            print("pkg-config --cflags %s failed" % " ".join(args.pkg))
            return 1
        flags = out.stdout.split() + flags

    parsed = parse_source(args.source)
    expectations, grouped = parsed[0], parsed[-1]
    runtime_lines = {e["line"] for e in expectations if e["kind"] == "ui-call-off-thread"}
    # A destructor folded into its construction's report is that report's
    # bug; uisan-tidy reports the construction.
    runtime_lines |= {g["line"] for g in grouped if not g.get("destructor")}

    # Every UI call a warning, not the first few of each function.
    config = ("{CheckOptions: {uisan-ui-call-in-thread.MaxCallsPerFunction: 0, "
              "uisan-ui-call-in-thread.MaxFunctionsPerEntry: 0}}")
    cmd = [args.uisan_tidy, "--format=json", "--checks=-*,uisan-ui-call-in-thread",
           "--config=" + config, args.source, "--"] + flags
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        print("uisan-tidy failed (exit %d):\n%s" % (proc.returncode, proc.stderr))
        return 1
    findings = json.loads(proc.stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    for f in errors:
        print("compile error: %s:%d: %s" % (f["file"], f["line"], f["message"]))
    static_lines = {f["line"] for f in findings
                    if f["check"] == "uisan-ui-call-in-thread"
                    and os.path.samefile(f["file"], args.source)}

    name = os.path.basename(args.source)
    problems = []
    for line in sorted(runtime_lines - static_lines):
        problems.append("%s:%d: uisan-run reports a UI call off the UI thread here; "
                        "uisan-tidy does not" % (name, line))
    for line in sorted(static_lines - runtime_lines):
        problems.append("%s:%d: uisan-tidy reports a UI call on a worker thread here; "
                        "the fixture expects no uisan-run report" % (name, line))
    for p in problems:
        print("FAIL: " + p)
    if errors or problems:
        return 1
    print("ok: %s: both halves report lines %s" % (name, sorted(static_lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
