#ifndef PYRO_EGRESS_H
#define PYRO_EGRESS_H

#include <stddef.h>
#include <stdint.h>

/* The host side of an egress allow-list (docs/network.md): QEMU's user-mode network runs
 * with restrict=on, so the guest reaches nothing but two guestfwd ports, each served by a
 * fresh `pyro-agent --egress-*` process per connection (guestfwd=...-cmd:), its stdin and
 * stdout the guest's TCP connection. Allowed names are a ':'-separated list of patterns:
 * `pypi.org` (that name) or `*.github.com` (names below github.com, not itself). */

#define EGRESS_MAX_NAME 253

/* 1 when `name` (no trailing dot, any case) is allowed by `list`; 0 otherwise, and for
 * anything that is not a host name: IP literals, empty labels, bad characters. */
int egress_allowed(const char *list, const char *name);

/* 1 for a name written as an address: dotted numbers, hex, an IPv6 literal. */
int egress_is_ip_literal(const char *name);

/* The DNS answer to one query (RFC 1035 message, no TCP length prefix) in `out`:
 * an A record of `addr` (network order) for an allowed name asked for A, an empty NOERROR
 * for other types of an allowed name, NXDOMAIN for any other name, FORMERR for a query
 * it cannot read. Returns the answer's length, or -1 when not even an id could be read. */
int egress_dns_answer(const uint8_t *q, size_t qlen, const char *list, uint32_t addr, uint8_t *out, size_t outsz);

/* The per-connection programs (stdin/stdout: the guest's connection). */
int egress_proxy_main(const char *list);
int egress_dns_main(const char *list, const char *addr);

#endif
