#define _GNU_SOURCE
#include "service.h"
#include "json.h"
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_GRACE_MS    500     /* leader gone: TERM to what is left, KILL after this */
#define NOT_READY_GRACE  1000    /* readiness failed: TERM, KILL after this */
#define GIVE_UP_MS       5000    /* after the KILL: settle even if something survives */
#define CHECK_EVERY_MS   20      /* while ending: is the session empty yet? */
#define READ_CHUNK       16384

enum { TAG_OUT = 0, TAG_ERR = 1, TAG_PROBE = 2 };

static const struct resource_vtbl service_vt;
static uint8_t g_chunk[READ_CHUNK];

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---------------- names, states, lookup ---------------- */

const char *service_state_name(int state)
{
    static const char *names[] = { "starting", "ready", "running", "exited", "failed", "stopped" };
    return state >= SVC_STARTING && state <= SVC_STOPPED ? names[state] : "unknown";
}

int service_live(const struct service *sv)
{
    return sv->state == SVC_STARTING || sv->state == SVC_READY || sv->state == SVC_RUNNING;
}

struct service *service_nth(int i)
{
    struct resource *r = resource_nth(&service_vt, i);
    return r ? r->state : NULL;
}

int service_count(void)
{
    return resource_count(&service_vt);
}

struct service *service_find(const char *name)
{
    struct service *sv;
    for (int i = 0; (sv = service_nth(i)) != NULL; i++)
        if (!strcmp(sv->name, name))
            return sv;
    return NULL;
}

struct service *service_of(struct resource *r, uint32_t gen)
{
    return r && r->in_use && r->gen == gen && r->vt == &service_vt ? r->state : NULL;
}

struct service *service_oldest_ended(void)
{
    struct service *sv;
    for (int i = 0; (sv = service_nth(i)) != NULL; i++)
        if (!service_live(sv) && sv->settled)
            return sv;
    return NULL;
}

/* ---------------- output ---------------- */

static void close_pipe(struct service *sv, int i)
{
    if (sv->fd[i] >= 0) {
        close(sv->fd[i]);
        sv->fd[i] = -1;
    }
}

struct log_sink {
    struct svclog *log;
    int stream;
};

static void log_sink(void *ctx, const uint8_t *p, size_t n)
{
    struct log_sink *k = ctx;
    svclog_append(k->log, k->stream, p, n);
}

/* what the pipe has into the log, through the pipe's redactor; closes it at EOF
 * (never blocks the service on us) */
