/* Adversaries and users for the removal protocol's stress runs (tests and bench/cleanup).
 *
 *   shm_stress populate DIR PREFIX COUNT SIZE
 *       creates DIR/PREFIX0 .. DIR/PREFIX<COUNT-1>, SIZE bytes each (written, so resident);
 *       names that exist are left as they are (so it refills what a cleanup removed).
 *   shm_stress churn DIR PREFIX COUNT PARALLEL SECONDS
 *       until SECONDS pass (or stdin closes): keeps PARALLEL short-lived child processes going,
 *       each opening a random DIR/PREFIX<i> by name, mapping it, holding it 0-20 ms, and checking
 *       before it lets go that the segment still has a name (st_nlink > 0). Prints
 *       {"holds":H,"lost":L,"missed":M}: L = held segments unlinked while held (must be 0),
 *       M = opens that found no such name (removed, or parked for removal, before the open).
 *   shm_stress swap PATH
 *       opens and maps PATH read-only, prints {"pid":P,"inode":I}, then watches the name: as soon
 *       as it disappears it creates a new file under it (O_EXCL) and prints {"recreated":I2}.
 *       Exits when stdin closes.
 *   shm_stress truncate PATH OWNERPID SECONDS
 *       keeps rewriting PATH as a segment with a lease header (owner OWNERPID, state ALIVE) and
 *       truncating it to 0 again, until SECONDS pass; prints {"flips":N}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int stdin_closed(void)
{
    struct pollfd p = { .fd = 0, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0) return 0;
    char c;
    return read(0, &c, 1) <= 0;
}

static int populate(const char *dir, const char *prefix, long count, long size)
{
    char *buf = calloc(1, size > 0 ? size : 1);
    memset(buf, 7, size);
    char path[4096];
    for (long i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s%ld", dir, prefix, i);
        int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0) { perror(path); return 1; }
        if (write(fd, buf, size) != size) { perror("write"); return 1; }
        close(fd);
    }
    printf("{\"created\":%ld}\n", count);
    return 0;
}

/* One short-lived holder: 0 held and still named, 1 lost (unlinked while held), 2 missed. */
static int hold_one(const char *dir, const char *prefix, long count)
{
    char path[4096];
    srandom(getpid() ^ (unsigned)(now() * 1e6));
    snprintf(path, sizeof path, "%s/%s%ld", dir, prefix, random() % count);
    int fd = open(path, O_RDWR | O_NOFOLLOW);
    if (fd < 0) return 2;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0) return 2;
    void *m = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) return 2;
    usleep(random() % 20000);
    /* Opened by name, so the segment had a name then; it must still have one now. */
    int lost = fstat(fd, &st) == 0 && st.st_nlink == 0;
    munmap(m, st.st_size);
    close(fd);
    return lost ? 1 : 0;
}

static int churn(const char *dir, const char *prefix, long count, int parallel, double seconds)
{
    long holds = 0, lost = 0, missed = 0;
    int running = 0;
    double end = now() + seconds;
    while (now() < end && !stdin_closed()) {
        while (running < parallel) {
            pid_t pid = fork();
            if (pid == 0) _exit(hold_one(dir, prefix, count));
            if (pid > 0) running++;
            else break;
        }
        int status;
        pid_t done = wait(&status);
        if (done <= 0) continue;
        running--;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
        if (code == 0) holds++;
        else if (code == 1) { holds++; lost++; }
        else missed++;
    }
    while (running > 0) {
        int status;
        if (wait(&status) <= 0) break;
        running--;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
        if (code == 0) holds++;
        else if (code == 1) { holds++; lost++; }
        else missed++;
    }
    printf("{\"holds\":%ld,\"lost\":%ld,\"missed\":%ld}\n", holds, lost, missed);
    return 0;
}

static int swap(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) { perror(path); return 1; }
    struct stat st;
    fstat(fd, &st);
    void *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    printf("{\"pid\":%d,\"inode\":%lu}\n", getpid(), (unsigned long)st.st_ino);
    fflush(stdout);
    int recreated = 0;
    while (!stdin_closed()) {
        struct stat now_st;
        if (!recreated && lstat(path, &now_st) != 0 && errno == ENOENT) {
            int nfd = open(path, O_CREAT | O_EXCL | O_RDWR, 0600);
            if (nfd >= 0) {
                struct stat ns;
                write(nfd, "new", 3);
                fstat(nfd, &ns);
                close(nfd);
                recreated = 1;
                printf("{\"recreated\":%lu}\n", (unsigned long)ns.st_ino);
                fflush(stdout);
            }
        }
        if (recreated) usleep(1000);
    }
    return 0;
}

static int truncate_attack(const char *path, int owner, double seconds)
{
    unsigned char header[4096] = { 0 };
    memcpy(header, "SHMLEASE", 8);
    uint32_t version = 1, state = 1, pid = (uint32_t)owner;
    memcpy(header + 8, &version, 4);
    memcpy(header + 12, &state, 4);
    memcpy(header + 16, &pid, 4);
    long flips = 0;
    double end = now() + seconds;
    while (now() < end && !stdin_closed()) {
        int fd = open(path, O_CREAT | O_RDWR | O_NOFOLLOW, 0644);
        if (fd < 0) { usleep(1000); continue; }
        if (pwrite(fd, header, sizeof header, 0) != (ssize_t)sizeof header) { close(fd); continue; }
        usleep(200);
        ftruncate(fd, 0);
        close(fd);
        flips++;
    }
    printf("{\"flips\":%ld}\n", flips);
    return 0;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 6 && !strcmp(argv[1], "populate")) return populate(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
    if (argc == 7 && !strcmp(argv[1], "churn")) return churn(argv[2], argv[3], atol(argv[4]), atoi(argv[5]), atof(argv[6]));
    if (argc == 3 && !strcmp(argv[1], "swap")) return swap(argv[2]);
    if (argc == 5 && !strcmp(argv[1], "truncate")) return truncate_attack(argv[2], atoi(argv[3]), atof(argv[4]));
    fprintf(stderr, "usage: see the comment at the top of shm_stress.c\n");
    return 2;
}
