/* Maps as text against PROCMAP_QUERY (Linux 6.11+): the two ways to learn which processes map
 * files of the /dev/shm tmpfs. Five rounds over every process in /proc, each timing
 *   - text: read every /proc/PID/maps whole (1 MiB reads) and count its lines;
 *   - ioctl: one PROCMAP_QUERY per file-backed mapping (COVERING_OR_NEXT_VMA | FILE_BACKED_VMA,
 *     starting at address 0), counting those on the /dev/shm device; with "name" as argument,
 *     each query also asks for the mapping's path (needed for "(deleted)" names and /SYSV).
 * Prints one line per round. Run it where the holders are (bench.py's setup, or any host). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "procmap_query.h"


static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static int pids[1 << 16];
static char buf[1 << 20];

int main(int argc, char **argv)
{
    struct stat st;
    if (stat("/dev/shm", &st) != 0) { perror("/dev/shm"); return 1; }
    unsigned maj = major(st.st_dev), mnr = minor(st.st_dev);
    int with_name = argc > 1 && strcmp(argv[1], "name") == 0;
    char path[64], name[4096];
    for (int round = 0; round < 5; round++) {
        int np = 0;
        DIR *d = opendir("/proc");
        struct dirent *e;
        while ((e = readdir(d)) && np < (int)(sizeof pids / sizeof *pids))
            if (e->d_name[0] >= '0' && e->d_name[0] <= '9') pids[np++] = atoi(e->d_name);
        closedir(d);
        double t0 = now();
        long lines = 0;
        for (int i = 0; i < np; i++) {
            snprintf(path, sizeof path, "/proc/%d/maps", pids[i]);
            int fd = open(path, O_RDONLY);
            if (fd < 0) continue;
            ssize_t n;
            while ((n = read(fd, buf, sizeof buf)) > 0)
                for (ssize_t k = 0; k < n; k++) lines += buf[k] == '\n';
            close(fd);
        }
        double t1 = now();
        long vmas = 0, on_shm = 0;
        for (int i = 0; i < np; i++) {
            snprintf(path, sizeof path, "/proc/%d/maps", pids[i]);
            int fd = open(path, O_RDONLY);
            if (fd < 0) continue;
            for (uint64_t addr = 0;;) {
                struct procmap_query q;
                if (procmap_ask(fd, addr, COVERING_OR_NEXT_VMA | FILE_BACKED_VMA, with_name ? name : NULL, with_name ? sizeof name : 0, &q) < 0) {
                    if (errno == ENOTTY) { fprintf(stderr, "PROCMAP_QUERY: not in this kernel\n"); return 1; }
                    break; /* ENOENT: no mapping at or after addr */
                }
                vmas++;
                on_shm += q.dev_major == maj && q.dev_minor == mnr;
                addr = q.vma_end;
            }
            close(fd);
        }
        double t2 = now();
        printf("pids=%d text %.4f s (%ld lines)  ioctl%s %.4f s (%ld file-backed mappings, %ld on /dev/shm)  text/ioctl %.2f\n",
               np, t1 - t0, lines, with_name ? "+name" : "", t2 - t1, vmas, on_shm, (t1 - t0) / (t2 - t1));
    }
    return 0;
}
