#define _GNU_SOURCE
#include "shell.h"
#include "log.h"
#include "proc.h"
#include "secrets.h"
#include "spawn.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define KILL_GRACE_MS  250    /* after SIGHUP, before SIGKILL */
#define TOMBSTONE_MS   5000   /* a closed shell waits this long for its closer */
#define READ_SLICE     65536

static const struct resource_vtbl shell_vt;

/* ---------------- lookup ---------------- */

struct shell *shell_find(const char *id)
{
    struct resource *r = resource_find(&shell_vt, id);
    struct shell *sh = r ? r->state : NULL;
    return sh && (sh->state == SHELL_RUNNING || sh->state == SHELL_EXITED) ? sh : NULL;
}

struct shell *shell_of(struct resource *r, uint32_t gen)
{
    return r && r->in_use && r->gen == gen && r->vt == &shell_vt ? r->state : NULL;
}

struct shell *shell_nth(int i)
{
    int seen = 0;
    struct resource *r;
    for (int k = 0; (r = resource_nth(&shell_vt, k)) != NULL; k++) {
        struct shell *sh = r->state;
        if (sh->state != SHELL_RUNNING && sh->state != SHELL_EXITED)
            continue;
        if (seen++ == i)
            return sh;
    }
    return NULL;
}

int shell_count(void)
{
    int n = 0;
    while (shell_nth(n))
        n++;
    return n;
}

/* ---------------- output and input ---------------- */

static void hang_up(struct shell *sh)
{
    if (sh->master >= 0) {
        close(sh->master);
        sh->master = -1;
    }
}

/* Exited only once the process is reaped and all it wrote is in the ring (its
 * last output travels through the terminal after the exit), so a reader that
 * sees "exited" knows nothing more will come. */
static void maybe_exited(struct shell *sh)
{
    if (sh->state == SHELL_RUNNING && sh->reaped && sh->master < 0)
        sh->state = SHELL_EXITED;
}

static void ring_sink(void *ctx, const uint8_t *p, size_t n)
{
    ring_append(ctx, p, n);
}

/* reads what the terminal has into the ring (never blocks the shell on us),
 * through the redactor: a value split across reads is still caught */