static void drain(struct service *sv, int i)
{
    struct log_sink k = { &sv->log, i == TAG_OUT ? SVCLOG_STDOUT : SVCLOG_STDERR };
    for (int iter = 0; iter < 16 && sv->fd[i] >= 0; iter++) {
        ssize_t n = read(sv->fd[i], g_chunk, sizeof g_chunk);
        if (n > 0) {
            redactor_feed(&sv->red[i], secrets_current(), g_chunk, (size_t)n, 0, log_sink, &k);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        redactor_feed(&sv->red[i], secrets_current(), NULL, 0, 1, log_sink, &k);
        close_pipe(sv, i);
    }
}

/* ---------------- ending ---------------- */

static void signal_all(struct service *sv, int sig)
{
    if (sv->pid <= 0)
        return;
    proc_signal_session(sv->pid, sig);
    kill(-sv->pid, sig);   /* the group too, in case /proc is not readable */
}

/* TERM (or KILL) to the session now, KILL after grace_ms */
static void begin_end(struct service *sv, int ending, uint64_t grace_ms)
{
    uint64_t now = now_ms();
    sv->ending = ending;
    probe_cancel(&sv->probe);
    signal_all(sv, grace_ms ? SIGTERM : SIGKILL);
    sv->kill_at = grace_ms ? now + grace_ms : 0;
    sv->give_up_at = now + grace_ms + GIVE_UP_MS;
    if (sv->reaped)
        sv->check_at = now;
}

static void exit_text(char *out, size_t n, int status, const char *suffix)
{
    if (WIFEXITED(status))
        snprintf(out, n, "exited with code %d%s", WEXITSTATUS(status), suffix);
    else
        snprintf(out, n, "killed by signal %d%s", WTERMSIG(status), suffix);
}

/* the leader was reaped: the state it ends in and why */
static void leader_ended(struct service *sv)
{
    sv->ended_at = wall_ms();
    if (sv->ending == END_STOP) {
        sv->state = SVC_STOPPED;
        snprintf(sv->reason, sizeof sv->reason, "stopped");
    } else if (sv->ending == END_NOT_READY) {
        sv->state = SVC_FAILED;   /* the reason was set when the check gave up */
    } else if (sv->state == SVC_STARTING) {
        sv->state = SVC_FAILED;
        exit_text(sv->reason, sizeof sv->reason, sv->status, " before it was ready");
    } else {
        int clean = WIFEXITED(sv->status) && WEXITSTATUS(sv->status) == 0;
        sv->state = clean ? SVC_EXITED : SVC_FAILED;
        exit_text(sv->reason, sizeof sv->reason, sv->status, "");
    }
    probe_cancel(&sv->probe);
    uint64_t now = now_ms();
    if (!sv->ending) {
        /* what the leader left behind in its session ends with it */
        if (proc_signal_session(sv->pid, SIGTERM) > 0) {
            sv->kill_at = now + EXIT_GRACE_MS;
            sv->give_up_at = now + EXIT_GRACE_MS + GIVE_UP_MS;
        } else {
            sv->give_up_at = now + GIVE_UP_MS;
        }
    }
    sv->check_at = now;
}

/* once the session is empty nobody can write to the pipes any more (but a process
 * that left the session with setsid() may still hold them: do not wait for EOF) */
static void check_settled(struct service *sv, uint64_t now)
{
    int left = proc_signal_session(sv->pid, 0);
    if (left > 0 && now < sv->give_up_at) {
        sv->check_at = now + CHECK_EVERY_MS;
        return;
    }
    if (left > 0) {
        size_t n = strlen(sv->reason);
        snprintf(sv->reason + n, sizeof sv->reason - n, " (%d process%s of its session could not be killed)", left,
                 left == 1 ? "" : "es");
        LOGE("service %s: %d processes survive SIGKILL", sv->name, left);
    }
    for (int i = 0; i < 2; i++) {
        drain(sv, i);
        if (sv->fd[i] >= 0) {
            /* the log is complete now: release what was held back as a possible value start */
            struct log_sink k = { &sv->log, i == TAG_OUT ? SVCLOG_STDOUT : SVCLOG_STDERR };
            redactor_feed(&sv->red[i], secrets_current(), NULL, 0, 1, log_sink, &k);
        }
        close_pipe(sv, i);
    }
    sv->settled = 1;
    sv->check_at = sv->kill_at = sv->give_up_at = 0;
    LOGD("service %s settled: %s", sv->name, sv->reason);
}

void service_stop(struct service *sv, uint64_t timeout_ms)
{
    if (!service_live(sv))
        return;
    if (sv->ending == END_STOP) {
        /* a second stop may only hurry the first one */
        uint64_t at = now_ms() + timeout_ms;
        if (!timeout_ms)
            signal_all(sv, SIGKILL);
        if (sv->kill_at && at < sv->kill_at)
            sv->kill_at = timeout_ms ? at : 0;
        return;
    }
    begin_end(sv, END_STOP, timeout_ms);
}

/* ---------------- readiness ---------------- */

static void became_ready(struct service *sv)
{
    sv->state = SVC_READY;
    sv->ready_at = wall_ms();
    sv->next_probe = 0;
    LOGD("service %s ready after %u check(s)", sv->name, sv->probe.attempts);
}

static void probe_result(struct service *sv, int rc)
{
    if (rc == PROBE_OK && sv->state == SVC_STARTING && !sv->ending)
        became_ready(sv);
}

static int probing(const struct service *sv)
{
    return sv->state == SVC_STARTING && !sv->ending && !sv->reaped && sv->probe.kind != PROBE_NONE;
}

static int attempt_running(const struct service *sv)
{
    return sv->probe.fd >= 0 || sv->probe.pid;
}

/* the next attempt is due one interval after this one started (or as soon as a slow
 * one ended); an attempt may take until the readiness deadline */
static void probe_now(struct service *sv, uint64_t now)
{
    sv->next_probe = now + sv->ready_interval_ms;
    probe_result(sv, probe_attempt(&sv->probe, sv->cwdfd, sv->env, sv->ready_deadline - now));
}

static void not_ready(struct service *sv)
{
    snprintf(sv->reason, sizeof sv->reason, "not ready within %llu ms (%u check%s; last: %s)",
             (unsigned long long)sv->ready_timeout_ms, sv->probe.attempts, sv->probe.attempts == 1 ? "" : "s",
             sv->probe.error[0] ? sv->probe.error : "still running");
    LOGD("service %s: %s", sv->name, sv->reason);
    begin_end(sv, END_NOT_READY, NOT_READY_GRACE);
}

/* ---------------- resource hooks ---------------- */

static int sv_add_pollfds(struct resource *r, struct pollfd *pfd, int *tags, int max)
{
    struct service *sv = r->state;
    int n = 0;
    for (int i = 0; i < 2 && n < max; i++)
        if (sv->fd[i] >= 0) {
            pfd[n].fd = sv->fd[i];
            pfd[n].events = POLLIN;
            tags[n++] = i;
        }
    short ev;
    int pf = probing(sv) ? probe_pollfd(&sv->probe, &ev) : -1;
    if (pf >= 0 && n < max) {
        pfd[n].fd = pf;
        pfd[n].events = ev;
        tags[n++] = TAG_PROBE;
    }
    return n;
}

static void sv_on_poll(struct resource *r, int tag, short revents)
{
    struct service *sv = r->state;
    (void)revents;
    if (tag == TAG_PROBE) {
        if (probing(sv))
            probe_result(sv, probe_on_poll(&sv->probe));
        return;
    }
    drain(sv, tag);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : MIN(a, b);
}

static uint64_t sv_deadline(struct resource *r)
{
    struct service *sv = r->state;
    uint64_t d = 0;
    if (probing(sv))
        d = earliest(sv->ready_deadline, attempt_running(sv) ? sv->probe.attempt_until : sv->next_probe);
    d = earliest(d, sv->kill_at);
    d = earliest(d, sv->check_at);
    return earliest(d, sv->ending && !sv->settled ? sv->give_up_at : 0);
}

static void sv_on_timer(struct resource *r, uint64_t now)
{
    struct service *sv = r->state;
    if (probing(sv) && now >= sv->ready_deadline)
        not_ready(sv);
    if (probing(sv) && attempt_running(sv))
        probe_result(sv, probe_on_timer(&sv->probe, now));
    if (probing(sv) && !attempt_running(sv) && now >= sv->next_probe)
        probe_now(sv, now);
    if (sv->kill_at && now >= sv->kill_at) {
        LOGD("service %s: SIGKILL to what is left of session %d", sv->name, (int)sv->pid);
        signal_all(sv, SIGKILL);
        sv->kill_at = 0;
    }
    if (sv->reaped && !sv->settled && ((sv->check_at && now >= sv->check_at) || now >= sv->give_up_at))
        check_settled(sv, now);
}

static void sv_on_child(struct resource *r, pid_t pid, int status)
{
    struct service *sv = r->state;
    if (sv->probe.pid && pid == sv->probe.pid) {
        int rc = probe_on_child(&sv->probe, pid, status);
        if (probing(sv))
            probe_result(sv, rc);
        return;
    }
    if (pid != sv->pid || sv->reaped)
        return;
    sv->reaped = 1;
    sv->status = status;
    for (int i = 0; i < 2; i++)
        drain(sv, i);
    LOGD("service %s: pid %d ended (status 0x%x)", sv->name, (int)pid, status);
    leader_ended(sv);
}

/* frees what the state holds (no signals: the caller made sure nothing runs) */
static void release(struct service *sv)
{
    probe_free(&sv->probe);
    for (int i = 0; i < 2; i++)
        close_pipe(sv, i);
    if (sv->cwdfd >= 0)
        close(sv->cwdfd);
    svclog_free(&sv->log);
    redactor_free(&sv->red[0]);
    redactor_free(&sv->red[1]);
    for (size_t i = 0; sv->env && sv->env[i]; i++)
        free(sv->env[i]);
    free(sv->env);
    free(sv->argv_json);
    free(sv->cwd);
    free(sv);
}

static void sv_destroy(struct resource *r)
{
    struct service *sv = r->state;
    if (!sv->settled) {
        signal_all(sv, SIGKILL);
        /* SIGKILLed: the reap is immediate unless the kernel holds it (then the loop gets it) */
        for (int i = 0; i < 100 && !sv->reaped && waitpid(sv->pid, NULL, WNOHANG) == 0; i++)
            usleep(1000);
    }
    release(sv);
    r->state = NULL;
}

static pid_t sv_session(struct resource *r)
{
    return ((struct service *)r->state)->pid;
}

static const struct resource_vtbl service_vt = {
    .kind = "service",
    .add_pollfds = sv_add_pollfds,
    .on_poll = sv_on_poll,
    .deadline = sv_deadline,
    .on_timer = sv_on_timer,
    .on_child = sv_on_child,
    .destroy = sv_destroy,
    .session = sv_session,
};

void service_free(struct service *sv)
{
    resource_free(sv->res);
}

/* ---------------- spawning ---------------- */

struct child_setup {
    struct service_spec *spec;
    int out, err;
};

/* in the child (leading its own session): /dev/null in, the pipes out, cwd, env */
static int child_setup(void *arg)
{
    struct child_setup *c = arg;
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(c->out, 1) < 0 || dup2(c->err, 2) < 0)
        return errno;
    if (fchdir(c->spec->cwdfd) != 0)
        return errno;
    for (size_t i = 0; c->spec->env && c->spec->env[i]; i++)
        putenv(c->spec->env[i]);
    execvp(c->spec->argv[0], c->spec->argv);
    return errno;
}

