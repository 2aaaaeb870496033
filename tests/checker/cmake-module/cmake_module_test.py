#!/usr/bin/env python3
"""cmake/UisanTidy.cmake on a real CMake project, built with Ninja.

Facts are extracted per file as build steps and linked by the check target:
the finding spans two files; a second build rebuilds no facts; changing one
source rebuilds its facts only; changing a header both of them read
rebuilds both (the depfile); the check target fails while there are
findings, and passes once the bug is fixed.

  cmake_module_test.py <uisan-tidy> <repo> <work-dir>
"""
import os
import re
import shutil
import subprocess
import sys

tidy, repo, work = (os.path.abspath(a) for a in sys.argv[1:4])
here = os.path.dirname(os.path.abspath(__file__))
failures = []


def expect(cond, what, out=""):
    if not cond:
        failures.append(what + ("\n" + out if out else ""))


shutil.rmtree(work, ignore_errors=True)
src = os.path.join(work, "src")
build = os.path.join(work, "build")
shutil.copytree(os.path.join(here, "project"), src)


def run(*cmd):
    p = subprocess.run(cmd, cwd=work, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


rc, out = run("cmake", "-S", src, "-B", build, "-G", "Ninja",
              "-DCMAKE_MODULE_PATH=" + os.path.join(repo, "cmake"),
              "-DUISAN_TIDY=" + tidy,
              "-DSEED_INCLUDE=" + os.path.join(repo, "fixtures", "seed", "include"))
expect(rc == 0, "configure failed", out)


def check():
    return run("cmake", "--build", build, "--target", "uisan-check")


def facts_built(out):
    return len(re.findall(r"uisan-tidy: facts of ", out))


rc, out = check()
expect(rc != 0, "the check target passed with a finding in the program", out)
expect("ui.cpp:5:35: warning: 'st::text' is a UI call made on a worker thread" in out,
       "the finding in ui.cpp is missing", out)
expect("worker.cpp:5:22: note: called from the lambda" in out,
       "the note in worker.cpp is missing", out)
expect(facts_built(out) == 2, "first build: expected 2 facts steps, got %d" %
       facts_built(out), out)

rc, out = check()
expect(facts_built(out) == 0, "unchanged tree: facts rebuilt (%d)" % facts_built(out), out)

with open(os.path.join(src, "worker.cpp"), "a") as f:
    f.write("// touched\n")
rc, out = check()
expect(facts_built(out) == 1, "one source changed: expected 1 facts step, got %d" %
       facts_built(out), out)

with open(os.path.join(src, "ui.h"), "a") as f:
    f.write("// touched\n")
rc, out = check()
expect(facts_built(out) == 2, "shared header changed: expected 2 facts steps, got %d"
       % facts_built(out), out)

# Fixed: the worker no longer draws; the check target passes.
with open(os.path.join(src, "worker.cpp"), "w") as f:
    f.write("#include <thread>\nvoid page() {\n  std::thread t([] {});\n  t.join();\n}\n")
rc, out = check()
expect(rc == 0, "the check target failed on a program without findings", out)
expect("warning:" not in out, "a warning on the fixed program", out)

for f in failures:
    print("FAIL: " + f)
print("cmake module: %d failures" % len(failures))
sys.exit(1 if failures else 0)
