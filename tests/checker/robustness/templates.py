#!/usr/bin/env python3
"""Templates instantiated many times.

Function templates that start a thread which makes a UI call, and a class
template whose member starts one, are each instantiated with 2,000
distinct types: through std::thread with a function pointer to another
template, through seed::Thread with a lambda (a new closure type per
instantiation), and through a static member of the class template. Each UI
call is reported once, at its line in the template, with the notes of one
path (the first instantiation in the file), not once per instantiation;
the run is bounded in time and memory, and a template never instantiated
gives nothing.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

TYPES = 2000
c = robust.Case("templates", __doc__)
flags = c.seed_flags()

src = ["#include <seed/st.h>", "#include <seed/threading.h>",
       "#include <string>", "#include <thread>"]
marks = {}


def add(line, mark=None):
    src.append(line)
    if mark:
        marks[mark] = len(src)


add("template <class T> void work() {")
add('  st::write("work " + std::to_string(sizeof(T)));', "fnptr")
add("}")
add("template <class T> void viaPointer() { std::thread t(&work<T>); t.join(); }")
add("template <class T> void viaLambda() {")
add("  seed::Thread t([] {")
add('    st::text("lambda " + std::to_string(sizeof(T)));', "lambda")
add("  });")
add("  t.start();")
add("  t.join();")
add("}")
add("template <class T> struct Widget {")
add('  static void refresh() { st::header("widget"); }', "member")
add("  void start() { std::thread t(&Widget::refresh); t.join(); }")
add("};")
add("template <class T> void unused() {")
add('  std::thread t([] { st::write("never instantiated"); });')
add("  t.join();")
add("}")
# The same UI call reached from one more spawn: still one finding.
add("template <class T> void again() { std::thread t(&work<T>); t.join(); }")
for i in range(TYPES):
    add("struct T%d { char c[%d]; };" % (i, i % 7 + 1))
add("void all() {")
for i in range(TYPES):
    add("  viaPointer<T%d>(); viaLambda<T%d>(); Widget<T%d>().start();"
        % (i, i, i))
add("  again<T0>();")
add("}")
c.write("templates.cpp", "\n".join(src) + "\n")
path = c.path("templates.cpp")
expected = sorted(marks.values())

r = c.tidy(["templates.cpp", "--"] + flags, "2000 instantiations", expect_rc=1)
got = [line for f, line, _, _ in r.warnings() if f == path]
c.expect(sorted(got) == expected, "findings on lines %r, expected %r (one per "
         "UI call, whatever the instantiations)" % (sorted(got)[:10], expected), r)
notes = r.out.count(": note: ")
c.expect(notes <= 3 * len(expected),
         "%d notes for %d findings: one path each expected" % (notes, len(got)), r)
c.expect(r.summary() == (len(expected), 0, 1), "summary %r" % (r.summary(),), r)
c.figure("instantiations_per_template", TYPES)
c.figure("findings", len(got))
c.figure("tidy_wall_s", round(r.wall, 2))
c.figure("tidy_peak_rss_mib", r.rss_kb // 1024)
p = c.clang(["-fsyntax-only"] + flags + ["templates.cpp"], "clang++ -fsyntax-only")
if p is not None:
    c.expect(p.rc == 0, "the generated file does not compile", p)
    c.figure("clang_wall_s", round(p.wall, 2))
    c.figure("clang_peak_rss_mib", p.rss_kb // 1024)

c.finish()
