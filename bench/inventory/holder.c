/* Benchmark holder: creates COUNT files PREFIX<first..first+count-1> in DIR, maps each one,
 * starts THREADS-1 idle threads (as training workers have), prints "ready", and waits. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static void *idle(void *arg) { (void)arg; for (;;) pause(); return NULL; }

int main(int argc, char **argv)
{
    if (argc != 6) { fprintf(stderr, "usage: holder DIR PREFIX FIRST COUNT THREADS\n"); return 2; }
    const char *dir = argv[1], *prefix = argv[2];
    int first = atoi(argv[3]), count = atoi(argv[4]), threads = atoi(argv[5]);
    char path[4096];
    for (int i = first; i < first + count; i++) {
        snprintf(path, sizeof path, "%s/%s%d", dir, prefix, i);
        int fd = open(path, O_CREAT | O_RDWR, 0600);
        if (fd < 0 || ftruncate(fd, 4096) != 0) { perror(path); return 1; }
        char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        p[0] = 1;
        close(fd);
    }
    for (int t = 1; t < threads; t++) {
        pthread_t th;
        pthread_create(&th, NULL, idle, NULL);
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}
