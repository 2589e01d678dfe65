#!/usr/bin/env python3
"""Inventory benchmark: N segments held by P processes with T threads each; prints one table.

Compares, from one run on this machine:
  - the maps floor: one `cat` of every /proc/PID/maps;
  - the complete floor (bench/inventory/floor.c), on 1 and on 2 threads: the least kernel work of
    a complete inventory (getdents + statx of /dev/shm, /proc/sysvipc/shm, every maps file, a
    statx of every /proc/PID/fd entry), with next to no user-space work; and on 2 threads with
    its maps read by PROCMAP_QUERY (floor.c -q, Linux 6.11+), as the inventory reads them there;
  - the in-process Core inventory (bench/ShmTools.Bench), alone, with liveness, with a dry-run clean;
  - whole `shmtools` processes (NativeAOT build, output to /dev/null): list --json, check --json,
    clean --json (dry run), one clean --yes;
  - `lsof -n /dev/shm` and `fuser -v` on every segment.
Every row: median wall time of R runs [minimum], median CPU time (user + system, every thread and
waited-for child), median peak RSS of the process, and ratios against the maps floor, the complete
floor on 1 and 2 threads, and lsof, all from the same run. The floors and the processes (fuser and
the one clean --yes aside) are run in rounds, each once per round, so that a change in the
machine's load during the run falls on all of them alike. The in-process rows come from one
process that runs the complete floor (2 threads) and then each scan, round after round, and gives
the median of the rounds' ratios: the ratio to the floor is of figures taken side by side; a second
such run sleeps 30 ms before every floor run and every scan (scans after idling, as users run
them). Processes are timed by
bench/inventory/measure.c, which forks each command and reports wait4's rusage (started straight
from this harness, a command's ru_maxrss would include the harness's own peak); the floor
reports its own wall and getrusage CPU, and the counts of what it read, which are checked
against the setup.

--scale runs N = 1,000 / 10,000 / 100,000 segments held by P = 20 / 200 / 2,000 processes of
16 / 16 / 4 threads (--scale-steps N:P:T,...), plus N/10 stale ones, and reports for each N the wall and CPU time
and peak RSS of `shmtools list --json`, `shmtools list`, `shmtools check --json` and `shmtools
clean --json` (dry run), the complete floor and lsof, and the time per segment (so linearity
shows).

Runs in private mount, IPC and pid namespaces with a fresh tmpfs on /dev/shm: it re-executes
itself under `unshare` (as root; otherwise with a user namespace, -r), so it never makes or sees
segments of the host's /dev/shm, and /proc shows only its own processes.

Usage: bench/inventory/bench.py [--segments N] [--processes P] [--threads T] [--runs R] [--stale S]
       bench/inventory/bench.py --scale [--runs R] [--scale-steps 1000:20:16,10000:200:16,100000:2000:4]
       (either with --shmtools PATH: a NativeAOT build already published from this tree)
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
NS_ENV = "SHMTOOLS_BENCH_NS"
SCALE_STEPS = "1000:20:16,10000:200:16,100000:2000:4"


def in_namespace(argv):
    """Re-executes this script in private namespaces with its own tmpfs on /dev/shm."""
    if os.environ.get(NS_ENV):
        return
    if not shutil.which("unshare"):
        sys.exit("bench.py needs unshare (util-linux): it runs in private namespaces with its own /dev/shm")
    user = [] if os.geteuid() == 0 else ["-r"]
    script = 'mount -t tmpfs -o size=8g,mode=1777 shmtools-bench /dev/shm || exit 3; exec "$0" "$@"'
    os.execvp("unshare", ["unshare"] + user + ["-m", "-i", "-p", "-f", "--mount-proc", "--propagation", "private",
                                               "env", NS_ENV + "=1", "bash", "-c", script, sys.executable,
                                               os.path.abspath(__file__)] + argv)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def kv(text):
    return dict(p.split("=", 1) for p in text.split() if "=" in p)


class Tools:
    def __init__(self, work, shmtools=None):
        self.work = work
        for name in ("holder", "floor", "measure"):
            subprocess.run(["gcc", "-O2", "-pthread", "-o", os.path.join(work, name), os.path.join(HERE, name + ".c")], check=True)
        self.holder = os.path.join(work, "holder")
        self.floor = os.path.join(work, "floor")
        self.measure = os.path.join(work, "measure")
        self.bench_dll = None
        if shmtools:
            self.shmtools = os.path.abspath(shmtools)
            return
        print("publishing shmtools (NativeAOT)...", file=sys.stderr)
        aot = os.path.join(work, "aot")
        subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "ShmTools.Cli"), "-c", "Release", "-r", "linux-x64",
                        "-p:PublishAot=true", "-o", aot, "--nologo", "-v", "q", "--disable-build-servers"],
                       check=True, stdout=subprocess.DEVNULL)
        self.shmtools = os.path.join(aot, "shmtools")

    def build_bench(self):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "ShmTools.Bench"), "-c", "Release", "--nologo", "-v", "q",
                        "--disable-build-servers"], check=True, stdout=subprocess.DEVNULL)
        self.bench_dll = os.path.join(ROOT, "bench", "ShmTools.Bench", "bin", "Release", "net10.0", "ShmTools.Bench.dll")


class Figure:
    """Median wall [min], median CPU, median peak RSS of R samples; extra = the last run's report."""

    def __init__(self, wall, wall_min, cpu, rss_kb=None, extra=None):
        self.wall, self.wall_min, self.cpu, self.rss_kb, self.extra = wall, wall_min, cpu, rss_kb, extra or {}


