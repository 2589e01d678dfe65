#!/usr/bin/env python3
"""Exporter benchmark: scrape latency and memory of `shmtools serve` at N segments.

Runs itself inside private mount, IPC and pid namespaces with a fresh tmpfs on /dev/shm (as
root), so it never touches the host's shared memory. Sets up N segments: H of them mapped by P
holder processes (bench/inventory/holder.c), the rest stale (PyTorch-style names of an exited
pid). Then, from one run, prints:
  - scrapes that scan each time (--min-interval 0ms): latency median/min/max, response size;
  - cached scrapes (--min-interval 60s) and a storm of concurrent scrapes;
  - the same with --per-segment (every segment its own series);
  - the server's resident memory (VmRSS now, VmHWM peak) after each phase;
  - one `shmtools metrics` process, start to exit.
Usage: sudo bench/metrics/bench.py [--segments N] [--held H] [--processes P] [--runs R] [--shmtools PATH]
Without --shmtools it publishes the NativeAOT binary first (as the Dockerfile does).
"""
import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def in_namespace():
    if os.environ.get("SHMTOOLS_BENCH_NAMESPACE") == "1":
        return
    if os.geteuid() != 0:
        sys.exit("bench/metrics/bench.py: run as root (it works in private namespaces with its own /dev/shm)")
    script = 'mount -t tmpfs -o size=4g,mode=1777 shmtools-bench /dev/shm && exec "$0" "$@"'
    os.execvp("unshare", ["unshare", "-m", "-i", "-p", "-f", "--mount-proc", "--propagation", "private",
                          "env", "SHMTOOLS_BENCH_NAMESPACE=1", "bash", "-c", script, sys.executable, os.path.abspath(__file__)] + sys.argv[1:])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path="/metrics"):
    t = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return time.perf_counter() - t, r.status, body


def memory(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) / 1024.0
    return out


class Server:
    def __init__(self, shmtools, *args):
        self.port = free_port()
        self.proc = subprocess.Popen([shmtools, "serve", "--listen", "127.0.0.1:%d" % self.port, "--no-gpu", *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        until = time.time() + 30
        while True:
            try:
                if get(self.port, "/healthz")[1] == 200:
                    break
            except OSError:
                if time.time() > until:
                    raise
                time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def ms(v):
    return "%.1f" % (v * 1000)


def main():
    in_namespace()
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=10000)
    ap.add_argument("--held", type=int, default=2000, help="of the segments, how many are mapped by holder processes")
    ap.add_argument("--processes", type=int, default=20)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--storm", type=int, default=64, help="concurrent scrapes in the storm")
    ap.add_argument("--shmtools", help="a built shmtools binary; default: publish the NativeAOT one")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="shmtools-metrics-bench-")
    holder = os.path.join(work, "holder")
    subprocess.run(["gcc", "-O2", "-pthread", "-o", holder, os.path.join(ROOT, "bench", "inventory", "holder.c")], check=True)
    shmtools = a.shmtools
    if not shmtools:
        print("publishing shmtools (NativeAOT)...", file=sys.stderr)
        aot = os.path.join(work, "aot")
        subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "ShmTools.Cli"), "-c", "Release", "-r", "linux-x64",
                        "-p:PublishAot=true", "-o", aot, "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
        shmtools = os.path.join(aot, "shmtools")

    per = max(1, a.held // a.processes)
    holders = [subprocess.Popen([holder, "/dev/shm", "held_", str(p * per), str(per), str(a.threads)], stdout=subprocess.PIPE)
               for p in range(a.processes)]
    for h in holders:
        h.stdout.readline()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = a.segments - per * a.processes
    block = b"\x01" * 4096
    for i in range(stale):
        with open("/dev/shm/torch_%d_%d_0" % (dead.pid, i), "wb") as f:
            f.write(block)
    print("setup: %d segments (%d held by %d processes x %d threads, %d stale), %s" %
          (per * a.processes + stale, per * a.processes, a.processes, a.threads, stale, os.path.basename(shmtools)))

    rows = []
    try:
        # 1. Every scrape scans.
        s = Server(shmtools, "--min-interval", "0ms")
        get(s.port)  # first scrape: includes first-use costs
        lat, size, series = [], 0, 0
        for _ in range(a.runs):
            t, status, body = get(s.port)
            assert status == 200, (status, body[:500])
            lat.append(t)
            size = len(body)
            series = sum(1 for l in body.split(b"\n") if l and not l.startswith(b"#"))
            stale_line = [l for l in body.split(b"\n") if l.startswith(b"shmtools_stale_bytes ")][0].decode()
        mem = memory(s.proc.pid)
        rows.append(("scan on every scrape", statistics.median(lat), min(lat), max(lat), size, series, mem))
        s.stop()

        # 2. Cached: one scan per minute, a storm of concurrent scrapes.
        s = Server(shmtools, "--min-interval", "60s")
        cold = get(s.port)[0]
        lat = [get(s.port)[0] for _ in range(a.runs)]
        results = []

        def one():
            try:
                t, status, _ = get(s.port)
                results.append((t, status))
            except OSError as e:
                results.append((None, str(e)))
        t0 = time.perf_counter()
        threads = [threading.Thread(target=one) for _ in range(a.storm)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        storm = time.perf_counter() - t0
        mem = memory(s.proc.pid)
        rows.append(("cached (min interval 60s)", statistics.median(lat), min(lat), max(lat), None, None, mem))
        s.stop()
        ok = sum(1 for _, st in results if st == 200)
        busy = sum(1 for _, st in results if st == 503)

        # 3. Every segment its own series.
        s = Server(shmtools, "--min-interval", "0ms", "--per-segment", "--segment-limit", str(a.segments))
        get(s.port)
        lat = []
        for _ in range(a.runs):
            t, status, body = get(s.port)
            lat.append(t)
            size = len(body)
            series = sum(1 for l in body.split(b"\n") if l and not l.startswith(b"#"))
        mem = memory(s.proc.pid)
        rows.append(("scan on every scrape, --per-segment", statistics.median(lat), min(lat), max(lat), size, series, mem))
        s.stop()

        # 4. One process, start to exit (the textfile-collector way).
        once = []
        for _ in range(a.runs):
            t = time.perf_counter()
            subprocess.run([shmtools, "metrics", "--no-gpu", "--output", os.path.join(work, "shmtools.prom")], check=True,
                           stderr=subprocess.DEVNULL)
            once.append(time.perf_counter() - t)
    finally:
        for h in holders:
            h.kill()
            h.wait()

    print("\nmedian of %d scrapes [min, max]; memory of the server after the phase" % a.runs)
    print("| phase | latency ms | response | series | VmRSS MiB | VmHWM MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, med, lo, hi, size, series, mem in rows:
        print("| %s | %s [%s, %s] | %s | %s | %.1f | %.1f |" % (name, ms(med), ms(lo), ms(hi),
              "-" if size is None else "%.1f KiB" % (size / 1024.0), "-" if series is None else series, mem["VmRSS"], mem["VmHWM"]))
    print("\ncached phase: first (scanning) scrape %s ms; storm of %d concurrent scrapes: %d answered 200, %d answered 503 (connection cap), all done in %s ms"
          % (ms(cold), a.storm, ok, busy, ms(storm)))
    print("`shmtools metrics --output FILE` process: %s ms median [%s, %s]" % (ms(statistics.median(once)), ms(min(once)), ms(max(once))))
    print("exporter saw: " + stale_line + " (expected %d)" % (stale * 4096))


if __name__ == "__main__":
    main()
