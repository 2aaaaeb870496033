#!/usr/bin/env python3
"""Invalid UTF-8 in file names, in sources and in compiler messages.

A source whose name has invalid UTF-8 bytes, one with invalid bytes in its
comments and string literals, and one including a missing header whose
name has invalid bytes (so the compiler's message has them) are checked
with flags after '--' and through a compile_commands.json that holds the
raw bytes. The text output keeps the bytes of paths as they are (clang
itself writes them as <FF> in its messages); the JSON and SARIF outputs
stay valid JSON: invalid bytes in paths and messages become U+FFFD, and
SARIF URIs percent-encode the original bytes exactly.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust  # noqa: E402

c = robust.Case("invalid_utf8", __doc__)
flags = c.seed_flags()
NAME = b"bad_\xff\xfe_name.cpp"
c.write(NAME, robust.BAD)
c.write("bytes.cpp", b"""#include <seed/st.h>
#include <thread>
// comment \xc3\x28 \xff latin-1 caf\xe9 \xed\xa0\x80 (a surrogate)
void page() {
  std::thread t([] { st::write("bytes \xe9\xff\xfe"); });
  t.join();
}
const char *s = "\xf8\x88\x80\x80\x80 five bytes";
""")
c.write("header.cpp", b'#include "missing_\xff\xfe.h"\nvoid f() {}\n')
files = [NAME, b"bytes.cpp", b"header.cpp"]
abs_name = c.path(NAME)
replaced = os.fsdecode(abs_name).encode("utf-8", "surrogateescape").decode(
    "utf-8", "replace")


def check_text(r, label):
    c.expect(abs_name + b":4:22: warning: 'st::write'" in r.out_raw,
             label + ": the finding in the file with the raw name", r)
    c.expect(c.path(b"bytes.cpp") + b":5:22: warning: 'st::write'" in r.out_raw,
             label + ": the finding in the file with raw bytes", r)
    # clang writes the bytes it cannot print in its messages as <FF>.
    c.expect(b"header.cpp:1:10: error: 'missing_<FF><FE>.h' file not found"
             in r.out_raw, label + ": the header error", r)
    c.expect(r.summary() == (2, 1, 3), label + ": summary %r" % (r.summary(),), r)


def check_json(raw, r, label):
    doc = c.expect_json(raw, label, r)
    if doc is None:
        return
    files_seen = sorted(f["file"] for f in doc["findings"])
    c.expect(replaced in files_seen, "%s: %r not among %r" % (label, replaced,
                                                              files_seen), r)
    msgs = [f["message"] for f in doc["findings"] if f["severity"] == "error"]
    c.expect(any("missing_<FF><FE>.h" in m for m in msgs),
             "%s: header error: %r" % (label, msgs), r)


def check_sarif(raw, r, label):
    doc = c.expect_json(raw, label, r)
    if doc is None:
        return
    uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for res in doc["runs"][0]["results"]]
    c.expect("bad_%FF%FE_name.cpp" in uris, "%s: uris %r" % (label, uris), r)
    c.expect(urllib.parse.unquote_to_bytes("bad_%FF%FE_name.cpp") == NAME,
             label + ": the uri decodes to the file's bytes")
    c.expect(all(u.isascii() for u in uris), label + ": non-ASCII uri", r)


def run_all(args, label):
    check_text(c.tidy(args, label + " text", expect_rc=2), label + " text")
    r = c.tidy(["--format=json"] + args, label + " json", expect_rc=2)
    check_json(r.out_raw, r, label + " json")
    r = c.tidy(["--format=sarif", "--output=out.sarif"] + args,
               label + " sarif", expect_rc=2)
    with open(c.path("out.sarif"), "rb") as f:
        check_sarif(f.read(), r, label + " sarif")


run_all(files + [b"--"] + [f.encode() for f in flags], "flags")

# A database with the raw bytes, as CMake writes it.
entries = b",\n".join(
    b'{"directory": "%s", "file": "%s", "arguments": ["c++", %s, "-c", "%s"]}'
    % (c.path(b""), f, b", ".join(b'"%s"' % a.encode() for a in flags), f)
    for f in files)
c.write("build/compile_commands.json", b"[" + entries + b"]\n")
run_all(["-p", "build"], "database")

# The other way: without the broken header the run exits 1.
r = c.tidy([NAME, b"bytes.cpp", b"--"] + [f.encode() for f in flags],
           "findings only", expect_rc=1)
c.expect(len(r.warnings()) == 2, "findings only: two findings expected", r)

c.finish()