def figure(samples):
    walls = [s["wall_s"] for s in samples]
    f = Figure(statistics.median(walls), min(walls), statistics.median(s["cpu_s"] for s in samples),
               statistics.median(s["maxrss_kb"] for s in samples), samples[-1])
    f.walls = walls
    return f


def round_ratio(a, b):
    """The median over rounds of A's wall over B's, for figures taken in the same rounds."""
    return statistics.median(x / y for x, y in zip(a.walls, b.walls))


def failed(f):
    """A note when the measured command's last run exited with a failure (exit code above 1)."""
    status = int(f.extra.get("status", 0))
    return f"  (exit {status})" if status > 1 else ""


def run_once(tools, cmd, stdout=None):
    """Runs CMD once under measure.c (output to /dev/null, or to the file STDOUT): wall, CPU and
    peak RSS from wait4."""
    report = os.path.join(tools.work, "report")
    with open(stdout or os.devnull, "w") as out:
        p = subprocess.Popen([tools.measure, report] + cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(report) as f:
        return {k: float(v) for k, v in kv(f.read()).items()}


def floor_once(tools, threads, query=False):
    """The complete floor once (query: its maps by PROCMAP_QUERY): its own wall and getrusage CPU; peak RSS from measure.c; the counts."""
    out = os.path.join(tools.work, "floor.out")
    report = os.path.join(tools.work, "report")
    with open(out, "w") as f:
        p = subprocess.Popen([tools.measure, report, tools.floor, "-t", str(threads)] + (["-q"] if query else []), stdout=f, stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(out) as f:
        r = {k: float(v) for k, v in kv(f.read()).items()}
    with open(report) as f:
        rep = kv(f.read())
    r["maxrss_kb"] = float(rep["maxrss_kb"])
    r["status"] = float(rep["status"])
    return r


def measured(tools, cmd, runs, stdout=None):
    """CMD run RUNS times in a row."""
    return figure([run_once(tools, cmd, stdout) for _ in range(runs)])


def interleaved(runs, samplers):
    """Every sampler once per round, RUNS rounds: the measures compared with each other are taken
    side by side, so a change in the machine's load during the run falls on all of them alike
    rather than on whichever ran then. SAMPLERS: name -> a function returning one sample."""
    samples = {name: [] for name in samplers}
    for _ in range(runs):
        for name, take in samplers.items():
            samples[name].append(take())
    return {name: figure(v) for name, v in samples.items()}


class Setup:
    """N segments in /dev/shm held by P holder processes of T threads, plus S stale segments."""

    def __init__(self, tools, segments, processes, threads, stale):
        self.prefix = "shmtools_bench_"
        per = segments // processes
        self.procs = []
        for p in range(processes):
            h = subprocess.Popen([tools.holder, "/dev/shm", self.prefix, str(p * per), str(per), str(threads)], stdout=subprocess.PIPE)
            self.procs.append(h)
        for h in self.procs:
            h.stdout.readline()
            h.stdout.close()
        # Stale segments: PyTorch-style names whose creator pid has exited.
        dead = subprocess.Popen(["true"])
        dead.wait()
        for i in range(stale):
            with open("/dev/shm/torch_%d_%d_0" % (dead.pid, 7000000 + i), "wb") as f:
                f.write(b"\0" * 4096)
        self.held = per * processes
        self.stale = stale
        self.processes = processes
        self.threads = threads
        self.segs = sorted(glob.glob("/dev/shm/" + self.prefix + "*"))
        self.ignore = invisible_pids()
        self.ignore_args = sum((["--ignore-invisible", str(p)] for p in self.ignore), [])
        print(f"setup: {len(self.segs)} held + {stale} stale segments, {processes} holders x {threads} threads, "
              f"{sum(1 for p in os.listdir('/proc') if p.isdigit())} processes in /proc", file=sys.stderr)

    def check_floor(self, fl):
        """The floor did the whole job: every file listed, every holder's maps matched."""
        e = fl.extra
        files_ok = int(e["files"]) == self.held + self.stale
        maps_ok = int(e["maps_matched"]) >= self.held
        pids_ok = int(e["pids"]) >= self.processes
        return (f"files={int(e['files'])}{'' if files_ok else ' (EXPECTED %d)' % (self.held + self.stale)} "
                f"pids={int(e['pids'])}{'' if pids_ok else ' (EXPECTED >= %d)' % self.processes} "
                f"maps_lines={int(e['maps_lines'])} maps_matched={int(e['maps_matched'])}{'' if maps_ok else ' (EXPECTED >= %d)' % self.held} "
                f"fds={int(e['fds'])} fds_on_shm={int(e['fds_matched'])} sysv_rows={int(e['sysv_rows'])} "
                f"maps_bytes={int(e['maps_bytes'])}"), files_ok and maps_ok and pids_ok

    def close(self):
        for h in self.procs:
            h.kill()
        for h in self.procs:
            h.wait()
        for f in os.listdir("/dev/shm"):
            os.unlink(os.path.join("/dev/shm", f))


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


def short(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def fmt_rss(kb):
    return f"{kb / 1024:9.1f}" if kb is not None else f"{'-':>9}"


def ratio(v, base):
    return f"{v / base:7.2f}x" if base else f"{'-':>8}"


def main_table(a, tools):
    s = Setup(tools, a.segments, a.processes, a.threads, a.stale)
    try:
        load_before = load()
        # The in-process rows: the floor program and the scans alternate in rounds inside one
        # process (PairedBench), so each ratio to the floor is of figures taken side by side.
        paired = kv(subprocess.run(["dotnet", tools.bench_dll, "paired", str(max(15, 3 * a.runs)), tools.floor, ",".join(map(str, s.ignore))],
                                   capture_output=True, text=True, check=True).stdout.strip())
        # The same after 30 ms of idling before every floor run and every scan, as an exporter's
        # or a shell's scans come: the machine's CPUs and the scheduler are then as users meet them.
        idle = kv(subprocess.run(["dotnet", tools.bench_dll, "paired", str(max(15, 3 * a.runs)), tools.floor, ",".join(map(str, s.ignore))],
                                 capture_output=True, text=True, check=True, env={**os.environ, "PAIRED_GAP_MS": "30"}).stdout.strip())

        # The same against the floor that reads maps by PROCMAP_QUERY, as the inventory does where
        # the kernel has it (Linux 6.11+): the least kernel work of the inventory's own way.
        has_query = subprocess.run([tools.floor, "-q"], capture_output=True).returncode == 0
        queried = kv(subprocess.run(["dotnet", tools.bench_dll, "paired", str(max(15, 3 * a.runs)), tools.floor, ",".join(map(str, s.ignore))],
                                    capture_output=True, text=True, check=True,
                                    env={**os.environ, "PAIRED_FLOOR_ARGS": "-q", "PAIRED_ONLY": "inventory"}).stdout.strip()) if has_query else None

        def core(name):
            return Figure(float(paired[name + "_wall_s"]), float(paired[name + "_min_s"]), float(paired[name + "_cpu_s"]))

        samplers = {
            "maps": lambda: run_once(tools, ["sh", "-c", "cat /proc/[0-9]*/maps > /dev/null 2>&1"]),
            "floor1": lambda: floor_once(tools, 1),
            "floor2": lambda: floor_once(tools, 2),
            **({"floorq": lambda: floor_once(tools, 2, query=True)} if has_query else {}),
            "list": lambda: run_once(tools, [tools.shmtools, "list", "--json"]),
            "help": lambda: run_once(tools, [tools.shmtools, "--help"]),
            "check": lambda: run_once(tools, [tools.shmtools, "check", "--json"] + s.ignore_args),
            "dryclean": lambda: run_once(tools, [tools.shmtools, "clean", "--json"] + s.ignore_args),
        }
        if shutil.which("lsof"):
            samplers["lsof"] = lambda: run_once(tools, ["lsof", "-n", "/dev/shm"])
        m = interleaved(a.runs, samplers)
        maps_floor, floor1, floor2, cli, hello, check, dryclean = (m[k] for k in ("maps", "floor1", "floor2", "list", "help", "check", "dryclean"))
        lsof = m.get("lsof")
        fuser = measured(tools, ["fuser", "-v"] + s.segs, max(1, a.runs // 2)) if shutil.which("fuser") else None
        cleaned = os.path.join(tools.work, "clean.json")
        clean_once = measured(tools, [tools.shmtools, "clean", "--yes", "--json"] + s.ignore_args, 1, stdout=cleaned)
        try:
            with open(cleaned) as f:
                removed = len(json.load(f)["removed"])
        except (OSError, ValueError, KeyError):
            removed = -1
        load_after = load()

        print(f"\nN={len(s.segs)} segments, P={a.processes} holders x {a.threads} threads, plus {a.stale} stale; "
              f"median of {a.runs} runs (min in brackets); load average {load_before} before, {load_after} after; "
              f"{os.cpu_count()} CPUs")
        print(f"{'measure':46} {'wall s':>8} {'[min]':>8} {'cpu s':>8} {'peak MiB':>9}  {'/maps':>8} {'/floor1':>8} {'/floor2':>8} {'/lsof':>8}")

        def row(label, v):
            print(f"{label:46} {v.wall:8.4f} [{v.wall_min:6.4f}] {v.cpu:8.4f} {fmt_rss(v.rss_kb)}  "
                  f"{ratio(v.wall, maps_floor.wall)} {ratio(v.wall, floor1.wall)} {ratio(v.wall, floor2.wall)} "
                  f"{ratio(v.wall, lsof.wall if lsof else None)}{failed(v)}")

        row("floor: cat every /proc/PID/maps", maps_floor)
        row("complete floor (1 thread)", floor1)
        row("complete floor (2 threads)", floor2)
        floorq = m.get("floorq")
        if floorq:
            row("complete floor, maps by query (2 threads)", floorq)
        row("Core inventory, in process", core("inventory"))
        row("shmtools list --json (NativeAOT process)", cli)
        row("shmtools --help (process start)", hello)
        row("Core inventory + liveness, in process", core("check"))
        row("Core inventory + clean (dry run), in process", core("dryclean"))
        row("shmtools check --json (NativeAOT process)", check)
        row("shmtools clean --json (dry run)", dryclean)
        row(f"shmtools clean --yes (one run, removed {removed})", clean_once)
        if lsof:
            row("lsof -n /dev/shm", lsof)
        if fuser:
            row("fuser -v <every segment>", fuser)
        ci = core("inventory")
        print(f"\nratios are of median wall times; cpu s of in-process rows is the whole process's CPU per run; "
              f"floor1/floor2 = complete floor on 1/2 threads")
        print(f"core/complete floor, paired ({paired['rounds']} rounds in one process, floor {float(paired['floor_wall_s']):.4f} s there): "
              f"median of the rounds' ratios {float(paired['inventory_per_floor']):.2f} (target <= 1.25); with liveness "
              f"{float(paired['check_per_floor']):.2f}, with a dry-run clean {float(paired['dryclean_per_floor']):.2f}")
        print(f"the same after 30 ms idle before each (floor {float(idle['floor_wall_s']):.4f} s, inventory {float(idle['inventory_wall_s']):.4f} s): "
              f"{float(idle['inventory_per_floor']):.2f}; with liveness {float(idle['check_per_floor']):.2f}, with a dry-run clean {float(idle['dryclean_per_floor']):.2f}")
        if queried:
            print(f"core/complete floor with maps by query, paired (floor {float(queried['floor_wall_s']):.4f} s there, inventory "
                  f"{float(queried['inventory_wall_s']):.4f} s): {float(queried['inventory_per_floor']):.2f}")
        print(f"core/complete floor of this table's medians = {ci.wall / floor2.wall:.2f} (2 threads), {ci.wall / floor1.wall:.2f} (1 thread); "
              f"core/maps floor = {ci.wall / maps_floor.wall:.2f}")
        if lsof:
            print(f"lsof/shmtools list --json = {lsof.wall / cli.wall:.2f} of the medians, {round_ratio(lsof, cli):.2f} as the median of the rounds' ratios (target >= 2)")
        print(f"liveness adds {float(paired['liveness_adds']):+.0%} to the in-process inventory (median of the paired rounds; target < +50%); "
              f"check process / list process = {check.wall / cli.wall:.2f}")
        print(f"core saw {paired['segments']} segments, {paired['attached']} with holders, {paired['processes']} processes; verdicts: "
              + " ".join(f"{k}={v}" for k, v in paired.items() if k in ("live", "stale", "orphaned", "unknown")))
        for label, fl in (("complete floor (1 thread)", floor1), ("complete floor (2 threads)", floor2)) + ((("complete floor, maps by query", floorq),) if floorq else ()):
            text, ok = s.check_floor(fl)
            print(f"{label} read: {text}{'' if ok else '  <-- INCOMPLETE'}")
    finally:
        s.close()


def scale_table(a, tools):
    try:
        steps = [tuple(int(x) for x in step.split(":")) for step in a.scale_steps.split(",")]
        assert len(steps) >= 2 and all(len(st) == 3 for st in steps)
    except (ValueError, AssertionError):
        sys.exit("--scale-steps takes two or more N:P:T steps, comma-separated")
    rows = []  # (label, n, figure)
    notes = []
    for n, p, t in steps:
        s = Setup(tools, n, p, t, n // 10)
        try:
            before = load()
            samplers = {
                "shmtools list --json": lambda: run_once(tools, [tools.shmtools, "list", "--json"]),
                "shmtools list (table)": lambda: run_once(tools, [tools.shmtools, "list"]),
                "shmtools check --json": lambda: run_once(tools, [tools.shmtools, "check", "--json"] + s.ignore_args),
                "shmtools clean --json (dry run)": lambda: run_once(tools, [tools.shmtools, "clean", "--json"] + s.ignore_args),
                "complete floor (1 thread)": lambda: floor_once(tools, 1),
                "complete floor (2 threads)": lambda: floor_once(tools, 2),
            }
            if shutil.which("lsof"):
                samplers["lsof -n /dev/shm"] = lambda: run_once(tools, ["lsof", "-n", "/dev/shm"])
            figs = list(interleaved(a.runs, samplers).items())
            after = load()
            for label, f in figs:
                rows.append((label, n, f))
            text, ok = s.check_floor(dict(figs)["complete floor (2 threads)"])
            notes.append(f"N={n:,}: {p} holders x {t} threads, {n // 10:,} stale; load average {before} before, {after} after; "
                         f"floor read {text}{'' if ok else '  <-- INCOMPLETE'}")
        finally:
            s.close()

    print(f"\nScale: N held segments (plus N/10 stale) by P holders of T threads; median of {a.runs} runs; output to /dev/null; "
          f"{os.cpu_count()} CPUs")
    for note in notes:
        print("  " + note)
    print(f"{'measure':34} {'N':>8} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'wall us/N':>10} {'cpu us/N':>9} {'/floor2':>8} {'/lsof':>8}")
    by = {(label, n): f for label, n, f in rows}
    labels = list(dict.fromkeys(label for label, _, _ in rows))
    for label in labels:
        for n, _, _ in steps:
            f = by[(label, n)]
            fl = by[("complete floor (2 threads)", n)]
            ls = by.get(("lsof -n /dev/shm", n))
            print(f"{label:34} {n:8,} {f.wall:8.4f} {f.cpu:8.4f} {fmt_rss(f.rss_kb)} {f.wall / n * 1e6:10.2f} {f.cpu / n * 1e6:9.2f} "
                  f"{ratio(f.wall, fl.wall)} {ratio(f.wall, ls.wall if ls else None)}{failed(f)}")
    ns = [n for n, _, _ in steps]
    spans = [f"{short(ns[i - 1])}-{short(ns[i])}" for i in range(1, len(ns))]
    print("\ngrowth: the cost of each added segment between steps, (X(N2) - X(N1)) / (N2 - N1), for wall time (us),"
          " CPU time (us) and peak RSS (KiB); the same figure at every span = linear (fixed costs such as process start drop out)")
    print(f"{'measure':34} " + " ".join(f"{'us ' + sp:>12}" for sp in spans) + " " + " ".join(f"{'cpu ' + sp:>12}" for sp in spans)
          + " " + " ".join(f"{'KiB ' + sp:>12}" for sp in spans))
    for label in labels:
        f = [by[(label, n)] for n in ns]
        d = [ns[i] - ns[i - 1] for i in range(1, len(ns))]
        wall = [(f[i].wall - f[i - 1].wall) / d[i - 1] * 1e6 for i in range(1, len(ns))]
        cpu = [(f[i].cpu - f[i - 1].cpu) / d[i - 1] * 1e6 for i in range(1, len(ns))]
        rss = [(f[i].rss_kb - f[i - 1].rss_kb) / d[i - 1] for i in range(1, len(ns))]
        print(f"{label:34} " + " ".join(f"{x:12.2f}" for x in wall) + " " + " ".join(f"{x:12.2f}" for x in cpu)
              + " " + " ".join(f"{x:12.3f}" for x in rss))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=10000)
    ap.add_argument("--processes", type=int, default=200)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--runs", type=int, default=None, help="runs per measure (median); 7, or 3 with --scale")
    ap.add_argument("--stale", type=int, default=1000, help="extra unheld segments of dead owners (liveness and cleanup)")
    ap.add_argument("--scale", action="store_true", help="1k, 10k and 100k segments held by 20, 200 and 2,000 processes")
    ap.add_argument("--shmtools", help="a NativeAOT shmtools already published from this tree (skips the publish)")
    ap.add_argument("--scale-steps", default=SCALE_STEPS, help="N:P:T per scale step (segments, holders, threads per holder)")
    a = ap.parse_args()
    in_namespace(sys.argv[1:])
    if a.runs is None:
        a.runs = 3 if a.scale else 7
    if os.listdir("/dev/shm"):
        sys.exit("/dev/shm is not empty: bench.py expects the fresh tmpfs of its own namespace")

    work = tempfile.mkdtemp(prefix="shmtools-bench-")
    try:
        tools = Tools(work, a.shmtools)
        if a.scale:
            scale_table(a, tools)
        else:
            tools.build_bench()
            main_table(a, tools)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
