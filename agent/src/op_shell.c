/* The shell operations (protocol §11): request/response OPENs on shells, which
 * are resources (shell.c) owned by the agent, not by the stream or session. */
#define _GNU_SOURCE
#include "op_common.h"
#include "log.h"
#include "paths.h"
#include "op_shell.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_DEFAULT_BYTES  65536
#define READ_MAX_BYTES      262144
#define READ_MIN_BYTES      4          /* room for any one UTF-8 character */
#define WAIT_MAX_MS         120000
#define WAIT_DEFAULT_MS     10000

/* ---------------- shared ---------------- */

struct shell *op_shell_lookup(struct session *s, struct stream *st, const char *id, int need_running)
{
    struct shell *sh = shell_find(id);
    if (!sh) {
        stream_finish_error(s, st, "shell_not_found", "no shell %.64s (closed, or never opened)", id);
        return NULL;
    }
    if (need_running && sh->state != SHELL_RUNNING) {
        stream_finish_error(s, st, "shell_closed", "shell %s has exited; read its output or close it", id);
        return NULL;
    }
    return sh;
}

void *op_shell_install(struct session *s, struct stream *st, const struct shell *sh, size_t size,
                       const struct op_vtbl *vt)
{
    struct shell_ref *ref = op_install(s, st, size, vt);
    if (ref) {
        ref->res = sh->res;
        ref->gen = sh->res->gen;
    }
    return ref;
}

struct shell *shell_ref_get(const struct shell_ref *ref)
{
    struct shell *sh = shell_of(ref->res, ref->gen);
    return sh && (sh->state == SHELL_RUNNING || sh->state == SHELL_EXITED) ? sh : NULL;
}

static int size_args(struct session *s, struct stream *st, struct request *r, int64_t *cols, int64_t *rows)
{
    if (op_bounded(s, st, "cols", r->cols, SHELL_DEFAULT_COLS, 1, SHELL_MAX_SIZE, cols) < 0)
        return -1;
    return op_bounded(s, st, "rows", r->rows, SHELL_DEFAULT_ROWS, 1, SHELL_MAX_SIZE, rows);
}

static void shell_members(struct jbuf *b, const struct shell *sh)
{
    jb_raw(b, "\"shell_id\":");
    jb_str(b, sh->res->id);
    jb_raw(b, ",\"pid\":");
    jb_i64(b, sh->pid);
    jb_raw(b, ",\"cols\":");
    jb_i64(b, sh->cols);
    jb_raw(b, ",\"rows\":");
    jb_i64(b, sh->rows);
    jb_raw(b, ",\"argv\":");
    jb_raw(b, sh->argv_json ? sh->argv_json : "[]");
    jb_raw(b, ",");
    shell_status_json(b, sh);
    /* the foreground job's process group: the shell's own when it waits at its prompt */
    pid_t fg = sh->master >= 0 && sh->state == SHELL_RUNNING ? tcgetpgrp(sh->master) : -1;
    jb_raw(b, ",\"foreground_pgid\":");
    if (fg > 0)
        jb_i64(b, fg);
    else
        jb_raw(b, "null");
    jb_raw(b, ",\"oldest_cursor\":");
    jb_u64(b, sh->out.start);
    jb_raw(b, ",\"next_cursor\":");
    jb_u64(b, sh->out.end);
}

/* ---------------- shell_open, shell_list ---------------- */

static void shell_open_op(struct session *s, struct stream *st, struct request *r)
{
    int64_t cols, rows;
    if (size_args(s, st, r, &cols, &rows) < 0)
        return;
    if (shell_count() >= MAX_SHELLS) {
        stream_finish_error(s, st, "too_many_shells", "%d shells are open; close one first", MAX_SHELLS);
        return;
    }
    int cwdfd = op_open_cwd(s, st, r->cwd, NULL, 0);
    if (cwdfd < 0)
        return;
    const char *code;
    char err[256];
    struct shell *sh = shell_spawn(r->argv, r->env, cwdfd, (int)cols, (int)rows, &code, err, sizeof err);
    close(cwdfd);
    if (!sh) {
        stream_finish_error(s, st, code, "%s", err);
        return;
    }
    struct jbuf b;
    jb_init(&b, 65536);
    jb_raw(&b, "{");
    shell_members(&b, sh);
    jb_raw(&b, "}");
    op_finish_json(s, st, &b);
}

