#!/usr/bin/env python3
"""The truncate-while-probing attack, for the tests: an unprivileged user's segment with a lease
header, truncated while a prober is in the middle of its handshake, when a prober that looked
through a mapping would touch pages that no longer exist (SIGBUS).

Usage: truncating_owner.py DIR NAME DEAD_PID   (as root it first becomes uid/gid 65534)
Creates DIR/NAME with a header (state ALIVE, owner DEAD_PID) and closes it, so nothing holds
it; prints {"path", "uid"}. When someone opens the file (inotify IN_OPEN) it waits 100 ms -- the
prober is then waiting for an answer -- truncates the file to 0 by its path and prints
{"truncated": true}. Waits until stdin closes.
"""
import ctypes
import json
import os
import select
import struct
import sys
import time

IN_OPEN = 0x20
directory, name, dead = sys.argv[1], sys.argv[2], int(sys.argv[3])
if os.getuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
path = os.path.join(directory, name)
fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
header = b"SHMLEASE" + struct.pack("<IIIIQQQ", 1, 1, dead, 0, 12345, 0, 0) + bytes(16)
assert len(header) == 64
os.pwrite(fd, header + bytes(4096 - 64), 0)
os.close(fd)
libc = ctypes.CDLL(None, use_errno=True)
ifd = libc.inotify_init1(0)
if ifd < 0 or libc.inotify_add_watch(ifd, path.encode(), IN_OPEN) < 0:
    raise OSError(ctypes.get_errno(), "inotify")
print(json.dumps({"path": path, "uid": os.getuid()}), flush=True)
truncated = False
while True:
    ready, _, _ = select.select([sys.stdin, ifd], [], [])
    if sys.stdin in ready:
        break
    os.read(ifd, 4096)
    if not truncated:
        time.sleep(0.1)
        os.truncate(path, 0)
        truncated = True
        print(json.dumps({"truncated": True}), flush=True)
