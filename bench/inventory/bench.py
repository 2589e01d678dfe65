#!/usr/bin/env python3
"""Inventory benchmark: N segments held by P processes with T threads each; prints one table.

Compares, from one run on this machine: the in-process Core inventory, the whole
`shmtools list --json` process (NativeAOT build), `lsof -n /dev/shm`, `fuser -v` on the
segments, and the floor: one `cat` of every /proc/PID/maps.
Usage: bench/inventory/bench.py [--segments N] [--processes P] [--threads T] [--runs R]
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def timed(cmd, runs, **kw):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), min(samples)


def invisible_pids():
    """Processes this host cannot read even as root (e.g. a sandbox's init)."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open("/proc/%s/maps" % p, "rb") as f:
                    f.read(1)
            except PermissionError:
                out.append(int(p))
            except OSError:
                pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=10000)
    ap.add_argument("--processes", type=int, default=200)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--stale", type=int, default=1000, help="extra unheld segments of dead owners (liveness and cleanup)")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="shmtools-bench-")
    holder = os.path.join(work, "holder")
    subprocess.run(["gcc", "-O2", "-pthread", "-o", holder, os.path.join(HERE, "holder.c")], check=True)
    print("publishing shmtools (NativeAOT)...", file=sys.stderr)
    aot = os.path.join(work, "aot")
    subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "ShmTools.Cli"), "-c", "Release", "-r", "linux-x64",
                    "-p:PublishAot=true", "-o", aot, "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    shmtools = os.path.join(aot, "shmtools")
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "ShmTools.Bench"), "-c", "Release", "--nologo", "-v", "q"],
                   check=True, stdout=subprocess.DEVNULL)
    bench_dll = os.path.join(ROOT, "bench", "ShmTools.Bench", "bin", "Release", "net10.0", "ShmTools.Bench.dll")

    prefix = "shmtools_bench_%d_" % os.getpid()
    per = a.segments // a.processes
    procs = []
    try:
        for p in range(a.processes):
            h = subprocess.Popen([holder, "/dev/shm", prefix, str(p * per), str(per), str(a.threads)], stdout=subprocess.PIPE)
            procs.append(h)
        for h in procs:
            h.stdout.readline()
        # Stale segments: PyTorch-style names whose creator pid has exited.
        dead = subprocess.Popen(["true"])
        dead.wait()
        for i in range(a.stale):
            with open("/dev/shm/torch_%d_%d_0" % (dead.pid, 7000000 + i), "wb") as f:
                f.write(b"\0" * 4096)
        segs = sorted(glob.glob("/dev/shm/" + prefix + "*"))
        ignore = invisible_pids()
        print(f"setup: {len(segs)} segments, {a.processes} holders x {a.threads} threads, "
              f"{len(os.listdir('/proc'))} /proc entries", file=sys.stderr)

        out = subprocess.run(["dotnet", bench_dll, "15", ",".join(map(str, ignore))], capture_output=True, text=True, check=True).stdout.strip()
        fields = dict(kv.split("=") for kv in out.split())
        core = float(fields["inventory_median_ms"]) / 1000
        ignore_args = sum((["--ignore-invisible", str(p)] for p in ignore), [])

        floor = timed(["sh", "-c", "cat /proc/[0-9]*/maps > /dev/null 2>&1"], a.runs)
        cli = timed([shmtools, "list", "--json"], a.runs)
        lsof = timed(["lsof", "-n", "/dev/shm"], a.runs) if shutil.which("lsof") else None
        fuser = timed(["fuser", "-v"] + segs, max(1, a.runs // 2)) if shutil.which("fuser") else None
        hello = timed([shmtools, "--help"], a.runs)
        check = timed([shmtools, "check", "--json"] + ignore_args, a.runs)
        dryclean = timed([shmtools, "clean", "--json"] + ignore_args, a.runs)
        t = time.perf_counter()
        cleaned = subprocess.run([shmtools, "clean", "--yes", "--json"] + ignore_args, capture_output=True, text=True)
        clean_once = time.perf_counter() - t
        removed = len(json.loads(cleaned.stdout)["removed"]) if cleaned.returncode in (0, 1) else -1

        print(f"\nN={len(segs)} segments, P={a.processes} holders x {a.threads} threads; median of {a.runs} runs (min in brackets)")
        print(f"{'measure':44} {'seconds':>9}  {'vs floor':>8}")

        def row(label, v):
            print(f"{label:44} {v[0]:9.4f}  {v[0] / floor[0]:8.2f}x   [{v[1]:.4f}]")

        row("floor: cat every /proc/PID/maps", floor)
        row("Core inventory, in process", (core, float(fields["inventory_min_ms"]) / 1000))
        row("shmtools list --json (NativeAOT process)", cli)
        row("shmtools --help (process start)", hello)
        row("Core inventory + liveness, in process", (float(fields["check_median_ms"]) / 1000, float(fields["check_min_ms"]) / 1000))
        row("Core inventory + clean (dry run), in process", (float(fields["dryclean_median_ms"]) / 1000, float(fields["dryclean_min_ms"]) / 1000))
        row("shmtools check --json (NativeAOT process)", check)
        row("shmtools clean --json (dry run)", dryclean)
        row(f"shmtools clean --yes (one run, removed {removed})", (clean_once, clean_once))
        if lsof:
            row("lsof -n /dev/shm", lsof)
        if fuser:
            row("fuser -v <every segment>", fuser)
        print(f"\ncore/floor = {core / floor[0]:.2f} (target <= 1.5); "
              + (f"lsof/shmtools = {lsof[0] / cli[0]:.2f} (target >= 2)" if lsof else "lsof missing"))
        print(f"liveness adds {float(fields['check_median_ms']) / float(fields['inventory_median_ms']) - 1:+.0%} to the in-process inventory (target < +50%); "
              f"check process / list process = {check[0] / cli[0]:.2f}")
        print(f"core saw {fields['segments']} segments, {fields['attached']} with holders, {fields['processes']} processes; verdicts: "
              + " ".join(f"{k}={v}" for k, v in fields.items() if k in ("live", "stale", "orphaned", "unknown")))
    finally:
        for h in procs:
            h.kill()
        for h in procs:
            h.wait()
        for f in glob.glob("/dev/shm/" + prefix + "*") + glob.glob("/dev/shm/torch_*_7[0-9][0-9][0-9][0-9][0-9][0-9]_0"):
            os.unlink(f)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
