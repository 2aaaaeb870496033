#!/usr/bin/env python3
"""Deep and recursive call chains from a thread.

One generated file has a chain of 10,000 helpers called from a
std::thread lambda, a chain of 100, mutual and self recursion, a class
template recursing 200 and 900 levels, and a function template recursing
50 levels, each ending in a UI call. The walk is bounded by the check's
MaxDepth option (default 256): the findings within it are reported, those
beyond are not, the boundary is exact (MaxDepth 100 reports the 100-deep
chain, 99 does not), and a MaxDepth above 10,000 reports the long chain
with its 10,001-step path, without running out of stack.

A 30,000-deep chain with MaxDepth 100,000 checks that printing a long path
costs no more than parsing: the printer used to scan the file from its
start for every note, 14 s against 0.8 s for the parse. A template
recursing past clang's instantiation limit is a clear compile error while
the other file's finding is still reported.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

LONG = 10000
c = robust.Case("deep_recursion", __doc__)
flags = c.seed_flags()

lines = ["#include <seed/st.h>", "#include <thread>"]
marks = {}


def add(text, mark=None):
    if mark:
        marks[mark] = len(lines) + 1
    lines.append(text)


add('void long_end() { st::write("10000 deep"); }', "long")
# h0 .. h9998 and long_end: 10,000 helpers, long_end at depth 10,000.
for i in range(LONG - 2, -1, -1):
    nxt = "long_end" if i == LONG - 2 else "h%d" % (i + 1)
    add("void h%d() { %s(); }" % (i, nxt))
add('void short_end() { st::text("100 deep"); }', "short")
# g0 .. g98 and short_end: short_end at depth 100.
for i in range(98, -1, -1):
    nxt = "short_end" if i == 98 else "g%d" % (i + 1)
    add("void g%d() { %s(); }" % (i, nxt))
add("void odd(int n);")
add('void even(int n) { if (n == 0) { st::write("mutual"); return; } odd(n - 1); }',
    "mutual")
add("void odd(int n) { if (n == 0) return; even(n - 1); }")
add('void self(int n) { if (n > 0) self(n - 1); st::text("self"); }', "self")
add("template <int N> struct RecA { static void go() { RecA<N - 1>::go(); } };")
add('template <> struct RecA<0> { static void go() { st::header("RecA"); } };',
    "reca")
add("template <int N> struct RecB { static void go() { RecB<N - 1>::go(); } };")
add('template <> struct RecB<0> { static void go() { st::header("RecB"); } };',
    "recb")
add("template <int N> void trec() { trec<N - 1>(); }")
add('template <> void trec<0>() { st::write("trec"); }', "trec")
add("void spawn() {")
add("  std::thread a([] { h0(); });")
add("  std::thread b([] { g0(); });")
add("  std::thread m([] { odd(7); });")
add("  std::thread s([] { self(3); });")
add("  std::thread r([] { RecA<200>::go(); RecB<900>::go(); trec<50>(); });")
add("  a.join(); b.join(); m.join(); s.join(); r.join();")
add("}")
c.write("deep.cpp", "\n".join(lines) + "\n")
deep = c.path("deep.cpp")
c.figure("deep_cpp_lines", len(lines))


def lines_found(r):
    return sorted(line for f, line, _, _ in r.warnings() if f == deep)


def check(depth, expect, label):
    args = ["deep.cpp", "--"] + flags
    if depth is not None:
        args = ["--config={CheckOptions: {uisan-ui-call-in-thread.MaxDepth: %d}}"
                % depth] + args
    r = c.tidy(args, label, expect_rc=1 if expect else 0)
    want = sorted(marks[m] for m in expect)
    got = lines_found(r)
    c.expect(got == want, "%s: findings on lines %r, expected %r (%s)" % (
        label, got, want, ", ".join("%s=%d" % kv for kv in sorted(marks.items()))), r)
    return r


within = ["short", "mutual", "self", "reca", "trec"]
r = check(None, within, "default MaxDepth 256")
c.figure("default_wall_s", round(r.wall, 2))
# RecA<0> is 201 calls deep.
check(100, [m for m in within if m != "reca"], "MaxDepth 100")
check(99, [m for m in within if m not in ("short", "reca")], "MaxDepth 99")
check(0, [], "MaxDepth 0")
r = check(20000, within + ["long", "recb"], "MaxDepth 20000")
c.figure("chain_10000_wall_s", round(r.wall, 2))
c.figure("chain_10000_peak_rss_mib", r.rss_kb // 1024)
# The path of the long chain: one note per helper, the lambda and the start.
notes = r.out.count(": note: called from 'h")
c.expect(notes == LONG - 1, "long chain: %d 'called from h*' notes, expected %d"
         % (notes, LONG - 1), r)
r2 = c.tidy(["-j2", "--config={CheckOptions: {uisan-ui-call-in-thread.MaxDepth: "
             "20000}}", "deep.cpp", "--"] + flags, "MaxDepth 20000 -j2",
            expect_rc=1)
c.expect(r2.out == r.out, "-j2 gives other output than -j1", r2)

# A 30,000-deep chain printed in full must not cost more than the parse.
VERY = 30000
text = ["#include <seed/st.h>", "#include <thread>",
        'void k%d() { st::write("deep"); }' % VERY]
text += ["void k%d() { k%d(); }" % (i, i + 1) for i in range(VERY - 1, -1, -1)]
text += ["void spawn() { std::thread t([] { k0(); }); t.join(); }"]
c.write("chain30k.cpp", "\n".join(text) + "\n")
base = c.tidy(["chain30k.cpp", "--"] + flags, "30k chain, default", expect_rc=0)
full = c.tidy(["--config={CheckOptions: {uisan-ui-call-in-thread.MaxDepth: "
               "100000}}", "chain30k.cpp", "--"] + flags,
              "30k chain, MaxDepth 100000", expect_rc=1)
c.expect(full.out.count(": note: called from 'k") == VERY,
         "30k chain: one note per helper expected", full)
c.figure("chain_30000_default_wall_s", round(base.wall, 2))
c.figure("chain_30000_full_path_wall_s", round(full.wall, 2))
c.expect(full.wall <= 3 * base.wall + 2,
         "30k chain: printing the path took %.1f s against %.1f s without it"
         % (full.wall, base.wall), full)

# Past clang's template instantiation depth: an error, the rest checked.
c.write("overflow.cpp", """#include <seed/st.h>
template <int N> struct Rec { static void go() { Rec<N - 1>::go(); } };
template <> struct Rec<0> { static void go() { st::header("never"); } };
void f() { Rec<5000>::go(); }
""")
c.write("bad.cpp", robust.BAD)
r = c.tidy(["-j2", "overflow.cpp", "bad.cpp", "--"] + flags,
           "template recursion past the limit", expect_rc=2)
c.expect_in(c.path("overflow.cpp") + ":2:50: error: recursive template "
            "instantiation exceeded maximum depth of 1024", r.out,
            "template recursion past the limit", r)
c.expect_in(c.path("bad.cpp") + ":4:22: warning", r.out,
            "template recursion past the limit", r)

c.finish()