static char **copy_env(char **env)
{
    size_t n = 0;
    while (env && env[n])
        n++;
    char **out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = strdup(env[i]))) {
            for (size_t j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    return out;
}

static struct service *new_state(struct service_spec *spec, char *err, size_t errsz)
{
    struct service *sv = calloc(1, sizeof *sv);
    if (!sv)
        return NULL;
    sv->fd[0] = sv->fd[1] = -1;
    sv->cwdfd = -1;
    if (spec->ready_kind != PROBE_NONE &&
        probe_init(&sv->probe, spec->ready_kind, spec->ready_target, err, errsz) < 0) {
        free(sv);
        return NULL;
    }
    if (spec->ready_kind == PROBE_NONE)
        sv->probe.fd = -1;
    snprintf(sv->name, sizeof sv->name, "%s", spec->name);
    sv->argv_json = json_argv_array(spec->argv);
    sv->cwd = strdup(spec->cwd);
    sv->env = copy_env(spec->env);
    if (!sv->argv_json || !sv->cwd || !sv->env || svclog_init(&sv->log, SERVICE_LOG_BYTES) < 0) {
        snprintf(err, errsz, "out of memory for a service");
        release(sv);
        return NULL;
    }
    sv->ready_timeout_ms = spec->ready_timeout_ms;
    sv->ready_interval_ms = spec->ready_interval_ms;
    return sv;
}

struct service *service_spawn(struct service_spec *spec, const char **code, char *err, size_t errsz)
{
    err[0] = 0;
    *code = "invalid_argument";
    struct service *sv = new_state(spec, err, errsz);
    if (!sv) {
        if (!err[0])
            snprintf(err, errsz, "out of memory for a service");
        if (!strncmp(err, "out of memory", 13))
            *code = "internal";
        return NULL;
    }
    *code = "exec_failed";
    int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        int all[] = { po[0], po[1], pe[0], pe[1] };
        for (int i = 0; i < 4; i++)
            if (all[i] >= 0)
                close(all[i]);
        release(sv);
        return NULL;
    }
    struct child_setup cs = { spec, po[1], pe[1] };
    int e, in_child;
    uint64_t wall = wall_ms();
    pid_t pid = spawn_session(child_setup, &cs, &e, &in_child);
    close(po[1]);
    close(pe[1]);
    sv->fd[0] = po[0];
    sv->fd[1] = pe[0];
    struct resource *r = pid > 0 ? resource_new(&service_vt, sv) : NULL;
    if (!r) {
        if (pid > 0) {
            kill(-pid, SIGKILL);   /* reaped by the loop */
            *code = "internal";
            snprintf(err, errsz, "no room for another resource");
        } else {
            snprintf(err, errsz, "%s: %s", in_child ? spec->argv[0] : "fork", strerror(e));
        }
        release(sv);
        return NULL;
    }
    set_nonblock(sv->fd[0]);
    set_nonblock(sv->fd[1]);
    sv->res = r;
    sv->pid = pid;
    sv->cwdfd = spec->cwdfd;
    spec->cwdfd = -1;
    sv->started_at = wall;
    if (sv->probe.kind != PROBE_NONE) {
        sv->state = SVC_STARTING;
        uint64_t now = now_ms();
        sv->ready_deadline = now + sv->ready_timeout_ms;
        sv->next_probe = now;   /* the first check runs at the loop's next turn */
    } else {
        sv->state = SVC_RUNNING;
    }
    LOGD("service %s: %s as pid %d (%s)", sv->name, spec->argv[0], (int)pid, probe_kind_name(sv->probe.kind));
    return sv;
}
