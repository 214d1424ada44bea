#include "netcfg.h"
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int quad(const char *s, size_t n, struct in_addr *out)
{
    char buf[16];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    return inet_pton(AF_INET, buf, out) == 1 ? 0 : -1;
}

int guest_net_parse(const char *value, struct guest_net *out)
{
    memset(out, 0, sizeof *out);
    const char *slash = strchr(value, '/');
    const char *c1 = strchr(value, ',');
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!slash || !c1 || !c2 || slash > c1 || strchr(c2 + 1, ','))
        return -1;
    if (quad(value, (size_t)(slash - value), &out->addr) != 0)
        return -1;
    size_t plen = (size_t)(c1 - slash - 1);
    if (plen < 1 || plen > 2 || slash[1] < '0' || slash[1] > '9' || (plen == 2 && (slash[2] < '0' || slash[2] > '9')))
        return -1;
    int prefix = slash[1] - '0';
    if (plen == 2)
        prefix = prefix * 10 + (slash[2] - '0');
    if (prefix < 1 || prefix > 30)
        return -1;
    out->prefix = prefix;
    out->mask.s_addr = htonl(0xffffffffu << (32 - prefix));
    if (quad(c1 + 1, (size_t)(c2 - c1 - 1), &out->gateway) != 0)
        return -1;
    if (quad(c2 + 1, strlen(c2 + 1), &out->dns) != 0)
        return -1;
    uint32_t net = out->addr.s_addr & out->mask.s_addr;
    if ((out->gateway.s_addr & out->mask.s_addr) != net || (out->dns.s_addr & out->mask.s_addr) != net)
        return -1;
    if (out->addr.s_addr == out->gateway.s_addr)
        return -1;
    return 0;
}
