/* A holder whose main thread exits while another thread keeps the process alive: /proc/PID/maps
 * and /proc/PID/fd then show nothing; only the other thread's task entries do.
 *
 *   leader_exits open PATH map|mapfd   opens PATH, maps it shared, and closes the descriptor
 *                                      (map) or keeps it (mapfd)
 *   leader_exits grab PID FD           takes a copy of descriptor FD of process PID
 *                                      (pidfd_getfd: root or ptrace rights), maps it, closes it
 *
 * Prints {"pid":P} when holding, then the main thread exits; the process ends when stdin closes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *wait_for_stdin(void *arg)
{
    (void)arg;
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {}
    exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: leader_exits open PATH map|mapfd | grab PID FD\n"); return 2; }
    int fd;
    int keep = 0;
    if (strcmp(argv[1], "open") == 0) {
        fd = open(argv[2], O_RDWR);
        keep = strcmp(argv[3], "mapfd") == 0;
    } else {
        int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0);
        if (pidfd < 0) { perror("pidfd_open"); return 1; }
        fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(argv[3]), 0);
        close(pidfd);
    }
    if (fd < 0) { perror("open"); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) { perror("fstat"); return 1; }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    if (!keep) close(fd);
    pthread_t t;
    if (pthread_create(&t, NULL, wait_for_stdin, NULL) != 0) return 1;
    printf("{\"pid\":%d}\n", getpid());
    fflush(stdout);
    pthread_exit(NULL);
}
