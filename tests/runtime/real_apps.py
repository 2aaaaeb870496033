#!/usr/bin/env python3
"""Real Debian GUI programs under uisan-run, as a user would run them: on a
private Xvfb display, each program is started, exercised briefly with
xdotool (keys and clicks that change no document), and closed the way a
window manager's close button does (WM_DELETE_WINDOW). Each must finish
with no report and with the exit status it has without uisan-run (run
first, side by side), unless its entry names a known real finding, which
must then be reported exactly.

  real_apps.py --uisan-run build/runtime/uisan-run [--only NAME]... [--keep DIR]

Exit status: 0 all passed, 1 a failure, 77 (skip) if a program or Xvfb is
not installed and UISAN_REQUIRE_TOOLKITS is unset (CI installs them all:
.ci/packages.txt).
"""
import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xdisplay import XvfbError, start_xvfb, stop_xvfb  # noqa: E402

SKIP = 77

# name, toolkit, command, what to do once its window is up (xdotool
# arguments, run one after the other), and the known real findings
# (kind, api prefix, function of the SUMMARY frame).
APPS = [
    {"name": "featherpad", "toolkit": "Qt 5", "cmd": ["featherpad"],
     "exercise": [["key", "--clearmodifiers", "Down", "Down", "End", "Home"]]},
    {"name": "speedcrunch", "toolkit": "Qt 5", "cmd": ["speedcrunch"],
     "exercise": [["type", "--delay", "20", "12*7"], ["key", "Return"]]},
    {"name": "linguist", "toolkit": "Qt 6", "cmd": ["linguist"],
     "exercise": [["key", "--clearmodifiers", "Tab", "Tab"]]},
    {"name": "mousepad", "toolkit": "GTK 3 (GtkApplication subclass, g_application_run)",
     "cmd": ["mousepad"], "exercise": [["key", "--clearmodifiers", "Right", "Left"]]},
    {"name": "galculator", "toolkit": "GTK 3", "cmd": ["galculator"],
     "exercise": [["type", "--delay", "20", "12*7"], ["key", "Return"]]},
    {"name": "gnote", "toolkit": "gtkmm 3", "cmd": ["gnote"],
     "exercise": [["key", "--clearmodifiers", "Tab"]]},
    {"name": "gnome-font-viewer", "toolkit": "GTK 4 (libadwaita)", "cmd": ["gnome-font-viewer"],
     "exercise": [["key", "--clearmodifiers", "Tab", "Down"]]},
    {"name": "wxhexeditor", "toolkit": "wxWidgets 3.2", "cmd": ["wxHexEditor"],
     "exercise": [["key", "--clearmodifiers", "Tab"]]},
    # A terminal: its shell, and the commands typed into it, are children
    # that must run without libuisan (follow_children=0); the shell writes
    # what it inherited, then exits, and the terminal with it.
    {"name": "lxterminal", "toolkit": "GTK 3 (VTE), with a shell",
     "cmd": ["lxterminal"],
     "exercise": [["type", "--delay", "10", "echo \"[$LD_PRELOAD][$LD_AUDIT]\" > {out}/env; exit\n"]],
     "children_env": "env"},
]


class X11:
    """Just enough of libX11 to close a window as a window manager would."""

    def __init__(self):
        self.lib = ctypes.cdll.LoadLibrary("libX11.so.6")
        self.lib.XOpenDisplay.restype = ctypes.c_void_p
        self.lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.lib.XInternAtom.restype = ctypes.c_ulong
        self.lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                        ctypes.c_long, ctypes.c_void_p]
        self.lib.XFlush.argtypes = [ctypes.c_void_p]
        self.lib.XCloseDisplay.argtypes = [ctypes.c_void_p]

    def close_window(self, display, window):
        class ClientMessage(ctypes.Structure):
            _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                        ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                        ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                        ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]

        class Event(ctypes.Union):
            _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]

        d = self.lib.XOpenDisplay(display.encode())
        if not d:
            return False
        ev = Event()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.window = window
        ev.xclient.message_type = self.lib.XInternAtom(d, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.l[0] = self.lib.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
        self.lib.XSendEvent(d, window, 0, 0, ctypes.byref(ev))
        self.lib.XFlush(d)
        self.lib.XCloseDisplay(d)
        return True


def windows_of(pid, env):
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid), "."], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return [int(w) for w in r.stdout.split()]


DISPLAY_FAILURES = ("could not connect to display", "cannot open display", "Cannot open display")


def run_app(app, prefix, env, x11, log, out_dir):
    """run_app_once, again if the program could not reach the X server (seen
    once in a while on a loaded machine, with or without uisan-run)."""
    status, out, problem = run_app_once(app, prefix, env, x11, log, out_dir)
    if any(m in out for m in DISPLAY_FAILURES):
        print("     (%s%s could not connect to the display; run again)" %
              ("uisan-run " if prefix else "", app["name"]))
        status, out, problem = run_app_once(app, prefix, env, x11, log, out_dir)
    return status, out, problem


