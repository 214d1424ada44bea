/* Connection session: stream table, dispatch of incoming frames, the bounded
 * outbound queue, credit accounting and the poll()-based event loop. */
#ifndef PYRO_SESSION_H
#define PYRO_SESSION_H
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "frame.h"
#include "request.h"

#define MAX_STREAMS 64
#define OUTQ_CAP   (4u << 20)     /* hard cap, never reached given the soft limit */
#define OUTQ_HIGH  (768u << 10)   /* above this: stop reading the host and producers */

struct session;
struct stream;

/* Per-operation hooks; all optional except destroy. */
struct op_vtbl {
    /* channel-0 bytes (credit already checked); the op calls stream_consumed() */
    void (*on_data)(struct session *s, struct stream *st, const uint8_t *p, size_t n);
    void (*on_eof)(struct session *s, struct stream *st);
    void (*on_cancel)(struct session *s, struct stream *st);
    /* add pollfds; returns count added. tags are op-defined small ints. */
    int (*add_pollfds)(struct session *s, struct stream *st, struct pollfd *pfd, int *tags, int max);
    void (*on_poll)(struct session *s, struct stream *st, int tag, short revents);
    /* producers (export/list): 1 if it could make progress now */
    int (*ready)(struct session *s, struct stream *st);
    void (*produce)(struct session *s, struct stream *st);
    /* earliest deadline in ms (monotonic), 0 = none; on_timer is called when reached */
    uint64_t (*deadline)(struct stream *st);
    void (*on_timer)(struct session *s, struct stream *st, uint64_t now);
    void (*on_child)(struct session *s, struct stream *st, pid_t pid, int status);
    /* release resources silently (kill processes); no frames */
    void (*destroy)(struct stream *st);
};

struct stream {
    int in_use;
    uint32_t id;
    int op;
    const struct op_vtbl *vt;
    void *state;
    uint64_t out_credit[3];   /* bytes we may still send per channel */
    uint64_t in_credit;       /* channel-0 bytes the host may still send */
    uint64_t in_consumed;     /* consumed, not yet returned as CREDIT */
    int in_eof;
};

struct outq {
    uint8_t *buf;
    size_t cap, start, end;
};

struct agent_conf {
    int guest;
    int pid1;
    int rootfd;               /* O_PATH directory fd of the workspace root */
    const char *root;
    uint64_t boot_ms;
    uint64_t ttl_ms;          /* guest: power off when CLOCK_BOOTTIME reaches this; 0 = never */
    /* atomic archive import: a staging directory on the same mount as the root,
     * and the root as seen through that mount (may differ from rootfd's mount,
     * e.g. /run/pyro/wsdisk/workspace bind-mounted on /workspace) */
    int staging_fd;           /* O_PATH directory fd, -1 = atomic import unavailable */
    int commit_rootfd;        /* O_PATH fd of the workspace root on the staging mount */
    char staging[512];
    uint64_t idle_reclaim_ms; /* guest: give memory back after this long without a request; 0 = never */
    int page_reporting;       /* guest: a virtio_balloon device reports free pages to the VMM */
};
extern struct agent_conf g_conf;

struct session {
    struct frame_reader fr;
    struct outq oq;
    int handshaken;           /* a host HELLO was answered since the host attached */
    const char *attach;       /* HELLO "attach" of this connection (static); NULL: not said */
    struct stream streams[MAX_STREAMS];
    uint32_t finished[256];   /* recently finished ids: late frames are dropped silently */
    unsigned fin_pos;
    int shutdown_pending;     /* 1 poweroff, 2 reboot; -1 another session shuts the agent down */
    int dead;                 /* outq overflow or write error: drop the connection */
};

int session_init(struct session *s);
/* A host just attached, noticed as attach (the HELLO "attach" value, a static string, or
 * NULL): sends an unsolicited HELLO (no reply_to). */
void session_announce(struct session *s, const char *attach);
void session_reset(struct session *s);   /* cancel all streams silently, clear buffers */
void session_free(struct session *s);
/* finish every open stream with ERROR cancelled (message msg) */
void session_cancel_all(struct session *s, const char *msg);

/* process every complete frame in the reader while the outq has room */
void session_process_input(struct session *s);
size_t outq_len(const struct session *s);

/* sending */
int send_frame(struct session *s, uint8_t type, uint8_t flags, uint32_t id, const void *p, size_t n);
/* reserve room for a frame header + up to n payload bytes; returns payload pointer */
uint8_t *outq_reserve(struct session *s, size_t n);
/* commit a reserved frame with its real payload length */
void outq_commit(struct session *s, uint8_t type, uint8_t flags, uint32_t id, size_t n);
void send_error(struct session *s, uint32_t id, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* finishing a stream: sends RESULT (json) or ERROR, then destroys it */
void stream_finish_result(struct session *s, struct stream *st, const char *json);
void stream_finish_error(struct session *s, struct stream *st, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* channel-0 bytes consumed by the op: returns credit to the host in batches */
void stream_consumed(struct session *s, struct stream *st, size_t n);
/* bytes we may send now on channel ch (credit, DATA max, outq room) */
size_t stream_sendable(struct session *s, struct stream *st, int ch);
void stream_send_data(struct session *s, struct stream *st, int ch, const void *p, size_t n);

/* child reaping: called by the loop for each reaped pid */
void session_child_exited(struct session *s, pid_t pid, int status);

/* loop integration */
/* 1 while a request is open or output is queued: the guest is not idle */
int session_busy(const struct session *s);
int session_pollfds(struct session *s, struct pollfd *pfd, int *owners, int *tags, int max, int *timeout);
void session_dispatch_poll(struct session *s, int owner, uint32_t id, int tag, short revents);
void session_tick(struct session *s);   /* timers and producers */

/* op entry points (each validates, then installs vt/state or finishes the stream) */
void op_exec_start(struct session *s, struct stream *st, struct request *r);
void op_import_start(struct session *s, struct stream *st, struct request *r);
void op_export_start(struct session *s, struct stream *st, struct request *r);
void op_list_start(struct session *s, struct stream *st, struct request *r);
void op_stat_start(struct session *s, struct stream *st, struct request *r);
void op_manifest_start(struct session *s, struct stream *st, struct request *r);
void op_shell_start(struct session *s, struct stream *st, struct request *r);   /* every shell_* op */
void op_file_start(struct session *s, struct stream *st, struct request *r);    /* file_read, file_write */
void op_service_start(struct session *s, struct stream *st, struct request *r);   /* every service_* op */
void op_freeze_start(struct session *s, struct stream *st, struct request *r);

/* base environment for exec children, set once at startup */
void exec_set_base_env(int guest);

#endif
