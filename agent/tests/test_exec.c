/* The exec child's spawn without a copy of the agent (spawn_session_shared + exec_child_main):
 * what the child reports (errno before the exec, 126/127 and a shell's line after it), the
 * PATH it searches (its own), its environment (the request's over the base, one entry per
 * name), and the state it starts in (its own session, no blocked or ignored signals, whatever
 * the agent inherited; the forking spawn of shells and services alike). */
#define _GNU_SOURCE
#include "check.h"
#include "exec_child.h"
#include "request.h"
#include "spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
    pid_t pid;
    int err, in_child, status;
    char out[4096], errout[1024];
};

static void read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
}

/* Runs argv with envp in dir, stdin /dev/null (or cwdfd/out overridden to break the setup). */
static void run(struct run *r, char *const *argv, char *const *envp, const char *path, int cwdfd, int bad_out)
{
    int po[2], pe[2];
    memset(r, 0, sizeof *r);
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
        CHECK(!"pipes");
        return;
    }
    struct exec_child c = { argv, envp, path, cwdfd, -1, bad_out ? -1 : po[1], pe[1] };
    r->pid = spawn_session_shared(exec_child_main, &c, &r->err, &r->in_child);
    close(po[1]);
    close(pe[1]);
    read_all(po[0], r->out, sizeof r->out);
    read_all(pe[0], r->errout, sizeof r->errout);
    close(po[0]);
    close(pe[0]);
    if (r->pid > 0)
        waitpid(r->pid, &r->status, 0);
}

static int exited(const struct run *r, int code)
{
    return r->pid > 0 && WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
        close(fd);
    }
    CHECK(chmod(path, mode) == 0);
}

static void test_exec_outcomes(int dirfd, const char *dir)
{
    char *env[] = { "PATH=/usr/bin:/bin", "LANG=C", NULL };
    struct run r;

    char *t[] = { "true", NULL };
    run(&r, t, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 0) && r.errout[0] == 0);

    /* before the exec: the child's errno, the child reaped */
    run(&r, t, env, "/usr/bin:/bin", -1, 0);
    CHECK(r.pid == -1 && r.in_child == 1 && r.err == EBADF);
    CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
    run(&r, t, env, "/usr/bin:/bin", dirfd, 1);
    CHECK(r.pid == -1 && r.in_child == 1 && r.err == EBADF);

    /* after it: a result, as in a shell */
    char *missing[] = { "no-such-program-xyz", NULL };
    run(&r, missing, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 127) && !strcmp(r.errout, "pyro: no-such-program-xyz: command not found\n"));
    char *empty[] = { "", NULL };
    run(&r, empty, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 127) && !strcmp(r.errout, "pyro: : command not found\n"));
    char *slash[] = { "./nothing-here", NULL };
    run(&r, slash, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 127) && !strcmp(r.errout, "pyro: ./nothing-here: No such file or directory\n"));
    char *isdir[] = { "./sub", NULL };
    run(&r, isdir, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 126) && !strcmp(r.errout, "pyro: ./sub: Is a directory\n"));
    char *noexec[] = { "./plain", NULL };
    run(&r, noexec, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 126) && !strcmp(r.errout, "pyro: ./plain: Permission denied\n"));

    /* a name longer than NAME_MAX: ENAMETOOLONG; a line cut at 511 bytes, still one line */
    char longname[600];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    char *huge[] = { longname, NULL };
    run(&r, huge, env, "/usr/bin:/bin", dirfd, 0);
    CHECK(exited(&r, 126) && strlen(r.errout) == 511 && r.errout[510] == '\n' && !strncmp(r.errout, "pyro: xxx", 9));

    /* the child's PATH, not the agent's: EACCES in an entry goes on to the next one; with
     * nothing runnable EACCES wins over ENOENT; an empty entry is the working directory */
    char path[512], only_denied[512];
    snprintf(path, sizeof path, "/nonexistent:%s/denied:%s/allowed", dir, dir);
    snprintf(only_denied, sizeof only_denied, "/nonexistent:%s/denied", dir);
    char *prog[] = { "prog", NULL };
    run(&r, prog, env, path, dirfd, 0);
    CHECK(exited(&r, 0) && !strcmp(r.out, "allowed\n"));
    run(&r, prog, env, only_denied, dirfd, 0);
    CHECK(exited(&r, 126) && !strcmp(r.errout, "pyro: prog: Permission denied\n"));
    run(&r, prog, env, "/nonexistent", dirfd, 0);
    CHECK(exited(&r, 127) && !strcmp(r.errout, "pyro: prog: command not found\n"));
    run(&r, t, env, NULL, dirfd, 0);   /* no PATH: musl's default */
    CHECK(exited(&r, 0));
    char *cwdprog[] = { "prog2", NULL };
    run(&r, cwdprog, env, ":/nonexistent", dirfd, 0);
    CHECK(exited(&r, 0) && !strcmp(r.out, "cwd\n"));
}

