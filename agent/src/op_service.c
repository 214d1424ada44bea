/* The service operations (protocol §12): request/response OPENs on services, which
 * are resources (service.c) owned by the agent and named by the host. Starting and
 * stopping wait in the stream (readiness, the end of every process) while the
 * service itself never depends on the stream: a host that goes away changes nothing. */
#define _GNU_SOURCE
#include "op_common.h"
#include "log.h"
#include "request_service.h"
#include "ring.h"
#include "service.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY_TIMEOUT_MAX   3600000
#define READY_INTERVAL_MIN  10
#define READY_INTERVAL_MAX  60000
#define STOP_TIMEOUT_MAX    600000
#define LOGS_DEFAULT_BYTES  65536
#define LOGS_MAX_BYTES      262144
#define TAIL_LINES_MAX      100000

/* how a stream remembers its service: by slot and generation (see op_shell.h) */
struct service_ref {
    struct resource *res;
    uint32_t gen;
};

static uint8_t g_logbuf[LOGS_MAX_BYTES];

/* ---------------- the description every answer carries ---------------- */

static void opt_u64(struct jbuf *b, const char *key, uint64_t v, int present)
{
    jb_raw(b, ",");
    jb_key(b, key);
    if (present)
        jb_u64(b, v);
    else
        jb_raw(b, "null");
}

/* a service's members (no braces), as service_start, _status, _list and _stop answer */
static void describe(struct jbuf *b, const struct service *sv)
{
    jb_key(b, "name");
    jb_str(b, sv->name);
    jb_raw(b, ",");
    jb_key(b, "service_id");
    jb_str(b, sv->res->id);
    jb_raw(b, ",\"pid\":");
    jb_i64(b, sv->pid);
    jb_raw(b, ",\"argv\":");
    jb_raw(b, sv->argv_json);
    jb_raw(b, ",\"cwd\":");
    jb_str(b, sv->cwd);
    jb_raw(b, ",\"state\":");
    jb_str(b, service_state_name(sv->state));
    jb_raw(b, ",\"readiness\":");
    if (sv->probe.kind == PROBE_NONE) {
        jb_raw(b, "null");
    } else {
        jb_raw(b, "{\"kind\":");
        jb_str(b, probe_kind_name(sv->probe.kind));
        jb_raw(b, ",\"target\":");
        jb_str(b, sv->probe.target);
        jb_raw(b, ",\"timeout_ms\":");
        jb_u64(b, sv->ready_timeout_ms);
        jb_raw(b, ",\"interval_ms\":");
        jb_u64(b, sv->ready_interval_ms);
        jb_raw(b, ",\"checks\":");
        jb_u64(b, sv->probe.attempts);
        jb_raw(b, ",\"last_error\":");
        if (sv->probe.error[0] && sv->state != SVC_READY)
            jb_str(b, sv->probe.error);
        else
            jb_raw(b, "null");
        jb_raw(b, "}");
    }
    opt_u64(b, "started_at_ms", sv->started_at, 1);
    opt_u64(b, "ready_at_ms", sv->ready_at, sv->ready_at != 0);
    opt_u64(b, "ended_at_ms", sv->ended_at, sv->ended_at != 0);
    int ended = sv->reaped && !service_live(sv);
    opt_u64(b, "exit_code", ended && WIFEXITED(sv->status) ? (uint64_t)WEXITSTATUS(sv->status) : 0,
            ended && WIFEXITED(sv->status));
    opt_u64(b, "signal", ended && WIFSIGNALED(sv->status) ? (uint64_t)WTERMSIG(sv->status) : 0,
            ended && WIFSIGNALED(sv->status));
    jb_raw(b, ",\"reason\":");
    if (sv->reason[0])
        jb_str(b, sv->reason);
    else
        jb_raw(b, "null");
    jb_raw(b, sv->settled ? ",\"settled\":true" : ",\"settled\":false");
    opt_u64(b, "stdout_bytes", sv->log.written[SVCLOG_STDOUT], 1);
    opt_u64(b, "stderr_bytes", sv->log.written[SVCLOG_STDERR], 1);
    opt_u64(b, "oldest_cursor", sv->log.start, 1);
    opt_u64(b, "next_cursor", sv->log.end, 1);
}

static void answer(struct session *s, struct stream *st, const struct service *sv)
{
    struct jbuf b;
    jb_init(&b, 65536);
    jb_raw(&b, "{");
    describe(&b, sv);
    jb_raw(&b, "}");
    op_finish_json(s, st, &b);
}

static struct service *lookup(struct session *s, struct stream *st, const char *name)
{
    struct service *sv = service_find(name);
    if (!sv)
        stream_finish_error(s, st, "service_not_found", "no service named %.64s", name);
    return sv;
}

static int valid_name(struct session *s, struct stream *st, const char *name)
{
    if (service_name_valid(name))
        return 1;
    stream_finish_error(s, st, "invalid_argument",
                        "a service name is 1 to 64 of A-Z a-z 0-9 . _ - and starts with a letter or digit, not "
                        "\"%.80s\"", name);
    return 0;
}

/* ---------------- waiting for a service (start, stop) ---------------- */

