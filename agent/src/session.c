#define _GNU_SOURCE
#include "secrets.h"
#include "identity.h"
#include "session.h"
#include "statcache.h"
#include "channel.h"
#include "json.h"
#include "log.h"
#include "service.h"
#include "shell.h"
#include "util.h"
#include "xtrace.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AGENT_VERSION "0.2.0"
#define PYRO_STR_(x) #x
#define PYRO_STR(x) PYRO_STR_(x)
#define CREDIT_BATCH (FLOW_WINDOW / 4)

struct agent_conf g_conf = { .rootfd = -1, .staging_fd = -1, .commit_rootfd = -1 };

/* ---------------- outbound queue ---------------- */

size_t outq_len(const struct session *s) { return s->oq.end - s->oq.start; }

uint8_t *outq_reserve(struct session *s, size_t n)
{
    struct outq *q = &s->oq;
    size_t need = FRAME_HDR_LEN + n;
    if (q->start == q->end)
        q->start = q->end = 0;
    if (q->cap - q->end < need && q->start > 0) {
        memmove(q->buf, q->buf + q->start, q->end - q->start);
        q->end -= q->start;
        q->start = 0;
    }
    if (q->cap - q->end < need) {
        /* cannot happen with the soft limits; refuse rather than grow */
        LOGE("outbound queue overflow; dropping the connection");
        s->dead = 1;
        return NULL;
    }
    return q->buf + q->end + FRAME_HDR_LEN;
}

void outq_commit(struct session *s, uint8_t type, uint8_t flags, uint32_t id, size_t n)
{
    struct outq *q = &s->oq;
    frame_header_encode(q->buf + q->end, type, flags, id, (uint32_t)n);
    q->end += FRAME_HDR_LEN + n;
}

int send_frame(struct session *s, uint8_t type, uint8_t flags, uint32_t id, const void *p, size_t n)
{
    uint8_t *dst = outq_reserve(s, n);
    if (!dst)
        return -1;
    if (n)
        memcpy(dst, p, n);
    outq_commit(s, type, flags, id, n);
    return 0;
}

static void send_error_v(struct session *s, uint32_t id, const char *code, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    struct jbuf b;
    jb_init(&b, 4096);
    jb_raw(&b, "{\"code\":");
    jb_str(&b, code);
    jb_raw(&b, ",\"message\":");
    jb_str(&b, msg);
    jb_raw(&b, "}");
    if (!b.err)
        send_frame(s, FT_ERROR, 0, id, b.p, b.len);
    LOGD("stream %u: ERROR %s: %s", id, code, msg);
    jb_free(&b);
}

void send_error(struct session *s, uint32_t id, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_error_v(s, id, code, fmt, ap);
    va_end(ap);
}

/* ---------------- streams ---------------- */

static struct stream *find_stream(struct session *s, uint32_t id)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        if (s->streams[i].in_use && s->streams[i].id == id)
            return &s->streams[i];
    return NULL;
}

static int recently_finished(struct session *s, uint32_t id)
{
    for (unsigned i = 0; i < sizeof s->finished / sizeof s->finished[0]; i++)
        if (s->finished[i] == id)
            return 1;
    return 0;
}

static void stream_release(struct session *s, struct stream *st, int remember)
{
    if (st->vt && st->vt->destroy)
        st->vt->destroy(st);
    if (remember) {
        s->finished[s->fin_pos] = st->id;
        s->fin_pos = (s->fin_pos + 1) % (sizeof s->finished / sizeof s->finished[0]);
    }
    memset(st, 0, sizeof *st);
}

void stream_finish_result(struct session *s, struct stream *st, const char *json)
{
    send_frame(s, FT_RESULT, 0, st->id, json, strlen(json));
    LOGD("stream %u: RESULT %s", st->id, json);
    stream_release(s, st, 1);
}

void stream_finish_error(struct session *s, struct stream *st, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_error_v(s, st->id, code, fmt, ap);
    va_end(ap);
    stream_release(s, st, 1);
}

void stream_consumed(struct session *s, struct stream *st, size_t n)
{
    st->in_consumed += n;
    if (st->in_eof || st->in_consumed < CREDIT_BATCH)
        return;
    uint8_t p[4];
    put_be32(p, (uint32_t)st->in_consumed);
    send_frame(s, FT_CREDIT, CH_IN, st->id, p, 4);
    st->in_credit += st->in_consumed;
    st->in_consumed = 0;
}

