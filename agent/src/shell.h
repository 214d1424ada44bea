/* Shells: the first kind of resource (protocol §10, §11). A real PTY whose
 * session leader is the shell; its output is one merged, append-only stream
 * kept in a bounded ring that the agent drains whether or not a host is
 * connected; input goes through a bounded queue the agent feeds into the PTY
 * as the terminal takes it. */
#ifndef PYRO_SHELL_H
#define PYRO_SHELL_H
#include "json.h"
#include "request.h"
#include "resource.h"
#include "redact.h"
#include "ring.h"
#include <stdint.h>
#include <sys/types.h>

#define MAX_SHELLS          16
#define SHELL_RING_BYTES    (1u << 20)     /* output kept per shell */
#define SHELL_INPUT_QUEUE   (128u << 10)   /* input accepted, not yet taken by the terminal */
#define SHELL_MAX_WRITE     65536          /* one shell_write */
#define SHELL_DEFAULT_COLS  120
#define SHELL_DEFAULT_ROWS  30
#define SHELL_MAX_SIZE      1000           /* cols and rows */

enum shell_state {
    SHELL_RUNNING,    /* the shell process lives (or ended and its last output is on the way) */
    SHELL_EXITED,     /* it ended on its own and all its output is in; readable until closed */
    SHELL_CLOSING,    /* shell_close: hung up, SIGKILL follows, waiting for the reap */
    SHELL_CLOSED,     /* reaped after a close: kept briefly for the closer's RESULT */
};

struct shell {
    struct resource *res;
    pid_t pid;                /* session leader: its pid is the session and process group id */
    int master;               /* PTY master, -1 once hung up and drained */
    int cols, rows;
    int state;
    int status;               /* wait status once reaped */
    int reaped;
    struct ring out;
    struct redactor red;      /* secret values never enter the ring (protocol §13) */
    uint64_t last_output_ms;  /* when output last arrived (0 = never) */
    uint8_t *inq;             /* input queue (allocated on first input) */
    size_t in_off, in_len;
    uint64_t kill_at;         /* SIGKILL what is left of the session at this time, 0 = no */
    uint64_t drop_at;         /* SHELL_CLOSED: free the tombstone at this time */
    char *argv_json;          /* the command as a JSON array, for listings */
};

/* The shell with that id, running or exited (closing and closed ones are gone), or NULL. */
struct shell *shell_find(const char *id);
/* The shell behind a resource a stream remembered (any state), or NULL once freed. */
struct shell *shell_of(struct resource *r, uint32_t gen);
/* Shells that count against MAX_SHELLS (running or exited). */
int shell_count(void);
/* The i-th such shell in creation order, or NULL. */
struct shell *shell_nth(int i);

/* Starts argv (NULL: bash -l if found in PATH, else sh) on a new PTY of cols x rows
 * in cwdfd, with TERM=xterm-256color and env added. Returns the shell, or NULL
 * with *code/err set (exec_failed, internal). */
struct shell *shell_spawn(char **argv, char **env, int cwdfd, int cols, int rows, const char **code,
                          char *err, size_t errsz);

size_t shell_input_room(const struct shell *sh);
void shell_input(struct shell *sh, const uint8_t *p, size_t n);   /* n <= room */
/* Sends sig to the terminal's foreground process group (the shell's when none);
 * returns that group, or -errno. */
long shell_signal(struct shell *sh, int sig);
int shell_resize(struct shell *sh, int cols, int rows);   /* 0 or -errno */
/* Hangs the session up (SIGHUP), SIGKILL follows after a grace period; the shell
 * becomes SHELL_CLOSED once reaped (at once if it had exited). */
void shell_close(struct shell *sh);
/* Frees a SHELL_CLOSED shell whose closer has its answer. */
void shell_drop(struct shell *sh);

/* "state":…,"exit_code":…,"signal":… members (no braces, no leading comma). */
void shell_status_json(struct jbuf *b, const struct shell *sh);
/* True once the shell ended and everything it wrote is in the ring (SHELL_EXITED). */
int shell_drained(const struct shell *sh);

#endif
