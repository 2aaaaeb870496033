#!/usr/bin/env python3
"""libuisan.so must not allocate, use iostreams or exceptions: it runs inside
someone else's process, on their threads, at thread creation and in
reports. Checked exactly on what the library imports: no malloc family, no
operator new/delete, no strdup, no stdio streams beyond fflush at exit, no
C++ runtime (it does not even link libstdc++)."""
import subprocess
import sys

nm, lib = sys.argv[1], sys.argv[2]
out = subprocess.run([nm, "-D", "--undefined-only", lib], stdout=subprocess.PIPE, text=True,
                     check=True).stdout
imports = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
forbidden = {"malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc",
             "memalign", "valloc", "strdup", "strndup", "asprintf", "vasprintf",
             "backtrace", "backtrace_symbols", "printf", "fprintf", "puts", "fputs",
             "__cxa_allocate_exception", "__cxa_throw"}
bad = sorted(s for s in imports if s in forbidden or s.startswith(("_Znw", "_Zna", "_Zdl", "_Zda", "_ZSt")))
ldd = subprocess.run(["ldd", lib], stdout=subprocess.PIPE, text=True).stdout
if bad or "libstdc++" in ldd:
    print("FAIL: libuisan.so imports %s%s" % (", ".join(bad) or "nothing forbidden",
                                               " and links libstdc++" if "libstdc++" in ldd else ""))
    sys.exit(1)
print("ok - libuisan.so imports %d symbols, none that allocate or throw" % len(imports))