struct wait_st {
    struct service_ref ref;
    int for_stop;             /* stop: until settled; start: until it left "starting" */
};

static int wt_ready(struct session *s, struct stream *st)
{
    (void)s;
    struct wait_st *w = st->state;
    struct service *sv = service_of(w->ref.res, w->ref.gen);
    if (!sv)
        return 1;
    if (w->for_stop)
        return sv->settled;
    return sv->state != SVC_STARTING && (service_live(sv) || sv->settled);
}

static void wt_produce(struct session *s, struct stream *st)
{
    struct wait_st *w = st->state;
    struct service *sv = service_of(w->ref.res, w->ref.gen);
    if (sv)
        answer(s, st, sv);
    else
        stream_finish_error(s, st, "service_not_found", "the service was removed meanwhile");
}

static void free_state(struct stream *st)
{
    free(st->state);
    st->state = NULL;
}

static const struct op_vtbl wait_vt = {
    .ready = wt_ready,
    .produce = wt_produce,
    .destroy = free_state,
};

static void wait_for(struct session *s, struct stream *st, struct service *sv, int for_stop)
{
    struct wait_st *w = op_install(s, st, sizeof *w, &wait_vt);
    if (!w)
        return;
    w->ref.res = sv->res;
    w->ref.gen = sv->res->gen;
    w->for_stop = for_stop;
    if (wt_ready(s, st))
        wt_produce(s, st);
}

/* ---------------- service_start ---------------- */

/* readiness of the request: kind and target checked (the target parsed as the probe will) */
static int readiness(struct session *s, struct stream *st, const struct service_request *q, int *kind)
{
    *kind = PROBE_NONE;
    if (!q->ready_kind)
        return 0;
    *kind = probe_kind_of(q->ready_kind);
    if (*kind == PROBE_NONE) {
        stream_finish_error(s, st, "invalid_argument", "readiness kind must be file, tcp, http or command, not %.32s",
                            q->ready_kind);
        return -1;
    }
    if (q->ready_conflict) {
        stream_finish_error(s, st, "invalid_argument", "a readiness check has one target; this one names several");
        return -1;
    }
    struct probe p;
    char err[256];
    if (probe_init(&p, *kind, q->ready_target, err, sizeof err) < 0) {
        stream_finish_error(s, st, "invalid_argument", "%s", err);
        return -1;
    }
    probe_free(&p);
    return 0;
}

/* room for a service called name: an ended one of that name, or the oldest ended
 * one when the table is full, makes way */
static int make_room(struct session *s, struct stream *st, const char *name)
{
    struct service *old = service_find(name);
    if (old && service_live(old)) {
        stream_finish_error(s, st, "service_already_running", "service %s is already %s; stop it first", name,
                            service_state_name(old->state));
        return -1;
    }
    if (old)
        service_free(old);
    if (service_count() < MAX_SERVICES)
        return 0;
    old = service_oldest_ended();
    if (!old) {
        stream_finish_error(s, st, "too_many_services", "%d services are running; stop one first", MAX_SERVICES);
        return -1;
    }
    LOGD("service %s makes way for %s", old->name, name);
    service_free(old);
    return 0;
}

static void start_op(struct session *s, struct stream *st, struct request *r)
{
    struct service_request *q = r->service;
    int64_t timeout, interval;
    int kind;
    if (!valid_name(s, st, q->name) || readiness(s, st, q, &kind) < 0 ||
        op_bounded(s, st, "ready_timeout_ms", q->ready_timeout_ms, SERVICE_READY_TIMEOUT, 1, READY_TIMEOUT_MAX,
                &timeout) < 0 ||
        op_bounded(s, st, "ready_interval_ms", q->ready_interval_ms, SERVICE_READY_INTERVAL, READY_INTERVAL_MIN,
                READY_INTERVAL_MAX, &interval) < 0)
        return;
    char shown[4200];
    int cwdfd = op_open_cwd(s, st, r->cwd, shown, sizeof shown);
    if (cwdfd < 0)
        return;
    if (make_room(s, st, q->name) < 0) {
        close(cwdfd);
        return;
    }
    struct service_spec spec = {
        .name = q->name, .argv = r->argv, .env = r->env, .cwdfd = cwdfd, .cwd = shown, .ready_kind = kind,
        .ready_target = q->ready_target, .ready_timeout_ms = (uint64_t)timeout, .ready_interval_ms = (uint64_t)interval,
    };
    const char *code;
    char err[512];
    struct service *sv = service_spawn(&spec, &code, err, sizeof err);
    if (spec.cwdfd >= 0)
        close(spec.cwdfd);
    if (!sv) {
        stream_finish_error(s, st, code, "%s", err);
        return;
    }
    wait_for(s, st, sv, 0);
}

/* ---------------- service_stop, service_status, service_list ---------------- */

static void stop_op(struct session *s, struct stream *st, struct request *r)
{
    int64_t timeout;
    if (op_bounded(s, st, "timeout_ms", r->service->timeout_ms, SERVICE_STOP_TIMEOUT, 0, STOP_TIMEOUT_MAX,
                &timeout) < 0)
        return;
    struct service *sv = lookup(s, st, r->service->name);
    if (!sv)
        return;
    service_stop(sv, (uint64_t)timeout);
    wait_for(s, st, sv, 1);
}

