#!/usr/bin/env python3
"""Expressions nested deeper than clang's stack allows.

A sum of 1,000,000 terms in a thread's lambda makes clang itself run out of
stack (clang++ -fsyntax-only crashes on it too). uisan-tidy used to die
with it, losing every other file; now that file gets an error naming it
and the likely cause, exit code 2, and the other files are still checked,
with -j1 (on the main thread) and -j2 (on a worker thread too). A sum of
20,000 terms is parsed, and the shallow UI call next to it reported.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

c = robust.Case("deep_expressions", __doc__)
flags = c.seed_flags()


def sum_file(name, terms):
    c.write(name, """#include <seed/st.h>
#include <thread>
static int v = 1;
void deep() { std::thread t([] { int s = 0%s; (void)s; }); t.join(); }
void shallow() { std::thread t([] { st::text("shallow"); }); t.join(); }
""" % (" + v" * terms))


sum_file("crash1.cpp", 1000000)
sum_file("crash2.cpp", 1000000)
sum_file("deep20k.cpp", 20000)
c.write("bad.cpp", robust.BAD)
files = ["crash1.cpp", "bad.cpp", "crash2.cpp", "deep20k.cpp"]

for jobs in ("-j1", "-j2"):
    label = "deep sums " + jobs
    r = c.tidy([jobs] + files + ["--"] + flags, label, expect_rc=2)
    for name in ("crash1.cpp", "crash2.cpp"):
        c.expect_in(c.path(name) + ": error: the check crashed on this file "
                    "(signal 11", r.out, label, r)
    c.expect_in("Code nested too deeply for clang's stack is a common cause",
                r.out, label, r)
    c.expect_in(c.path("bad.cpp") + ":4:22: warning", r.out, label, r)
    c.expect_in(c.path("deep20k.cpp") + ":5:37: warning: 'st::text'", r.out,
                label, r)
    c.expect(r.summary() == (2, 2, 4), "%s: summary %r" % (label, r.summary()), r)

p = c.clang(["-fsyntax-only"] + flags + ["crash1.cpp"], "clang++ on 1M terms")
if p is not None:
    c.figure("clang_crashes_on_1M_terms", p.signal is not None or
             "Stack dump" in p.err)

c.finish()