static void shell_list_op(struct session *s, struct stream *st)
{
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"max_shells\":" );
    jb_i64(&b, MAX_SHELLS);
    jb_raw(&b, ",\"shells\":[");
    struct shell *sh;
    for (int i = 0; (sh = shell_nth(i)) != NULL; i++) {
        jb_raw(&b, i ? ",{" : "{");
        shell_members(&b, sh);
        jb_raw(&b, "}");
    }
    jb_raw(&b, "]}");
    op_finish_json(s, st, &b);
}

/* ---------------- shell_signal, shell_resize ---------------- */

/* HUP, INT, QUIT, TERM, KILL (a SIG prefix is allowed): the number, its name in *canon */
static int signal_number(const char *name, const char **canon)
{
    static const struct {
        const char *name;
        int sig;
    } sigs[] = { { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "TERM", SIGTERM }, { "KILL", SIGKILL } };
    if (!strncmp(name, "SIG", 3))
        name += 3;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (!strcmp(name, sigs[i].name)) {
            *canon = sigs[i].name;
            return sigs[i].sig;
        }
    return -1;
}

static void shell_signal_op(struct session *s, struct stream *st, struct request *r)
{
    const char *canon;
    int sig = signal_number(r->signame, &canon);
    if (sig < 0) {
        stream_finish_error(s, st, "invalid_argument", "signal must be one of HUP, INT, QUIT, TERM, KILL, not %.32s",
                            r->signame);
        return;
    }
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 1);
    if (!sh)
        return;
    long pg = shell_signal(sh, sig);
    if (pg < 0) {
        stream_finish_error(s, st, pg == -ESRCH ? "shell_closed" : "io_error", "signal to shell %s: %s", r->shell_id,
                            strerror((int)-pg));
        return;
    }
    char res[96];
    snprintf(res, sizeof res, "{\"signal\":\"%s\",\"pgid\":%ld}", canon, pg);
    stream_finish_result(s, st, res);
}

static void shell_resize_op(struct session *s, struct stream *st, struct request *r)
{
    int64_t cols, rows;
    if (r->cols == REQ_ABSENT || r->rows == REQ_ABSENT) {
        stream_finish_error(s, st, "invalid_argument", "shell_resize needs cols and rows");
        return;
    }
    if (size_args(s, st, r, &cols, &rows) < 0)
        return;
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 1);
    if (!sh)
        return;
    int rc = shell_resize(sh, (int)cols, (int)rows);
    if (rc < 0) {
        stream_finish_error(s, st, rc == -EIO ? "shell_closed" : "io_error", "resize of shell %s: %s", r->shell_id,
                            strerror(-rc));
        return;
    }
    char res[64];
    snprintf(res, sizeof res, "{\"cols\":%d,\"rows\":%d}", sh->cols, sh->rows);
    stream_finish_result(s, st, res);
}

/* ---------------- shell_read ---------------- */

struct read_st {
    struct shell_ref ref;
    int64_t cursor, max, idle_ms;
    uint64_t t0, until;
};

static uint8_t g_readbuf[READ_MAX_BYTES];

