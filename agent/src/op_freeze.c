/* workspace_freeze (docs/protocol.md §5): the workspace disk's file system is
 * frozen (FIFREEZE: every dirty page and the journal written out, writers
 * blocked) for as long as the stream lives. The host takes its snapshot, then
 * CANCELs; the file system is thawed on CANCEL, on any end of the stream (a
 * disconnect, a new HELLO, shutdown) and at the latest after timeout_ms, so a
 * host that dies never leaves the guest's writers blocked. */
#define _GNU_SOURCE
#include "log.h"
#include "op_common.h"
#include "session.h"
#include "util.h"
#include "wsdisk.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct freeze_st {
    uint64_t since, until;
    int held;
};

static void fz_release(struct freeze_st *f)
{
    if (!f->held)
        return;
    f->held = 0;
    int rc = wsdisk_thaw();
    if (rc != 0)
        LOGE("thawing the workspace disk: %s", strerror(-rc));
}

static void fz_cancel(struct session *s, struct stream *st)
{
    struct freeze_st *f = st->state;
    char res[96];
    snprintf(res, sizeof res, "{\"thawed\":true,\"frozen_ms\":%llu}", (unsigned long long)(now_ms() - f->since));
    fz_release(f);
    stream_finish_result(s, st, res);
}

static uint64_t fz_deadline(struct stream *st)
{
    return ((struct freeze_st *)st->state)->until;
}

static void fz_timer(struct session *s, struct stream *st, uint64_t now)
{
    struct freeze_st *f = st->state;
    if (now < f->until)
        return;
    fz_release(f);
    stream_finish_error(s, st, "timeout", "the workspace disk was thawed after %llu ms: the host did not end the "
                        "freeze in time", (unsigned long long)(now - f->since));
}

static void fz_destroy(struct stream *st)
{
    fz_release(st->state);
    free(st->state);
    st->state = NULL;
}

static const struct op_vtbl freeze_vt = {
    .on_cancel = fz_cancel,
    .deadline = fz_deadline,
    .on_timer = fz_timer,
    .destroy = fz_destroy,
};

void op_freeze_start(struct session *s, struct stream *st, struct request *r)
{
    if (g_wsdisk_frozen) {
        stream_finish_error(s, st, "io_error", "the workspace disk is frozen already (by another stream)");
        return;
    }
    if (wsdisk_read_only()) {
        stream_finish_error(s, st, "io_error", "the workspace disk is mounted read-only");
        return;
    }
    int rc = wsdisk_freeze();
    if (rc == -ENOENT) {
        stream_finish_error(s, st, "io_error", "no workspace disk is mounted");
        return;
    }
    if (rc != 0) {
        stream_finish_error(s, st, "io_error", "cannot freeze the workspace disk: %s", strerror(-rc));
        return;
    }
    struct freeze_st *f = op_install(s, st, sizeof *f, &freeze_vt);
    if (!f) {
        wsdisk_thaw();
        return;
    }
    f->held = 1;
    f->since = now_ms();
    f->until = f->since + r->freeze_ms;
    static const char ev[] = "{\"event\":\"frozen\"}";
    send_frame(s, FT_EVENT, 0, st->id, ev, sizeof ev - 1);
}
