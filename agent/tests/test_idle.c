/* Unit tests of the idle clock (idle.c): when an idle guest's reclaim is due,
 * that it happens once per idle period, never while a request is open, and what
 * pyro.idle_reclaim accepts. */
#include "check.h"
#include "idle.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void test_idle(void)
{
    struct idle_clock c;
    int t = -1;
    idle_init(&c, 15000, 1000);
    CHECK(idle_due(&c, 0, 1000, &t) == 0 && t == 15000);
    t = 5;   /* a sooner deadline of the loop is kept */
    CHECK(idle_due(&c, 0, 2000, &t) == 0 && t == 5);
    t = -1;
    CHECK(idle_due(&c, 0, 15999, &t) == 0 && t == 1);
    CHECK(idle_due(&c, 0, 16000, &t) == 1);
    /* once per idle period: no second reclaim, no wake-ups for one */
    t = -1;
    CHECK(idle_due(&c, 0, 40000, &t) == 0 && t == -1);
    /* a request comes and goes: the period starts over from its end */
    CHECK(idle_due(&c, 1, 50000, &t) == 0);
    CHECK(idle_due(&c, 1, 90000, &t) == 0);   /* a long command is never interrupted */
    CHECK(idle_due(&c, 0, 104999, &t) == 0 && t == 1);
    CHECK(idle_due(&c, 0, 105000, &t) == 1);

    /* the loop sleeps at most a minute at a time for a long idle setting */
    idle_init(&c, 3600000, 0);
    t = -1;
    CHECK(idle_due(&c, 0, 0, &t) == 0 && t == 60000);
    /* a clock that went back restarts the period instead of firing at once */
    idle_init(&c, 1000, 5000);
    t = -1;
    CHECK(idle_due(&c, 0, 4000, &t) == 0);
    CHECK(idle_due(&c, 0, 4999, &t) == 0);
    CHECK(idle_due(&c, 0, 5000, &t) == 1);
    /* 0 = never */
    idle_init(&c, 0, 0);
    t = -1;
    CHECK(idle_due(&c, 0, 1000000, &t) == 0 && t == -1);

    uint64_t s = 99;
    CHECK(idle_parse_seconds("15", &s) == 0 && s == 15);
    CHECK(idle_parse_seconds("0", &s) == 0 && s == 0);
    CHECK(idle_parse_seconds("86400", &s) == 0 && s == 86400);
    s = 7;
    CHECK(idle_parse_seconds("86401", &s) == -1 && s == 7);
    CHECK(idle_parse_seconds("", &s) == -1);
    CHECK(idle_parse_seconds("-1", &s) == -1);
    CHECK(idle_parse_seconds("15s", &s) == -1);
    CHECK(idle_parse_seconds("99999999999999999999999", &s) == -1 && s == 7);

    /* free page reporting is bit 5 of the negotiated features */
    CHECK(idle_balloon_reports("0000010000000000000000000000000000000000000000000000000000000000\n") == 1);
    CHECK(idle_balloon_reports("1110110000000000000000000000000000000000000000000000000000000000") == 1);
    CHECK(idle_balloon_reports("1111101111111111111111111111111111111111111111111111111111111111") == 0);
    CHECK(idle_balloon_reports("00000") == 0);   /* too short: no bit 5 */
    CHECK(idle_balloon_reports("") == 0);
    CHECK(idle_balloon_reports("00000x") == 0);
    CHECK(idle_balloon_reports("0000 1") == 0);
    CHECK(idle_balloon_reports("00000\0001") == 0);

    /* the sysfs file as the agent reads it: small, NUL-terminated, truncated to the buffer */
    char tmpl[] = "/tmp/pyro-features-XXXXXX";
    int fd = mkstemp(tmpl);
    CHECK(fd >= 0);
    if (fd >= 0) {
        const char *bits = "0100010000000000000000000000010000000000000000000000000000000000\n";
        CHECK(write(fd, bits, strlen(bits)) == (ssize_t)strlen(bits));
        close(fd);
        char buf[80];
        CHECK(read_small_file(tmpl, buf, sizeof buf) == strlen(bits) && idle_balloon_reports(buf) == 1);
        char tiny[5];
        CHECK(read_small_file(tmpl, tiny, sizeof tiny) == 4 && !strcmp(tiny, "0100") && idle_balloon_reports(tiny) == 0);
        FILE *f = fopen(tmpl, "w");   /* an empty file reads as nothing */
        if (f)
            fclose(f);
        CHECK(read_small_file(tmpl, buf, sizeof buf) == 0);
        unlink(tmpl);
        CHECK(read_small_file(tmpl, buf, sizeof buf) == 0);
    }
}
