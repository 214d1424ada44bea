#define _GNU_SOURCE
#include "spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t spawn_session(int (*setup)(void *arg), void *arg, int *err, int *in_child)
{
    int px[2];
    *in_child = 0;
    if (pipe2(px, O_CLOEXEC) != 0) {
        *err = errno;
        return -1;
    }
    static pid_t parent;   /* the agent's pid never changes: one getpid() for all spawns */
    if (!parent)
        parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        setsid();
        /* if the agent dies without cleaning up (SIGKILL in development mode),
         * do not leave the direct child running */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int e = setup(arg);
        ssize_t w = write(px[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    *err = errno;
    close(px[1]);
    if (pid < 0) {
        close(px[0]);
        return -1;
    }
    int child_err = 0;
    ssize_t got;
    do
        got = read(px[0], &child_err, sizeof child_err);   /* 0 bytes: the exec closed it (CLOEXEC) */
    while (got < 0 && errno == EINTR);
    close(px[0]);
    if (got == (ssize_t)sizeof child_err) {
        waitpid(pid, NULL, 0);
        *err = child_err;
        *in_child = 1;
        return -1;
    }
    return pid;
}
