"""Shared pieces of the uisan-tidy robustness tests.

Every command runs under a wall-clock limit (a hang is a failure, not a
stuck ctest), an address-space cap (RLIMIT_AS, 4 GiB unless --mem-gib
says otherwise) and an 8 MiB stack limit, in its own process group. Its exit status, wall time and
peak RSS (from wait4) are recorded. A case collects failed expectations and
prints them all, then a figures line, and exits 1 if anything failed.

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

# What a crash, an abort or an assertion leaves on stderr.
CRASH_MARKERS = (
    "Stack dump",
    "PLEASE submit a bug report",
    "LLVM ERROR",
    "Assertion",
    "terminate called",
    "Segmentation fault",
    "AddressSanitizer",
    "UndefinedBehaviorSanitizer",
)

# The summary line uisan-tidy prints on stderr.
SUMMARY = re.compile(
    r"^uisan-tidy: (\d+) findings?, (\d+) errors? in (\d+) translation units?"
    r"(?: \(\d+ from the cache\))?$",
    re.M)
# A finding or error line of the text format.
DIAG = re.compile(r"^(.*?):(\d+):(\d+): (warning|error): (.*?) \[([\w.-]+)\]$",
                  re.M)
# An error without a line: "file: error: message [check]".
FILE_ERROR = re.compile(r"^(.*?): error: (.*?) \[([\w.-]+)\]$", re.M)


class Result:
    """One finished command."""

    def __init__(self, cmd, status, wall, rss_kb, timed_out, out, err):
        self.cmd = cmd
        self.out_raw = out
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        self.wall = wall
        self.rss_kb = rss_kb
        self.timed_out = timed_out
        self.signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        self.rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        self.out = out
        self.err = err

    def describe(self):
        what = ("timed out" if self.timed_out else
                "killed by signal %d" % self.signal if self.signal is not None
                else "exit %d" % self.rc)
        args = [printable(a) for a in self.cmd]
        args = args[:1] + [a if len(a) < 80 else a[:77] + "..." for a in args[1:]]
        return "%s (%s, %.2f s, %d MiB)" % (" ".join(args), what, self.wall,
                                           self.rss_kb // 1024)

    def warnings(self):
        """(file, line, col, message) of every warning in text output."""
        return [(m[0], int(m[1]), int(m[2]), m[4]) for m in DIAG.findall(self.out)
                if m[3] == "warning"]

    def summary(self):
        m = SUMMARY.search(self.err)
        return tuple(int(x) for x in m.groups()) if m else None


def run(cmd, cwd, timeout, mem_bytes, stdin=None):
    """Runs `cmd`; never raises on failure of the command itself."""
    out_path = os.path.join(cwd, ".stdout")
    err_path = os.path.join(cwd, ".stderr")

    def limits():
        if mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # The usual 8 MiB stack, whatever the shell running ctest has: how
        # deep clang gets before it runs out must not depend on it.
        resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, 8 << 20))

    timed_out = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                preexec_fn=limits, start_new_session=True)

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - start
        proc.returncode = 0  # reaped above; keep Popen from waiting again
    with open(out_path, "rb") as f:
        out_raw = f.read()
    with open(err_path, "rb") as f:
        err_raw = f.read()
    return Result(cmd, status, wall, usage.ru_maxrss, timed_out.is_set(),
                  out_raw, err_raw)


class Case:
    """One robustness test case: its scratch directory, the tool, the
    failed expectations and the figures it records."""

    def __init__(self, name, doc, outside_build=False):
        """`outside_build`: scratch in a temporary directory instead of the
        build directory, for cases that need no compile_commands.json in
        any parent directory (the build directory has one at its root)."""
        parser = argparse.ArgumentParser(description=doc)
        parser.add_argument("--tidy", required=True, help="uisan-tidy binary")
        parser.add_argument("--clang", default="",
                            help="clang++ of the same LLVM, for figures")
        parser.add_argument("--seed-include", required=True,
                            help="fixtures/seed/include")
        parser.add_argument("--work", required=True,
                            help="scratch root (in the build directory)")
        parser.add_argument("--timeout", type=float, default=300,
                            help="seconds one command may take")
        parser.add_argument("--mem-gib", type=float, default=4,
                            help="address-space cap of every command")
        self.args = parser.parse_args()
        self.name = name
        self.tidy_exe = os.path.abspath(self.args.tidy)
        self.seed = os.path.abspath(self.args.seed_include)
        self.temporary = outside_build
        if outside_build:
            self.dir = tempfile.mkdtemp(prefix="uisan-robust-%s-" % name)
        else:
            self.dir = os.path.join(os.path.abspath(self.args.work), name)
            shutil.rmtree(self.dir, ignore_errors=True)
            os.makedirs(self.dir)
        self.mem_bytes = int(self.args.mem_gib * (1 << 30))
        # A sanitizer's shadow memory reserves terabytes of address space:
        # under ASan, TSan or MSan the cap cannot apply (RSS is still
        # recorded, and a sanitizer report fails the test).
        with open(self.tidy_exe, "rb") as f:
            image = f.read()
        if any(s in image for s in (b"__asan_init", b"__tsan_init", b"__msan_init")):
            print("uisan-tidy is built with a sanitizer: no address-space cap")
            self.mem_bytes = 0
        self.failures = []
        self.figures = {}
        self.checks = 0

    # Files -----------------------------------------------------------------

    def path(self, *parts):
        """A path under the case's directory (bytes parts allowed)."""
        if any(isinstance(p, bytes) for p in parts):
            return os.path.join(os.fsencode(self.dir),
                                *[os.fsencode(p) for p in parts])
        return os.path.join(self.dir, *parts)

    def write(self, name, text):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        return p

    def seed_flags(self):
        return ["-std=c++17", "-I" + self.seed]

    # Running ---------------------------------------------------------------

    def tidy(self, args, label, expect_rc=None, cwd=None, timeout=None):
        """Runs uisan-tidy; checks it did not crash, hang or print a crash
        report, and (if given) its exit code."""
        # Each run parses: a facts cache from an earlier run of the same
        # case would skip what the case exercises.
        args = list(args)
        if "-p" in args and "--no-cache" not in args:
            args.append("--no-cache")
        r = run([self.tidy_exe] + args, cwd or self.dir,
                timeout or self.args.timeout, self.mem_bytes)
        print("[%s] %s" % (label, r.describe()), flush=True)
        self.expect(not r.timed_out, label + ": did not finish within %ds "
                    "(hang or unbounded analysis)" % (timeout or self.args.timeout), r)
        self.expect(r.signal is None, label + ": crashed (signal %s)" % r.signal, r)
        for marker in CRASH_MARKERS:
            self.expect(marker not in r.err and marker not in r.out,
                        label + ": crash report %r in the output" % marker, r)
        if r.rc is not None:
            self.expect(r.rc in (0, 1, 2),
                        label + ": undocumented exit code %d" % r.rc, r)
            if expect_rc is not None:
                self.expect(r.rc == expect_rc, label + ": exit code %d, "
                            "expected %d" % (r.rc, expect_rc), r)
        self.expect(not self.mem_bytes or r.rss_kb * 1024 < self.mem_bytes,
                    label + ": peak RSS at the cap", r)
        return r

    def clang(self, args, label, timeout=None):
        """Runs the comparison compiler, if there is one."""
        if not self.args.clang:
            return None
        r = run([self.args.clang] + list(args), self.dir,
                timeout or self.args.timeout, self.mem_bytes)
        print("[%s] %s" % (label, r.describe()), flush=True)
        return r

    # Expectations ----------------------------------------------------------

    def expect(self, cond, message, result=None):
        self.checks += 1
        if cond:
            return True
        if result is not None:
            message += "\n    command: %s\n    stdout: %s\n    stderr: %s" % (
                result.describe(), tail(result.out), tail(result.err))
        self.failures.append(message)
        return False

    def expect_in(self, needle, haystack, label, result=None):
        return self.expect(needle in haystack,
                           "%s: missing %r" % (label, needle), result)

    def expect_not_in(self, needle, haystack, label, result=None):
        return self.expect(needle not in haystack,
                           "%s: unexpected %r" % (label, needle), result)

    def expect_json(self, raw, label, result=None):
        """Parses the bytes `raw` strictly as JSON: valid UTF-8, no NaN."""
        try:
            return json.loads(raw.decode("utf-8", "strict"),
                              parse_constant=_reject)
        except (ValueError, UnicodeError) as e:
            self.expect(False, "%s: not valid JSON: %s" % (label, e), result)
            return None

    def figure(self, key, value):
        self.figures[key] = value

    def finish(self):
        os.makedirs(os.path.abspath(self.args.work), exist_ok=True)
        path = os.path.join(os.path.abspath(self.args.work),
                            self.name + ".figures.json")
        with open(path, "w") as f:
            json.dump(self.figures, f, indent=2, sort_keys=True)
        if self.figures:
            print("figures: " + json.dumps(self.figures, sort_keys=True))
        for msg in self.failures:
            print("FAIL: " + msg)
        print("%s: %d of %d checks failed" % (self.name, len(self.failures),
                                             self.checks))
        if self.temporary and not self.failures:
            shutil.rmtree(self.dir, ignore_errors=True)
        sys.exit(1 if self.failures else 0)


def _reject(name):
    raise ValueError("non-standard JSON constant " + name)


def printable(arg):
    """A command-line argument (str or bytes) as printable text."""
    if isinstance(arg, bytes):
        return arg.decode("utf-8", "backslashreplace")
    return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def tail(text, n=1500):
    text = text.strip()
    return text if len(text) <= n else "..." + text[-n:]


def database(entries):
    """compile_commands.json text for (directory, file, arguments) entries."""
    return json.dumps([{"directory": d, "file": f, "arguments": ["c++"] + a + ["-c", f]}
                       for d, f, a in entries], indent=1)


# The seed-model bug every case uses as its control finding: line 4, col 22.
BAD = """#include <seed/st.h>
#include <thread>
void page() {
  std::thread t([] { st::write("x"); });
  t.join();
}
"""
# The same work done right: no finding.
GOOD = """#include <seed/st.h>
#include <string>
#include <thread>
void page() {
  int r = 0;
  std::thread t([&] { r = 42; });
  t.join();
  st::write(std::to_string(r));
}
"""
