#!/usr/bin/env python3
"""A lease-protocol participant written from docs/lease-protocol.md alone, for the tests.

Usage:
  lease_participant.py posix NAME DATA_BYTES [--lock] [--respond] [--release] [--unmap]
                       [--mode OCTAL] [--owner-pid PID] [--owner-ticks N]
  lease_participant.py sysv KEY DATA_BYTES [--detach] [--owner-pid PID] [--owner-ticks N]

Prints one JSON line when ready, then waits until stdin closes (or it is killed).
  --lock      hold an OFD read lock on the segment (the lock lease)
  --respond   answer handshake probes (PROBING -> ALIVE, heartbeat + 1)
  --release   set the state to RELEASED after creating it
  --unmap     close the descriptor and the mapping but stay alive
  --detach    (sysv) detach after writing the header but stay alive
"""
import ctypes
import fcntl
import json
import mmap
import os
import struct
import sys
import threading
import time

MAGIC = b"SHMLEASE"
VERSION = 1
RELEASED, ALIVE, PROBING = 0, 1, 2
HEADER_SIZE = 64


def start_ticks(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        stat = f.read()
    return int(stat[stat.rindex(b")") + 2:].split()[19])


def write_header(buf, pid, ticks):
    buf[0:HEADER_SIZE] = bytes(HEADER_SIZE)
    struct.pack_into("<I", buf, 8, VERSION)
    struct.pack_into("<I", buf, 16, pid)
    struct.pack_into("<Q", buf, 24, ticks)
    struct.pack_into("<I", buf, 12, ALIVE)
    buf[0:8] = MAGIC  # last: nobody sees the magic before the fields


def respond_forever(buf, counter):
    while True:
        if struct.unpack_from("<I", buf, 12)[0] == PROBING:
            beat = struct.unpack_from("<Q", buf, 32)[0]
            struct.pack_into("<Q", buf, 32, beat + 1)
            struct.pack_into("<I", buf, 12, ALIVE)
            counter[0] += 1
        time.sleep(0.02)


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def main():
    kind, ident, size, flags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    pid = int(option(flags, "--owner-pid", os.getpid()))
    ticks = int(option(flags, "--owner-ticks", start_ticks(pid)))
    total = HEADER_SIZE + size
    info = {"pid": os.getpid()}
    if kind == "posix":
        path = "/dev/shm/" + ident
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, int(option(flags, "--mode", "600"), 8))
        os.fchmod(fd, int(option(flags, "--mode", "600"), 8))
        os.ftruncate(fd, total)
        if "--lock" in flags:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLKW, struct.pack("hhqqi4x", fcntl.F_RDLCK, 0, 0, 0, 0))
        buf = mmap.mmap(fd, total)
        write_header(buf, pid, ticks)
        info.update(path=path, inode=os.fstat(fd).st_ino)
    else:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        libc.shmdt.argtypes = [ctypes.c_void_p]
        shmid = libc.shmget(ctypes.c_int(int(ident, 0)), ctypes.c_size_t(total), 0o1600)
        if shmid < 0:
            raise OSError(ctypes.get_errno(), "shmget")
        addr = libc.shmat(shmid, None, 0)
        buf = (ctypes.c_char * total).from_address(addr)
        view = memoryview(buf).cast("B")
        write_header(view, pid, ticks)
        info.update(shmid=shmid)
        if "--detach" in flags:
            view.release()
            libc.shmdt(ctypes.c_void_p(addr))
            buf = None
    if "--release" in flags:
        struct.pack_into("<I", buf, 12, RELEASED)
    counter = [0]
    if "--respond" in flags:
        threading.Thread(target=respond_forever, args=(buf, counter), daemon=True).start()
    if "--unmap" in flags and kind == "posix":
        buf.close()
        os.close(fd)
    print(json.dumps(info), flush=True)
    sys.stdin.read()
    print(json.dumps({"answered": counter[0]}), flush=True)


if __name__ == "__main__":
    main()
