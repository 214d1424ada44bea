/* Streaming secret redaction: see redact.h. */
#include "redact.h"
#include <stdlib.h>
#include <string.h>

int secret_name_valid(const char *name)
{
    if (!name || !name[0])
        return 0;
    size_t i = 0;
    for (; name[i]; i++) {
        char c = name[i];
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        int digit = c >= '0' && c <= '9';
        if (i >= SECRET_NAME_MAX || !(alpha || (digit && i > 0)))
            return 0;
    }
    return 1;
}

int secret_set_add(struct secret_set *set, const char *name, const uint8_t *val, size_t len)
{
    if (set->n >= SECRETS_MAX || !secret_name_valid(name) || len == 0 || len > SECRET_VALUE_MAX || memchr(val, 0, len))
        return -1;
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->name[i], name))
            return -1;
    uint8_t *copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, val, len);
    size_t k = set->n++;
    strcpy(set->name[k], name);
    set->val[k] = copy;
    set->len[k] = len;
    if (len > set->maxlen)
        set->maxlen = len;
    set->first[val[0]] = 1;
    return 0;
}

void secret_set_clear(struct secret_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        /* volatile so the wipe is not optimised away before free */
        volatile uint8_t *v = set->val[i];
        for (size_t j = 0; j < set->len[i]; j++)
            v[j] = 0;
        free(set->val[i]);
    }
    memset(set, 0, sizeof *set);
}

const uint8_t *secret_set_get(const struct secret_set *set, const char *name, size_t *len)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->name[i], name)) {
            *len = set->len[i];
            return set->val[i];
        }
    return NULL;
}

void redactor_init(struct redactor *rd)
{
    memset(rd, 0, sizeof *rd);
}

void redactor_free(struct redactor *rd)
{
    free(rd->pend);
    memset(rd, 0, sizeof *rd);
}

size_t redactor_pending(const struct redactor *rd)
{
    return rd->len;
}

/* At p[0..avail): the length of the longest value matching there (0: none), and
 * *partial set when some value longer than avail starts with all of p[0..avail). */
static size_t match_at(const struct secret_set *set, const uint8_t *p, size_t avail, int *partial)
{
    size_t best = 0;
    *partial = 0;
    if (!set->first[p[0]])
        return 0;
    for (size_t i = 0; i < set->n; i++) {
        size_t l = set->len[i];
        if (l <= avail) {
            if (l > best && !memcmp(set->val[i], p, l))
                best = l;
        } else if (!memcmp(set->val[i], p, avail)) {
            *partial = 1;
        }
    }
    return best;
}

static void scan(struct redactor *rd, const struct secret_set *set, int final, redact_sink sink, void *ctx)
{
    size_t i = 0, run = 0;
    while (i < rd->len) {
        int partial;
        size_t m = match_at(set, rd->pend + i, rd->len - i, &partial);
        if (partial && !final)
            break;   /* may still become a (longer) value: hold from here */
        if (m) {
            if (i > run)
                sink(ctx, rd->pend + run, i - run);
            sink(ctx, (const uint8_t *)REDACTED_MARK, sizeof REDACTED_MARK - 1);
            i += m;
            run = i;
        } else {
            i++;
        }
    }
    if (i > run)
        sink(ctx, rd->pend + run, i - run);
    if (i > 0 && i < rd->len)
        memmove(rd->pend, rd->pend + i, rd->len - i);
    rd->len -= i;
}

void redactor_feed(struct redactor *rd, const struct secret_set *set, const uint8_t *p, size_t n, int final,
                   redact_sink sink, void *ctx)
{
    if (!set || set->n == 0) {
        if (rd->len) {
            sink(ctx, rd->pend, rd->len);
            rd->len = 0;
        }
        if (n)
            sink(ctx, p, n);
        return;
    }
    if (rd->len + n > rd->cap) {
        size_t cap = rd->len + n + set->maxlen;
        uint8_t *q = realloc(rd->pend, cap);
        if (!q) {
            /* never let possibly secret bytes through: replace what cannot be checked */
            sink(ctx, (const uint8_t *)REDACTED_MARK, sizeof REDACTED_MARK - 1);
            rd->len = 0;
            return;
        }
        rd->pend = q;
        rd->cap = cap;
    }
    if (n == 0 && rd->len == 0)
        return;
    if (n)
        memcpy(rd->pend + rd->len, p, n);
    rd->len += n;
    scan(rd, set, final, sink, ctx);
    /* keep the buffer small between bursts */
    if (rd->cap > 2 * (set->maxlen + 65536) && rd->len < set->maxlen) {
        uint8_t *q = realloc(rd->pend, set->maxlen + 65536);
        if (q) {
            rd->pend = q;
            rd->cap = set->maxlen + 65536;
        }
    }
}
