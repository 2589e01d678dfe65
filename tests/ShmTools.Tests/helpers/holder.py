#!/usr/bin/env python3
"""Holds shared memory the way real programs do, for the ShmTools tests.

Usage: holder.py MODE ARGS...   Prints one JSON line when ready, then waits until its
standard input closes or it gets SIGTERM, and cleans up after itself.

  psm SIZE                       multiprocessing.shared_memory, mapped
  file DIR NAME SIZE HOW         HOW: map (Python's mmap, which keeps a duplicate fd), fd (open
                                 fd only), deleted (mapped, then unlinked), keep (create and exit
                                 at once), maponly (opened O_RDWR, mmap(2) shared read-write, fd
                                 closed: a mapping and no descriptor), maponly-ro (the same,
                                 opened O_RDONLY and mapped read-only), maponly-deleted (maponly,
                                 then unlinked: the mapping alone keeps the old name)
  sysv KEY SIZE                  shmget + shmat, removed at exit (KEY 0: IPC_PRIVATE)
  sysv-leave KEY SIZE            shmget + shmat, write, shmdt, then exit at once leaving it behind
  sem NAME                       sem_open (a /dev/shm/sem.NAME file, mapped)
  churn DIR NAME                 forks children that map DIR/NAME and exit, as fast as it can
  thread-fd DIR NAME SIZE        a thread that unshared its fd table (unshare(CLONE_FILES))
                                 holds DIR/NAME open: /proc/PID/fd does not show it, only
                                 /proc/PID/task/TID/fd
  idle                           holds nothing: a live process whose pid others can name
"""
import ctypes
import json
import mmap
import os
import signal
import sys

libc = ctypes.CDLL(None, use_errno=True)
cleanups = []
keep = []


def ready(**info):
    print(json.dumps(dict(pid=os.getpid(), **info)), flush=True)


def on_term(signum, frame):
    raise SystemExit(0)


def make_file(path, size):
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.ftruncate(fd, size)
    os.pwrite(fd, b"\x01" * min(size, 8192), 0)
    return fd


def main():
    signal.signal(signal.SIGTERM, on_term)
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "psm":
        from multiprocessing import shared_memory
        seg = shared_memory.SharedMemory(create=True, size=int(args[0]))
        seg.buf[:16] = b"\x01" * 16
        keep.append(seg)
        cleanups.append(lambda: (seg.close(), seg.unlink()))
        ready(name=seg.name)
    elif mode == "file":
        directory, name, size, how = args[0], args[1], int(args[2]), args[3]
        path = os.path.join(directory, name)
        fd = make_file(path, size)
        if how in ("map", "deleted"):
            keep.append(mmap.mmap(fd, size))
            os.close(fd)
        elif how == "fd":
            keep.append(fd)
        elif how == "keep":
            os.close(fd)
            ready(path=path)
            return
        elif how in ("maponly", "maponly-ro", "maponly-deleted"):
            libc.mmap.restype = ctypes.c_void_p
            libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
            if how == "maponly-ro":
                os.close(fd)
                fd = os.open(path, os.O_RDONLY)
            prot = mmap.PROT_READ if how == "maponly-ro" else mmap.PROT_READ | mmap.PROT_WRITE
            addr = libc.mmap(None, size, prot, mmap.MAP_SHARED, fd, 0)
            if addr in (None, ctypes.c_void_p(-1).value):
                raise OSError(ctypes.get_errno(), "mmap")
            os.close(fd)  # the mapping alone keeps the file open
            keep.append(addr)
        if how in ("deleted", "maponly-deleted"):
            os.unlink(path)
        else:
            cleanups.append(lambda: os.path.exists(path) and os.unlink(path))
        st = os.stat(path) if how not in ("deleted", "maponly-deleted") else None
        ready(path=path, inode=st.st_ino if st else None)
    elif mode in ("sysv", "sysv-leave"):
        key, size = int(args[0], 0), int(args[1])
        libc.shmget.restype = ctypes.c_int
        libc.shmat.restype = ctypes.c_void_p
        libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        libc.shmdt.argtypes = [ctypes.c_void_p]
        shmid = libc.shmget(ctypes.c_int(key), ctypes.c_size_t(size), 0o1600)
        if shmid < 0:
            raise OSError(ctypes.get_errno(), "shmget")
        addr = libc.shmat(shmid, None, 0)
        ctypes.memset(addr, 1, min(size, 4096))
        if mode == "sysv-leave":
            libc.shmdt(ctypes.c_void_p(addr))
            ready(shmid=shmid)
            return
        cleanups.append(lambda: (libc.shmdt(ctypes.c_void_p(addr)), libc.shmctl(shmid, 0, None)))
        ready(shmid=shmid)
    elif mode == "sem":
        libc.sem_open.restype = ctypes.c_void_p
        libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
        name = ("/" + args[0]).encode()
        sem = libc.sem_open(name, os.O_CREAT, 0o600, 1)
        if not sem:
            raise OSError(ctypes.get_errno(), "sem_open")
        cleanups.append(lambda: libc.sem_unlink(name))
        ready(path="/dev/shm/sem." + args[0])
    elif mode == "idle":
        ready()
    elif mode == "thread-fd":
        import threading
        directory, name, size = args[0], args[1], int(args[2])
        path = os.path.join(directory, name)
        opened = threading.Event()
        info = {}

        def private_table():
            CLONE_FILES = 0x400
            if libc.unshare(CLONE_FILES) != 0:
                info["error"] = os.strerror(ctypes.get_errno())
            else:
                fd = make_file(path, size)
                info.update(tid=threading.get_native_id(), fd=fd, inode=os.fstat(fd).st_ino)
            opened.set()
            threading.Event().wait()  # holds the descriptor until the process exits

        threading.Thread(target=private_table, daemon=True).start()
        opened.wait()
        if "error" in info:
            sys.exit("unshare(CLONE_FILES): " + info["error"])
        cleanups.append(lambda: os.path.exists(path) and os.unlink(path))
        ready(path=path, **info)
    elif mode == "churn":
        path = os.path.join(args[0], args[1])
        ready(path=path)
        while True:
            child = os.fork()
            if child == 0:
                try:
                    fd = os.open(path, os.O_RDWR)
                    m = mmap.mmap(fd, 4096)
                    m[0] = 1
                finally:
                    os._exit(0)
            os.waitpid(child, 0)
    else:
        sys.exit("unknown mode " + mode)
    sys.stdin.read()


if __name__ == "__main__":
    try:
        main()
    finally:
        for c in reversed(cleanups):
            try:
                c()
            except Exception:
                pass
