/* A child forked from the calling process that never execs: it holds copies of every descriptor
 * of the caller (also close-on-exec ones) until it is killed. With a path, the child also opens
 * that file itself with the given flags, a hold of its own, moved to descriptor at_fd when that
 * is not negative. With exec_after_ms not negative, the child execs /bin/true that long after it
 * is ready (which closes the close-on-exec copies), as a host's child starting a program does;
 * else it pauses until killed. The caller learns the child's pid once it is ready. */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int fork_paused(const char *open_path, int flags, int at_fd, int exec_after_ms)
{
    int ready[2];
    if (pipe(ready) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0)
    {
        close(ready[0]);
        if (open_path != NULL)
        {
            int fd = open(open_path, flags);
            if (fd < 0) _exit(3);
            if (at_fd >= 0 && (dup2(fd, at_fd) != at_fd || close(fd) != 0)) _exit(5);
        }
        if (write(ready[1], "x", 1) != 1) _exit(4);
        if (exec_after_ms >= 0)
        {
            usleep((useconds_t)exec_after_ms * 1000);
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        for (;;) pause();
    }
    close(ready[1]);
    char c;
    ssize_t n = read(ready[0], &c, 1);
    close(ready[0]);
    if (n != 1)
    {
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

int kill_and_reap(int pid)
{
    kill(pid, SIGKILL);
    return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}