def run_app_once(app, prefix, env, x11, log, out_dir):
    """Runs one program to its end; returns (exit status, output, what went wrong)."""
    home = tempfile.mkdtemp(prefix="uisan-home-")  # no settings from earlier runs
    env = dict(env, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local/share"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"))
    proc = subprocess.Popen(prefix + app["cmd"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    problem = ""
    window = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        found = windows_of(proc.pid, env)
        if found:
            window = found[0]
            break
        time.sleep(0.1)
    if window is None and proc.poll() is None:
        problem = "no window within 30 s"
    if window is not None:
        subprocess.run(["xdotool", "windowfocus", "--sync", str(window)], env=env,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["xdotool", "mousemove", "--window", str(window), "200", "160", "click", "1"],
                       env=env, stderr=subprocess.DEVNULL)
        for step in app["exercise"]:
            subprocess.run(["xdotool"] + [x.replace("{out}", out_dir) for x in step], env=env,
                           stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # let the app handle them; nothing is measured by it
        # The main window first, then whatever it opened (a dialog).
        for _ in range(5):
            if proc.poll() is not None:
                break
            for w in windows_of(proc.pid, env) or [window]:
                x11.close_window(env["DISPLAY"], w)
            try:
                proc.wait(timeout=4)
            except subprocess.TimeoutExpired:
                pass
    if proc.poll() is None:
        problem = problem or "did not exit when its windows were closed"
        proc.kill()
    out = proc.communicate()[0]
    shutil.rmtree(home, ignore_errors=True)
    with open(log, "w") as f:
        f.write(out)
    return proc.returncode, out, problem


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uisan-run", required=True)
    ap.add_argument("--only", action="append", help="run only these programs")
    ap.add_argument("--keep", help="keep each run's output and reports in this directory")
    a = ap.parse_args()
    require = bool(os.environ.get("UISAN_REQUIRE_TOOLKITS"))
    apps = [x for x in APPS if not a.only or x["name"] in a.only]
    missing = [x["cmd"][0] for x in apps if not shutil.which(x["cmd"][0])]
    missing += [t for t in ("Xvfb", "xdotool") if not shutil.which(t)]
    if missing:
        print("not installed: %s (Debian packages in .ci/packages.txt)" % ", ".join(missing))
        return 1 if require else SKIP

    out_dir = a.keep or tempfile.mkdtemp(prefix="uisan-real-apps-")
    os.makedirs(out_dir, exist_ok=True)
    try:
        xvfb, display = start_xvfb()
    except XvfbError as e:
        sys.exit(str(e))
    env = dict(os.environ, DISPLAY=display, GDK_BACKEND="x11", QT_QPA_PLATFORM="xcb",
               NO_AT_BRIDGE="1")
    for k in ("UISAN_OPTIONS", "LD_PRELOAD", "LD_AUDIT", "WAYLAND_DISPLAY"):
        env.pop(k, None)
    x11 = X11()
    failures = []
    try:
        for app in apps:
            name = app["name"]
            start = time.monotonic()
            plain_status, _, plain_problem = run_app(app, [], env, x11,
                                                     os.path.join(out_dir, name + ".plain.txt"),
                                                     out_dir)
            js = os.path.join(out_dir, name + ".json")
            for stale in (js, os.path.join(out_dir, app.get("children_env", "-"))):
                if os.path.exists(stale):
                    os.remove(stale)
            status, out, problem = run_app(app, [a.uisan_run, "--json", js, "--"], env, x11,
                                           os.path.join(out_dir, name + ".uisan.txt"), out_dir)
            reports = [json.loads(l) for l in open(js)] if os.path.exists(js) else []
            expected = app.get("findings", [])
            errors = []
            if plain_problem:
                errors.append("without uisan-run: " + plain_problem)
            if problem:
                errors.append("under uisan-run: " + problem)
            if status != plain_status:
                errors.append("exit status %d under uisan-run, %d without" % (status, plain_status))
            pending = list(expected)
            for r in reports:
                s = r.get("summary") or {}
                hit = next((e for e in pending if e["kind"] == r["kind"] and
                            r.get("what", "").startswith(e["api"]) and
                            s.get("function", "") == e["function"]), None)
                if hit:
                    pending.remove(hit)
                else:
                    errors.append("unexpected report: %s '%s' at %s:%s in %s" %
                                  (r["kind"], r.get("what"), s.get("file"), s.get("line"),
                                   s.get("function")))
            for e in pending:
                errors.append("known finding not reported: %s '%s' in %s" %
                              (e["kind"], e["api"], e["function"]))
            if app.get("children_env"):
                path = os.path.join(out_dir, app["children_env"])
                inherited = open(path).read().strip() if os.path.exists(path) else None
                if inherited is None:
                    errors.append("the shell wrote nothing to %s" % path)
                elif "libuisan" in inherited:
                    errors.append("the terminal's shell runs under uisan: %s" % inherited)
            if "WARNING: uisan" in out and not reports:
                errors.append("text reports without JSON reports")
            took = time.monotonic() - start
            if errors:
                failures.append(name)
                print("FAIL %-18s %-45s (%.1f s)" % (name, app["toolkit"], took))
                for e in errors:
                    print("     " + e)
                print("     output: %s" % os.path.join(out_dir, name + ".uisan.txt"))
            else:
                print("ok   %-18s %-45s exit %d, %d known finding(s) (%.1f s)" %
                      (name, app["toolkit"], status, len(expected), took))
    finally:
        stop_xvfb(xvfb)
    print("%d passed, %d failed" % (len(apps) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
