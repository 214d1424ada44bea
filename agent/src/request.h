/* Parsing of OPEN payloads (docs/protocol.md §5) into a typed request.
 * Pure (no I/O), so unit tests and the fuzzer exercise it directly. */
#ifndef PYRO_REQUEST_H
#define PYRO_REQUEST_H
#include <stddef.h>
#include <stdint.h>

#define REQ_MAX_JSON   65536
#define REQ_MAX_ARGV   4096
#define REQ_MAX_ENV    4096
#define REQ_MAX_STR    65536
#define REQ_MAX_PATHS  8192     /* archive_export "paths" entries */
#define REQ_MAX_FILES  256      /* file_write "files" entries */
#define FILE_READ_DEFAULT 65536            /* file_read max_bytes when absent */
#define FILE_READ_MAX     (16 << 20)       /* file_read max_bytes at most */
#define FILE_WRITE_MAX    (64 << 20)       /* content bytes of one file_write */
#define FILE_HASH_MAX     FILE_WRITE_MAX   /* larger files never match an expected sha256 */
#define FREEZE_DEFAULT_MS 10000  /* workspace_freeze: thawed on its own after this */
#define FREEZE_MAX_MS     60000
#define IDENTITY_ENTROPY_MIN 64    /* identity_set: host entropy bytes, at least */
#define IDENTITY_ENTROPY_MAX 512
#define IDENTITY_HOSTNAME_MAX 63   /* one DNS label */
#define IDENTITY_TTL_MAX_MS (366ULL * 24 * 3600 * 1000)

enum op_kind {
    OP_NONE = 0, OP_EXEC, OP_IMPORT, OP_EXPORT, OP_STAT, OP_LIST, OP_SHUTDOWN, OP_PING, OP_MANIFEST,
    OP_SHELL_OPEN, OP_SHELL_READ, OP_SHELL_WRITE, OP_SHELL_SIGNAL, OP_SHELL_RESIZE, OP_SHELL_LIST,
    OP_SHELL_CLOSE, OP_SHELL_ATTACH, OP_FREEZE,
    OP_SERVICE_START, OP_SERVICE_STATUS, OP_SERVICE_LIST, OP_SERVICE_LOGS, OP_SERVICE_STOP,
    OP_FILE_READ, OP_FILE_WRITE, OP_SECRETS_PUT, OP_IDENTITY_SET,
};

/* One entry of file_write "files" (docs/protocol.md §5 file_write). */
/* identity_set: what a guest restored from a memory snapshot makes its own. */
struct identity_request {
    uint8_t entropy[IDENTITY_ENTROPY_MAX];
    size_t entropy_len;       /* IDENTITY_ENTROPY_MIN .. IDENTITY_ENTROPY_MAX */
    int64_t wall_ns;          /* host wall clock, ns since the epoch (> 0) */
    char hostname[IDENTITY_HOSTNAME_MAX + 1];
    char machine_id[33];      /* 32 lower-case hex digits, not all zero */
    int64_t ttl_ms;           /* REQ_ABSENT: keep; 0: none; else from now */
};

/* Pure checks of identity_set's values (also used by the op before applying). */
int identity_hostname_valid(const char *h);
int identity_machine_id_valid(const char *m);

enum { FILE_EXPECT_ANY = 0, FILE_EXPECT_ABSENT, FILE_EXPECT_SHA256 };
struct file_spec {
    char *path;
    uint64_t size;        /* content bytes on channel 0 (0 for a removal) */
    int64_t mode;         /* REQ_ABSENT: keep an existing file's, else 0644 */
    int expect;           /* FILE_EXPECT_* */
    char sha256[65];      /* FILE_EXPECT_SHA256: lower-case hex */
    int remove;
};

#define REQ_ABSENT INT64_MIN   /* an optional integer that was not given */

enum { REQ_OK = 0, REQ_BAD = -1, REQ_UNKNOWN_OP = -2 };

struct request {
    int op;
    /* exec */
    char **argv;          /* NULL-terminated */
    size_t argc;
    char **env;           /* "K=V", NULL-terminated */
    size_t envc;
    /* secret_env (exec, shell_open, service_start): secret name -> variable; the op
     * adds "VAR=value" from the agent's secret store to env */
    char **senv_name, **senv_var;
    size_t senvc;
    char *cwd;            /* NULL = workspace root */
    uint64_t timeout_ms;  /* 0 = none */
    int want_stdin;
    uint64_t max_output;  /* 0 = unlimited */
    /* archive_import / archive_export / stat / list */
    char *path;           /* import: dest; others: path */
    uint32_t strip;
    int recursive;
    int atomic;           /* archive_import: stage, validate, then commit */
    int hash;             /* manifest: sha256 of regular files */
    char **paths;         /* archive_export: selected paths (relative to path), NULL = all */
    size_t npaths;
    int reboot;           /* shutdown action */
    uint64_t freeze_ms;   /* workspace_freeze: longest hold, FREEZE_DEFAULT_MS when absent */
    /* shells (exec's argv/env/cwd too: argv optional for shell_open). Integers are
     * only type-checked here (REQ_ABSENT when missing); the op checks their ranges,
     * so a bad size is invalid_argument, not bad_request. */
    char *shell_id;
    int64_t cols, rows;
    int64_t cursor, max_bytes, idle_ms, max_wait_ms;
    char *signame;
    /* file_read: path, max_bytes; file_write: */
    struct file_spec *files;
    size_t nfiles;
    /* secrets_put: names and decoded values (values are bytes, not NUL-terminated) */
    char **secret_name;
    uint8_t **secret_val;
    size_t *secret_len;
    size_t nsecrets;
    /* identity_set (docs/protocol.md identity_set): all validated here */
    struct identity_request *identity;
    /* service_* ops (request_service.c); argv/env/cwd above for service_start */
    struct service_request *service;
};

/* Returns REQ_OK, REQ_BAD or REQ_UNKNOWN_OP; err receives a short message. */
int request_parse(const uint8_t *p, size_t n, struct request *r, char *err, size_t errsz);
void request_free(struct request *r);

/* Shared token array for JSON parsing, sized for the largest legal request. */
#define REQ_MAX_TOKENS (2 * REQ_MAX_ENV + REQ_MAX_ARGV + 256)

#endif