size_t stream_sendable(struct session *s, struct stream *st, int ch)
{
    if (outq_len(s) >= OUTQ_HIGH || s->dead)
        return 0;
    uint64_t c = st->out_credit[ch];
    return (size_t)(c < DATA_MAX_PAYLOAD ? c : DATA_MAX_PAYLOAD);
}

void stream_send_data(struct session *s, struct stream *st, int ch, const void *p, size_t n)
{
    if (n == 0)
        return;
    send_frame(s, FT_DATA, (uint8_t)ch, st->id, p, n);
    st->out_credit[ch] -= n;
}

/* ---------------- session ---------------- */

int session_init(struct session *s)
{
    memset(s, 0, sizeof *s);
    if (fr_init(&s->fr) < 0)
        return -1;
    s->oq.cap = OUTQ_CAP;
    s->oq.buf = malloc(s->oq.cap);
    return s->oq.buf ? 0 : -1;
}

void session_reset(struct session *s)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        if (s->streams[i].in_use)
            stream_release(s, &s->streams[i], 0);
    memset(s->finished, 0, sizeof s->finished);
    fr_reset(&s->fr);
    s->oq.start = s->oq.end = 0;
    s->handshaken = 0;
    s->attach = NULL;
    s->dead = 0;
}

void session_free(struct session *s)
{
    session_reset(s);
    fr_free(&s->fr);
    free(s->oq.buf);
}

void session_cancel_all(struct session *s, const char *msg)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        if (s->streams[i].in_use)
            stream_finish_error(s, &s->streams[i], "cancelled", "%s", msg);
}

static void cancel_all_silently(struct session *s)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        if (s->streams[i].in_use)
            stream_release(s, &s->streams[i], 1);
}

static struct jtok g_hello_toks[4096];

/* Our HELLO: the reply to a host HELLO (with reply_to) or, without a nonce, the
 * announcement sent when a host attaches, so the host need not wait for its next resend. */
static void send_hello(struct session *s, const char *nonce, const char *attach)
{
    struct jbuf b;
    jb_init(&b, 8192);
    jb_raw(&b, "{\"protocol\":1,");
    if (nonce) {
        jb_key(&b, "reply_to");
        jb_str(&b, nonce);
        jb_raw(&b, ",");
    }
    jb_raw(&b, "\"agent_version\":\"" AGENT_VERSION "\",\"pid\":");
    jb_i64(&b, getpid());
    jb_raw(&b, g_conf.guest ? ",\"mode\":\"guest\"" : ",\"mode\":\"dev\"");
    if (attach) {
        jb_raw(&b, ",");
        jb_key(&b, "attach");
        jb_str(&b, attach);
    }
    jb_raw(&b, ",\"capabilities\":[\"exec\",\"archive_import\",\"archive_export\",\"stat\",\"list\","
               "\"shutdown\",\"ping\",\"sessions\",\"manifest\",\"export_paths\",\"byte_names\",\"shells\",\"services\",\"files\",\"secrets\",\"duration_us\"");
    if (g_conf.staging_fd >= 0)
        jb_raw(&b, ",\"atomic_import\"");
    if (g_conf.guest)
        jb_raw(&b, ",\"ttl\",\"freeze\",\"identity\"");
    if (g_conf.page_reporting)
        jb_raw(&b, ",\"page_reporting\"");
    jb_raw(&b, "],\"max_sessions\":" PYRO_STR(MAX_CONNS) ",\"max_shells\":" PYRO_STR(MAX_SHELLS)
               ",\"max_services\":" PYRO_STR(MAX_SERVICES) ",\"max_frame\":1048576,\"window\":262144");
    if (g_conf.ttl_ms) {
        jb_raw(&b, ",\"ttl_ms\":");
        jb_u64(&b, g_conf.ttl_ms);
    }
    if (g_conf.idle_reclaim_ms) {
        jb_raw(&b, ",\"idle_reclaim_ms\":");
        jb_u64(&b, g_conf.idle_reclaim_ms);
    }
    jb_raw(&b, ",\"boot_ms\":");
    jb_u64(&b, g_conf.boot_ms);
    jb_raw(&b, "}");
    if (!b.err)
        send_frame(s, FT_HELLO, 0, 0, b.p, b.len);
    jb_free(&b);
}

