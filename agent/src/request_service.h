/* Parsing of the service_* OPEN payloads (protocol §12) into struct
 * service_request, hung off struct request. Pure, like request.c. Integers are only
 * type-checked here (REQ_ABSENT when missing) and names and readiness kinds are only
 * read: the ops check ranges and values, so those are invalid_argument, not bad_request. */
#ifndef PYRO_REQUEST_SERVICE_H
#define PYRO_REQUEST_SERVICE_H
#include "request.h"

struct service_request {
    char *name;
    char *ready_kind;          /* readiness.kind as given; NULL = no readiness check */
    char *ready_target;        /* its path, address, url or command; NULL when missing */
    int ready_conflict;        /* readiness names more than one target (e.g. url and path) */
    int64_t ready_timeout_ms, ready_interval_ms;
    int64_t timeout_ms;        /* service_stop */
    int64_t cursor, tail_lines, max_bytes;   /* service_logs */
    char *stream;              /* stdout, stderr or both; NULL = both */
};

#define SERVICE_NAME_MAX 64

/* 1 if name matches [A-Za-z0-9][A-Za-z0-9._-]{0,63} */
int service_name_valid(const char *name);

/* Parses the service_* op named op (already known to start with "service_") into
 * r->service (and r->argv/env/cwd for service_start). REQ_OK, REQ_BAD or REQ_UNKNOWN_OP. */
int request_parse_service(const char *s, const char *op, struct request *r, char *err, size_t errsz);
void service_request_free(struct service_request *q);

/* request.c's helpers on its shared token array, for this parser */
int req_obj_get(const char *s, int obj, const char *key);
int req_tok_type(int tok);
int req_get_str(const char *s, int obj, const char *key, char **out);   /* 0 absent/null, 1 set, -1 wrong type */
int req_get_int(const char *s, int obj, const char *key, int64_t *out); /* 0 absent (REQ_ABSENT), 1, -1 */
int req_parse_command(const char *s, int obj, struct request *r, char *err, size_t errsz);

#endif
