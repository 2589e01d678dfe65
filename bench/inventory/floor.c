/* The complete floor: the least kernel work a complete shared-memory inventory must do, with
 * as little user-space work around it as possible.
 *
 *   - list the /dev/shm directory (getdents64, 64 KiB buffer) and statx every entry, relative
 *     to the open directory and not following links (type, size, blocks, owner, mode, inode,
 *     times: STATX_BASIC_STATS | STATX_BTIME, as the inventory asks);
 *   - read /proc/sysvipc/shm;
 *   - list /proc (getdents64) for the pids;
 *   - per pid: read /proc/PID/maps in large reads (1 MiB buffer) and find the lines whose device
 *     is the /dev/shm tmpfs (named or "(deleted)") or whose path is /SYSV..., taking the inode
 *     from each; then list /proc/PID/fd and statx every entry following the magic link (the open
 *     file's device and inode), keeping those on the tmpfs.
 *
 * With -n, also what naming the holders takes: for every process found holding something, a
 * read of /proc/PID/stat (name, start time) and a statx of /proc/PID (owner), as the inventory
 * does for the processes it reports. Off by default.
 *
 * With -q, the maps are read by PROCMAP_QUERY (Linux 6.11+) instead of as text, as the inventory
 * reads them where the kernel has it: one ioctl per file-backed mapping on the open maps file,
 * without its path, keeping those on the tmpfs; a shared mapping elsewhere is asked its path
 * again, to find the /SYSV ones. maps_bytes is then 0 and maps_lines counts the mappings.
 *
 * Thread descriptor tables (/proc/PID/task/TID/fd) are not read. Nothing is joined or kept
 * beyond counts and a checksum of the inodes found, so the compiler cannot drop the parsing.
 *
 * With -t N, N threads: the first lists /dev/shm and reads the SysV table, then joins the
 * others, which pull pids from a shared counter from the start (the /dev/shm listing runs
 * beside the /proc pass, and no thread waits on a slow process's share).
 *
 * Prints one line of key=value pairs: wall and CPU seconds of the whole program (getrusage,
 * every thread), peak RSS, and the counts the caller can check the work against.
 *
 * Usage: floor [-t THREADS] [-n] [-q] [-d SHM_DIR] [-p PROC]     build: gcc -O2 -pthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "procmap_query.h"

#define DENTS_BUF (64 * 1024)
#define MAPS_BUF (1024 * 1024)
#define STATX_MASK (STATX_BASIC_STATS | STATX_BTIME)

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

struct counts {
    long files, file_bytes, other_entries;
    long pids, pids_unread, maps_bytes, maps_lines, maps_matched, maps_sysv;
    long fds, fds_matched, named;
    long sysv_rows;
    uint64_t checksum;
};

static const char *shm_dir = "/dev/shm";
static const char *proc_dir = "/proc";
static unsigned shm_major, shm_minor;
static char shm_dev[32]; /* as maps prints it: "%02x:%02x" */
static size_t shm_dev_len;
static int proc_fd;
static int *pid_list;
static long pid_count;
static long next_pid;
static int name_holders;
static int by_query;

static pthread_mutex_t pids_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pids_cond = PTHREAD_COND_INITIALIZER;
static int pids_ready;

static int is_dot(const char *n) { return n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)); }

static void list_shm(struct counts *c)
{
    int dfd = open(shm_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) { perror(shm_dir); exit(1); }
    char *buf = malloc(DENTS_BUF);
    for (;;) {
        long n = syscall(SYS_getdents64, dfd, buf, DENTS_BUF);
        if (n < 0) { perror("getdents64"); exit(1); }
        if (n == 0) break;
        for (long pos = 0; pos < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + pos);
            pos += d->d_reclen;
            if (is_dot(d->d_name)) continue;
            struct statx st;
            if (statx(dfd, d->d_name, AT_SYMLINK_NOFOLLOW, STATX_MASK, &st) != 0) continue;
            if (!S_ISREG(st.stx_mode)) { c->other_entries++; continue; }
            c->files++;
            c->file_bytes += (long)st.stx_size;
            c->checksum += st.stx_ino ^ st.stx_uid ^ (uint64_t)st.stx_mtime.tv_sec ^ (uint64_t)st.stx_btime.tv_nsec;
        }
    }
    free(buf);
    close(dfd);
}

/* Reads a whole file at DIRFD/PATH into *BUF (growing it); returns the length, or -errno. */
static long read_all(int dirfd, const char *path, char **buf, size_t *cap)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -errno;
    size_t len = 0;
    for (;;) {
        if (len == *cap) { *cap *= 2; *buf = realloc(*buf, *cap); }
        ssize_t n = read(fd, *buf + len, *cap - len);
        if (n < 0) { if (errno == EINTR) continue; int e = errno; close(fd); return -e; }
        if (n == 0) break;
        len += (size_t)n;
    }
    close(fd);
    return (long)len;
}

