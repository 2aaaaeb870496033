#!/usr/bin/env python3
"""Parallel runs over compile commands with different, relative directories.

Each of 16 translation units lives in its own directory and is compiled
there with relative paths (`-c w.cpp -I../include`), as CMake and Make
databases have them. uisan-tidy -j2 used to change the process's working
directory from two threads at once (clang's tooling with the process-wide
real file system), so a file was now and then looked up in another TU's
directory: 'no such file or directory' errors and lost findings that
depended on timing. Every -j2 run must give every finding, no error, and
the same output as -j1.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

N = 16
RUNS = 3
c = robust.Case("parallel_directories", __doc__)
c.write("include/worker.h", """#pragma once
#include <seed/st.h>
#include <thread>
inline void startWorker(const char *what) {
  std::thread t([what] { st::text(what); });
  t.join();
}
""")
entries = []
for i in range(N):
    d = "tu%02d" % i
    # Each TU's own finding at line 5, column 22, plus the header's.
    c.write(d + "/w.cpp", """#include "worker.h"
#include <seed/st.h>
#include <thread>
void page%d() {
  std::thread t([] { st::write("%s"); });
  t.join();
  startWorker("%s");
}
""" % (i, d, d))
    entries.append((c.path(d), "w.cpp", c.seed_flags() + ["-I../include"]))
c.write("build/compile_commands.json", robust.database(entries))

expected = sorted([(c.path("tu%02d" % i, "w.cpp"), 5) for i in range(N)] +
                  [(c.path("include", "worker.h"), 5)])
outputs = []
for jobs, runs in (("-j1", 1), ("-j2", RUNS)):
    for k in range(runs):
        label = "%s run %d" % (jobs, k + 1)
        r = c.tidy(["-p", "build", jobs], label, expect_rc=1)
        got = sorted((f, line) for f, line, _, _ in r.warnings())
        c.expect(got == expected, "%s: findings %d of %d, %s" % (
            label, len(got), len(expected),
            "missing %r" % sorted(set(expected) - set(got))[:3]), r)
        c.expect_not_in(": error:", r.out, label, r)
        c.expect(r.summary() == (N + 1, 0, N), "%s: summary %r" % (
            label, r.summary()), r)
        outputs.append(r.out)
c.expect(all(o == outputs[0] for o in outputs),
         "-j1 and -j2 runs give different output")

c.finish()
