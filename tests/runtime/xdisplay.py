"""A private Xvfb server for the runtime tests.

Started directly rather than through xvfb-run: xvfb-run replaces the
program's exit status with its own (5) when it fails to remove its
temporary directory, which happens now and then on a loaded machine, and
the tests assert on uisan-run's exit status."""

import os
import subprocess


class XvfbError(RuntimeError):
    pass


def start_xvfb(screen="1280x1024x24"):
    """Starts Xvfb on a free display it picks itself; returns (process, ':N')."""
    r, w = os.pipe()
    try:
        proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", screen,
                                 "-nolisten", "tcp"], pass_fds=(w,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        proc.wait()
        raise XvfbError("Xvfb did not start")
    return proc, ":" + number


def stop_xvfb(proc):
    proc.kill()
    proc.wait()