/* The child starts clean although the agent blocks and ignores signals: no blocked or
 * ignored signal (SIGPIPE, which the agent ignores itself, and SIGINT, SIGQUIT and SIGHUP,
 * which an agent started in the background or under nohup inherits ignored), a session of
 * its own, the environment given. */
struct forked_sh {
    char *const *argv;
    int out;
};

static int forked_sh_setup(void *arg)
{
    struct forked_sh *f = arg;
    char *env[] = { "PATH=/usr/bin:/bin", NULL };
    if (dup2(f->out, 1) != 1)
        return errno;
    execve("/bin/sh", f->argv, env);
    return errno;
}

static void test_exec_child_state(int dirfd)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    int inherited[] = { SIGPIPE, SIGINT, SIGQUIT, SIGHUP };
    void (*was[4])(int);
    for (int i = 0; i < 4; i++)
        was[i] = signal(inherited[i], SIG_IGN);
    spawn_signals_changed();
    char *argv[] = { "sh", "-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status; echo \"$A $B\"; "
                     "ps -o sid= -p $$ | tr -d ' '; echo $$", NULL };
    char *env[] = { "PATH=/usr/bin:/bin", "A=1", "B=2", NULL };
    struct run r;
    run(&r, argv, env, "/usr/bin:/bin", dirfd, 0);

    /* the forking spawn (shells, services) too */
    int po[2];
    CHECK(pipe2(po, O_CLOEXEC) == 0);
    char *forked_argv[] = { "sh", "-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status", NULL };
    struct forked_sh f = { forked_argv, po[1] };
    int err = 0, in_child = 0;
    pid_t fpid = spawn_session(forked_sh_setup, &f, &err, &in_child);
    close(po[1]);
    char forked[512];
    read_all(po[0], forked, sizeof forked);
    close(po[0]);
    if (fpid > 0)
        waitpid(fpid, NULL, 0);

    sigprocmask(SIG_SETMASK, &old, NULL);
    for (int i = 0; i < 4; i++)
        signal(inherited[i], was[i]);
    spawn_signals_changed();
    CHECK(exited(&r, 0));
    CHECK(strstr(r.out, "SigBlk:\t0000000000000000\n") != NULL);
    CHECK(strstr(r.out, "SigIgn:\t0000000000000000\n") != NULL);
    CHECK(fpid > 0 && !in_child);
    CHECK(strstr(forked, "SigBlk:\t0000000000000000\n") != NULL);
    CHECK(strstr(forked, "SigIgn:\t0000000000000000\n") != NULL);
    CHECK(strstr(r.out, "\n1 2\n") != NULL);
    /* ps may be missing: then only the pid line follows */
    char *last = strstr(r.out, "\n1 2\n") + 5, sid[32] = "", pid[32] = "";
    if (sscanf(last, "%31s %31s", sid, pid) == 2)
        CHECK(!strcmp(sid, pid));
}

static void test_exec_env(void)
{
    static char *base_env[] = { "PATH=/bin", "HOME=/root", "A=base", NULL };
    char **saved = environ;
    environ = base_env;
    struct request r;
    memset(&r, 0, sizeof r);
    char *req_env[] = { "A=one", "PATH=/req", "C=x", "A=two", NULL };
    r.env = req_env;
    r.envc = 4;
    const char *path = NULL;
    char **envp = exec_child_env(&r, &path);
    environ = saved;
    CHECK(envp != NULL);
    if (!envp)
        return;
    size_t n = 0;
    while (envp[n])
        n++;
    /* one entry per name, the request's last value winning */
    CHECK(n == 4);
    CHECK(n == 4 && !strcmp(envp[0], "HOME=/root") && !strcmp(envp[1], "PATH=/req") && !strcmp(envp[2], "C=x") &&
          !strcmp(envp[3], "A=two"));
    CHECK(path && !strcmp(path, "/req"));
    free(envp);

    environ = (char *[]){ "HOME=/root", NULL };
    r.envc = 0;
    envp = exec_child_env(&r, &path);
    environ = saved;
    CHECK(envp && envp[0] && !strcmp(envp[0], "HOME=/root") && !envp[1] && path == NULL);
    free(envp);
}

void test_exec(void)
{
    char dir[] = "/tmp/pyro-exec-test-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char p[256];
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/plain", dir);
    put_file(p, "#!/bin/sh\necho plain\n", 0644);
    snprintf(p, sizeof p, "%s/denied", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/denied/prog", dir);
    put_file(p, "#!/bin/sh\necho denied\n", 0644);
    snprintf(p, sizeof p, "%s/allowed", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/allowed/prog", dir);
    put_file(p, "#!/bin/sh\necho allowed\n", 0755);
    snprintf(p, sizeof p, "%s/prog2", dir);
    put_file(p, "#!/bin/sh\necho cwd\n", 0755);
    int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(dirfd >= 0);
    test_exec_outcomes(dirfd, dir);
    test_exec_child_state(dirfd);
    test_exec_env();
    close(dirfd);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}
