/* SHA-256 (FIPS 180-2), streaming. Small and dependency-free for the manifest op. */
#ifndef PYRO_SHA256_H
#define PYRO_SHA256_H
#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;        /* bytes hashed so far */
    uint8_t buf[64];
    size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* lowercase hex of a digest into out[65] */
void sha256_hex(const uint8_t d[32], char out[65]);

#endif
