#!/usr/bin/env python3
"""Is the lifecycle analysis (uisan-executor-not-shutdown, uisan-context-escape)
linear in function size?

Generates one function of N blocks, each an exit path (`if (cond(i)) { join
every thread; return; }`), with H local std::threads, so the CFG has ~N
branches and every handle must be tracked through all of them; every path
joins, so nothing is reported. Each size is parsed (`clang++-19
-fsyntax-only`) and checked (`uisan-tidy --checks=uisan-executor-not-shutdown`)
side by side, interleaved, and the medians and the check's extra time are
printed as a Markdown table. Python 3 standard library only.

  python3 bench/checker/lifecycle_curve.py [--uisan-tidy PATH] [--reps 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def generate(blocks, handles):
    out = ["#include <thread>", "bool cond(int);", "void work(int);", "",
           "void big() {"]
    for h in range(handles):
        out.append(f"  std::thread t{h}(work, {h});")
    joins = " ".join(f"t{h}.join();" for h in range(handles))
    for i in range(blocks):
        out.append(f"  if (cond({i})) {{ {joins} return; }}")
        out.append(f"  work({i});")
        if i % 50 == 49:  # loops too, so the fixpoint iterates
            out.append(f"  for (int k = 0; k < {i}; ++k) work(k);")
    out.append(f"  {joins}")
    out.append("}")
    return "\n".join(out) + "\n"


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, out.decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uisan-tidy", default=os.path.join(ROOT, "build/checker/uisan-tidy"))
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--handles", type=int, nargs="+", default=[4, 16])
    ap.add_argument("--blocks", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000])
    args = ap.parse_args()
    print("| threads | blocks | lines | parse s | check s | extra s | extra ms per 1k lines | ratio |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as tmp:
        for h in args.handles:
            for n in args.blocks:
                path = os.path.join(tmp, f"f{h}_{n}.cpp")
                text = generate(n, h)
                with open(path, "w") as f:
                    f.write(text)
                lines = text.count("\n")
                parse, check = [], []
                for r in range(args.reps):
                    pair = [("p", [args.clang, "-fsyntax-only", "-std=c++17", path]),
                            ("c", [args.uisan_tidy, "--quiet",
                                   "--checks=uisan-executor-not-shutdown", path, "--",
                                   "-std=c++17"])]
                    if r % 2:
                        pair.reverse()
                    for kind, cmd in pair:
                        wall, out = timed(cmd)
                        if kind == "c" and ": warning:" in out:
                            sys.exit(f"unexpected finding in the generated TU:\n{out}")
                        (parse if kind == "p" else check).append(wall)
                p, c = statistics.median(parse), statistics.median(check)
                print(f"| {h} | {n} | {lines} | {p:.2f} | {c:.2f} | {c - p:.2f} | "
                      f"{1000 * (c - p) / lines * 1000:.1f} | {c / p:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
