#!/usr/bin/env python3
"""The robustness harness itself catches what the cases rely on it for.

A stand-in for uisan-tidy that hangs, crashes, aborts with a crash report
on stderr, exits with an undocumented code or allocates past the cap must
each make Case.tidy() record a failure, and one that behaves must not;
peak RSS must be measured.
"""

import os
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

c = robust.Case("harness_selftest", __doc__)
fake = c.write("fake-tidy", """#!%s
import os, signal, sys, time
what = sys.argv[1]
if what == "hang":
    time.sleep(60)
elif what == "segv":
    os.kill(os.getpid(), signal.SIGSEGV)
elif what == "report":
    sys.stderr.write("PLEASE submit a bug report to ...\\nStack dump:\\n")
    sys.exit(2)
elif what == "exit3":
    sys.exit(3)
elif what == "big":
    block = bytearray(int(sys.argv[2]) << 20)  # MiB, touched
    for i in range(0, len(block), 4096):
        block[i] = 1
elif what == "ok":
    print("fine")
""" % sys.executable)
os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
c.tidy_exe = fake
c.mem_bytes = 1 << 30


def caught(args, expect_rc, needle, label, timeout=None):
    before = len(c.failures)
    c.tidy(args, label, expect_rc=expect_rc, timeout=timeout)
    new = c.failures[before:]
    del c.failures[before:]
    c.expect(any(needle in f for f in new),
             "%s: the harness did not report %r (got %r)" % (label, needle, new))


caught(["hang"], 0, "did not finish within 2s", "hang", timeout=2)
caught(["segv"], 0, "crashed (signal 11)", "segv")
caught(["report"], 2, "crash report 'PLEASE submit a bug report'", "report")
caught(["exit3"], None, "undocumented exit code 3", "exit3")
caught(["ok"], 1, "exit code 0, expected 1", "wrong exit code")
caught(["big", "2048"], 0, "exit code 1, expected 0", "past the cap")

before = len(c.failures)
r = c.tidy(["big", "300"], "300 MiB", expect_rc=0)
c.expect(len(c.failures) == before, "a good run recorded failures")
c.expect(r.rss_kb >= 300 * 1024, "peak RSS %d KiB, expected 300 MiB or more"
         % r.rss_kb, r)
r = c.tidy(["ok"], "ok", expect_rc=0)
c.expect(len(c.failures) == before and r.out == "fine\n",
         "a good run recorded failures")

c.finish()