static void read_sysv(struct counts *c)
{
    size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    long n = read_all(AT_FDCWD, "/proc/sysvipc/shm", &buf, &cap);
    for (long i = 0; i < n; i++)
        if (buf[i] == '\n') c->sysv_rows++;
    if (c->sysv_rows > 0) c->sysv_rows--; /* the header */
    free(buf);
}

/* One maps buffer: "start-end perms offset MM:mm inode   path\n" per line. */
static void parse_maps(const char *p, const char *end, struct counts *c)
{
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        c->maps_lines++;
        /* skip three fields to the device */
        const char *q = p;
        for (int f = 0; f < 3 && q < nl; f++) {
            q = memchr(q, ' ', (size_t)(nl - q));
            if (!q) { q = nl; break; }
            q++;
        }
        int dev_match = (size_t)(nl - q) > shm_dev_len && memcmp(q, shm_dev, shm_dev_len) == 0 && q[shm_dev_len] == ' ';
        q = memchr(q, ' ', (size_t)(nl - q));
        if (q) {
            q++;
            uint64_t ino = 0;
            while (q < nl && (unsigned)(*q - '0') < 10) ino = ino * 10 + (uint64_t)(*q++ - '0');
            if (dev_match) {
                c->maps_matched++;
                c->checksum += ino;
            } else { /* a SysV attachment may be shmid (inode) 0 */
                while (q < nl && *q == ' ') q++;
                if (nl - q >= 5 && memcmp(q, "/SYSV", 5) == 0) {
                    c->maps_sysv++;
                    c->checksum += ino;
                }
            }
        }
        p = nl + 1;
    }
}

/* The maps of one pid by PROCMAP_QUERY: -1 when the maps cannot be opened. */
static int query_maps(const char *path, struct counts *c)
{
    int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    char name[4096];
    for (uint64_t addr = 0;;) {
        struct procmap_query q;
        if (procmap_ask(fd, addr, COVERING_OR_NEXT_VMA | FILE_BACKED_VMA, NULL, 0, &q) < 0) {
            if (errno == ENOTTY) { fprintf(stderr, "floor -q: PROCMAP_QUERY is not in this kernel\n"); exit(1); }
            break; /* ENOENT: no mapping at or after addr; ESRCH: no memory */
        }
        c->maps_lines++;
        addr = q.vma_end;
        if (q.dev_major == shm_major && q.dev_minor == shm_minor) {
            c->maps_matched++;
            c->checksum += q.inode;
        } else if (q.vma_flags & QUERY_SHARED) {
            struct procmap_query n;
            if (procmap_ask(fd, q.vma_start, FILE_BACKED_VMA, name, sizeof name, &n) == 0 && n.vma_name_size > 5 && memcmp(name, "/SYSV", 5) == 0) {
                c->maps_sysv++;
                c->checksum += q.inode;
            }
        }
    }
    close(fd);
    return 0;
}

static void scan_fds(int pid, char *path, char *dents, struct counts *c)
{
    snprintf(path, 64, "%d/fd", pid);
    int dfd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    for (;;) {
        long n = syscall(SYS_getdents64, dfd, dents, DENTS_BUF);
        if (n <= 0) break;
        for (long pos = 0; pos < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(dents + pos);
            pos += d->d_reclen;
            if (is_dot(d->d_name)) continue;
            c->fds++;
            struct statx st;
            if (statx(dfd, d->d_name, 0, STATX_MASK, &st) != 0) continue;
            if (st.stx_dev_major == shm_major && st.stx_dev_minor == shm_minor && S_ISREG(st.stx_mode)) {
                c->fds_matched++;
                c->checksum += st.stx_ino;
            }
        }
    }
    close(dfd);
}

static void proc_pass(struct counts *c)
{
    size_t cap = MAPS_BUF;
    char *buf = malloc(cap);
    char *dents = malloc(DENTS_BUF);
    char path[64];
    long i;
    while ((i = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED)) < pid_count) {
        int pid = pid_list[i];
        snprintf(path, sizeof path, "%d/maps", pid);
        long held = c->maps_matched + c->maps_sysv + c->fds_matched;
        if (by_query) {
            if (query_maps(path, c) < 0) { c->pids_unread++; continue; }
        } else {
            long n = read_all(proc_fd, path, &buf, &cap);
            if (n < 0) { c->pids_unread++; continue; }
            c->maps_bytes += n;
            parse_maps(buf, buf + n, c);
        }
        c->pids++;
        scan_fds(pid, path, dents, c);
        if (name_holders && c->maps_matched + c->maps_sysv + c->fds_matched > held) {
            char stat[1024];
            snprintf(path, sizeof path, "%d/stat", pid);
            int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (fd >= 0) {
                ssize_t r = read(fd, stat, sizeof stat);
                close(fd);
                snprintf(path, sizeof path, "%d", pid);
                struct statx st;
                if (r > 0 && statx(proc_fd, path, 0, STATX_MASK, &st) == 0) {
                    c->named++;
                    c->checksum += (uint64_t)stat[r - 1] + st.stx_uid;
                }
            }
        }
    }
    free(dents);
    free(buf);
}

