/* Runs one command and reports what it cost, from wait4 in this small parent:
 *   wall_s=... cpu_s=... user_s=... sys_s=... maxrss_kb=... status=...
 * written to REPORT (the command's stdout and stderr are left as given).
 *
 * Why not wait4 in the harness itself: Linux folds the peak RSS of the memory a process
 * replaces at exec into its ru_maxrss, so a command started straight from the Python harness
 * reports at least the harness's own peak. Forked from this program, a command's ru_maxrss is
 * its own (this program's peak is a few hundred KiB). CPU includes every thread of the
 * command and the children it waited for.
 *
 * Usage: measure REPORT CMD [ARGS...]                          build: gcc -O2
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: measure REPORT CMD [ARGS...]\n"); return 2; }
    FILE *report = fopen(argv[1], "w");
    if (!report) { perror(argv[1]); return 2; }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        fclose(report);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) { perror("wait4"); return 2; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(report, "wall_s=%.6f cpu_s=%.6f user_s=%.6f sys_s=%.6f maxrss_kb=%ld status=%d\n", wall,
            seconds(ru.ru_utime) + seconds(ru.ru_stime), seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss,
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    fclose(report);
    return 0;
}
