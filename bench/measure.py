#!/usr/bin/env python3
"""Run one command and print its wall time, CPU time and peak memory as one JSON line.

    measure.py --timeout SECONDS --log FILE -- COMMAND [ARG...]

Wall time comes from a monotonic clock around the run (sub-millisecond resolution, where
/usr/bin/time's %e has 10 ms); user and system CPU time and peak resident memory come from
`/usr/bin/time -f '%U %S %M'` wrapped around the command (GNU time: 10 ms CPU resolution, peak
RSS in KiB). GNU time rather than this script's own wait4(): ru_maxrss counts the memory of the
process before its exec, which would put Python's ~15 MiB under every measured command. The command's
standard output and error go to FILE. On timeout the child's whole process group is killed and
the exit code is 124, as with timeout(1). Also records the one-minute load average before the
run, to spot a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    load = os.getloadavg()[0]
    with open(args.log, "wb") as log:
        start = time.perf_counter()
        # Its own process group (so that a timeout kills all of it), but not its own session:
        # with the kernel's autogroup scheduling (sched_autogroup_enabled, on by default) every
        # session is one scheduling group with an equal share of the CPUs, so a verifier in a
        # new session would get at most half of them against nginx, while wrk, started by
        # run.sh in nginx's session, competes thread by thread. Same session, same rules.
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", args.log + ".time", "--", *command], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                process_group=0)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(args.timeout, kill)
        timer.start()
        _, status = os.waitpid(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
    code = 124 if timed_out.is_set() else os.waitstatus_to_exitcode(status)
    user = sys_ = maxrss = None
    try:
        with open(args.log + ".time", encoding="utf-8") as f:
            # GNU time prefixes "Command exited with non-zero status N" when it did.
            user, sys_, maxrss = f.read().strip().splitlines()[-1].split()
        os.unlink(args.log + ".time")
    except (OSError, ValueError, IndexError):
        pass
    print(json.dumps({
        "rc": code,
        "wall": round(wall, 4),
        "user": float(user) if user is not None else None,
        "sys": float(sys_) if sys_ is not None else None,
        "maxrss_kib": int(maxrss) if maxrss is not None else None,
        "load1": load,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