static void list_pids(void)
{
    long cap = 1024;
    pid_list = malloc(sizeof(int) * (size_t)cap);
    char *buf = malloc(DENTS_BUF);
    for (;;) {
        long n = syscall(SYS_getdents64, proc_fd, buf, DENTS_BUF);
        if (n < 0) { perror("getdents64 /proc"); exit(1); }
        if (n == 0) break;
        for (long pos = 0; pos < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + pos);
            pos += d->d_reclen;
            int pid = 0;
            const char *s = d->d_name;
            if (!*s) continue;
            for (; *s; s++) {
                if ((unsigned)(*s - '0') > 9) break;
                pid = pid * 10 + (*s - '0');
            }
            if (*s) continue;
            if (pid_count == cap) { cap *= 2; pid_list = realloc(pid_list, sizeof(int) * (size_t)cap); }
            pid_list[pid_count++] = pid;
        }
    }
    free(buf);
}

static void *first_worker(void *arg)
{
    struct counts *c = arg;
    list_shm(c);
    read_sysv(c);
    pthread_mutex_lock(&pids_lock);
    while (!pids_ready) pthread_cond_wait(&pids_cond, &pids_lock);
    pthread_mutex_unlock(&pids_lock);
    proc_pass(c);
    return NULL;
}

static void *other_worker(void *arg)
{
    proc_pass(arg);
    return NULL;
}

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    int threads = 1, opt;
    while ((opt = getopt(argc, argv, "t:nqd:p:")) != -1) {
        if (opt == 't') threads = atoi(optarg);
        else if (opt == 'n') name_holders = 1;
        else if (opt == 'q') by_query = 1;
        else if (opt == 'd') shm_dir = optarg;
        else if (opt == 'p') proc_dir = optarg;
        else { fprintf(stderr, "usage: floor [-t THREADS] [-n] [-q] [-d SHM_DIR] [-p PROC]\n"); return 2; }
    }
    if (threads < 1) threads = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    struct statx root;
    if (statx(AT_FDCWD, shm_dir, 0, STATX_BASIC_STATS, &root) != 0) { perror(shm_dir); return 1; }
    shm_major = root.stx_dev_major;
    shm_minor = root.stx_dev_minor;
    shm_dev_len = (size_t)snprintf(shm_dev, sizeof shm_dev, "%02x:%02x", shm_major, shm_minor);
    proc_fd = open(proc_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0) { perror(proc_dir); return 1; }

    struct counts *c = calloc((size_t)threads, sizeof *c);
    pthread_t *th = calloc((size_t)threads, sizeof *th);
    if (threads == 1) {
        list_shm(&c[0]);
        read_sysv(&c[0]);
        list_pids();
        proc_pass(&c[0]);
    } else {
        /* The pid list is read while the listing already runs; the others start once it is in. */
        pthread_create(&th[0], NULL, first_worker, &c[0]);
        list_pids();
        pthread_mutex_lock(&pids_lock);
        pids_ready = 1;
        pthread_cond_broadcast(&pids_cond);
        pthread_mutex_unlock(&pids_lock);
        for (int t = 1; t < threads; t++) pthread_create(&th[t], NULL, other_worker, &c[t]);
        for (int t = 0; t < threads; t++) pthread_join(th[t], NULL);
    }
    struct counts s = {0};
    for (int t = 0; t < threads; t++) {
        s.files += c[t].files; s.file_bytes += c[t].file_bytes; s.other_entries += c[t].other_entries;
        s.pids += c[t].pids; s.pids_unread += c[t].pids_unread; s.maps_bytes += c[t].maps_bytes;
        s.maps_lines += c[t].maps_lines; s.maps_matched += c[t].maps_matched; s.maps_sysv += c[t].maps_sysv;
        s.fds += c[t].fds; s.fds_matched += c[t].fds_matched; s.named += c[t].named; s.sysv_rows += c[t].sysv_rows;
        s.checksum += c[t].checksum;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("threads=%d wall_s=%.6f cpu_s=%.6f user_s=%.6f sys_s=%.6f maxrss_kb=%ld "
           "files=%ld file_bytes=%ld other_entries=%ld sysv_rows=%ld pids=%ld pids_unread=%ld maps_bytes=%ld "
           "maps_lines=%ld maps_matched=%ld maps_sysv=%ld fds=%ld fds_matched=%ld named=%ld checksum=%llu\n",
           threads, wall, seconds(ru.ru_utime) + seconds(ru.ru_stime), seconds(ru.ru_utime), seconds(ru.ru_stime),
           ru.ru_maxrss, s.files, s.file_bytes, s.other_entries, s.sysv_rows, s.pids, s.pids_unread, s.maps_bytes,
           s.maps_lines, s.maps_matched, s.maps_sysv, s.fds, s.fds_matched, s.named, (unsigned long long)s.checksum);
    return 0;
}
