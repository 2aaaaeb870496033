#!/usr/bin/env python3
"""The fixture runner must fail both ways: a report nobody expected, and an
expectation nobody reported (and a wrong grouped count). Runs
run_fixture.py on real fixture binaries with doctored expectations."""
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
uisan_run, bin_dir, fixture_dir = sys.argv[1], sys.argv[2], sys.argv[3]


def runner(binary, source_text, name):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, name)
        with open(src, "w") as f:
            f.write(source_text)
        p = subprocess.run([sys.executable, os.path.join(here, "run_fixture.py"),
                            "--uisan-run", uisan_run, "--binary", binary, "--source", src],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        return p.returncode, p.stdout


def source(name):
    with open(os.path.join(fixture_dir, name)) as f:
        return f.read()


failures = 0


def expect(cond, what, out):
    global failures
    print(("ok   - " if cond else "FAIL - ") + what)
    if not cond:
        print(out)
        failures += 1


# 1. Expectation removed: the report is unexpected.
text = re.sub(r"//\s*EXPECT: stale-context", "", source("option2_no_join.cpp"))
rc, out = runner(os.path.join(bin_dir, "rtfx_option2_no_join"), text, "option2_no_join.cpp")
expect(rc != 0 and "FAIL: unexpected report: stale-context at option2_no_join.cpp:" in out,
       "a report without an expectation fails", out)

# 2. Expectation added to a clean program: the report is missing.
text = source("logging_thread.cpp").replace(
    "seed::Thread([] { std::printf", "seed::Thread([] { std::printf", 1)
text = text.replace("st::write(\"page done\");", "st::write(\"page done\"); // EXPECT: ui-call-off-thread")
rc, out = runner(os.path.join(bin_dir, "rtfx_logging_thread"), text, "logging_thread.cpp")
expect(rc != 0 and "FAIL: missing report: ui-call-off-thread at logging_thread.cpp:" in out,
       "an expectation without a report fails", out)

# 3. Wrong line: both missing and unexpected.
text = source("ui_call_in_thread.cpp").replace("// EXPECT: ui-call-off-thread",
                                               "// EXPECT: ui-call-off-thread @[[@LINE+1]]")
rc, out = runner(os.path.join(bin_dir, "rtfx_ui_call_in_thread"), text, "ui_call_in_thread.cpp")
expect(rc != 0 and "FAIL: missing report" in out and "FAIL: unexpected report" in out,
       "a report at another line fails", out)

# 4. Wrong grouped count.
text = source("scheduler_per_rerun.cpp").replace("thread-leak count=3", "thread-leak count=2")
rc, out = runner(os.path.join(bin_dir, "rtfx_scheduler_per_rerun"), text, "scheduler_per_rerun.cpp")
expect(rc != 0 and "count 3, expected 2" in out, "a wrong grouped count fails", out)

sys.exit(1 if failures else 0)
