#!/usr/bin/env python3
"""Whole-program benchmark of uisan-tidy on a generated multi-file program
(gen_program.py), side by side with a plain parse of the same files:

  parse      clang++-19 -fsyntax-only of every file, --jobs at a time
  fresh      uisan-tidy -p DIR -jJOBS with an empty facts cache
             (extraction of every file + link + checks)
  cached     the same again: every file's facts from the cache
  link       uisan-tidy --from-facts over the cached facts files only, on
             25%, 50% and 100% of them (linearity)
  edit       one file changed: uisan-tidy -p again, against that file's parse
             plus the link

Targets (issue 11): link <= 5% of the parse and <= 1 GiB; cached run <=
0.1x the parse; after a one-file change <= 1.2 x (that file's parse + link).

  program_bench.py --uisan-tidy build/checker/uisan-tidy --modules 5000
  program_bench.py --quick        # 40 modules, one repetition: a smoke run

Python 3 standard library only; timings from time.perf_counter and the
children's rusage (os.wait4).
"""

import argparse
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gen_program  # noqa: E402


def run(cmd, cwd=None, stdout=None):
    """(wall s, user+sys s, peak RSS MiB, exit code)."""
    out = open(stdout, "w") if stdout else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if stdout:
        out.close()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_parallel(cmds, jobs):
    """Runs cmds, `jobs` at a time; (wall s, CPU s)."""
    t0 = time.perf_counter()
    pending, running, cpu = list(cmds), {}, 0.0
    while pending or running:
        while pending and len(running) < jobs:
            c = pending.pop(0)
            p = subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running[p.pid] = p
        pid, status, ru = os.wait4(-1, 0)
        if pid in running:
            cpu += ru.ru_utime + ru.ru_stime
            del running[pid]
    return time.perf_counter() - t0, cpu


def findings(path):
    with open(path) as f:
        return sum(1 for x in json.load(f)["findings"] if x["check"] == "uisan-ui-call-in-thread")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uisan-tidy", default=os.path.join(REPO, "build/checker/uisan-tidy"))
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--modules", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=os.path.join(HERE, ".work", "program"))
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.modules = 40
    tidy = os.path.abspath(a.uisan_tidy)
    work = os.path.abspath(a.work) + f"-{a.modules}"
    seed = os.path.join(REPO, "fixtures", "seed", "include")
    lines = gen_program.write(work, a.modules, seed)
    expected = gen_program.expected_findings(a.modules)
    cache = os.path.join(work, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    with open(os.path.join(work, "compile_commands.json")) as f:
        db = json.load(f)
    print(f"program: {a.modules} files, {lines} lines, {expected} findings expected; "
          f"machine: {platform.node()} {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}",
          flush=True)
    R = {"modules": a.modules, "lines": lines, "jobs": a.jobs}

    parse_cmds = [[a.clang, "-fsyntax-only"] + e["arguments"][1:-2] + [e["file"]] for e in db]
    R["parse_wall"], R["parse_cpu"] = run_parallel(parse_cmds, a.jobs)
    print(f"parse:  {R['parse_wall']:.1f} s wall, {R['parse_cpu']:.1f} s CPU", flush=True)

    # Every bug a warning: one thread entry may reach several (a scheduler
    # running every job), which the default MaxFunctionsPerEntry=3 counts
    # in a note instead.
    all_findings = "--config={CheckOptions: {uisan-ui-call-in-thread.MaxFunctionsPerEntry: 0}}"
    tidy_cmd = [tidy, "-p", work, f"-j{a.jobs}", "--quiet", f"--cache-dir={cache}",
                "--format=json", all_findings]
    out = os.path.join(work, "findings.json")
    R["fresh_wall"], R["fresh_cpu"], R["fresh_rss"], rc = run(tidy_cmd + [f"--output={out}"])
    R["findings"] = findings(out)
    print(f"fresh:  {R['fresh_wall']:.1f} s wall, {R['fresh_cpu']:.1f} s CPU, "
          f"{R['fresh_rss']:.0f} MiB, {R['findings']} findings (exit {rc})", flush=True)

    R["cached_wall"], R["cached_cpu"], R["cached_rss"], rc = run(tidy_cmd + [f"--output={out}"])
    same = findings(out) == R["findings"]
    print(f"cached: {R['cached_wall']:.2f} s wall, {R['cached_rss']:.0f} MiB, "
          f"same findings: {same}", flush=True)

    facts = sorted(glob.glob(os.path.join(cache, "*", "*.facts")))
    R["facts_files"] = len(facts)
    R["facts_mib"] = sum(os.path.getsize(f) for f in facts) / 2**20
    R["link"] = []
    for share in (0.25, 0.5, 1.0):
        part = facts[: max(1, int(len(facts) * share))]
        lst = os.path.join(work, f"facts-{share}.rsp")
        with open(lst, "w") as f:
            f.write("\n".join(part) + "\n")
        wall, cpu, rss, rc = run([tidy, "--from-facts", "--quiet", "--format=json",
                                  f"--output={out}", "@" + lst])
        R["link"].append({"files": len(part), "wall": wall, "cpu": cpu, "rss": rss})
        print(f"link:   {len(part)} facts files: {wall:.2f} s wall, "
              f"{wall / len(part) * 1000:.2f} ms per file, {rss:.0f} MiB", flush=True)

    edited = db[1]["file"]
    with open(edited, "a") as f:
        f.write(f"// edited {time.time()}\n")
    R["edit_wall"], _, _, rc = run(tidy_cmd + [f"--output={out}"])
    R["edit_parse_wall"], _, _, _ = run([a.clang, "-fsyntax-only"] +
                                         db[1]["arguments"][1:-2] + [edited])
    link_all = R["link"][-1]["wall"]
    print(f"edit:   {R['edit_wall']:.2f} s wall; that file's parse {R['edit_parse_wall']:.2f} s "
          f"+ link {link_all:.2f} s", flush=True)

    print()
    print(f"link / parse:        {link_all / R['parse_wall']:.3f}x  (target <= 0.05)")
    print(f"link peak RSS:       {R['link'][-1]['rss']:.0f} MiB  (target <= 1024)")
    print(f"fresh / parse:       {R['fresh_wall'] / R['parse_wall']:.3f}x")
    print(f"cached / parse:      {R['cached_wall'] / R['parse_wall']:.3f}x  (target <= 0.1)")
    print(f"edit / (parse+link): {R['edit_wall'] / (R['edit_parse_wall'] + link_all):.2f}x  "
          f"(target <= 1.2)")
    print(f"findings: {R['findings']} of {expected} expected")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(R, f, indent=1)
    ok = R["findings"] == expected and same
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