void session_announce(struct session *s, const char *attach)
{
    s->attach = attach;
    send_hello(s, NULL, attach);
}


static void handle_hello(struct session *s, const struct frame *f)
{
    const char *js = (const char *)f->payload;
    size_t nt;
    if (f->len > REQ_MAX_JSON || json_parse(js, f->len, g_hello_toks, 4096, &nt) < 0 ||
        g_hello_toks[0].type != J_OBJ) {
        send_error(s, 0, "bad_request", "HELLO payload is not a JSON object");
        return;
    }
    /* a host HELLO starts a new session: previous streams are cancelled without frames */
    cancel_all_silently(s);
    /* Not the first HELLO since the host attached: a resend, or on virtio-serial a new host
     * that came while the agent still counted the previous one as attached. */
    const char *attach = s->handshaken ? "again" : s->attach;
    s->handshaken = 1;

    char nonce[1024];
    int have_nonce = 0;
    int v = json_obj_get(js, g_hello_toks, 0, "nonce");
    if (v >= 0 && g_hello_toks[v].type == J_STR && json_str_decode(js, &g_hello_toks[v], nonce, sizeof nonce) >= 0)
        have_nonce = 1;
    v = json_obj_get(js, g_hello_toks, 0, "time_ms");
    int64_t tms;
    if (g_conf.guest && v >= 0 && json_get_i64(js, &g_hello_toks[v], &tms) == 0 && tms > 0) {
        struct timespec ts = { (time_t)(tms / 1000), (long)(tms % 1000) * 1000000L }, was;
        /* a clock set back could give a later write the timestamps of a cached file */
        if (clock_gettime(CLOCK_REALTIME, &was) == 0)
            statcache_clock_set(&was, &ts);
        if (clock_settime(CLOCK_REALTIME, &ts) != 0)
            LOGD("clock_settime: %s", strerror(errno));
    }

    send_hello(s, have_nonce ? nonce : NULL, attach);
    LOGD("handshake done");
}

static void do_shutdown(struct session *s, struct stream *st, int reboot)
{
    for (int i = 0; i < MAX_STREAMS; i++) {
        struct stream *o = &s->streams[i];
        if (o->in_use && o != st)
            stream_finish_error(s, o, "cancelled", "agent is shutting down");
    }
    stream_finish_result(s, st, "{}");
    s->shutdown_pending = reboot ? 2 : 1;
}

