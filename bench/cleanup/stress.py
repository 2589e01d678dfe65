#!/usr/bin/env python3
"""Stress harness for the removal protocol (Clear-StaleShm / shmtools clean). Prints figures.

Runs in its own private mount, IPC and pid namespaces with a fresh tmpfs on /dev/shm (it
re-executes itself under unshare; needs root), so it never touches the host's shared memory.

  churn     SEGMENTS stale-looking segments (torch_<deadpid>_1_N); LOOPS loops of short-lived
            holder processes opening and mapping random ones by name (shm_stress churn); one
            `shmtools clean --yes` running meanwhile. Every holder checks, before it lets go,
            that what it held still has a name: "lost" counts live segments unlinked under a
            holder and must be 0.
  swaprace  ROUNDS rounds of a held segment whose name is re-created while it is parked
            (ShmTools.Bench swaprace): each must end put back or reported stranded; "wrong"
            must be 0.
  truncate  a file with a lease header that an attacker keeps truncating and rewriting while
            `shmtools check` and `clean --yes` probe it; counts runs that crashed (exit >= 128).

  python3 bench/cleanup/stress.py                                  # the small run
  python3 bench/cleanup/stress.py --segments 20000 --loops 16 --swap-rounds 1000 --truncate-runs 200
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STRESS_C = os.path.join(ROOT, "tests", "ShmTools.Tests", "helpers", "native", "shm_stress.c")


def in_namespace(argv):
    if os.environ.get("SHMTOOLS_STRESS_NS"):
        return
    if os.geteuid() != 0:
        sys.exit("stress.py needs root (it runs in private namespaces with its own tmpfs on /dev/shm)")
    script = 'mount -t tmpfs -o size=8g,mode=1777 shmtools-stress /dev/shm || exit 3; exec "$0" "$@"'
    os.execvp("unshare", ["unshare", "-m", "-i", "-p", "-f", "--mount-proc", "--propagation", "private",
                          "env", "SHMTOOLS_STRESS_NS=1", "bash", "-c", script, sys.executable, os.path.abspath(__file__)] + argv)


def build(work):
    stress = os.path.join(work, "shm_stress")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", stress, STRESS_C], check=True)
    cli = os.path.join(work, "cli")
    bench = os.path.join(work, "bench")
    for project, out in (("src/ShmTools.Cli", cli), ("bench/ShmTools.Bench", bench)):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, project), "-c", "Release", "-o", out, "-v", "q", "-nologo"],
                       check=True, stdout=subprocess.DEVNULL)
    return stress, os.path.join(cli, "shmtools"), os.path.join(bench, "ShmTools.Bench")


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def churn(stress, shmtools, segments, loops, parallel):
    dead = dead_pid()
    prefix = "torch_%d_1_" % dead
    subprocess.run([stress, "populate", "/dev/shm", prefix, str(segments), "4096"], check=True, stdout=subprocess.DEVNULL)
    holders = [subprocess.Popen([stress, "churn", "/dev/shm", prefix, str(segments), str(parallel), "3600"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(loops)]
    time.sleep(1.0)
    start = time.monotonic()
    run = subprocess.run([shmtools, "clean", "--yes", "--json", "--probe-timeout", "200ms", "--name", prefix + "*"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.monotonic() - start
    for h in holders:
        h.stdin.close()
    figures = [json.loads(h.stdout.read()) for h in holders]
    for h in holders:
        h.wait()
    report = json.loads(run.stdout) if run.stdout else {}
    kept = report.get("kept", [])
    left = sum(1 for f in os.listdir("/dev/shm") if f.startswith(prefix))
    parked = [f for f in os.listdir("/dev/shm") if f.startswith(".shmtools-removing-")]
    print("churn: segments=%d loops=%d parallel=%d clean_exit=%d clean_seconds=%.2f removed=%d kept=%d kept_live=%d put_back=%d failed=%d "
          "stranded=%d left=%d parked_left=%d holds=%d missed=%d lost=%d" % (
              segments, loops, parallel, run.returncode, seconds, len(report.get("removed", [])), len(kept),
              sum(1 for k in kept if k.get("verdict") == "Live"), sum(1 for k in kept if "put back" in k.get("reason", "")),
              len(report.get("failed", [])), len(report.get("stranded", [])), left, len(parked),
              sum(f["holds"] for f in figures), sum(f["missed"] for f in figures), sum(f["lost"] for f in figures)), flush=True)
    if run.returncode not in (0, 1):
        print(run.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    for f in os.listdir("/dev/shm"):
        os.unlink(os.path.join("/dev/shm", f))
    return sum(f["lost"] for f in figures)


def swaprace(bench, stress, rounds):
    out = subprocess.run([bench, "swaprace", str(rounds), stress], stdout=subprocess.PIPE, check=True).stdout.decode()
    print("swaprace: " + out.strip(), flush=True)
    return int(dict(kv.split("=") for kv in out.split())["wrong"])


def truncate(stress, shmtools, runs):
    dead = dead_pid()
    victim = "/dev/shm/lease_victim_%d" % dead
    attacker = subprocess.Popen([stress, "truncate", victim, str(dead), "3600"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    crashed = 0
    codes = {}
    for i in range(runs):
        verb = ["check", "--json"] if i % 2 == 0 else ["clean", "--yes", "--json"]
        rc = subprocess.run([shmtools] + verb + ["--probe-timeout", "100ms", "--name", os.path.basename(victim)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        codes[rc] = codes.get(rc, 0) + 1
        if rc >= 128 or rc < 0:
            crashed += 1
        elif rc == 2:  # a usage error means the attack never ran: fail loudly, not "0 crashes"
            sys.exit("truncate: shmtools refused its arguments (exit 2): " + " ".join(verb))
    attacker.stdin.close()
    flips = json.loads(attacker.stdout.read())["flips"]
    attacker.wait()
    print("truncate: runs=%d crashed=%d exit_codes=%s header_flips=%d" % (runs, crashed, json.dumps(codes, sort_keys=True), flips), flush=True)
    if os.path.exists(victim):
        os.unlink(victim)
    return crashed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--loops", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=4, help="holders alive at once per loop")
    parser.add_argument("--swap-rounds", type=int, default=100)
    parser.add_argument("--truncate-runs", type=int, default=20)
    args = parser.parse_args()
    in_namespace(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="shmtools-stress-") as work:
        stress, shmtools, bench = build(work)
        lost = churn(stress, shmtools, args.segments, args.loops, args.parallel)
        wrong = swaprace(bench, stress, args.swap_rounds)
        crashed = truncate(stress, shmtools, args.truncate_runs)
    print("summary: lost=%d swap_wrong=%d truncate_crashed=%d" % (lost, wrong, crashed))


if __name__ == "__main__":
    main()
