/* workspace_freeze (docs/protocol.md §5): the workspace disk's file system is
 * first written out (syncfs, in a child process: its time follows the dirty data
 * and the disk's speed, seconds under TCG on a loaded host, and the agent's loop
 * serves everything else meanwhile; EVENT "synced"), then frozen (FIFREEZE: only
 * what was written since and the journal are left to write, writers blocked;
 * EVENT "frozen") for as long as the stream lives. The host takes its snapshot,
 * then CANCELs; the file system is thawed on CANCEL, on any end of the stream (a
 * disconnect, a new HELLO, shutdown) and at the latest timeout_ms after "frozen",
 * so a host that dies never leaves the guest's writers blocked. */
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
#include <sys/wait.h>
#include <unistd.h>

struct freeze_st {
    uint64_t since, until;
    uint64_t hold_ms;
    pid_t syncer;   /* > 0 while the write-out runs */
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
    if (!f->held) {
        /* still writing out: nothing is frozen; the child ends by itself and is reaped */
        stream_finish_error(s, st, "cancelled", "the freeze was cancelled before the disk was frozen");
        return;
    }
    char res[96];
    snprintf(res, sizeof res, "{\"thawed\":true,\"frozen_ms\":%llu}", (unsigned long long)(now_ms() - f->since));
    fz_release(f);
    stream_finish_result(s, st, res);
}

static uint64_t fz_deadline(struct stream *st)
{
    struct freeze_st *f = st->state;
    return f->held ? f->until : 0;   /* the write-out has no limit here: the host bounds its wait */
}

static void fz_timer(struct session *s, struct stream *st, uint64_t now)
{
    struct freeze_st *f = st->state;
    if (!f->held || now < f->until)
        return;
    fz_release(f);
    stream_finish_error(s, st, "timeout", "the workspace disk was thawed after %llu ms: the host did not end the "
                        "freeze in time", (unsigned long long)(now - f->since));
}

/* FIFREEZE now; "frozen" and the hold's clock start once it returns. */
static void fz_freeze(struct session *s, struct stream *st, struct freeze_st *f)
{
    if (g_wsdisk_frozen) {
        stream_finish_error(s, st, "io_error", "the workspace disk is frozen already (by another stream)");
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
    f->held = 1;
    f->since = now_ms();
    f->until = f->since + f->hold_ms;
    static const char ev[] = "{\"event\":\"frozen\"}";
    send_frame(s, FT_EVENT, 0, st->id, ev, sizeof ev - 1);
}

static void fz_child(struct session *s, struct stream *st, pid_t pid, int status)
{
    struct freeze_st *f = st->state;
    if (f->syncer <= 0 || pid != f->syncer)
        return;
    f->syncer = 0;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
    if (rc == ENOENT) {
        stream_finish_error(s, st, "io_error", "no workspace disk is mounted");
        return;
    }
    if (rc != 0) {
        stream_finish_error(s, st, "io_error", "cannot write the workspace disk out: %s", strerror(rc));
        return;
    }
    static const char ev[] = "{\"event\":\"synced\"}";
    send_frame(s, FT_EVENT, 0, st->id, ev, sizeof ev - 1);
    fz_freeze(s, st, f);
}

static void fz_destroy(struct stream *st)
{
    fz_release(st->state);   /* a write-out still running ends by itself; the loop reaps it */
    free(st->state);
    st->state = NULL;
}

static const struct op_vtbl freeze_vt = {
    .on_cancel = fz_cancel,
    .deadline = fz_deadline,
    .on_timer = fz_timer,
    .on_child = fz_child,
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
    struct freeze_st *f = op_install(s, st, sizeof *f, &freeze_vt);
    if (!f)
        return;
    f->hold_ms = r->freeze_ms;
    pid_t pid = fork();
    if (pid == 0) {
        int rc = wsdisk_sync();
        _exit(rc < 0 ? -rc : 0);
    }
    if (pid < 0) {
        stream_finish_error(s, st, "io_error", "cannot start writing the workspace disk out: %s", strerror(errno));
        return;
    }
    f->syncer = pid;
}
