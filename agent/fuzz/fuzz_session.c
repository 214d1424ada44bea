/* libFuzzer target: a whole session's frame stream through the operation dispatch, in
 * development mode against a temporary workspace root: imports, exports, list, stat,
 * manifest, ping, secrets_put (dev mode: the store is memory only), identity_set (dev mode:
 * checked, not applied), with their DATA, EOF, CREDIT and CANCEL frames in any order and on any
 * stream. Operations that run processes or stop the agent (exec, shells, services,
 * shutdown, freeze) are dropped by the harness: the fuzzer must not run commands. The
 * input is read as frames (bad bytes skipped); every input ends with a disconnect and the
 * sandbox invariants (harness_end). */
#include "harness.h"
#include "frame.h"
#include "request.h"
#include <stdlib.h>

static int allowed(const struct frame *f)
{
    if (f->type != FT_OPEN)
        return 1;
    struct request r;
    char err[128];
    int rc = request_parse(f->payload, f->len, &r, err, sizeof err);
    int ok = rc != REQ_OK;   /* refused by the dispatch itself: harmless */
    if (rc == REQ_OK)
        ok = r.op == OP_IMPORT || r.op == OP_EXPORT || r.op == OP_LIST || r.op == OP_STAT || r.op == OP_MANIFEST
             || r.op == OP_PING || r.op == OP_SECRETS_PUT
             || r.op == OP_IDENTITY_SET;   /* dev mode: checked, never applied */
    request_free(&r);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct frame_reader fr;
    if (!fr.buf && fr_init(&fr) != 0)
        abort();
    fr_reset(&fr);
    harness_begin();
    for (size_t i = 0; i < size;) {
        size_t fed = fr_feed(&fr, data + i, size - i);
        i += fed;
        struct frame f;
        int r;
        while ((r = fr_next(&fr, &f)) != FR_NEED)
            if (r == FR_FRAME && allowed(&f))
                harness_send(f.type, f.flags, f.stream, f.payload, f.len);
        if (fed == 0)
            break;
    }
    harness_settle();
    harness_end();
    return 0;
}