static void handle_open(struct session *s, const struct frame *f)
{
    XTRACE(XT_OPEN);
    if (f->stream == 0) {
        send_error(s, 0, "bad_stream", "OPEN on stream 0");
        return;
    }
    if (!s->handshaken) {
        send_error(s, f->stream, "handshake_required", "send HELLO first");
        return;
    }
    struct stream *old = find_stream(s, f->stream);
    if (old) {
        stream_finish_error(s, old, "bad_stream", "stream id %u is already open", f->stream);
        return;
    }
    if (s->shutdown_pending) {
        send_error(s, f->stream, "cancelled", "agent is shutting down");
        return;
    }
    struct stream *st = NULL;
    for (int i = 0; i < MAX_STREAMS; i++)
        if (!s->streams[i].in_use) {
            st = &s->streams[i];
            break;
        }
    if (!st) {
        send_error(s, f->stream, "too_many_streams", "more than %d open streams", MAX_STREAMS);
        return;
    }
    memset(st, 0, sizeof *st);
    st->in_use = 1;
    st->id = f->stream;
    st->in_credit = FLOW_WINDOW;
    st->out_credit[CH_OUT] = st->out_credit[CH_ERR] = FLOW_WINDOW;

    struct request r;
    char err[256];
    int rc = request_parse(f->payload, f->len, &r, err, sizeof err);
    if (rc == REQ_BAD) {
        stream_finish_error(s, st, "bad_request", "%s", err);
    } else if (rc == REQ_UNKNOWN_OP) {
        stream_finish_error(s, st, "unknown_op", "unknown op");
    } else if ((r.op == OP_EXEC || r.op == OP_SHELL_OPEN || r.op == OP_SERVICE_START) &&
               secrets_apply_env(&r, err, sizeof err) < 0) {
        stream_finish_error(s, st, "secret_not_found", "%s", err);
    } else {
        XTRACE(XT_PARSED);
        LOGD("stream %u: OPEN op=%d", st->id, r.op);
        switch (r.op) {
        case OP_EXEC: op_exec_start(s, st, &r); break;
        case OP_IMPORT: op_import_start(s, st, &r); break;
        case OP_EXPORT: op_export_start(s, st, &r); break;
        case OP_LIST: op_list_start(s, st, &r); break;
        case OP_STAT: op_stat_start(s, st, &r); break;
        case OP_MANIFEST: op_manifest_start(s, st, &r); break;
        case OP_PING: stream_finish_result(s, st, "{\"pong\":true}"); break;
        case OP_SHELL_OPEN: case OP_SHELL_READ: case OP_SHELL_WRITE: case OP_SHELL_SIGNAL: case OP_SHELL_RESIZE:
        case OP_SHELL_LIST: case OP_SHELL_CLOSE: case OP_SHELL_ATTACH: op_shell_start(s, st, &r); break;
        case OP_FILE_READ: case OP_FILE_WRITE: op_file_start(s, st, &r); break;
        case OP_SERVICE_START: case OP_SERVICE_STATUS: case OP_SERVICE_LIST: case OP_SERVICE_LOGS:
        case OP_SERVICE_STOP: op_service_start(s, st, &r); break;
        case OP_SHUTDOWN: do_shutdown(s, st, r.reboot); break;
        case OP_FREEZE: op_freeze_start(s, st, &r); break;
        case OP_SECRETS_PUT: op_secrets_put(s, st, &r); break;
        case OP_IDENTITY_SET: op_identity_set(s, st, &r); break;
        default: stream_finish_error(s, st, "internal", "unhandled op"); break;
        }
    }
    request_free(&r);
    if (st->in_use && !st->vt) {
        /* an op that neither finished nor installed hooks would leak the slot */
        stream_finish_error(s, st, "internal", "operation did not start");
    }
}

static void handle_stream_frame(struct session *s, const struct frame *f)
{
    struct stream *st = f->stream ? find_stream(s, f->stream) : NULL;
    if (!st) {
        if (f->stream && recently_finished(s, f->stream))
            return;   /* races with CANCEL or an early ERROR are normal */
        send_error(s, f->stream, "bad_stream", "no open stream %u", f->stream);
        return;
    }
    int ch = f->flags & 0x0f;
    switch (f->type) {
    case FT_DATA:
        if (ch != CH_IN)
            return;   /* the host sends only on channel 0 */
        if (f->len > DATA_MAX_PAYLOAD) {
            stream_finish_error(s, st, "flow_control", "DATA payload of %u bytes exceeds %u", f->len, DATA_MAX_PAYLOAD);
            return;
        }
        if (f->len > st->in_credit) {
            stream_finish_error(s, st, "flow_control", "DATA exceeds granted credit (%u > %llu)",
                                f->len, (unsigned long long)st->in_credit);
            return;
        }
        st->in_credit -= f->len;
        if (st->in_eof || !st->vt->on_data)
            stream_consumed(s, st, f->len);   /* nobody reads channel 0: discard */
        else if (f->len)
            st->vt->on_data(s, st, f->payload, f->len);
        return;
    case FT_EOF:
        if (ch != CH_IN || st->in_eof)
            return;
        st->in_eof = 1;
        if (st->vt->on_eof)
            st->vt->on_eof(s, st);
        return;
    case FT_CREDIT: {
        if (f->len != 4) {
            stream_finish_error(s, st, "bad_request", "CREDIT payload must be 4 bytes");
            return;
        }
        if (ch == CH_OUT || ch == CH_ERR) {
            st->out_credit[ch] += get_be32(f->payload);
            if (st->out_credit[ch] > (UINT64_C(1) << 40))
                st->out_credit[ch] = UINT64_C(1) << 40;
        }
        return;
    }
    case FT_CANCEL:
        LOGD("stream %u: CANCEL", st->id);
        if (st->vt->on_cancel)
            st->vt->on_cancel(s, st);
        else
            stream_finish_error(s, st, "cancelled", "cancelled by host");
        return;
    }
}

