#!/usr/bin/env python3
"""Stress population for cleanup tests: keeps about LIVE forked holders, each owning one
segment DIR/torch_<pid>_<TAG>_0 that it maps; holders keep dying (killed or exiting, leaving
their segment behind) and new ones start, until stdin closes. Then every holder still alive
checks that its segment still has its name and its inode, and the manager prints
{"alive", "lost", "created", "died"} and cleans up.
Usage: stress_holders.py DIR TAG LIVE
"""
import json
import mmap
import os
import random
import select
import signal
import sys
import time

directory, tag, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
children = {}  # pid -> (name, inode)
created = died = 0
report_r, report_w = os.pipe()


reaped = set()  # pids already waited for


def spawn():
    global created
    pid = os.fork()
    if pid == 0:
        os.close(report_r)
        name = "torch_%d_%s_0" % (os.getpid(), tag)
        path = os.path.join(directory, name)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.ftruncate(fd, 4096)
        m = mmap.mmap(fd, 4096)
        m[:4] = b"live"
        inode = os.fstat(fd).st_ino
        os.close(fd)
        os.write(report_w, ("%d %s %d\n" % (os.getpid(), name, inode)).encode())
        time.sleep(random.uniform(0.05, 1.5))
        os._exit(0)  # exits without unlinking: the segment is left behind, stale
    created += 1
    reaped.discard(pid)  # a reused pid is a new holder
    return pid


def read_reports(buffer=[b""]):
    while select.select([report_r], [], [], 0)[0]:
        buffer[0] += os.read(report_r, 65536)
    *lines, buffer[0] = buffer[0].split(b"\n")
    for line in lines:
        pid, name, inode = line.decode().split(" ")
        if int(pid) not in reaped:  # a report read after its sender was killed and reaped
            children[int(pid)] = (name, int(inode))


def reap():
    global died
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.pop(pid, None)
        reaped.add(pid)
        died += 1


for _ in range(target):
    spawn()
time.sleep(0.3)
read_reports()
print(json.dumps({"ready": len(children)}), flush=True)
while not select.select([sys.stdin], [], [], 0)[0]:
    reap()
    read_reports()
    live = len(children)
    for _ in range(max(0, target - live)):
        spawn()
    if children and random.random() < 0.3:
        victim = random.choice(list(children))
        os.kill(victim, signal.SIGKILL)
    time.sleep(0.01)

# Freeze the population and check every live holder's segment.
read_reports()
reap()
for pid in list(children):
    try:
        os.kill(pid, signal.SIGSTOP)
    except ProcessLookupError:  # died (and was reaped) since the last look: not a live holder
        children.pop(pid, None)
reap()
lost = []
for pid, (name, inode) in children.items():
    try:
        st = os.stat(os.path.join(directory, name))
        if st.st_ino != inode:
            lost.append(name)
    except FileNotFoundError:
        lost.append(name)
print(json.dumps({"alive": len(children), "lost": lost, "created": created, "died": died}), flush=True)
for pid in list(children):
    os.kill(pid, signal.SIGKILL)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
for f in os.listdir(directory):
    if f.endswith("_%s_0" % tag):
        try:
            os.unlink(os.path.join(directory, f))
        except OSError:
            pass