static void status_op(struct session *s, struct stream *st, struct request *r)
{
    struct service *sv = lookup(s, st, r->service->name);
    if (sv)
        answer(s, st, sv);
}

static void list_op(struct session *s, struct stream *st)
{
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"max_services\":");
    jb_i64(&b, MAX_SERVICES);
    jb_raw(&b, ",\"services\":[");
    struct service *sv;
    for (int i = 0; (sv = service_nth(i)) != NULL; i++) {
        jb_raw(&b, i ? ",{" : "{");
        describe(&b, sv);
        jb_raw(&b, "}");
    }
    jb_raw(&b, "]}");
    op_finish_json(s, st, &b);
}

/* ---------------- service_logs ---------------- */

static int stream_mask(struct session *s, struct stream *st, const char *name, const char **canon)
{
    static const char *const names[] = { NULL, "stdout", "stderr", "both" };
    if (!name)
        name = "both";
    for (int m = SVCLOG_STDOUT; m <= SVCLOG_BOTH; m++)
        if (!strcmp(name, names[m])) {
            *canon = names[m];
            return m;
        }
    stream_finish_error(s, st, "invalid_argument", "stream must be stdout, stderr or both, not %.32s", name);
    return -1;
}

static void logs_op(struct session *s, struct stream *st, struct request *r)
{
    struct service_request *q = r->service;
    const char *canon;
    int mask = stream_mask(s, st, q->stream, &canon);
    int64_t max, tail = 0, cursor = 0;
    if (mask < 0 || op_bounded(s, st, "max_bytes", q->max_bytes, LOGS_DEFAULT_BYTES, 4, LOGS_MAX_BYTES, &max) < 0)
        return;
    if (q->tail_lines != REQ_ABSENT && q->cursor != REQ_ABSENT) {
        stream_finish_error(s, st, "invalid_argument", "give tail_lines or cursor, not both");
        return;
    }
    if (q->tail_lines != REQ_ABSENT && op_bounded(s, st, "tail_lines", q->tail_lines, 0, 0, TAIL_LINES_MAX, &tail) < 0)
        return;
    if (q->cursor != REQ_ABSENT && op_bounded(s, st, "cursor", q->cursor, 0, 0, INT64_MAX, &cursor) < 0)
        return;
    struct service *sv = lookup(s, st, q->name);
    if (!sv)
        return;
    const struct svclog *log = &sv->log;
    if ((uint64_t)cursor > log->end) {
        stream_finish_error(s, st, "invalid_argument", "cursor %lld is beyond the end of the log (%llu)",
                            (long long)cursor, (unsigned long long)log->end);
        return;
    }
    uint64_t from = q->tail_lines != REQ_ABSENT ? svclog_tail(log, mask, (uint64_t)tail)
                  : q->cursor != REQ_ABSENT ? (uint64_t)cursor : log->start;
    struct svclog_read rd;
    size_t n = svclog_read(log, from, mask, g_logbuf, (size_t)max, &rd);
    /* never end inside a UTF-8 character while more can follow it */
    if (n && (rd.next < log->end || !sv->settled)) {
        size_t keep = utf8_complete_len(g_logbuf, n), back = n - keep;
        if (back && back <= rd.last_run) {
            n = keep;
            rd.next -= back;
        }
    }
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"name\":");
    jb_str(&b, sv->name);
    jb_raw(&b, ",\"stream\":");
    jb_str(&b, canon);
    jb_raw(&b, ",\"output\":");
    jb_base64(&b, g_logbuf, n);
    jb_raw(&b, ",\"cursor\":");
    jb_u64(&b, rd.from);
    jb_raw(&b, ",\"next_cursor\":");
    jb_u64(&b, rd.next);
    jb_raw(&b, ",\"oldest_cursor\":");
    jb_u64(&b, log->start);
    jb_raw(&b, ",\"end_cursor\":");
    jb_u64(&b, log->end);
    /* truncated: part of what was asked for is gone (older than the oldest kept byte) */
    jb_raw(&b, rd.truncated || (rd.from == log->start && log->start > 0) ? ",\"truncated\":true"
                                                                         : ",\"truncated\":false");
    jb_raw(&b, ",\"state\":");
    jb_str(&b, service_state_name(sv->state));
    jb_raw(&b, sv->settled ? ",\"settled\":true}" : ",\"settled\":false}");
    op_finish_json(s, st, &b);
}

/* ---------------- dispatch ---------------- */

void op_service_start(struct session *s, struct stream *st, struct request *r)
{
    switch (r->op) {
    case OP_SERVICE_START: start_op(s, st, r); break;
    case OP_SERVICE_STATUS: status_op(s, st, r); break;
    case OP_SERVICE_LIST: list_op(s, st); break;
    case OP_SERVICE_LOGS: logs_op(s, st, r); break;
    case OP_SERVICE_STOP: stop_op(s, st, r); break;
    default: stream_finish_error(s, st, "internal", "unhandled service op"); break;
    }
}
