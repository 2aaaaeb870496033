#!/usr/bin/env python3
"""Sources that do not compile, next to good ones with a real finding.

A syntax error, a missing header and an unknown flag in one file's compile
command (from compile_commands.json) must each be reported as an error
naming the file, with exit code 2, while the findings of the files that do
compile are still reported; the same set without the broken files exits 1,
and the clean file alone exits 0.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

c = robust.Case("broken_sources", __doc__)
src = c.path("src")
c.write("src/finding.cpp", robust.BAD)
c.write("src/clean.cpp", robust.GOOD)
c.write("src/syntax.cpp", "void f( { int x = ; }\nint ok() { return 0; }\n")
c.write("src/missing_header.cpp",
        "#include <no/such/header.h>\nvoid g() {}\n")
# Compiles, but its compile command carries a flag clang does not know:
# clang reports it and still analyses the file.
c.write("src/flagged.cpp", robust.BAD)
flags = c.seed_flags()
c.write("build/compile_commands.json", robust.database([
    (src, "finding.cpp", flags),
    (src, "clean.cpp", flags),
    (src, "syntax.cpp", flags),
    (src, "missing_header.cpp", flags),
    (src, "flagged.cpp", flags + ["-fno-such-flag"]),
]))

for jobs in ("-j1", "-j2"):
    label = "database " + jobs
    r = c.tidy(["-p", "build", jobs], label, expect_rc=2)
    out = r.out
    c.expect_in(src + "/finding.cpp:4:22: warning: 'st::write' is a UI call",
                out, label, r)
    c.expect_in(src + "/flagged.cpp:4:22: warning: 'st::write' is a UI call",
                out, label, r)
    c.expect_in(src + "/syntax.cpp:1:", out, label, r)
    c.expect_in(src + "/missing_header.cpp:1:10: error: 'no/such/header.h' "
                "file not found [clang-diagnostic-error]", out, label, r)
    # The flag's error has no line: it names the file and where to fix it.
    c.expect_in(src + "/flagged.cpp: error: unknown argument: "
                "'-fno-such-flag' (in the compile command of this file; fix "
                "the entry in compile_commands.json", out, label, r)
    c.expect_not_in("<unknown>", out, label, r)
    c.expect_not_in("clean.cpp", out, label, r)
    s = r.summary()
    c.expect(s is not None and s[0] == 2 and s[2] == 5,
             label + ": summary should count 2 findings in 5 TUs: %r" % (s,), r)
    if jobs == "-j1":
        first = out
    else:
        c.expect(out == first, "-j1 and -j2 give different output", r)

# Every error in the machine-readable formats has a file.
r = c.tidy(["-p", "build", "--format=json"], "database json", expect_rc=2)
doc = c.expect_json(r.out_raw, "json output", r)
if doc is not None:
    found = doc["findings"]
    warn = sorted(os.path.basename(f["file"]) for f in found
                  if f["severity"] == "warning")
    c.expect(warn == ["finding.cpp", "flagged.cpp"],
             "json: warnings in %r" % warn, r)
    errs = [f for f in found if f["severity"] == "error"]
    c.expect(len(errs) >= 3, "json: %d errors, expected 3 or more" % len(errs), r)
    c.expect(all(f["file"] for f in found), "json: an entry without a file", r)
r = c.tidy(["-p", "build", "--format=sarif", "--output=out.sarif"],
           "database sarif", expect_rc=2)
with open(c.path("out.sarif"), "rb") as f:
    sarif = c.expect_json(f.read(), "sarif output", r)
if sarif is not None:
    results = sarif["runs"][0]["results"]
    c.expect(all(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for res in results), "sarif: a result without a file", r)
    c.expect(sum(res["level"] == "warning" for res in results) == 2,
             "sarif: expected 2 warnings", r)

# The other way round: without the broken files the run exits 1, and with
# only the clean file 0; a file is named on the command line here.
r = c.tidy(["-p", "build", src + "/finding.cpp", src + "/clean.cpp"],
           "good files only", expect_rc=1)
c.expect(len(r.warnings()) == 1, "good files only: one finding expected", r)
r = c.tidy(["-p", "build", src + "/clean.cpp"], "clean file only", expect_rc=0)
c.expect(r.out == "", "clean file only: output expected empty", r)

# Flags after '--' instead of a database: the remedy says so.
r = c.tidy([src + "/finding.cpp", "--"] + flags + ["-fno-such-flag"],
           "fixed flags", expect_rc=2)
c.expect_in(src + "/finding.cpp: error: unknown argument: '-fno-such-flag' "
            "(in the compile command of this file; fix the flags after '--')",
            r.out, "fixed flags", r)
c.expect_in(src + "/finding.cpp:4:22: warning", r.out, "fixed flags", r)

c.finish()
