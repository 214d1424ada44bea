#include "request.h"
#include "json.h"
#include "names.h"
#include "redact.h"
#include "request_service.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct jtok g_toks[REQ_MAX_TOKENS];

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
    return REQ_BAD;
}

static char *dup_str(const char *s, const struct jtok *t)
{
    size_t cap = (size_t)(t->end - t->start) + 1;   /* decoded never longer than raw */
    char *out = malloc(cap);
    if (!out)
        return NULL;
    if (json_str_decode(s, t, out, cap) < 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Optional string field: 0 absent/null, 1 set, -1 wrong type */
static int get_str(const char *s, int obj, const char *key, char **out)
{
    int v = json_obj_get(s, g_toks, obj, key);
    if (v < 0 || g_toks[v].type == J_NULL)
        return 0;
    if (g_toks[v].type != J_STR || g_toks[v].end - g_toks[v].start > REQ_MAX_STR)
        return -1;
    *out = dup_str(s, &g_toks[v]);
    return *out ? 1 : -1;
}

/* A name given as base64 bytes (token t, a J_STR): NUL-terminated copy, or NULL
 * when it is not canonical base64, empty, too long or holds a NUL byte. */
static char *dup_b64(const char *s, const struct jtok *t)
{
    size_t n = (size_t)(t->end - t->start);
    if (n == 0 || n > REQ_MAX_STR)
        return NULL;
    char *out = malloc(n + 1);   /* decoded is shorter than the text */
    if (!out)
        return NULL;
    long l = b64_decode(s + t->start, n, (uint8_t *)out, n);
    if (l <= 0 || memchr(out, 0, (size_t)l)) {
        free(out);
        return NULL;
    }
    out[l] = 0;
    return out;
}

/* A path-like field: "key" as a JSON string, or "key_b64" with its exact bytes
 * (which wins when both are given). 0 absent, 1 set, -1 wrong type or invalid. */
static int get_name(const char *s, int obj, const char *key, char **out)
{
    char k64[64];
    snprintf(k64, sizeof k64, "%s_b64", key);
    int v = json_obj_get(s, g_toks, obj, k64);
    if (v >= 0 && g_toks[v].type != J_NULL) {
        if (g_toks[v].type != J_STR)
            return -1;
        *out = dup_b64(s, &g_toks[v]);
        return *out ? 1 : -1;
    }
    return get_str(s, obj, key, out);
}

static int get_bool(const char *s, int obj, const char *key, int *out)
{
    int v = json_obj_get(s, g_toks, obj, key);
    if (v < 0 || g_toks[v].type == J_NULL)
        return 0;
    if (g_toks[v].type != J_BOOL)
        return -1;
    *out = s[g_toks[v].start] == 't';
    return 1;
}

static int get_uint(const char *s, int obj, const char *key, uint64_t max, uint64_t *out)
{
    int v = json_obj_get(s, g_toks, obj, key);
    if (v < 0 || g_toks[v].type == J_NULL)
        return 0;
    int64_t x;
    if (json_get_i64(s, &g_toks[v], &x) < 0 || x < 0 || (uint64_t)x > max)
        return -1;
    *out = (uint64_t)x;
    return 1;
}

static int parse_argv(const char *s, int a, struct request *r, char *err, size_t errsz)
{
    if (g_toks[a].size > REQ_MAX_ARGV)
        return fail(err, errsz, "argv has more than %d entries", REQ_MAX_ARGV);
    r->argv = calloc(g_toks[a].size + 1, sizeof(char *));
    if (!r->argv)
        return fail(err, errsz, "out of memory");
    uint32_t k = (uint32_t)a + 1;
    for (uint32_t i = 0; i < g_toks[a].size; i++) {
        if (g_toks[k].type != J_STR)
            return fail(err, errsz, "argv[%u] is not a string", i);
        r->argv[i] = dup_str(s, &g_toks[k]);
        if (!r->argv[i])
            return fail(err, errsz, "argv[%u] is not a valid string", i);
        r->argc++;
        k = g_toks[k].next;
    }
    if (r->argv[0][0] == 0)
        return fail(err, errsz, "argv[0] is empty");
    return REQ_OK;
}

/* Optional integer of any sign: 0 absent/null (out = REQ_ABSENT), 1 set, -1 not an integer */
static int get_int(const char *s, int obj, const char *key, int64_t *out)
{
    *out = REQ_ABSENT;
    int v = json_obj_get(s, g_toks, obj, key);
    if (v < 0 || g_toks[v].type == J_NULL)
        return 0;
    if (json_get_i64(s, &g_toks[v], out) < 0 || *out == REQ_ABSENT)
        return -1;
    return 1;
}

/* secret_env: {"SECRET_NAME": "VARIABLE", ...}; names as secrets_put allows them,
 * variables non-empty without '=' */
static int parse_secret_env(const char *s, int obj, struct request *r, char *err, size_t errsz)
{
    int e = json_obj_get(s, g_toks, obj, "secret_env");
    if (e < 0 || g_toks[e].type == J_NULL)
        return REQ_OK;
    if (g_toks[e].type != J_OBJ)
        return fail(err, errsz, "secret_env must be an object of strings");
    if (g_toks[e].size > SECRETS_MAX)
        return fail(err, errsz, "secret_env has more than %d entries", SECRETS_MAX);
    r->senv_name = calloc(g_toks[e].size + 1, sizeof(char *));
    r->senv_var = calloc(g_toks[e].size + 1, sizeof(char *));
    if (!r->senv_name || !r->senv_var)
        return fail(err, errsz, "out of memory");
    uint32_t k = (uint32_t)e + 1;
    for (uint32_t i = 0; i < g_toks[e].size; i++) {
        const struct jtok *kt = &g_toks[k], *vt = &g_toks[k + 1];
        if (vt->type != J_STR)
            return fail(err, errsz, "secret_env values must be strings");
        char *name = dup_str(s, kt), *var = dup_str(s, vt);
        r->senv_name[r->senvc] = name;
        r->senv_var[r->senvc++] = var;
        if (!name || !var || !secret_name_valid(name) || !var[0] || strchr(var, '='))
            return fail(err, errsz, "invalid secret_env entry");
        k = g_toks[k + 1].next;
    }
    return REQ_OK;
}

/* secrets_put: {"secrets": {"NAME": "<base64 value>", ...}} (the whole set) */
static int parse_secrets_put(const char *s, struct request *r, char *err, size_t errsz)
{
    int o = json_obj_get(s, g_toks, 0, "secrets");
    if (o < 0 || g_toks[o].type != J_OBJ)
        return fail(err, errsz, "secrets must be an object of base64 strings");
    if (g_toks[o].size > SECRETS_MAX)
        return fail(err, errsz, "secrets has more than %d entries", SECRETS_MAX);
    size_t n = g_toks[o].size;
    r->secret_name = calloc(n + 1, sizeof(char *));
    r->secret_val = calloc(n + 1, sizeof(uint8_t *));
    r->secret_len = calloc(n + 1, sizeof(size_t));
    if (!r->secret_name || !r->secret_val || !r->secret_len)
        return fail(err, errsz, "out of memory");
    uint32_t k = (uint32_t)o + 1;
    for (uint32_t i = 0; i < n; i++) {
        const struct jtok *kt = &g_toks[k], *vt = &g_toks[k + 1];
        if (vt->type != J_STR)
            return fail(err, errsz, "secret values must be base64 strings");
        size_t tl = (size_t)(vt->end - vt->start);
        char *name = dup_str(s, kt);
        uint8_t *val = tl > 0 && tl <= 4 * ((SECRET_VALUE_MAX + 2) / 3) ? malloc(tl) : NULL;
        long l = val ? b64_decode(s + vt->start, tl, val, tl) : -1;
        r->secret_name[r->nsecrets] = name;
        r->secret_val[r->nsecrets] = val;
        r->secret_len[r->nsecrets++] = l > 0 ? (size_t)l : 0;
        /* never echo a value: messages name the entry's position only */
        if (!name || !secret_name_valid(name))
            return fail(err, errsz, "secret %u has an invalid name", i);
        if (l <= 0 || l > SECRET_VALUE_MAX)
            return fail(err, errsz, "secret %u: the value must be 1 to %d bytes of canonical base64", i,
                        SECRET_VALUE_MAX);
        for (size_t j = 0; j + 1 < r->nsecrets; j++)
            if (!strcmp(r->secret_name[j], name))
                return fail(err, errsz, "secret %u: duplicate name", i);
        k = g_toks[k + 1].next;
    }
    return REQ_OK;
}

int identity_hostname_valid(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > IDENTITY_HOSTNAME_MAX || h[0] == '-' || h[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9') || h[i] == '-'))
            return 0;
    return 1;
}

int identity_machine_id_valid(const char *m)
{
    int nonzero = 0;
    size_t n = strlen(m);
    if (n != 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!((m[i] >= 'a' && m[i] <= 'f') || (m[i] >= '0' && m[i] <= '9')))
            return 0;
        nonzero |= m[i] != '0';
    }
    return nonzero;
}

/* identity_set: {"entropy": b64, "wall_ns": N, "hostname": s, "machine_id": hex, "ttl_ms": N} */
static int parse_identity(const char *s, struct request *r, char *err, size_t errsz)
{
    struct identity_request *id = calloc(1, sizeof *id);
    if (!(r->identity = id))
        return fail(err, errsz, "out of memory");
    int e = json_obj_get(s, g_toks, 0, "entropy");
    size_t tl = e >= 0 && g_toks[e].type == J_STR ? (size_t)(g_toks[e].end - g_toks[e].start) : 0;
    /* never decode more text than the largest legal value needs */
    long l = tl > 0 && tl <= 4 * ((IDENTITY_ENTROPY_MAX + 2) / 3)
        ? b64_decode(s + g_toks[e].start, tl, id->entropy, sizeof id->entropy) : -1;
    if (l < IDENTITY_ENTROPY_MIN || l > IDENTITY_ENTROPY_MAX)
        return fail(err, errsz, "entropy must be %d to %d bytes of canonical base64", IDENTITY_ENTROPY_MIN,
                    IDENTITY_ENTROPY_MAX);
    id->entropy_len = (size_t)l;
    if (get_int(s, 0, "wall_ns", &id->wall_ns) <= 0 || id->wall_ns <= 0)
        return fail(err, errsz, "wall_ns must be a positive integer");
    char *h = NULL, *m = NULL;
    int hr = get_str(s, 0, "hostname", &h), mr = get_str(s, 0, "machine_id", &m);
    int ok = hr > 0 && identity_hostname_valid(h);
    if (ok)
        memcpy(id->hostname, h, strlen(h) + 1);
    free(h);
    if (!ok) {
        free(m);
        return fail(err, errsz, "hostname must be 1 to %d of a-z, 0-9 and '-', not at either end",
                    IDENTITY_HOSTNAME_MAX);
    }
    ok = mr > 0 && identity_machine_id_valid(m);
    if (ok)
        memcpy(id->machine_id, m, 33);
    free(m);
    if (!ok)
        return fail(err, errsz, "machine_id must be 32 lower-case hex digits, not all zero");
    if (get_int(s, 0, "ttl_ms", &id->ttl_ms) < 0 ||
        (id->ttl_ms != REQ_ABSENT && (id->ttl_ms < 0 || (uint64_t)id->ttl_ms > IDENTITY_TTL_MAX_MS)))
        return fail(err, errsz, "ttl_ms must be an integer from 0 to %llu", (unsigned long long)IDENTITY_TTL_MAX_MS);
    return REQ_OK;
}

/* argv (required, or optional for shell_open), env, cwd and secret_env */
static int parse_command(const char *s, int obj, struct request *r, int argv_optional, char *err, size_t errsz)
{
    int a = json_obj_get(s, g_toks, obj, "argv");
    if (argv_optional && (a < 0 || g_toks[a].type == J_NULL))
        a = -1;
    else if (a < 0 || g_toks[a].type != J_ARR || g_toks[a].size == 0)
        return fail(err, errsz, "argv must be a non-empty array of strings");
    if (a >= 0 && parse_argv(s, a, r, err, errsz) != REQ_OK)
        return REQ_BAD;

    int e = json_obj_get(s, g_toks, obj, "env");
    if (e >= 0 && g_toks[e].type != J_NULL) {
        if (g_toks[e].type != J_OBJ)
            return fail(err, errsz, "env must be an object of strings");
        if (g_toks[e].size > REQ_MAX_ENV)
            return fail(err, errsz, "env has more than %d entries", REQ_MAX_ENV);
        r->env = calloc(g_toks[e].size + 1, sizeof(char *));
        if (!r->env)
            return fail(err, errsz, "out of memory");
        uint32_t k = (uint32_t)e + 1;
        for (uint32_t i = 0; i < g_toks[e].size; i++) {
            const struct jtok *kt = &g_toks[k], *vt = &g_toks[k + 1];
            if (vt->type != J_STR)
                return fail(err, errsz, "env values must be strings");
            char *key = dup_str(s, kt), *val = dup_str(s, vt);
            if (!key || !val || !key[0] || strchr(key, '=')) {
                free(key);
                free(val);
                return fail(err, errsz, "invalid env entry");
            }
            size_t l = strlen(key) + strlen(val) + 2;
            char *kv = malloc(l);
            if (kv)
                snprintf(kv, l, "%s=%s", key, val);
            free(key);
            free(val);
            if (!kv)
                return fail(err, errsz, "out of memory");
            r->env[r->envc++] = kv;
            k = g_toks[k + 1].next;
        }
    }
    if (get_str(s, obj, "cwd", &r->cwd) < 0)
        return fail(err, errsz, "cwd must be a string");
    return parse_secret_env(s, obj, r, err, errsz);
}

static int parse_exec(const char *s, int obj, struct request *r, char *err, size_t errsz)
{
    if (parse_command(s, obj, r, 0, err, errsz) != REQ_OK)
        return REQ_BAD;
    if (get_uint(s, obj, "timeout_ms", UINT64_C(1) << 53, &r->timeout_ms) < 0)
        return fail(err, errsz, "timeout_ms must be a non-negative integer");
    if (get_bool(s, obj, "stdin", &r->want_stdin) < 0)
        return fail(err, errsz, "stdin must be a boolean");
    if (get_uint(s, obj, "max_output_bytes", UINT64_C(1) << 62, &r->max_output) < 0)
        return fail(err, errsz, "max_output_bytes must be a non-negative integer");
    return REQ_OK;
}

/* archive_export "paths": absent/null = everything; else an array of non-empty strings */
static int parse_paths(const char *s, struct request *r, char *err, size_t errsz)
{
    int a = json_obj_get(s, g_toks, 0, "paths");
    if (a < 0 || g_toks[a].type == J_NULL)
        return REQ_OK;
    if (g_toks[a].type != J_ARR)
        return fail(err, errsz, "paths must be an array of strings");
    if (g_toks[a].size > REQ_MAX_PATHS)
        return fail(err, errsz, "paths has more than %d entries", REQ_MAX_PATHS);
    r->paths = calloc(g_toks[a].size + 1, sizeof(char *));
    if (!r->paths)
        return fail(err, errsz, "out of memory");
    uint32_t k = (uint32_t)a + 1;
    for (uint32_t i = 0; i < g_toks[a].size; i++) {
        /* a string, or {"b64": "<bytes>"} for a name that is not UTF-8 */
        if (g_toks[k].type == J_STR) {
            r->paths[i] = dup_str(s, &g_toks[k]);
        } else if (g_toks[k].type == J_OBJ) {
            int b = json_obj_get(s, g_toks, (int)k, "b64");
            r->paths[i] = b >= 0 && g_toks[b].type == J_STR ? dup_b64(s, &g_toks[b]) : NULL;
        } else {
            return fail(err, errsz, "paths[%u] is not a string or {\"b64\": ...}", i);
        }
        if (r->paths[i])
            r->npaths++;
        if (!r->paths[i] || !r->paths[i][0])
            return fail(err, errsz, "paths[%u] is empty or not a valid name", i);
        k = g_toks[k].next;
    }
    return REQ_OK;
}

static int is_hex64(const char *h)
{
    if (strlen(h) != 64)
        return 0;
    for (const char *c = h; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return 0;
    return 1;
}

/* file_write "files": a non-empty array of objects (path, size, mode, expect, remove) */
static int parse_files(const char *s, struct request *r, char *err, size_t errsz)
{
    int a = json_obj_get(s, g_toks, 0, "files");
    if (a < 0 || g_toks[a].type != J_ARR || g_toks[a].size == 0)
        return fail(err, errsz, "files must be a non-empty array of objects");
    if (g_toks[a].size > REQ_MAX_FILES)
        return fail(err, errsz, "files has more than %d entries", REQ_MAX_FILES);
    r->files = calloc(g_toks[a].size, sizeof *r->files);
    if (!r->files)
        return fail(err, errsz, "out of memory");
    uint32_t k = (uint32_t)a + 1;
    for (uint32_t i = 0; i < g_toks[a].size; i++, k = g_toks[k].next) {
        struct file_spec *f = &r->files[r->nfiles++];
        f->mode = REQ_ABSENT;
        if (g_toks[k].type != J_OBJ)
            return fail(err, errsz, "files[%u] is not an object", i);
        if (get_str(s, (int)k, "path", &f->path) <= 0 || !f->path[0])
            return fail(err, errsz, "files[%u].path must be a non-empty string", i);
        if (get_bool(s, (int)k, "remove", &f->remove) < 0)
            return fail(err, errsz, "files[%u].remove must be a boolean", i);
        int has = get_uint(s, (int)k, "size", UINT64_C(1) << 53, &f->size);
        if (has < 0 || (!has && !f->remove) || (has && f->remove && f->size))
            return fail(err, errsz, "files[%u].size must be a non-negative integer (and absent or 0 to remove)", i);
        if (get_int(s, (int)k, "mode", &f->mode) < 0)
            return fail(err, errsz, "files[%u].mode must be an integer", i);
        char *expect = NULL;
        if (get_str(s, (int)k, "expect", &expect) < 0)
            return fail(err, errsz, "files[%u].expect must be a string", i);
        if (expect) {
            if (!strcmp(expect, "absent")) {
                f->expect = FILE_EXPECT_ABSENT;
            } else if (is_hex64(expect)) {
                f->expect = FILE_EXPECT_SHA256;
                memcpy(f->sha256, expect, 65);
            } else {
                free(expect);
                return fail(err, errsz, "files[%u].expect must be \"absent\" or 64 lower-case hex digits", i);
            }
            free(expect);
        }
    }
    return REQ_OK;
}

static const struct {
    const char *name;
    int op;
} g_shell_ops[] = {
    { "shell_open", OP_SHELL_OPEN }, { "shell_read", OP_SHELL_READ }, { "shell_write", OP_SHELL_WRITE },
    { "shell_signal", OP_SHELL_SIGNAL }, { "shell_resize", OP_SHELL_RESIZE }, { "shell_list", OP_SHELL_LIST },
    { "shell_close", OP_SHELL_CLOSE }, { "shell_attach", OP_SHELL_ATTACH },
};

static int parse_shell(const char *s, struct request *r, char *err, size_t errsz)
{
    static const struct {
        const char *key;
        size_t off;
    } ints[] = {
        { "cols", offsetof(struct request, cols) }, { "rows", offsetof(struct request, rows) },
        { "cursor", offsetof(struct request, cursor) }, { "max_bytes", offsetof(struct request, max_bytes) },
        { "wait_for_idle_ms", offsetof(struct request, idle_ms) },
        { "max_wait_ms", offsetof(struct request, max_wait_ms) },
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (get_int(s, 0, ints[i].key, (int64_t *)((char *)r + ints[i].off)) < 0)
            return fail(err, errsz, "%s must be an integer", ints[i].key);
    if (r->op == OP_SHELL_OPEN)
        return parse_command(s, 0, r, 1, err, errsz);
    if (r->op == OP_SHELL_LIST)
        return REQ_OK;
    if (get_str(s, 0, "shell_id", &r->shell_id) <= 0)
        return fail(err, errsz, "shell_id must be a string");
    if (r->op == OP_SHELL_SIGNAL && get_str(s, 0, "signal", &r->signame) <= 0)
        return fail(err, errsz, "signal must be a string");
    return REQ_OK;
}

int request_parse(const uint8_t *p, size_t n, struct request *r, char *err, size_t errsz)
{
    memset(r, 0, sizeof *r);
    err[0] = 0;
    if (n > REQ_MAX_JSON)
        return fail(err, errsz, "request larger than %d bytes", REQ_MAX_JSON);
    const char *s = (const char *)p;
    size_t nt;
    if (json_parse(s, n, g_toks, REQ_MAX_TOKENS, &nt) < 0)
        return fail(err, errsz, "invalid JSON");
    if (g_toks[0].type != J_OBJ)
        return fail(err, errsz, "request must be a JSON object");
    int o = json_obj_get(s, g_toks, 0, "op");
    if (o < 0 || g_toks[o].type != J_STR)
        return fail(err, errsz, "missing string field op");
    char op[32];
    if (json_str_decode(s, &g_toks[o], op, sizeof op) < 0)
        return REQ_UNKNOWN_OP;
    int rc = REQ_OK;
    uint64_t v = 0;
    if (!strcmp(op, "exec")) {
        r->op = OP_EXEC;
        rc = parse_exec(s, 0, r, err, errsz);
    } else if (!strcmp(op, "archive_import")) {
        r->op = OP_IMPORT;
        if (get_name(s, 0, "dest", &r->path) <= 0)
            return fail(err, errsz, "dest must be a string (or dest_b64 its base64 bytes)");
        if (get_uint(s, 0, "strip_components", 4096, &v) < 0)
            return fail(err, errsz, "strip_components must be a small non-negative integer");
        r->strip = (uint32_t)v;
        if (get_bool(s, 0, "atomic", &r->atomic) < 0)
            return fail(err, errsz, "atomic must be a boolean");
    } else if (!strcmp(op, "archive_export") || !strcmp(op, "stat") || !strcmp(op, "list") ||
               !strcmp(op, "manifest")) {
        r->op = !strcmp(op, "stat") ? OP_STAT : !strcmp(op, "list") ? OP_LIST
              : !strcmp(op, "manifest") ? OP_MANIFEST : OP_EXPORT;
        if (get_name(s, 0, "path", &r->path) <= 0)
            return fail(err, errsz, "path must be a string (or path_b64 its base64 bytes)");
        if (r->op == OP_LIST && get_bool(s, 0, "recursive", &r->recursive) < 0)
            return fail(err, errsz, "recursive must be a boolean");
        if (r->op == OP_MANIFEST) {
            r->hash = 1;
            if (get_bool(s, 0, "hash", &r->hash) < 0)
                return fail(err, errsz, "hash must be a boolean");
        }
        if (r->op == OP_EXPORT && parse_paths(s, r, err, errsz) != REQ_OK)
            return REQ_BAD;
    } else if (!strcmp(op, "shutdown")) {
        r->op = OP_SHUTDOWN;
        char *action = NULL;
        if (get_str(s, 0, "action", &action) < 0)
            return fail(err, errsz, "action must be a string");
        if (action && strcmp(action, "poweroff") && strcmp(action, "reboot")) {
            free(action);
            return fail(err, errsz, "action must be poweroff or reboot");
        }
        r->reboot = action && !strcmp(action, "reboot");
        free(action);
    } else if (!strcmp(op, "secrets_put")) {
        r->op = OP_SECRETS_PUT;
        rc = parse_secrets_put(s, r, err, errsz);
    } else if (!strcmp(op, "identity_set")) {
        r->op = OP_IDENTITY_SET;
        rc = parse_identity(s, r, err, errsz);
    } else if (!strcmp(op, "ping")) {
        r->op = OP_PING;
    } else if (!strcmp(op, "file_read")) {
        r->op = OP_FILE_READ;
        if (get_str(s, 0, "path", &r->path) <= 0)
            return fail(err, errsz, "path must be a string");
        if (get_int(s, 0, "max_bytes", &r->max_bytes) < 0)
            return fail(err, errsz, "max_bytes must be an integer");
    } else if (!strcmp(op, "file_write")) {
        r->op = OP_FILE_WRITE;
        rc = parse_files(s, r, err, errsz);
    } else if (!strncmp(op, "service_", 8)) {
        rc = request_parse_service(s, op, r, err, errsz);
    } else if (!strcmp(op, "workspace_freeze")) {
        r->op = OP_FREEZE;
        r->freeze_ms = FREEZE_DEFAULT_MS;
        if (get_uint(s, 0, "timeout_ms", FREEZE_MAX_MS, &r->freeze_ms) < 0 || r->freeze_ms == 0)
            return fail(err, errsz, "timeout_ms must be an integer from 1 to %d", FREEZE_MAX_MS);
    } else if (!strncmp(op, "shell_", 6)) {
        for (size_t i = 0; i < sizeof g_shell_ops / sizeof g_shell_ops[0]; i++)
            if (!strcmp(op, g_shell_ops[i].name))
                r->op = g_shell_ops[i].op;
        if (!r->op) {
            snprintf(err, errsz, "unknown op");
            return REQ_UNKNOWN_OP;
        }
        rc = parse_shell(s, r, err, errsz);
    } else {
        snprintf(err, errsz, "unknown op");
        return REQ_UNKNOWN_OP;
    }
    return rc;
}

void request_free(struct request *r)
{
    if (r->argv)
        for (size_t i = 0; i < r->argc; i++)
            free(r->argv[i]);
    free(r->argv);
    if (r->env)
        for (size_t i = 0; i < r->envc; i++)
            free(r->env[i]);
    free(r->env);
    for (size_t i = 0; i < r->senvc; i++) {
        free(r->senv_name[i]);
        free(r->senv_var[i]);
    }
    free(r->senv_name);
    free(r->senv_var);
    for (size_t i = 0; i < r->nsecrets; i++) {
        if (r->secret_val[i])
            memset(r->secret_val[i], 0, r->secret_len[i]);
        free(r->secret_name[i]);
        free(r->secret_val[i]);
    }
    free(r->secret_name);
    free(r->secret_val);
    free(r->secret_len);
    if (r->paths)
        for (size_t i = 0; i < r->npaths; i++)
            free(r->paths[i]);
    free(r->paths);
    if (r->files)
        for (size_t i = 0; i < r->nfiles; i++)
            free(r->files[i].path);
    free(r->files);
    free(r->cwd);
    free(r->path);
    free(r->shell_id);
    free(r->signame);
    service_request_free(r->service);
    if (r->identity)
        memset(r->identity->entropy, 0, sizeof r->identity->entropy);
    free(r->identity);
    memset(r, 0, sizeof *r);
}

/* ---------------- helpers for request_service.c ---------------- */

int req_obj_get(const char *s, int obj, const char *key)
{
    return json_obj_get(s, g_toks, obj, key);
}

int req_tok_type(int tok)
{
    return g_toks[tok].type;
}

int req_get_str(const char *s, int obj, const char *key, char **out)
{
    return get_str(s, obj, key, out);
}

int req_get_int(const char *s, int obj, const char *key, int64_t *out)
{
    return get_int(s, obj, key, out);
}

int req_parse_command(const char *s, int obj, struct request *r, char *err, size_t errsz)
{
    return parse_command(s, obj, r, 0, err, errsz);
}
