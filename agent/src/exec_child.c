/* The child's side of exec (see exec_child.h). */
#define _GNU_SOURCE
#include "exec_child.h"
#include "spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends src to dst[*n..cap) without overflowing (the child may not call snprintf). */
static void put_str(char *dst, size_t cap, size_t *n, const char *src)
{
    size_t l = strlen(src);
    if (l > cap - *n)
        l = cap - *n;
    memcpy(dst + *n, src, l);
    *n += l;
}

/* In the child, after the exec failed: say why on its stderr (already the stream's
 * channel 2) like a shell does, and give the shell's status: 127 when the program does
 * not exist, 126 when it exists but cannot be run (permission, a directory, not an
 * executable format). Callers can then tell it from a command that exited 1. The child
 * shares the agent's memory (spawn_session_shared): system calls and string copies only. */
static int report_exec_failure(const char *prog, int err)
{
    char msg[512];
    struct stat sb;
    const char *why = strerror(err);
    int status = err == ENOENT ? 127 : 126;
    if (err == ENOENT && !strchr(prog, '/'))
        why = "command not found";
    else if (err == EACCES && strchr(prog, '/') && stat(prog, &sb) == 0 && S_ISDIR(sb.st_mode))
        why = strerror(EISDIR);
    else if (err == ENOEXEC)
        why = "cannot execute: Exec format error";
    size_t n = 0;
    put_str(msg, sizeof msg - 2, &n, "pyro: ");
    put_str(msg, sizeof msg - 2, &n, prog);
    put_str(msg, sizeof msg - 2, &n, ": ");
    put_str(msg, sizeof msg - 2, &n, why);
    msg[n++] = '\n';   /* a huge name: cut at 511 bytes, but keep the line whole */
    ssize_t w = write(2, msg, n);
    (void)w;
    return status;
}

/* execvp with the child's own PATH (from envp, not the agent's environ), as musl does it: each
 * PATH entry in turn ("" is the current directory), ENOENT, ENOTDIR and EACCES go on to the
 * next, EACCES is reported if nothing ran. Returns the errno. */
static int exec_search(const char *file, char *const *argv, char *const *envp, const char *path)
{
    if (!file[0])
        return ENOENT;
    if (strchr(file, '/')) {
        execve(file, argv, envp);
        return errno;
    }
    size_t k = strnlen(file, NAME_MAX + 1);
    if (k > NAME_MAX)
        return ENAMETOOLONG;
    if (!path)
        path = "/usr/local/bin:/bin:/usr/bin";
    char b[PATH_MAX + NAME_MAX + 2];
    int seen_eacces = 0, e = ENOENT;
    for (const char *p = path;;) {
        const char *z = strchrnul(p, ':');
        size_t l = (size_t)(z - p);
        if (l < PATH_MAX) {
            memcpy(b, p, l);
            b[l] = '/';
            memcpy(b + l + (l > 0), file, k + 1);
            execve(b, argv, envp);
            e = errno;
            if (e == EACCES)
                seen_eacces = 1;
            else if (e != ENOENT && e != ENOTDIR)
                return e;
        }
        if (!*z)
            break;
        p = z + 1;
    }
    return seen_eacces ? EACCES : e;
}

/* in the child (sharing the agent's memory): cwd, stdio, then exec; returns the errno on failure */
int exec_child_main(void *arg)
{
    struct exec_child *c = arg;
    if (fchdir(c->cwdfd) != 0)
        return errno;
    int in = c->in >= 0 ? c->in : open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, 0) < 0 || dup2(c->out, 1) < 0 || dup2(c->err, 2) < 0)
        return errno;
    int e = exec_search(c->argv[0], c->argv, c->envp, c->path);
    /* the command itself is missing or unusable: a result, as in a shell */
    spawn_child_exit(report_exec_failure(c->argv[0], e));
    return e;   /* not reached */
}

static size_t env_name_len(const char *kv)
{
    const char *eq = strchr(kv, '=');
    return eq ? (size_t)(eq - kv) : strlen(kv);
}

static int same_name(const char *a, const char *b)
{
    size_t l = env_name_len(a);
    return l == env_name_len(b) && !memcmp(a, b, l);
}

/* The child's environment: the agent's (the base of exec_set_base_env) with the request's
 * variables over it, later ones winning, as putenv() one after the other gave it. The strings
 * stay the agent's and the request's; only the array is new (free it). *path: PATH's value. */
char **exec_child_env(const struct request *r, const char **path)
{
    size_t base = 0;
    while (environ[base])
        base++;
    char **envp = malloc((base + r->envc + 1) * sizeof *envp);
    if (!envp)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < base; i++) {
        size_t j = 0;
        while (j < r->envc && !same_name(environ[i], r->env[j]))
            j++;
        if (j == r->envc)
            envp[n++] = environ[i];
    }
    for (size_t i = 0; i < r->envc; i++) {
        size_t j = i + 1;
        while (j < r->envc && !same_name(r->env[i], r->env[j]))
            j++;
        if (j == r->envc)
            envp[n++] = r->env[i];
    }
    envp[n] = NULL;
    *path = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strncmp(envp[i], "PATH=", 5))
            *path = envp[i] + 5;
    return envp;
}
