/* shell_attach: a subscription (protocol §10) that follows a shell live. Output
 * goes out from the attach's own cursor into the shell's ring, within the
 * host's credit; a subscriber that falls behind the ring is told (EVENT
 * truncated) and continues at the oldest kept byte. Input on channel 0 joins the
 * shell's input queue as room allows and is credited as it does. CANCEL and a
 * disconnect detach; the shell is never touched by either. */
#define _GNU_SOURCE
#include "op_common.h"
#include "op_shell.h"
#include "json.h"
#include "log.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct attach_st {
    struct shell_ref ref;
    uint64_t cursor;
    int exit_told;
    uint8_t *in;              /* input not yet in the shell's queue (at most a window) */
    size_t in_off, in_len;
};

static void send_event(struct session *s, struct stream *st, struct jbuf *b)
{
    if (!b->err)
        send_frame(s, FT_EVENT, 0, st->id, b->p, b->len);
    jb_free(b);
}

static void push_input(struct session *s, struct stream *st, struct shell *sh)
{
    struct attach_st *a = st->state;
    size_t n = a->in_len;
    if (sh && sh->state == SHELL_RUNNING && sh->master >= 0) {
        n = MIN(n, shell_input_room(sh));
        shell_input(sh, a->in + a->in_off, n);
    }   /* else: nobody will read it; drop it and keep the host's credit flowing */
    a->in_off += n;
    a->in_len -= n;
    if (a->in_len == 0)
        a->in_off = 0;
    stream_consumed(s, st, n);
}

/* RESULT {<how>[,<status>],"next_cursor":N}; EOF on channel 1 first unless detaching */
static void finish(struct session *s, struct stream *st, struct shell *sh, const char *how, int eof)
{
    struct attach_st *a = st->state;
    struct jbuf b;
    jb_init(&b, 4096);
    jb_raw(&b, "{");
    jb_raw(&b, how);
    if (sh) {
        jb_raw(&b, ",");
        shell_status_json(&b, sh);
    }
    jb_raw(&b, ",\"next_cursor\":");
    jb_u64(&b, a->cursor);
    jb_raw(&b, "}");
    if (eof)
        send_frame(s, FT_EOF, CH_OUT, st->id, NULL, 0);
    stream_finish_result(s, st, b.err ? "{}" : b.p);
    jb_free(&b);
}

static void at_on_data(struct session *s, struct stream *st, const uint8_t *p, size_t n)
{
    struct attach_st *a = st->state;
    if (!a->in && !(a->in = malloc(FLOW_WINDOW))) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    if (a->in_off + a->in_len + n > FLOW_WINDOW) {
        memmove(a->in, a->in + a->in_off, a->in_len);
        a->in_off = 0;
    }
    /* credit accounting keeps in_len + n within the window */
    memcpy(a->in + a->in_off + a->in_len, p, n);
    a->in_len += n;
    push_input(s, st, shell_ref_get(&a->ref));
}

static void at_on_cancel(struct session *s, struct stream *st)
{
    struct attach_st *a = st->state;
    struct shell *sh = shell_ref_get(&a->ref);
    push_input(s, st, sh);
    finish(s, st, sh, "\"detached\":true", 0);
}

static int at_ready(struct session *s, struct stream *st)
{
    struct attach_st *a = st->state;
    struct shell *sh = shell_ref_get(&a->ref);
    if (!sh)
        return 1;
    if (a->in_len && (sh->state != SHELL_RUNNING || shell_input_room(sh) > 0))
        return 1;
    if (a->cursor < sh->out.end && stream_sendable(s, st, CH_OUT) > 0)
        return 1;
    return (sh->state == SHELL_EXITED && !a->exit_told) || (shell_drained(sh) && a->cursor == sh->out.end);
}

static void at_produce(struct session *s, struct stream *st)
{
    struct attach_st *a = st->state;
    struct shell *sh = shell_ref_get(&a->ref);
    if (!sh) {
        finish(s, st, NULL, "\"closed\":true", 1);
        return;
    }
    if (a->in_len)
        push_input(s, st, sh);
    if (a->cursor < sh->out.start) {
        struct jbuf b;
        jb_init(&b, 256);
        jb_raw(&b, "{\"event\":\"truncated\",\"cursor\":");
        jb_u64(&b, sh->out.start);
        jb_raw(&b, ",\"dropped\":");
        jb_u64(&b, sh->out.start - a->cursor);
        jb_raw(&b, "}");
        send_event(s, st, &b);
        a->cursor = sh->out.start;
    }
    size_t n;
    while (a->cursor < sh->out.end && (n = stream_sendable(s, st, CH_OUT)) > 0) {
        n = (size_t)MIN((uint64_t)n, sh->out.end - a->cursor);
        uint8_t *dst = outq_reserve(s, n);
        if (!dst)
            return;
        n = ring_copy(&sh->out, a->cursor, dst, n);
        outq_commit(s, FT_DATA, CH_OUT, st->id, n);
        st->out_credit[CH_OUT] -= n;
        a->cursor += n;
    }
    if (sh->state == SHELL_EXITED && !a->exit_told) {
        struct jbuf b;
        jb_init(&b, 256);
        jb_raw(&b, "{\"event\":\"exit\",");
        shell_status_json(&b, sh);
        jb_raw(&b, "}");
        send_event(s, st, &b);
        a->exit_told = 1;
    }
    if (shell_drained(sh) && a->cursor == sh->out.end)
        finish(s, st, sh, "\"detached\":false", 1);
}

static void at_destroy(struct stream *st)
{
    struct attach_st *a = st->state;
    free(a->in);
    free(a);
    st->state = NULL;
}

static const struct op_vtbl attach_vt = {
    .on_data = at_on_data,
    .on_cancel = at_on_cancel,
    .ready = at_ready,
    .produce = at_produce,
    .destroy = at_destroy,
};

void op_shell_attach(struct session *s, struct stream *st, struct request *r)
{
    struct shell *sh = op_shell_lookup(s, st, r->shell_id, 0);
    if (!sh)
        return;
    if (r->cursor != REQ_ABSENT && (r->cursor < 0 || (uint64_t)r->cursor > sh->out.end)) {
        stream_finish_error(s, st, "invalid_argument", "cursor %lld is outside the output (0..%llu)",
                            (long long)r->cursor, (unsigned long long)sh->out.end);
        return;
    }
    struct attach_st *a = op_shell_install(s, st, sh, sizeof *a, &attach_vt);
    if (!a)
        return;
    a->cursor = r->cursor == REQ_ABSENT ? sh->out.end : (uint64_t)r->cursor;
    struct jbuf b;
    jb_init(&b, 512);
    jb_raw(&b, "{\"event\":\"attached\",\"shell_id\":");
    jb_str(&b, sh->res->id);
    jb_raw(&b, ",\"cursor\":");
    jb_u64(&b, a->cursor);
    jb_raw(&b, ",\"cols\":");
    jb_i64(&b, sh->cols);
    jb_raw(&b, ",\"rows\":");
    jb_i64(&b, sh->rows);
    jb_raw(&b, ",");
    shell_status_json(&b, sh);
    jb_raw(&b, "}");
    send_event(s, st, &b);
}
