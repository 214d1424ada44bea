/* The unit tests' one assertion: counts checks and failures, reports each failure. */
#ifndef PYRO_TEST_CHECK_H
#define PYRO_TEST_CHECK_H
#include <stdio.h>

extern int failures, checks;
#define CHECK(c) do { checks++; if (!(c)) { failures++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

/* tests/test_shell.c */
void test_shell_requests(void);
void test_ring(void);
void test_utf8(void);
void test_base64(void);
void test_proc_stat(void);

/* tests/test_files.c */
void test_resolve(void);
void test_file_requests(void);
/* tests/test_service.c */
void test_service_requests(void);
void test_svclog(void);
void test_probe_targets(void);

/* tests/test_idle.c */
void test_idle(void);

/* tests/test_redact.c */
void test_redact(void);

/* tests/test_attach.c (bin: the agent binary, from make check) */
void test_virtio_attach(void);
void test_attach_hello(const char *bin);

/* tests/test_exec.c */
void test_exec(void);

/* tests/test_identity.c */
void test_identity_requests(void);

#endif
