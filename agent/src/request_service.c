#include "request_service.h"
#include "json.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int op;
} g_ops[] = {
    { "service_start", OP_SERVICE_START }, { "service_status", OP_SERVICE_STATUS },
    { "service_list", OP_SERVICE_LIST }, { "service_logs", OP_SERVICE_LOGS },
    { "service_stop", OP_SERVICE_STOP },
};

/* the member of each readiness kind that names what to check */
static const char *const g_targets[] = { "path", "address", "url", "command" };

static int bad(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
    return REQ_BAD;
}

static int parse_readiness(const char *s, struct service_request *q, char *err, size_t errsz)
{
    int o = req_obj_get(s, 0, "readiness");
    if (o < 0 || req_tok_type(o) == J_NULL)
        return REQ_OK;
    if (req_tok_type(o) != J_OBJ)
        return bad(err, errsz, "readiness must be an object");
    if (req_get_str(s, o, "kind", &q->ready_kind) <= 0)
        return bad(err, errsz, "readiness.kind must be a string");
    static const char *const kinds[] = { "file", "tcp", "http", "command" };
    const char *want = NULL;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(q->ready_kind, kinds[i]))
            want = g_targets[i];
    for (size_t i = 0; i < 4; i++) {
        char *v = NULL;
        int rc = req_get_str(s, o, g_targets[i], &v);
        if (rc < 0)
            return bad(err, errsz, "readiness.%s must be a string", g_targets[i]);
        if (rc == 0)
            continue;
        if (want && !strcmp(want, g_targets[i]) && !q->ready_target) {
            q->ready_target = v;
        } else {
            free(v);
            q->ready_conflict = 1;
        }
    }
    return REQ_OK;
}

int request_parse_service(const char *s, const char *op, struct request *r, char *err, size_t errsz)
{
    for (size_t i = 0; i < sizeof g_ops / sizeof g_ops[0]; i++)
        if (!strcmp(op, g_ops[i].name))
            r->op = g_ops[i].op;
    if (!r->op) {
        snprintf(err, errsz, "unknown op");
        return REQ_UNKNOWN_OP;
    }
    struct service_request *q = r->service = calloc(1, sizeof *q);
    if (!q)
        return bad(err, errsz, "out of memory");
    static const struct {
        const char *key;
        size_t off;
    } ints[] = {
        { "ready_timeout_ms", offsetof(struct service_request, ready_timeout_ms) },
        { "ready_interval_ms", offsetof(struct service_request, ready_interval_ms) },
        { "timeout_ms", offsetof(struct service_request, timeout_ms) },
        { "cursor", offsetof(struct service_request, cursor) },
        { "tail_lines", offsetof(struct service_request, tail_lines) },
        { "max_bytes", offsetof(struct service_request, max_bytes) },
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (req_get_int(s, 0, ints[i].key, (int64_t *)((char *)q + ints[i].off)) < 0)
            return bad(err, errsz, "%s must be an integer", ints[i].key);
    if (r->op == OP_SERVICE_LIST)
        return REQ_OK;
    if (req_get_str(s, 0, "name", &q->name) <= 0)
        return bad(err, errsz, "name must be a string");
    if (req_get_str(s, 0, "stream", &q->stream) < 0)
        return bad(err, errsz, "stream must be a string");
    if (r->op != OP_SERVICE_START)
        return REQ_OK;
    if (req_parse_command(s, 0, r, err, errsz) != REQ_OK)
        return REQ_BAD;
    return parse_readiness(s, q, err, errsz);
}

int service_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SERVICE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return 0;
    }
    return 1;
}

void service_request_free(struct service_request *q)
{
    if (!q)
        return;
    free(q->name);
    free(q->ready_kind);
    free(q->ready_target);
    free(q->stream);
    free(q);
}
