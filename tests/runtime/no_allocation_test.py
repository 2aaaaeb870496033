#!/usr/bin/env python3
"""libuisan.so and libuisan_audit.so must not allocate, use iostreams or
exceptions: they run inside someone else's process, on their threads, at
thread creation, in reports and in the dynamic loader's callbacks. Checked
exactly on what the libraries import: no malloc family, no operator
new/delete, no strdup, no printf family (snprintf may allocate) and no
strerror (it may too; strerrordesc_np does not), no stdio streams beyond
fflush at exit, no C++ runtime (they do not even link libstdc++). What they
do at run time is checked by malloc_guard.c in every fixture."""
import subprocess
import sys

nm, libs = sys.argv[1], sys.argv[2:]
forbidden = {"malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc",
             "memalign", "valloc", "pvalloc", "strdup", "strndup", "asprintf", "vasprintf",
             "backtrace", "backtrace_symbols", "printf", "fprintf", "dprintf", "puts", "fputs",
             "snprintf", "vsnprintf", "sprintf", "vsprintf", "__snprintf_chk", "__vsnprintf_chk",
             "__sprintf_chk", "__vsprintf_chk", "__fprintf_chk", "__printf_chk", "__dprintf_chk",
             "strerror", "strerror_r", "__xpg_strerror_r", "strerror_l",
             "__cxa_allocate_exception", "__cxa_throw"}
failed = False
for lib in libs:
    out = subprocess.run([nm, "-D", "--undefined-only", lib], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    imports = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
    bad = sorted(s for s in imports
                 if s in forbidden or s.startswith(("_Znw", "_Zna", "_Zdl", "_Zda", "_ZSt")))
    ldd = subprocess.run(["ldd", lib], stdout=subprocess.PIPE, text=True).stdout
    name = lib.rsplit("/", 1)[-1]
    if bad or "libstdc++" in ldd:
        print("FAIL: %s imports %s%s" % (name, ", ".join(bad) or "nothing forbidden",
                                         " and links libstdc++" if "libstdc++" in ldd else ""))
        failed = True
    else:
        print("ok - %s imports %d symbols, none that allocate, format or throw" % (name, len(imports)))
sys.exit(1 if failed else 0)
