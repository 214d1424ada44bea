#define _GNU_SOURCE
#include "spawn.h"
#include "xtrace.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#define PYRO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PYRO_ASAN 1
#endif
#endif
#ifdef PYRO_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* The signals the agent's own process ignores, besides SIGPIPE (which it ignores itself and
 * every child resets): whatever it inherited ignored, e.g. SIGINT and SIGQUIT when it was
 * started as a background job of a non-interactive shell (development mode: a test run with
 * `&`), SIGHUP under nohup. A command must start with every signal at its default wherever
 * the agent came from, or a shell's `signal INT` to its foreground job is silently lost. Read
 * once, in the agent, at its first spawn: the agent itself never ignores another signal. */
static int ignored[64];
static int n_ignored = -1;

static void note_ignored(void)
{
    if (n_ignored >= 0)
        return;
    n_ignored = 0;
    for (int sig = 1; sig <= 64; sig++) {
        /* the raw call: libc refuses its reserved signals (32 and 33 under glibc), which
         * can be inherited ignored all the same; the handler is the kernel struct's first word */
        struct { unsigned long words[4]; } old = { { 0, 0, 0, 0 } };
        if (sig == SIGKILL || sig == SIGSTOP || sig == SIGPIPE || syscall(SYS_rt_sigaction, sig, NULL, &old, 8) != 0)
            continue;
        if (old.words[0] == (unsigned long)SIG_IGN)
            ignored[n_ignored++] = sig;
    }
}

/* In the child: every signal at its default, nothing blocked. The raw system call with a
 * zeroed kernel sigaction (SIG_DFL, no flags, empty mask: the same bytes on every
 * architecture): it touches no libc state, so it is safe in a child sharing the agent's
 * memory. Handlers the agent installed need nothing: exec resets them. */
void spawn_signals_changed(void)
{
    n_ignored = -1;
}

static void child_default_signals(void)
{
    struct { unsigned long words[4]; } dfl = { { 0, 0, 0, 0 } };
    syscall(SYS_rt_sigaction, SIGPIPE, &dfl, NULL, 8);
    for (int i = 0; i < n_ignored; i++)
        syscall(SYS_rt_sigaction, ignored[i], &dfl, NULL, 8);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

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
    note_ignored();
    pid_t pid = fork();
    if (pid == 0) {
        child_default_signals();
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
    XTRACE(XT_FORKED);
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

struct shared_child {
    int (*setup)(void *arg);
    void *arg;
    pid_t parent;
    volatile int err;   /* written by the child before it exits; read once it has */
};

/* On its own stack, in the agent's memory: only system calls and the caller's setup. */
static int shared_child_main(void *p)
{
    struct shared_child *c = p;
    /* dispositions are the child's own: CLONE_SIGHAND is not set */
    child_default_signals();
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != c->parent)
        spawn_child_exit(127);   /* the agent is gone */
    int e = c->setup(c->arg);
    c->err = e ? e : EINVAL;
    spawn_child_exit(127);
    return 127;   /* not reached */
}

void spawn_child_exit(int status)
{
    syscall(SYS_exit_group, status);   /* no loop: the compiler would infer noreturn */
}

pid_t spawn_session_shared(int (*setup)(void *arg), void *arg, int *err, int *in_child)
{
    /* one child at a time runs on it: the agent is single-threaded and waits for each */
    static _Alignas(16) unsigned char stack[64 * 1024];
    static pid_t parent;
    if (!parent)
        parent = getpid();
    note_ignored();
    struct shared_child c = { setup, arg, parent, 0 };
#ifdef PYRO_ASAN
    /* the last child left its frames' redzones poisoned: it never returned, it exec'd */
    ASAN_UNPOISON_MEMORY_REGION(stack, sizeof stack);
#endif
    *in_child = 0;
    pid_t pid = clone(shared_child_main, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &c);
    XTRACE(XT_FORKED);
    if (pid < 0) {
        *err = errno;
        return -1;
    }
    if (c.err) {
        waitpid(pid, NULL, 0);
        *err = c.err;
        *in_child = 1;
        return -1;
    }
    return pid;
}