static void handle_frame(struct session *s, const struct frame *f)
{
    switch (f->type) {
    case FT_HELLO:
        if (f->stream != 0)
            break;
        handle_hello(s, f);
        return;
    case FT_PING:
        if (f->stream != 0)
            break;
        if (f->len > 64) {
            send_error(s, 0, "bad_request", "PING payload over 64 bytes");
            return;
        }
        send_frame(s, FT_PONG, 0, 0, f->payload, f->len);
        return;
    case FT_PONG:
        if (f->stream != 0)
            break;
        return;
    case FT_ERROR:
        if (f->stream != 0)
            break;
        LOGD("host reported an error: %.*s", (int)MIN(f->len, 300u), (const char *)f->payload);
        return;
    case FT_OPEN:
        handle_open(s, f);
        return;
    case FT_DATA:
    case FT_EOF:
    case FT_CREDIT:
    case FT_CANCEL:
        handle_stream_frame(s, f);
        return;
    }
    /* unknown type, or a type that is not valid in this direction / on this stream */
    struct stream *st = f->stream ? find_stream(s, f->stream) : NULL;
    if (st)
        stream_finish_error(s, st, "bad_frame", "unexpected frame type 0x%02x", f->type);
    else if (!(f->stream && recently_finished(s, f->stream)))
        send_error(s, f->stream, "bad_frame", "unexpected frame type 0x%02x", f->type);
}

void session_process_input(struct session *s)
{
    while (!s->dead && outq_len(s) < OUTQ_HIGH && !s->shutdown_pending) {
        struct frame f;
        int r = fr_next(&s->fr, &f);
        if (r == FR_NEED)
            return;
        if (r == FR_BAD) {
            send_error(s, 0, "bad_frame", "lost frame sync; resynchronising");
            continue;
        }
        handle_frame(s, &f);
    }
}

void session_child_exited(struct session *s, pid_t pid, int status)
{
    for (int i = 0; i < MAX_STREAMS; i++) {
        struct stream *st = &s->streams[i];
        if (st->in_use && st->vt && st->vt->on_child)
            st->vt->on_child(s, st, pid, status);
    }
}

int session_busy(const struct session *s)
{
    if (outq_len(s))
        return 1;
    for (int i = 0; i < MAX_STREAMS; i++)
        if (s->streams[i].in_use)
            return 1;
    return 0;
}

int session_pollfds(struct session *s, struct pollfd *pfd, int *owners, int *tags, int max, int *timeout)
{
    int n = 0;
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_STREAMS; i++) {
        struct stream *st = &s->streams[i];
        if (!st->in_use || !st->vt)
            continue;
        if (st->vt->add_pollfds && n < max) {
            int k = st->vt->add_pollfds(s, st, pfd + n, tags + n, max - n);
            for (int j = 0; j < k; j++)
                owners[n + j] = i;
            n += k;
        }
        if (st->vt->ready && st->vt->ready(s, st))
            *timeout = 0;
        if (st->vt->deadline) {
            uint64_t d = st->vt->deadline(st);
            if (d) {
                int t = d <= now ? 0 : (int)MIN(d - now, (uint64_t)60000);
                if (*timeout < 0 || t < *timeout)
                    *timeout = t;
            }
        }
    }
    return n;
}

void session_dispatch_poll(struct session *s, int owner, uint32_t id, int tag, short revents)
{
    struct stream *st = &s->streams[owner];
    /* the slot may have been finished (and even reused) since poll() was set up */
    if (st->in_use && st->id == id && st->vt && st->vt->on_poll)
        st->vt->on_poll(s, st, tag, revents);
}

void session_tick(struct session *s)
{
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_STREAMS; i++) {
        struct stream *st = &s->streams[i];
        if (!st->in_use || !st->vt)
            continue;
        if (st->vt->deadline && st->vt->on_timer) {
            uint64_t d = st->vt->deadline(st);
            if (d && d <= now)
                st->vt->on_timer(s, st, now);
        }
        if (st->in_use && st->vt && st->vt->ready && st->vt->produce && st->vt->ready(s, st))
            st->vt->produce(s, st);
    }
}
