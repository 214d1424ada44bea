/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320): same as zlib crc32 and
 * java.util.zip.CRC32, which the host uses to check frame headers. */
#ifndef PYRO_CRC32_H
#define PYRO_CRC32_H
#include <stddef.h>
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const void *data, size_t len);
static inline uint32_t crc32_buf(const void *data, size_t len) { return crc32_update(0, data, len); }

#endif