static void read_reply(struct session *s, struct stream *st, struct shell *sh, int64_t cursor, int64_t max)
{
    uint64_t from = (uint64_t)cursor;
    int truncated = from < sh->out.start;
    if (truncated)
        from = sh->out.start;
    size_t n = ring_copy(&sh->out, from, g_readbuf, (size_t)max);
    size_t skip = truncated ? utf8_orphan_len(g_readbuf, n) : 0;
    /* hold back half a character unless nothing more can ever follow it */
    size_t keep = n - skip;
    if (from + n < sh->out.end || !shell_drained(sh))
        keep = utf8_complete_len(g_readbuf + skip, n - skip);
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"output\":");
    jb_base64(&b, g_readbuf + skip, keep);
    jb_raw(&b, ",\"cursor\":");
    jb_u64(&b, from + skip);
    jb_raw(&b, ",\"next_cursor\":");
    jb_u64(&b, from + skip + keep);
    jb_raw(&b, truncated ? ",\"truncated\":true," : ",\"truncated\":false,");
    shell_status_json(&b, sh);
    jb_raw(&b, "}");
    op_finish_json(s, st, &b);
}

static int rd_ready(struct session *s, struct stream *st)
{
    (void)s;
    struct read_st *rd = st->state;
    struct shell *sh = shell_ref_get(&rd->ref);
    return !sh || shell_drained(sh) || (int64_t)(sh->out.end - (uint64_t)rd->cursor) >= rd->max;
}

static uint64_t rd_deadline(struct stream *st)
{
    struct read_st *rd = st->state;
    struct shell *sh = shell_ref_get(&rd->ref);
    if (!sh)
        return 1;
    uint64_t idle = MAX(rd->t0, sh->last_output_ms) + (uint64_t)rd->idle_ms;
    return MIN(idle, rd->until);
}

static void rd_reply(struct session *s, struct stream *st)
{
    struct read_st *rd = st->state;
    struct shell *sh = shell_ref_get(&rd->ref);
    if (!sh)
        stream_finish_error(s, st, "shell_not_found", "the shell was closed while waiting for output");
    else
        read_reply(s, st, sh, rd->cursor, rd->max);
}

static void rd_on_timer(struct session *s, struct stream *st, uint64_t now)
{
    (void)now;
    rd_reply(s, st);
}

/* every shell op's state is one allocation */
static void free_state(struct stream *st)
{
    free(st->state);
    st->state = NULL;
}

static const struct op_vtbl read_vt = {
    .ready = rd_ready,
    .produce = rd_reply,
    .deadline = rd_deadline,
    .on_timer = rd_on_timer,
    .destroy = free_state,
};

static void shell_read_op(struct session *s, struct stream *st, struct request *r)
{
    int64_t cursor, max, idle, wait;
    if (op_bounded(s, st, "cursor", r->cursor, 0, 0, INT64_MAX, &cursor) < 0 ||
        op_bounded(s, st, "max_bytes", r->max_bytes, READ_DEFAULT_BYTES, READ_MIN_BYTES, READ_MAX_BYTES, &max) < 0 ||
        op_bounded(s, st, "wait_for_idle_ms", r->idle_ms, 0, 0, WAIT_MAX_MS, &idle) < 0 ||
        op_bounded(s, st, "max_wait_ms", r->max_wait_ms, MAX(WAIT_DEFAULT_MS, idle), 0, WAIT_MAX_MS, &wait) < 0)
        return;
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 0);
    if (!sh)
        return;
    if ((uint64_t)cursor > sh->out.end) {
        stream_finish_error(s, st, "invalid_argument", "cursor %lld is beyond the end of the output (%llu)",
                            (long long)cursor, (unsigned long long)sh->out.end);
        return;
    }
    if (idle == 0 || wait == 0) {
        read_reply(s, st, sh, cursor, max);
        return;
    }
    struct read_st *rd = op_shell_install(s, st, sh, sizeof *rd, &read_vt);
    if (!rd)
        return;
    rd->cursor = cursor;
    rd->max = max;
    rd->idle_ms = idle;
    rd->t0 = now_ms();
    rd->until = rd->t0 + (uint64_t)wait;
}

/* ---------------- shell_write ---------------- */

struct write_st {
    struct shell_ref ref;
    uint8_t buf[SHELL_MAX_WRITE];
    size_t len;
};

