#!/usr/bin/env python3
"""The malloc guard catches an allocation inside the runtime: a report made
with a dladdr1 that allocates (allocating_dladdr1.c, preloaded between the
guard and libuisan) aborts the program with the guard's message, and the
same run without it completes. Otherwise the guard would pass every fixture
whatever the runtime did."""
import os
import signal
import subprocess
import sys

guard, shim, lib, app = sys.argv[1:5]
# A sanitizer build's programs need their sanitizer first in the library
# list, and its allocator would stand in front of the guard: nothing to
# check there (run_fixture.py leaves the guard out for them too).
ldd = subprocess.run(["ldd", app], stdout=subprocess.PIPE, text=True).stdout
if "libasan" in ldd or "libtsan" in ldd:
    print("SKIP: %s is built with a sanitizer" % os.path.basename(app))
    sys.exit(77)
env = dict(os.environ, UISAN_OPTIONS="halt_on_error=1:exitcode=9")
env.pop("LD_AUDIT", None)


def run(preload):
    return subprocess.run([app], env=dict(env, LD_PRELOAD=":".join(preload)), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


clean = run([guard, lib])
caught = run([guard, shim, lib])
ok = clean.returncode == 9 and "WARNING: uisan:" in clean.stderr
ok = ok and caught.returncode == -signal.SIGABRT
ok = ok and "uisan malloc guard: malloc called inside libuisan, from dladdr1" in caught.stderr
if not ok:
    print("FAIL: clean run rc=%d stderr=%r\n      allocating run rc=%d stderr=%r" %
          (clean.returncode, clean.stderr[-400:], caught.returncode, caught.stderr[-400:]))
    sys.exit(1)
print("ok - the guard stops an allocation on the report path, and lets a clean run through")