static void drain(struct shell *sh)
{
    static uint8_t buf[READ_SLICE];
    for (int i = 0; i < 16 && sh->master >= 0; i++) {
        ssize_t n = read(sh->master, buf, sizeof buf);
        if (n > 0) {
            redactor_feed(&sh->red, secrets_current(), buf, (size_t)n, 0, ring_sink, &sh->out);
            sh->last_output_ms = now_ms();
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        /* the end: release what was held back as a possible start of a value */
        redactor_feed(&sh->red, secrets_current(), NULL, 0, 1, ring_sink, &sh->out);
        hang_up(sh);   /* EIO: no process holds the terminal any more */
        maybe_exited(sh);
    }
}

static void flush_input(struct shell *sh)
{
    while (sh->master >= 0 && sh->in_len > 0) {
        ssize_t w = write(sh->master, sh->inq + sh->in_off, sh->in_len);
        if (w > 0) {
            sh->in_off += (size_t)w;
            sh->in_len -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            break;
        sh->in_len = 0;   /* the terminal is gone: nobody will read it */
    }
    if (sh->in_len == 0)
        sh->in_off = 0;
}

size_t shell_input_room(const struct shell *sh)
{
    return SHELL_INPUT_QUEUE - sh->in_len;
}

void shell_input(struct shell *sh, const uint8_t *p, size_t n)
{
    if (!sh->inq && !(sh->inq = malloc(SHELL_INPUT_QUEUE)))
        return;   /* out of memory: the input is lost, like a full terminal */
    if (sh->in_off + sh->in_len + n > SHELL_INPUT_QUEUE) {
        memmove(sh->inq, sh->inq + sh->in_off, sh->in_len);
        sh->in_off = 0;
    }
    memcpy(sh->inq + sh->in_off + sh->in_len, p, n);
    sh->in_len += n;
    flush_input(sh);
}

int shell_drained(const struct shell *sh)
{
    return sh->state == SHELL_EXITED;
}

/* ---------------- control ---------------- */

long shell_signal(struct shell *sh, int sig)
{
    pid_t pg = sh->master >= 0 ? tcgetpgrp(sh->master) : -1;
    if (pg <= 0)
        pg = sh->pid;
    if (kill(-pg, sig) != 0)
        return -errno;
    return pg;
}

int shell_resize(struct shell *sh, int cols, int rows)
{
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    if (sh->master < 0)
        return -EIO;
    if (ioctl(sh->master, TIOCSWINSZ, &ws) != 0)
        return -errno;
    sh->cols = cols;
    sh->rows = rows;
    return 0;
}

static void closed(struct shell *sh)
{
    sh->state = SHELL_CLOSED;
    sh->drop_at = now_ms() + TOMBSTONE_MS;
    proc_signal_session(sh->pid, SIGKILL);   /* whatever ignored the hang-up */
    sh->kill_at = 0;
    hang_up(sh);
    free(sh->inq);
    sh->inq = NULL;
    sh->in_len = sh->in_off = 0;
    ring_free(&sh->out);   /* nobody can read it any more */
    redactor_free(&sh->red);
}

void shell_close(struct shell *sh)
{
    if (sh->state == SHELL_RUNNING && sh->reaped) {
        closed(sh);   /* ended, still draining: nothing left to hang up */
    } else if (sh->state == SHELL_RUNNING) {
        sh->state = SHELL_CLOSING;
        proc_signal_session(sh->pid, SIGHUP);
        hang_up(sh);   /* the terminal's hang-up reaches the foreground job too */
        sh->kill_at = now_ms() + KILL_GRACE_MS;
    } else if (sh->state == SHELL_EXITED) {
        closed(sh);
    }
}

void shell_drop(struct shell *sh)
{
    resource_free(sh->res);
}

void shell_status_json(struct jbuf *b, const struct shell *sh)
{
    static const char *names[] = { "running", "exited", "closing", "closed" };
    jb_raw(b, "\"state\":");
    jb_str(b, names[sh->state]);
    int ended = sh->reaped && sh->state != SHELL_RUNNING;
    jb_raw(b, ",\"exit_code\":");
    if (ended && WIFEXITED(sh->status))
        jb_i64(b, WEXITSTATUS(sh->status));
    else
        jb_raw(b, "null");
    jb_raw(b, ",\"signal\":");
    if (ended && WIFSIGNALED(sh->status))
        jb_i64(b, WTERMSIG(sh->status));
    else
        jb_raw(b, "null");
}

/* ---------------- resource hooks ---------------- */

static int sh_add_pollfds(struct resource *r, struct pollfd *pfd, int *tags, int max)
{
    struct shell *sh = r->state;
    if (sh->master < 0 || max < 1)
        return 0;
    pfd[0].fd = sh->master;
    pfd[0].events = (short)(POLLIN | (sh->in_len ? POLLOUT : 0));
    tags[0] = 0;
    return 1;
}

static void sh_on_poll(struct resource *r, int tag, short revents)
{
    struct shell *sh = r->state;
    (void)tag;
    if (revents & POLLOUT)
        flush_input(sh);
    if (revents & (POLLIN | POLLHUP | POLLERR))
        drain(sh);
}

static uint64_t sh_deadline(struct resource *r)
{
    struct shell *sh = r->state;
    return sh->state == SHELL_CLOSED ? sh->drop_at : sh->kill_at;
}

static void sh_on_timer(struct resource *r, uint64_t now)
{
    struct shell *sh = r->state;
    if (sh->state == SHELL_CLOSED) {
        if (now >= sh->drop_at)
            resource_free(r);   /* the closer went away without collecting */
        return;
    }
    if (sh->kill_at && now >= sh->kill_at) {
        LOGD("shell %s: SIGKILL to what is left of session %d", r->id, (int)sh->pid);
        proc_signal_session(sh->pid, SIGKILL);
        sh->kill_at = 0;
    }
}

static void sh_on_child(struct resource *r, pid_t pid, int status)
{
    struct shell *sh = r->state;
    if (pid != sh->pid || sh->reaped)
        return;
    sh->reaped = 1;
    sh->status = status;
    LOGD("shell %s: pid %d ended (status 0x%x)", r->id, (int)pid, status);
    if (sh->state == SHELL_CLOSING) {
        closed(sh);
        return;
    }
    drain(sh);
    maybe_exited(sh);
    /* the session ends with its leader: jobs left behind get the hang-up, then SIGKILL */
    if (proc_signal_session(sh->pid, SIGHUP) > 0)
        sh->kill_at = now_ms() + KILL_GRACE_MS;
}

static void sh_destroy(struct resource *r)
{
    struct shell *sh = r->state;
    if (!sh->reaped) {
        proc_signal_session(sh->pid, SIGKILL);
        kill(sh->pid, SIGKILL);
        /* SIGKILLed: the reap is immediate unless the kernel holds it (then init gets it) */
        for (int i = 0; i < 100 && waitpid(sh->pid, NULL, WNOHANG) == 0; i++)
            usleep(1000);
    } else if (sh->kill_at) {
        proc_signal_session(sh->pid, SIGKILL);
    }
    hang_up(sh);
    ring_free(&sh->out);
    redactor_free(&sh->red);
    free(sh->inq);
    free(sh->argv_json);
    free(sh);
    r->state = NULL;
}

static pid_t sh_session(struct resource *r)
{
    return ((struct shell *)r->state)->pid;
}

static const struct resource_vtbl shell_vt = {
    .kind = "shell",
    .add_pollfds = sh_add_pollfds,
    .on_poll = sh_on_poll,
    .deadline = sh_deadline,
    .on_timer = sh_on_timer,
    .on_child = sh_on_child,
    .destroy = sh_destroy,
    .session = sh_session,
};

/* ---------------- spawning ---------------- */

static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    char buf[4096];
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n && n + strlen(name) + 2 < sizeof buf) {
            snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, name);
            if (access(buf, X_OK) == 0)
                return 1;
        }
        path += n + (path[n] == ':');
    }
    return 0;
}

