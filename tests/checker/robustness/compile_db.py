#!/usr/bin/env python3
"""Compilation databases that are missing or broken.

A -p directory without a compile_commands.json, or one that does not exist;
a database that is not valid JSON (clang's reader used to print a YAML
error without the file's name and go on with the entries before the syntax
error), one that is not an array, one whose entry lacks its command, one
found by looking upwards from a source, and an empty one: each is one
clear error naming the path and the remedy, exit code 2, and nothing is
checked. A good database checks every file (exit 1 with its finding).
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

# The build directory has a compile_commands.json at its root, which -p
# would find by looking upwards: scratch in /tmp instead.
c = robust.Case("compile_db", __doc__, outside_build=True)
src = c.path("src")
flags = c.seed_flags()
c.write("src/finding.cpp", robust.BAD)
c.write("src/clean.cpp", robust.GOOD)
REMEDY = "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"


def finding_reported(r, label):
    c.expect_in(src + "/finding.cpp:4:22: warning: 'st::write'", r.out, label, r)


# No database at all.
os.makedirs(c.path("empty"))
r = c.tidy(["-p", "empty"], "no database", expect_rc=2)
c.expect_in("error: no compilation database found in 'empty' or its parents "
            "(no compile_commands.json); configure the build with " + REMEDY,
            r.err, "no database", r)
c.expect(r.summary() == (0, 1, 0), "no database: summary %r" % (r.summary(),), r)
r = c.tidy(["-p", "does/not/exist"], "no -p directory", expect_rc=2)
c.expect_in("error: no compilation database found in 'does/not/exist' or its "
            "parents (the directory does not exist)", r.err, "no -p directory", r)


def broken_database(name, text, expected, label):
    c.write(name + "/compile_commands.json", text)
    r = c.tidy(["-p", name], label, expect_rc=2)
    c.expect(re.search("^" + re.escape(c.path(name, "compile_commands.json"))
                       + expected, r.err, re.M) is not None,
             "%s: no line matching %r" % (label, expected), r)
    c.expect_in(REMEDY, r.err, label, r)
    c.expect_not_in("YAML:", r.err, label, r)
    c.expect(r.summary() == (0, 1, 0), label + ": summary %r, expected nothing "
             "checked" % (r.summary(),), r)
    c.expect(r.out == "", label + ": no findings expected", r)
    return r


good_entry = robust.database([(src, "finding.cpp", flags)])
truncated = good_entry.rstrip().rstrip("]").rstrip()
# Truncated: clang's reader would take the first entry and check it.
broken_database("truncated", truncated,
                ":%d:\\d+: error: not valid JSON: Expected , or \\] after array "
                "element" % (truncated.count("\n") + 1), "truncated database")
# json.dumps puts "arguments" on line 5, after 2 spaces.
broken_database("syntax", good_entry.replace('"arguments"', 'arguments'),
                ":5:3: error: not valid JSON: Expected object key",
                "database with a syntax error")
broken_database("object", '{"directory": "%s", "file": "finding.cpp"}' % src,
                ": error: not a compilation database: expected a JSON array "
                "of compile commands", "database not an array")
broken_database("nokeys", '[{"directory": "%s", "file": "finding.cpp"}]' % src,
                ": error: not a usable compilation database: Missing key: "
                "\"command\" or \"arguments\"", "database entry without command")
# Found by looking upwards from the file, without -p.
c.write("up/compile_commands.json", "[{")
c.write("up/sub/finding.cpp", robust.BAD)
r = c.tidy(["up/sub/finding.cpp"], "database found upwards", expect_rc=2)
c.expect_in(c.path("up", "compile_commands.json") + ":1:", r.err,
            "database found upwards", r)

r = c.tidy(["-p", c.write("none/compile_commands.json", "[]\n") and "none"],
           "empty database", expect_rc=2)
c.expect_in("error: no input files", r.err, "empty database", r)

# The other way: a good database checks every file.
c.write("good/compile_commands.json", robust.database([
    (src, "finding.cpp", flags), (src, "clean.cpp", flags)]))
r = c.tidy(["-p", "good"], "good database", expect_rc=1)
finding_reported(r, "good database")
c.expect(r.summary() == (1, 0, 2), "good database: summary %r" % (r.summary(),), r)

c.finish()
