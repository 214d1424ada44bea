/* File names are bytes (docs/protocol.md §5 "Names"): a name that is not valid
 * UTF-8 travels as base64 beside its lossy text form, and requests may name a
 * path by its base64 bytes. Also the text classifier the manifest runs while it
 * hashes (the host's rule: no NUL in the first 8 KiB, valid UTF-8 throughout).
 * Pure byte handling: unit-tested and fuzzed. */
#ifndef PYRO_NAMES_H
#define PYRO_NAMES_H
#include "json.h"
#include <stddef.h>
#include <stdint.h>

/* Strict base64 decoding (RFC 4648 alphabet and padding, canonical, no whitespace; the
 * encoder is jb_base64): decoded length, or -1 when invalid or longer than outsz. */
long b64_decode(const char *in, size_t n, uint8_t *out, size_t outsz);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or code points above U+10FFFF). */
int utf8_valid(const uint8_t *s, size_t n);

/* The JSON members of a name: "key":"<text, invalid bytes as U+FFFD>" and, only
 * when the name is not valid UTF-8, ,"key_b64":"<its exact bytes>". */
void jb_name(struct jbuf *b, const char *key, const char *s, size_t n);
/* A name as one JSON value: a string when valid UTF-8, else {"b64":"..."}
 * (the form of archive_export "paths" and "missing" elements). */
void jb_name_value(struct jbuf *b, const char *s, size_t n);

#define TEXT_SNIFF 8192   /* a NUL in this many leading bytes makes content binary */

/* Streaming text classification of a file's content, fed in any chunks. */
struct textclass {
    uint64_t seen;    /* bytes fed */
    uint8_t need;     /* continuation bytes still expected */
    uint8_t lo, hi;   /* allowed range of the next continuation byte */
    uint8_t binary;   /* decided: not text */
};
void text_init(struct textclass *t);
void text_feed(struct textclass *t, const uint8_t *p, size_t n);
/* 1 when everything fed is text, 0 when binary (a sequence cut off at the end is binary). */
int text_result(const struct textclass *t);

#endif
