/* A small bounded JSON parser (tokens into a caller-provided array, recursion
 * depth capped) and a bounded writer. No external libraries. */
#ifndef PYRO_JSON_H
#define PYRO_JSON_H
#include <stddef.h>
#include <stdint.h>

enum jtype { J_NULL = 1, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jtok {
    uint8_t type;
    uint32_t start, end;   /* byte range; for J_STR excludes the quotes (raw, escapes undecoded) */
    uint32_t size;         /* J_ARR: elements; J_OBJ: members */
    uint32_t next;         /* index of the first token after this subtree */
};

#define JSON_MAX_DEPTH 32

/* Parses exactly one value (surrounded by optional whitespace). 0 ok, -1 invalid or
 * more than maxtoks tokens needed. Object members are key token then value subtree. */
int json_parse(const char *s, size_t n, struct jtok *toks, size_t maxtoks, size_t *ntoks);

/* Index of the value for key in object token obj, or -1. */
int json_obj_get(const char *s, const struct jtok *t, int obj, const char *key);
/* Decode a J_STR token into out (NUL-terminated). Returns decoded length, or -1 if it
 * does not fit or contains U+0000 (never valid in paths, argv, env). */
long json_str_decode(const char *s, const struct jtok *t, char *out, size_t outsz);
/* Integer value of a J_NUM token without fraction/exponent; -1 if not such an integer. */
int json_get_i64(const char *s, const struct jtok *t, int64_t *out);

/* Writer: appends into a growable buffer with a hard cap; err set on overflow. */
struct jbuf {
    char *p;
    size_t len, cap, maxcap;
    int err;
};
void jb_init(struct jbuf *b, size_t maxcap);
void jb_free(struct jbuf *b);
void jb_raw(struct jbuf *b, const char *s);
void jb_mem(struct jbuf *b, const char *s, size_t n);
/* JSON string with quotes; invalid UTF-8 bytes become U+FFFD. */
void jb_str(struct jbuf *b, const char *s);
void jb_strn(struct jbuf *b, const char *s, size_t n);
void jb_i64(struct jbuf *b, int64_t v);
void jb_u64(struct jbuf *b, uint64_t v);
void jb_key(struct jbuf *b, const char *k);
/* Standard base64 (RFC 4648, padded) of p[0..n) as a JSON string with quotes. */
void jb_base64(struct jbuf *b, const uint8_t *p, size_t n);   /* "k": (caller handles commas) */

/* A command line as a JSON array of strings (malloc'd; the caller frees it). One
 * over 8 KiB is listed by its program alone. NULL when out of memory. */
char *json_argv_array(char *const *argv);

#endif
