#!/usr/bin/env python3
"""uisan-run end to end: pass-through of stdio, exit codes and signals,
exit codes on reports, option and rule-pack validation before the app
runs, direct LD_PRELOAD with a bad option, log/json outputs."""
import argparse
import glob
import json
import os
import signal
import subprocess
import sys
import tempfile

failures = []


def check(cond, what, proc=None):
    if cond:
        print("ok   - " + what)
        return
    print("FAIL - " + what)
    if proc is not None:
        print("  rc=%r\n  stdout=%r\n  stderr=%r" % (proc.returncode, proc.stdout, proc.stderr))
    failures.append(what)


def run(cmd, env_extra=None, stdin=None, drop=("UISAN_OPTIONS", "LD_PRELOAD", "LD_AUDIT")):
    env = dict(os.environ)
    for k in drop:
        env.pop(k, None)
    env.update(env_extra or {})
    return subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env, timeout=120)


def sarif_problems(doc):
    """The required properties of SARIF 2.1.0 (sarif-schema-2.1.0.json)
    that a log of ours must have, and the ones code scanning reads."""
    problems = []

    def need(obj, keys, where):
        for k in keys:
            if not isinstance(obj, dict) or k not in obj:
                problems.append("%s lacks '%s'" % (where, k))

    need(doc, ["version", "runs"], "sarifLog")
    if doc.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    for i, run_ in enumerate(doc.get("runs", [])):
        need(run_, ["tool", "results"], "runs[%d]" % i)
        need(run_.get("tool", {}), ["driver"], "runs[%d].tool" % i)
        driver = run_.get("tool", {}).get("driver", {})
        need(driver, ["name"], "tool.driver")
        rules = driver.get("rules", [])
        for j, rule in enumerate(rules):
            need(rule, ["id"], "rules[%d]" % j)
        for j, res in enumerate(run_.get("results", [])):
            where = "results[%d]" % j
            need(res, ["message", "ruleId", "locations"], where)
            msg = res.get("message", {})
            if not ("text" in msg or "id" in msg):
                problems.append(where + ".message has neither text nor id")
            if not (0 <= res.get("ruleIndex", -1) < len(rules)) or \
                    rules[res["ruleIndex"]].get("id") != res.get("ruleId"):
                problems.append(where + ".ruleIndex does not point at its rule")
            for k, flow in enumerate(res.get("codeFlows", [])):
                need(flow, ["threadFlows"], "%s.codeFlows[%d]" % (where, k))
                if not flow.get("threadFlows"):
                    problems.append("%s.codeFlows[%d] has no thread flow" % (where, k))
                for m, tf in enumerate(flow.get("threadFlows", [])):
                    need(tf, ["locations"], "%s.threadFlows[%d]" % (where, m))
                    if not tf.get("locations"):
                        problems.append("%s.threadFlows[%d] has no location" % (where, m))
                    for loc in tf.get("locations", []):
                        phys = loc.get("location", {}).get("physicalLocation", {})
                        if not ("artifactLocation" in phys or "address" in phys):
                            problems.append(where + ": a location with neither artifact nor address")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--ui-call-app", required=True)
    ap.add_argument("--rules-dir", required=True)
    ap.add_argument("--static-app", required=True)
    ap.add_argument("--fixture-bin-dir", required=True)
    a = ap.parse_args()
    ur = a.uisan_run

    # The C API is weak: the same binaries run without the runtime, silently.
    p = run([a.ui_call_app])
    check(p.returncode == 0 and "not reached" in p.stdout and p.stderr == "",
          "without libuisan the API calls are no-ops", p)
    p = run([os.path.join(a.fixture_bin_dir, "rtfx_option2_no_join")])
    check(p.returncode == 0 and "late result" in p.stdout and "uisan" not in p.stderr,
          "the seed host runs without libuisan", p)

    p = run([ur, "--", "sh", "-c", "exit 7"])
    check(p.returncode == 7 and p.stderr == "", "app exit code passes through, nothing reported", p)

    p = run([ur, "--", "cat"], stdin="hello\n")
    check(p.returncode == 0 and p.stdout == "hello\n", "stdin and stdout pass through", p)

    p = run([ur, "--", "sh", "-c", "echo oops >&2; kill -TERM $$"])
    check(p.returncode == -signal.SIGTERM and "oops" in p.stderr, "signals pass through (exec)", p)

    p = run([ur, "--", a.ui_call_app])
    # Its two calls in main are one report, the second listed with the first.
    check(p.returncode == 66 and p.stderr.count("WARNING: uisan: ui-call-off-thread") == 1
          and "And 1 more UI call in 'main' on this stack:\n    'toolkit::paint' at " in p.stderr
          and "not reached" in p.stdout, "reports make the exit code 66 by default", p)

    p = run([ur, "--options", "exitcode=0", "--", a.ui_call_app])
    check(p.returncode == 0 and "WARNING: uisan:" in p.stderr, "exitcode=0 keeps the app's own", p)

    p = run([ur, "--", "exitcode=4", "halt_on_error=1", "--", a.ui_call_app])
    check(p.returncode == 4 and p.stderr.count("WARNING: uisan:") == 1,
          "options between two -- (uisan-run -- a=1 b=2 -- app)", p)

    p = run([ur, "--", "sh", "-c", "echo $0 $1", "x=1", "--"])
    check(p.returncode == 0 and p.stdout.strip() == "x=1 --",
          "a PROGRAM's own name=value arguments are left alone", p)

    p = run([ur, "--options", "exitcode=3:halt_on_error=1", "--", a.ui_call_app])
    check(p.returncode == 3 and p.stderr.count("WARNING: uisan:") == 1 and "not reached" not in p.stdout,
          "halt_on_error stops at the first report with exitcode", p)

    p = run([ur, "--options", "exitcode=300", "--", "sh", "-c", "echo app ran"])
    check(p.returncode == 2 and "app ran" not in p.stdout and
          "bad value '300' for option 'exitcode': expected an integer in [0, 255]" in p.stderr,
          "uisan-run rejects a bad value before the app runs", p)

    p = run(["sh", "-c", "echo app ran"], env_extra={"LD_PRELOAD": a.lib,
                                                    "UISAN_OPTIONS": "verbosity=9"})
    check(p.returncode == 2 and "app ran" not in p.stdout and
          "uisan: ERROR: bad value '9' for option 'verbosity': expected an integer in [0, 2] (in UISAN_OPTIONS)"
          in p.stderr, "libuisan alone exits 2 on a bad value, before main", p)

    p = run([ur, "--options", "help=1", "--", "sh", "-c", "echo app ran"])
    check(p.returncode == 0 and "app ran" in p.stdout and "linger_ms [0, 600000] = 500" in p.stderr,
          "help=1 lists the options and the app still runs", p)

    p = run([ur, "--", a.static_app])
    check(p.returncode == 2 and "statically linked" in p.stderr and "static app ran" not in p.stdout,
          "a statically linked program is refused (LD_PRELOAD would be ignored)", p)

    p = run([ur, "--", "true"])
    check(p.returncode == 0 and p.stderr == "", "a program found through PATH runs", p)

    fx = lambda name: os.path.join(a.fixture_bin_dir, "rtfx_" + name)
    p = run([ur, "--options", "linger_ms=20:report_thread_leaks=0:report_executor_leaks=0", "--",
             fx("scheduler_per_rerun")])
    check(p.returncode == 0 and "WARNING: uisan:" not in p.stderr,
          "report_thread_leaks=0 and report_executor_leaks=0 silence the leak reports", p)

    p = run([ur, "--options", "linger_ms=20:report_executor_leaks=0", "--", fx("scheduler_per_rerun")])
    check(p.returncode == 66 and p.stderr.count("WARNING: uisan: thread-leak") == 1 and
          "executor-leak" not in p.stderr, "report_executor_leaks=0 alone keeps thread-leak", p)

    p = run([ur, "--options", "linger_ms=20:max_reports_per_site=0", "--", fx("option2_no_join_five_workers")])
    check(p.returncode == 66 and p.stderr.count("WARNING: uisan: stale-context") == 5 and
          p.stderr.count("WARNING: uisan: context-leak") == 1,
          "max_reports_per_site=0 reports every stale write (context leaks stay grouped)", p)

    p = run([ur, "--options", "strip_path_prefix=" + os.path.dirname(a.uisan_run)[:1] + ":linger_ms=20",
             "--", fx("halt_on_error")])
    summaries = [l for l in p.stderr.splitlines() if l.startswith("SUMMARY: uisan:")]
    check(summaries and all(" /" not in l for l in summaries), "strip_path_prefix shortens paths", p)

    p = run([ur, "--options", "log_path=stdout", "--", fx("halt_on_error")])
    check(p.stdout.count("WARNING: uisan:") == 1 and "WARNING: uisan:" not in p.stderr,
          "log_path=stdout", p)

    p = run([ur, "--help-options"])
    check(p.returncode == 0 and "max_reports_per_site" in p.stdout, "--help-options", p)

    with tempfile.TemporaryDirectory() as tmp:
        log, js = os.path.join(tmp, "r.log"), os.path.join(tmp, "r.json")
        p = run([ur, "--log", log, "--json", js, "--", a.ui_call_app])
        text = open(log).read() if os.path.exists(log) else ""
        lines = open(js).read().splitlines() if os.path.exists(js) else []
        reports = [json.loads(l) for l in lines]
        check(p.returncode == 66 and "WARNING: uisan:" not in p.stderr and
              text.count("SUMMARY: uisan: ui-call-off-thread") == 1 and len(reports) == 1 and
              all(r["kind"] == "ui-call-off-thread" and r["what"] == "toolkit::paint" and
                  r["more_count"] == 1 for r in reports),
              "--log gets the text reports, --json one JSON line each", p)
        check(p.stderr.count("\n") == 1 and
              p.stderr.startswith("uisan: 1 report written to %s (and as JSON lines to %s)" %
                                  (log, js)),
              "with --log, one line on stderr says how many reports went where", p)
        p = run([ur, "--log=" + log, "--", fx("option2_joined")], drop=("UISAN_OPTIONS",))
        check(p.stderr.endswith("uisan: no reports; the log is %s\n" % log),
              "... also when there were none", p)

        # In a sanitizer build uisan-run itself links ASan, which must come
        # first in any LD_PRELOAD it starts under.
        ldd = subprocess.run(["ldd", ur], stdout=subprocess.PIPE, text=True).stdout
        asan = [l.split()[0] for l in ldd.splitlines() if "libasan" in l]
        existing = ":".join(asan + ["libm.so.6"])
        # (follow_children=1: the app's environment as uisan-run made it; by
        # default libuisan takes itself out of it for the app's children.)
        p = run([ur, "--options", "follow_children=1", "--", "sh", "-c", "echo $LD_PRELOAD"],
                env_extra={"LD_PRELOAD": existing}, drop=("UISAN_OPTIONS",))
        check(p.stdout.strip() == existing + ":" + os.path.realpath(a.lib) or
              p.stdout.strip() == existing + ":" + a.lib,
              "an existing LD_PRELOAD is kept, libuisan appended", p)
        p = run([ur, "--", "sh", "-c", 'echo "preload=$LD_PRELOAD audit=$LD_AUDIT"'],
                env_extra={"LD_PRELOAD": existing, "LD_AUDIT": "libmine.so"}, drop=("UISAN_OPTIONS",))
        check(p.returncode == 0 and p.stdout.strip() == "preload=%s audit=libmine.so" % existing,
              "children inherit the app's LD_PRELOAD and LD_AUDIT without uisan's libraries", p)

        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"name": "x", "ui": {"funtions": ["a"]}}\n')
        p = run([ur, "--rules", bad, "--", "sh", "-c", "echo app ran"])
        check(p.returncode == 2 and "app ran" not in p.stdout and bad in p.stderr and
              "error:" in p.stderr and "funtions" in p.stderr,
              "a bad rule pack stops uisan-run with the loader's message", p)

        # A user's own pack: a shipped one under its own name would collide
        # with the built-in copy (pack names are unique).
        own = os.path.join(tmp, "inhouse.json")
        with open(own, "w") as f:
            f.write('{"format": 1, "name": "inhouse", "description": "an in-house toolkit",'
                    ' "ui": {"functions": ["acme::*"]}}\n')
        p = run([ur, "--rules", own, "--options", "verbosity=1", "--", "sh", "-c",
                 'echo "packs=$UISAN_RULE_PACKS"'])
        check(p.returncode == 0 and ("packs=" + own) in p.stdout and "rule packs" in p.stderr,
              "a valid rule pack is forwarded to libuisan", p)
        shipped = sorted(glob.glob(os.path.join(a.rules_dir, "*.json")))
        if shipped:
            p = run([ur, "--rules", shipped[0], "--", "sh", "-c", "echo app ran"])
            check(p.returncode == 2 and "app ran" not in p.stdout and
                  "is already loaded from <builtin>/" in p.stderr,
                  "a second pack with a shipped pack's name is refused", p)

        # A user's pack with libraries becomes part of the audit module's spec.
        tk = os.path.join(tmp, "acme.json")
        with open(tk, "w") as f:
            f.write('{"format": 1, "name": "acme", "description": "x", "ui_thread_name": "paint thread",'
                    ' "ui": {"functions": ["acme::*"], "libraries": ["libacme.so*"]},'
                    ' "ui_thread": {"kind": "main"}}\n')
        p = run([ur, "--rules", tk, "--print-toolkit-spec"])
        check(p.returncode == 0 and "toolkit acme main paint thread\n" in p.stdout and
              "library libacme.so*\n" in p.stdout and "function acme::*\n" in p.stdout and
              "toolkit qt first-caller GUI thread\n" in p.stdout,
              "--print-toolkit-spec shows the shipped and the given packs", p)
        p = run([ur, "--options", "follow_children=1", "--", "sh", "-c", 'echo "audit=$LD_AUDIT"'],
                env_extra={"LD_AUDIT": "libmine.so"})
        check(p.returncode == 0 and p.stdout.startswith("audit=libmine.so:") and
              p.stdout.strip().endswith("libuisan_audit.so"),
              "an app's own LD_AUDIT is kept, the audit module goes after it", p)
        p = run([ur, "--no-toolkits", "--", "sh", "-c", 'echo "audit=$LD_AUDIT"'])
        check(p.returncode == 0 and p.stdout.strip() == "audit=", "--no-toolkits loads no audit module", p)
        p = run([ur, "--options", "ui_thread=sometimes", "--", "sh", "-c", "echo app ran"])
        check(p.returncode == 2 and "app ran" not in p.stdout and "ui_thread" in p.stderr and
              "first-ui-call" in p.stderr, "a bad ui_thread value stops uisan-run", p)

        # Every option with a value also as --name=value.
        own_eq = os.path.join(tmp, "eq.log")
        p = run([ur, "--rules=" + own, "--log=" + own_eq, "--json=" + js, "--options=exitcode=5",
                 "--", a.ui_call_app])
        check(p.returncode == 5 and "SUMMARY: uisan:" in open(own_eq).read(),
              "--rules=, --log=, --json=, --options= take their values after '='", p)
        p = run([ur, "--jsn", js, "--", "true"])
        check(p.returncode == 2 and "unknown option '--jsn'; did you mean '--json'?" in p.stderr,
              "an unknown option names the closest one", p)
        p = run([ur, "--no-toolkits=1", "--", "true"])
        check(p.returncode == 2 and "option '--no-toolkits' takes no value" in p.stderr,
              "a flag given a value is refused", p)
        p = run([ur, "--log=", "--", "true"])
        check(p.returncode == 2 and "--log needs a FILE, not an empty one" in p.stderr,
              "an empty --name= value is refused", p)

        # --sarif: uisan-run waits for the program and writes SARIF 2.1.0.
        sarif = os.path.join(tmp, "r.sarif")
        p = run([ur, "--sarif", sarif, "--", fx("option2_no_join")])
        doc = json.load(open(sarif)) if os.path.exists(sarif) else {}
        problems = sarif_problems(doc)
        results = doc.get("runs", [{}])[0].get("results", [])
        kinds = sorted(r.get("ruleId") for r in results)
        check(p.returncode == 66 and not problems and kinds == ["context-leak", "stale-context"],
              "--sarif writes the reports as SARIF 2.1.0 (%s; %s)" % (kinds, "; ".join(problems)), p)
        stale = [r for r in results if r.get("ruleId") == "stale-context"]
        loc = stale[0]["locations"][0]["physicalLocation"] if stale else {}
        check(loc.get("artifactLocation", {}).get("uri", "").endswith("option2_no_join.cpp") and
              loc.get("region", {}).get("startLine", 0) > 0 and
              len(stale[0]["codeFlows"][0]["threadFlows"]) == 3,
              "a result's location is its SUMMARY frame; its stacks are thread flows", p)
        p = run([ur, "--sarif=" + sarif, "--", "sh", "-c", "exit 7"])
        doc = json.load(open(sarif))
        check(p.returncode == 7 and doc["runs"][0]["results"] == [] and not sarif_problems(doc),
              "--sarif keeps the program's exit status; no reports, no results", p)
        p = run([ur, "--sarif", sarif, "--", "sh", "-c", "kill -TERM $$"])
        check(p.returncode == -signal.SIGTERM and os.path.getsize(sarif) > 0,
              "--sarif: a program killed by a signal ends uisan-run by the same signal", p)
        p = run([ur, "--sarif", os.path.join(tmp, "no", "such", "dir.sarif"), "--", "true"])
        check(p.returncode == 2 and "cannot write the SARIF file" in p.stderr,
              "an unwritable --sarif file stops uisan-run before the program runs", p)

        # follow_children=1 with relative paths: a child in another
        # directory still writes to the parent's files.
        p = subprocess.run([ur, "--log", "rel.log", "--json", "rel.json", "--options",
                            "follow_children=1", "--", fx("children_followed")],
                           cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={k: v for k, v in os.environ.items() if k != "UISAN_OPTIONS"})
        rel = open(os.path.join(tmp, "rel.json")).read().splitlines() \
            if os.path.exists(os.path.join(tmp, "rel.json")) else []
        check(p.returncode == 0 and "child exit 66" in p.stdout and len(rel) == 1 and
              "program=" in open(os.path.join(tmp, "rel.log")).read() and
              not os.path.exists("/rel.log"),
              "follow_children=1 makes relative log paths absolute for the children", p)

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
