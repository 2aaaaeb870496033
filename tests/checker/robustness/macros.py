#!/usr/bin/env python3
"""UI calls and thread starts hidden in macros, nested macros.

Each finding is reported once per place the macro is used, at that place
in the file (with clang's 'expanded from macro' notes), not once for the
macro's definition and not once per expansion step: when the UI call is an
argument written at the use, at that argument; when it is inside the
macro's body, at the macro's name. A macro used 500 times in one function
gives 500 findings; a macro expansion 40 levels deep is followed; a thread
started by a macro that makes no UI call, a UI call in a macro on the
script thread and one under '#if 0' give none.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

REPEAT = 500
NEST = 40
c = robust.Case("macros", __doc__)
flags = c.seed_flags()

src = ["#include <seed/st.h>", "#include <thread>",
       "#define SHOW(x) st::write(x)",
       "#define SHOW2(x) SHOW(x)",
       "#define SPAWN(body) std::thread([&] { body; })",
       "#define SPAWN_JOIN(body) do { auto th = SPAWN(body); th.join(); } while (0)",
       "#define WORKER(name, body) void name() { SPAWN_JOIN(body); }",
       "#define CALL_UI st::text(\"m\")",
       "#define DEFINE_BAD(name) void name() { std::thread t([] { st::write(#name); }); t.join(); }",
       "#define UI_IN_THREAD(n) std::thread t##n([] { st::header(#n); }); t##n.join();",
       "#define ALIAS st::write",
       "#define N0(x) st::text(x)"]
src += ["#define N%d(x) N%d(x)" % (i, i - 1) for i in range(1, NEST + 1)]
DEFINES = len(src)  # lines 1 .. DEFINES hold the macro definitions
expected = set()


def add(line, col=None):
    """Adds a line; `col`: a finding expected at this line and column."""
    src.append(line)
    if col is not None:
        expected.add((len(src), col))


add('void a() { SPAWN_JOIN(SHOW2("a")); }', 23)
add('void b() { SPAWN_JOIN(SHOW2("b")); }', 23)
add("WORKER(c, CALL_UI)", 11)
add("WORKER(d, CALL_UI)", 11)
add('void e() { std::thread t([] { SHOW("e"); }); t.join(); }', 31)
add("void f() { auto t = SPAWN(int x = 1; (void)x); t.join(); }")
add("DEFINE_BAD(g)", 1)
add("DEFINE_BAD(h)", 1)
add('void i() { std::thread t([] { ALIAS("alias"); }); t.join(); }', 31)
add('void j() { std::thread t([] { N%d("nested"); }); t.join(); }' % NEST, 31)
add('void k() { SHOW2("on the script thread"); CALL_UI; }')
add("#if 0")
add('void l() { std::thread t([] { SHOW("never"); }); t.join(); }')
add("#endif")
add("void many() {")
for n in range(REPEAT):
    add("  UI_IN_THREAD(%d)" % n, 3)
add("}")
c.write("macros.cpp", "\n".join(src) + "\n")
path = c.path("macros.cpp")

for jobs in ("-j1", "-j2"):
    label = "macros " + jobs
    r = c.tidy([jobs, "macros.cpp", "--"] + flags, label, expect_rc=1)
    got = [(line, col) for f, line, col, _ in r.warnings() if f == path]
    c.expect(len(got) == len(set(got)), label + ": a place reported twice", r)
    got = set(got)
    c.expect(got == expected, "%s: %d findings, expected %d; missing %r, "
             "unexpected %r" % (label, len(got), len(expected),
                                sorted(expected - got)[:5],
                                sorted(got - expected)[:5]), r)
    # The notes go back through the macros to the definition.
    c.expect_in("note: expanded from macro 'N0'", r.out, label, r)
    c.expect_in("note: expanded from macro 'UI_IN_THREAD'", r.out, label, r)
    c.expect(all(line > DEFINES for f, line, _, _ in r.warnings()),
             label + ": a finding placed in a macro definition", r)
    c.figure("findings_" + jobs, len(got))
    c.figure("wall_s_" + jobs, round(r.wall, 2))

c.finish()
