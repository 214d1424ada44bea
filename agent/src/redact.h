/* Streaming redaction of secret values in output the agent keeps (shell ring,
 * service log): every occurrence of a value becomes "[REDACTED]", also when it
 * arrives split across reads. A redactor holds back at most (longest value - 1)
 * bytes that could still be the start of a value, and releases them once they
 * cannot (or at the end of the stream). Longest match first, so values that are
 * prefixes of one another are covered. Pure (no I/O): unit tests and the fuzzer
 * drive it directly. */
#ifndef PYRO_REDACT_H
#define PYRO_REDACT_H
#include <stddef.h>
#include <stdint.h>

#define SECRETS_MAX        32      /* secrets per workspace */
#define SECRET_VALUE_MAX   4096    /* bytes of one value */
#define SECRET_NAME_MAX    64
#define REDACTED_MARK      "[REDACTED]"

struct secret_set {
    size_t n;
    char name[SECRETS_MAX][SECRET_NAME_MAX + 1];
    uint8_t *val[SECRETS_MAX];
    size_t len[SECRETS_MAX];       /* >= 1 */
    size_t maxlen;                 /* longest value; 0 when empty */
    uint8_t first[256];            /* first[b]: some value starts with byte b */
};

/* 1 if name matches [A-Za-z_][A-Za-z0-9_]{0,63} */
int secret_name_valid(const char *name);
/* Adds (copies) a value; 0, or -1 when full, the name is bad or taken, or the value is
 * empty, too long or holds a NUL byte (it could not be an environment value). */
int secret_set_add(struct secret_set *set, const char *name, const uint8_t *val, size_t len);
void secret_set_clear(struct secret_set *set);   /* wipes and frees the values */
/* The value of name, or NULL */
const uint8_t *secret_set_get(const struct secret_set *set, const char *name, size_t *len);

typedef void (*redact_sink)(void *ctx, const uint8_t *p, size_t n);

struct redactor {
    uint8_t *pend;                 /* bytes not yet released */
    size_t len, cap;
};

void redactor_init(struct redactor *rd);
void redactor_free(struct redactor *rd);
/* Feeds n bytes (n may be 0); releases what is certain to sink, redacted. With final
 * set, nothing is held back (the stream ended). Out of memory, the bytes that cannot
 * be checked are replaced by the mark (never passed on unchecked). */
void redactor_feed(struct redactor *rd, const struct secret_set *set, const uint8_t *p, size_t n, int final,
                   redact_sink sink, void *ctx);
/* Bytes held back now */
size_t redactor_pending(const struct redactor *rd);

#endif