static void wr_on_data(struct session *s, struct stream *st, const uint8_t *p, size_t n)
{
    struct write_st *w = st->state;
    if (w->len + n > SHELL_MAX_WRITE) {
        stream_finish_error(s, st, "invalid_argument", "one shell_write takes at most %d bytes; nothing was written",
                            SHELL_MAX_WRITE);
        return;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    stream_consumed(s, st, n);
}

static int wr_ready(struct session *s, struct stream *st)
{
    (void)s;
    struct write_st *w = st->state;
    struct shell *sh = shell_of(w->ref.res, w->ref.gen);
    return st->in_eof && (!sh || sh->state != SHELL_RUNNING || shell_input_room(sh) >= w->len);
}

/* after EOF: the whole write enters the input queue at once, never interleaved */
static void wr_produce(struct session *s, struct stream *st)
{
    struct write_st *w = st->state;
    struct shell *sh = shell_of(w->ref.res, w->ref.gen);
    if (!sh || sh->state == SHELL_CLOSING || sh->state == SHELL_CLOSED) {
        stream_finish_error(s, st, "shell_not_found", "the shell was closed before the input was written");
        return;
    }
    if (sh->state != SHELL_RUNNING || sh->master < 0) {
        stream_finish_error(s, st, "shell_closed", "shell %s has exited; the input was not written", sh->res->id);
        return;
    }
    shell_input(sh, w->buf, w->len);
    char res[48];
    snprintf(res, sizeof res, "{\"bytes\":%zu}", w->len);
    stream_finish_result(s, st, res);
}

static const struct op_vtbl write_vt = {
    .on_data = wr_on_data,
    .ready = wr_ready,
    .produce = wr_produce,
    .destroy = free_state,
};

static void shell_write_op(struct session *s, struct stream *st, struct request *r)
{
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 1);
    if (!sh)
        return;
    op_shell_install(s, st, sh, sizeof(struct write_st), &write_vt);
}

/* ---------------- shell_close ---------------- */

static int cl_ready(struct session *s, struct stream *st)
{
    (void)s;
    struct shell_ref *c = st->state;
    struct shell *sh = shell_of(c->res, c->gen);
    return !sh || sh->state == SHELL_CLOSED;
}

static void cl_produce(struct session *s, struct stream *st)
{
    struct shell_ref *c = st->state;
    struct shell *sh = shell_of(c->res, c->gen);
    struct jbuf b;
    jb_init(&b, 4096);
    jb_raw(&b, "{\"closed\":true");
    if (sh) {
        jb_raw(&b, ",");
        shell_status_json(&b, sh);
        shell_drop(sh);   /* collected: the tombstone is no longer needed */
    }
    jb_raw(&b, "}");
    op_finish_json(s, st, &b);
}

static const struct op_vtbl close_vt = {
    .ready = cl_ready,
    .produce = cl_produce,
    .destroy = free_state,
};

static void shell_close_op(struct session *s, struct stream *st, struct request *r)
{
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 0);
    if (!sh)
        return;
    if (!op_shell_install(s, st, sh, sizeof(struct shell_ref), &close_vt))
        return;
    shell_close(sh);
    if (cl_ready(s, st))
        cl_produce(s, st);   /* it had exited: closed at once */
}

/* ---------------- dispatch ---------------- */

void op_shell_start(struct session *s, struct stream *st, struct request *r)
{
    switch (r->op) {
    case OP_SHELL_OPEN: shell_open_op(s, st, r); break;
    case OP_SHELL_READ: shell_read_op(s, st, r); break;
    case OP_SHELL_WRITE: shell_write_op(s, st, r); break;
    case OP_SHELL_SIGNAL: shell_signal_op(s, st, r); break;
    case OP_SHELL_RESIZE: shell_resize_op(s, st, r); break;
    case OP_SHELL_LIST: shell_list_op(s, st); break;
    case OP_SHELL_CLOSE: shell_close_op(s, st, r); break;
    case OP_SHELL_ATTACH: op_shell_attach(s, st, r); break;
    default: stream_finish_error(s, st, "internal", "unhandled shell op"); break;
    }
}