struct child_setup {
    const char *slave;
    char **argv, **env;
    int cwdfd;
};

/* in the child (leading its own session): the PTY becomes its controlling terminal */
static int child_setup(void *arg)
{
    struct child_setup *c = arg;
    int fd = open(c->slave, O_RDWR);   /* the first terminal a session leader opens is its own */
    if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) != 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
        return errno;
    if (fd > 2)
        close(fd);
    if (fchdir(c->cwdfd) != 0)
        return errno;
    setenv("TERM", "xterm-256color", 1);
    for (size_t i = 0; c->env && c->env[i]; i++)
        putenv(c->env[i]);
    execvp(c->argv[0], c->argv);
    return errno;
}

struct shell *shell_spawn(char **argv, char **env, int cwdfd, int cols, int rows, const char **code,
                          char *err, size_t errsz)
{
    static char *bash[] = { "bash", "-l", NULL }, *sh[] = { "sh", NULL };
    if (!argv)
        argv = in_path("bash") ? bash : sh;
    *code = "exec_failed";
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    char slave[128];
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
        ptsname_r(master, slave, sizeof slave) != 0 || ioctl(master, TIOCSWINSZ, &ws) != 0) {
        snprintf(err, errsz, "cannot create a terminal: %s", strerror(errno));
        if (master >= 0)
            close(master);
        return NULL;
    }
    struct child_setup cs = { slave, argv, env, cwdfd };
    int e, in_child;
    pid_t pid = spawn_session(child_setup, &cs, &e, &in_child);
    if (pid < 0) {
        close(master);
        snprintf(err, errsz, "%s: %s", in_child ? argv[0] : "fork", strerror(e));
        return NULL;
    }
    set_nonblock(master);
    struct shell *s = calloc(1, sizeof *s);
    struct resource *r = s && ring_init(&s->out, SHELL_RING_BYTES) == 0 ? resource_new(&shell_vt, s) : NULL;
    if (!r) {
        kill(pid, SIGKILL);   /* reaped by the loop; its session dies with it (PTY hang-up) */
        close(master);
        if (s)
            ring_free(&s->out);
        free(s);
        *code = "internal";
        snprintf(err, errsz, "out of memory for a shell");
        return NULL;
    }
    s->res = r;
    s->pid = pid;
    s->master = master;
    s->cols = cols;
    s->rows = rows;
    s->state = SHELL_RUNNING;
    s->argv_json = json_argv_array(argv);
    LOGD("shell %s: %s as pid %d on %s (%dx%d)", r->id, argv[0], (int)pid, slave, cols, rows);
    return s;
}
