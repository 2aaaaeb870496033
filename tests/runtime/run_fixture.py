#!/usr/bin/env python3
"""Runs one runtime fixture under uisan-run and checks its reports against
the expectations written in its source (see fixtures/runtime/README.md).

Fails on a missing report, an unexpected report, a wrong grouped count, a
wrong exit status, or missing expected output."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xdisplay import XvfbError, start_xvfb, stop_xvfb  # noqa: E402

EXPECT = re.compile(r"//\s*EXPECT:\s*([a-z-]+)((?:\s+(?:count=\d+|more=\d+|api=\S+|@\[\[@LINE[+-]\d+\]\]))*)\s*$")
# A UI call grouped into another line's report ("And N more UI calls ...").
EXPECT_MORE = re.compile(r"//\s*EXPECT-MORE:((?:\s+(?:api=\S+|destructor|@\[\[@LINE[+-]\d+\]\]))*)\s*$")


SKIP = 77  # ctest SKIP_RETURN_CODE


def sanitizers_of(binary):
    """The sanitizers the fixture was built with: {'asan', 'tsan'} or fewer."""
    try:
        out = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, text=True).stdout
    except OSError:
        return set()
    return {name for name in ("asan", "tsan") if "lib%s" % name in out}


def links_sanitizer(binary):
    """True when the fixture was built with ASan/TSan (the asan/tsan presets)."""
    return bool(sanitizers_of(binary))


def parse_source(path):
    expectations, options, stdout_wants, stderr_wants = [], [], [], []
    exit_code = None
    unsupported = []
    env, run_with, rules, grouped = {}, [], [], []
    with open(path) as f:
        for number, line in enumerate(f, start=1):
            m = EXPECT.search(line)
            if m:
                kind, rest = m.group(1), m.group(2)
                target, count, api, more = number, 1, None, 0
                for token in rest.split():
                    if token.startswith("count="):
                        count = int(token[6:])
                    elif token.startswith("more="):
                        more = int(token[5:])
                    elif token.startswith("api="):
                        api = token[4:]
                    else:
                        target = number + int(token[len("@[[@LINE"):-2])
                expectations.append({"kind": kind, "line": target, "count": count,
                                     "api": api, "more": more, "written_at": number})
            m = EXPECT_MORE.search(line)
            if m:
                target, api, destructor = number, None, False
                for token in m.group(1).split():
                    if token.startswith("api="):
                        api = token[4:]
                    elif token == "destructor":
                        destructor = True
                    else:
                        target = number + int(token[len("@[[@LINE"):-2])
                grouped.append({"line": target, "api": api, "destructor": destructor,
                                "written_at": number})
            m = re.search(r"//\s*ENV:\s*([A-Za-z_][A-Za-z0-9_]*)=(\S*)", line)
            if m:
                env[m.group(1)] = m.group(2)
            m = re.search(r"//\s*RULES:\s*(\S+)", line)
            if m:
                rules.append(m.group(1).replace("%S", os.path.dirname(os.path.abspath(path))))
            m = re.search(r"//\s*RUN-WITH:\s*(\S+)", line)
            if m:
                run_with.append(m.group(1))
            m = re.search(r"//\s*UISAN_OPTIONS:\s*(\S+)", line)
            if m:
                options.append(m.group(1).replace("%S", os.path.dirname(os.path.abspath(path))))
            m = re.search(r"//\s*UNSUPPORTED:\s*(\S+)", line)
            if m:
                unsupported.append(m.group(1))
            m = re.search(r"//\s*EXPECT-EXIT:\s*(-?\d+)", line)
            if m:
                exit_code = int(m.group(1))
            m = re.search(r"//\s*EXPECT-STDOUT:\s*(.+?)\s*$", line)
            if m:
                stdout_wants.append(m.group(1))
            m = re.search(r"//\s*EXPECT-STDERR:\s*(.+?)\s*$", line)
            if m:
                stderr_wants.append(m.group(1))
            m = re.search(r"//\s*EXPECT-STDERR-RE:\s*(.+?)\s*$", line)
            if m:
                stderr_wants.append(re.compile(m.group(1)))
    if exit_code is None:
        exit_code = 66 if expectations else 0
    return (expectations, ":".join(options), exit_code, stdout_wants, stderr_wants, unsupported,
            env, run_with, rules, grouped)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--extra-options", default="", help="appended to the fixture's options")
    ap.add_argument("--malloc-guard", default="",
                    help="preloaded ahead of libuisan: aborts on an allocation inside the runtime")
    args = ap.parse_args()

    (expectations, options, want_exit, stdout_wants, stderr_wants, unsupported, fixture_env,
     run_with, rules, grouped) = parse_source(args.source)
    built_with = sanitizers_of(args.binary)
    if "sanitizer" in unsupported and built_with:
        print("SKIP: %s is unsupported in sanitizer builds" % os.path.basename(args.source))
        return SKIP
    if "tsan" in unsupported and "tsan" in built_with:
        print("SKIP: %s is unsupported in TSan builds" % os.path.basename(args.source))
        return SKIP
    if args.extra_options:
        options = options + ":" + args.extra_options if options else args.extra_options
    fixture = os.path.basename(args.source)
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "reports.jsonl")
        cmd = [args.uisan_run, "--json", json_path]
        for pack in rules:
            cmd += ["--rules", pack]
        if options:
            cmd += ["--options", options]
        cmd += ["--", args.binary]
        env = dict(os.environ)
        xvfb = None
        if "xvfb" in run_with:
            # GTK and wx need an X display: a private virtual one.
            if not shutil.which("Xvfb"):
                print("Xvfb not found (Debian package xvfb)")
                return 1 if os.environ.get("UISAN_REQUIRE_TOOLKITS") else SKIP
            try:
                xvfb, env["DISPLAY"] = start_xvfb("1024x768x24")
            except XvfbError as e:
                print(e)
                return 1
            env.pop("XAUTHORITY", None)
            env.pop("WAYLAND_DISPLAY", None)
        env.update(fixture_env)
        env.pop("UISAN_OPTIONS", None)
        # (Not with a sanitizer: its allocator comes first and the guard
        # would never see a call.)
        if args.malloc_guard and not links_sanitizer(args.binary):
            env["LD_PRELOAD"] = ":".join(x for x in (env.get("LD_PRELOAD"), args.malloc_guard) if x)
        # In sanitizer builds: these programs leak threads and executors on
        # purpose, and LeakSanitizer's exit-time check would add its own
        # report and exit status.
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
        env["TSAN_OPTIONS"] = (env.get("TSAN_OPTIONS", "") + ":report_thread_leaks=0").lstrip(":")
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=args.timeout, env=env, text=True)
        finally:
            if xvfb:
                stop_xvfb(xvfb)
        reports = []
        if os.path.exists(json_path):
            with open(json_path) as f:
                reports = [json.loads(line) for line in f if line.strip()]

    errors = []
    pending = list(expectations)
    grouped_pending = list(grouped)
    for r in reports:
        summary = r.get("summary") or {}
        where = "%s:%s" % (os.path.basename(summary.get("file", "") or "?"), summary.get("line"))
        match = None
        for e in pending:
            if (e["kind"] == r["kind"] and os.path.basename(summary.get("file", "")) == fixture
                    and summary.get("line") == e["line"]
                    and (e["api"] is None or r.get("what", "").startswith(e["api"]))):
                match = e
                break
        if match is None:
            errors.append("unexpected report: %s at %s (count %d, %s)" %
                          (r["kind"], where, r["count"], r.get("what", "")))
            continue
        pending.remove(match)
        if r["count"] != match["count"]:
            errors.append("report %s at %s: count %d, expected %d" %
                          (r["kind"], where, r["count"], match["count"]))
        if r.get("more_count", 0) != match["more"]:
            errors.append("report %s at %s: %d more UI calls grouped, expected %d" %
                          (r["kind"], where, r.get("more_count", 0), match["more"]))
        for c in r.get("more_calls", []):
            hit = None
            for g in grouped_pending:
                if (os.path.basename(c.get("file", "")) == fixture and c.get("line") == g["line"]
                        and (g["api"] is None or c.get("what", "").startswith(g["api"]))
                        and c.get("destructor") == g["destructor"]):
                    hit = g
                    break
            if hit is None:
                errors.append("unexpected grouped call: %s at %s:%s in the report at %s" %
                              (c.get("what"), os.path.basename(c.get("file", "") or "?"),
                               c.get("line"), where))
            else:
                grouped_pending.remove(hit)
    for g in grouped_pending:
        errors.append("missing grouped call%s%s at %s:%d (expectation on line %d)" %
                      (" api=" + g["api"] if g["api"] else "",
                       " (destructor)" if g["destructor"] else "", fixture, g["line"],
                       g["written_at"]))
    for e in pending:
        errors.append("missing report: %s%s at %s:%d (expectation on line %d)" %
                      (e["kind"], " api=" + e["api"] if e["api"] else "", fixture, e["line"],
                       e["written_at"]))

    # The text reports must say the same as the JSON ones.
    warnings = re.findall(r"^WARNING: uisan: ([a-z-]+) \(pid=\d+(?:, program=\S+)?\)$",
                          proc.stderr, re.M)
    summaries = re.findall(r"^SUMMARY: uisan: ([a-z-]+) (\S+):(\d+) in ", proc.stderr, re.M)
    if sorted(warnings) != sorted(r["kind"] for r in reports):
        errors.append("text WARNING lines %s do not match JSON reports %s" %
                      (sorted(warnings), sorted(r["kind"] for r in reports)))
    for r in reports:
        s = r.get("summary") or {}
        if (r["kind"], s.get("file"), str(s.get("line"))) not in summaries:
            errors.append("no text SUMMARY line for %s %s:%s" % (r["kind"], s.get("file"), s.get("line")))
    if proc.returncode != want_exit:
        errors.append("exit status %d, expected %d" % (proc.returncode, want_exit))
    for want in stdout_wants:
        if want not in proc.stdout:
            errors.append("stdout lacks %r" % want)
    for want in stderr_wants:
        if isinstance(want, str) and want not in proc.stderr:
            errors.append("stderr lacks %r" % want)
        if not isinstance(want, str) and not want.search(proc.stderr):
            errors.append("stderr does not match %r" % want.pattern)

    if errors:
        sys.stdout.write("command: %s\n--- stdout ---\n%s--- stderr ---\n%s--- end ---\n" %
                         (" ".join(cmd), proc.stdout, proc.stderr))
        for e in errors:
            print("FAIL: " + e)
        return 1
    print("PASS: %s (%d reports as expected, exit %d)" % (fixture, len(reports), proc.returncode))
    return 0


if __name__ == "__main__":
    sys.exit(main())
