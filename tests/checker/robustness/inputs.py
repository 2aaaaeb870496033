#!/usr/bin/env python3
"""Inputs clang cannot be given as they are.

A compilation database listing files that do not exist, a compile command
whose directory does not exist (clang's tooling used to abort the whole
run on it, losing every other file), a directory or a named pipe given as a
source (a pipe used to block the run for ever), a file named on the command
line that does not exist: each is an error naming the file and the remedy,
exit code 2, and the other files are still checked and their findings
reported.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

c = robust.Case("inputs", __doc__)
src = c.path("src")
flags = c.seed_flags()
c.write("src/finding.cpp", robust.BAD)
c.write("src/clean.cpp", robust.GOOD)


def finding_reported(r, label):
    c.expect_in(src + "/finding.cpp:4:22: warning: 'st::write'", r.out, label, r)


# Files listed but missing, next to good ones.
c.write("missing/compile_commands.json", robust.database([
    (src, "finding.cpp", flags),
    (src, "generated/moc_window.cpp", flags),
    (src, "clean.cpp", flags),
]))
r = c.tidy(["-p", "missing"], "missing file", expect_rc=2)
c.expect_in(src + "/generated/moc_window.cpp: error: cannot read the source "
            "file: No such file or directory; compile_commands.json lists it: "
            "regenerate the database, or first build the step that generates "
            "the file [clang-diagnostic-error]", r.out, "missing file", r)
finding_reported(r, "missing file")
c.expect(r.summary() == (1, 1, 3), "missing file: summary %r" % (r.summary(),), r)
c.expect_not_in("no input files", r.out, "missing file", r)

# A compile command whose directory is gone: reported, the file's other
# command and the other files still checked.
c.write("nodir/compile_commands.json", robust.database([
    (c.path("gone"), src + "/finding.cpp", flags),
    (src, "finding.cpp", flags),
    (c.path("gone"), src + "/clean.cpp", flags),
]))
for jobs in ("-j1", "-j2"):
    label = "missing directory " + jobs
    r = c.tidy(["-p", "nodir", jobs], label, expect_rc=2)
    c.expect_in(src + "/finding.cpp: error: the directory of its compile "
                "command, '" + c.path("gone") + "', does not exist; regenerate "
                "compile_commands.json, or fix the entry's \"directory\" (the "
                "file's other compile commands are checked)", r.out, label, r)
    c.expect_in(src + "/clean.cpp: error: the directory of its compile "
                "command, '" + c.path("gone") + "', does not exist", r.out,
                label, r)
    finding_reported(r, label)

# A directory and a named pipe given as sources: no hang.
os.makedirs(c.path("adir.cpp"))
os.mkfifo(c.path("pipe.cpp"))
r = c.tidy(["adir.cpp", "pipe.cpp", "src/finding.cpp", "--"] + flags,
           "not regular files", expect_rc=2, timeout=60)
for name in ("adir.cpp", "pipe.cpp"):
    c.expect_in(c.path(name) + ": error: not a regular file (a directory, "
                "pipe or device); name source files only", r.out,
                "not regular files", r)
finding_reported(r, "not regular files")
r = c.tidy(["nothere.cpp", "src/finding.cpp", "--"] + flags,
           "missing file on the command line", expect_rc=2)
c.expect_in(c.path("nothere.cpp") + ": error: cannot read the source file: "
            "No such file or directory; check the path", r.out,
            "missing file on the command line", r)
finding_reported(r, "missing file on the command line")

c.finish()
