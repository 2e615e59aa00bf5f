/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ScTestTls: certificates made at test time with openssl(1), in a
 * temporary folder: a CA, and server certificates for 127.0.0.1 and
 * localhost signed by it (good, expired, one for another name), one that
 * signs itself, and a key that belongs to none of them. The client trusts
 * the CA through SC_TEST_TLS_CA_FILE (for tests only).
 */
typedef struct
{
  char *dir;           /* (owned) removed by free */
  char *ca;            /* (owned) ca.pem: the test CA's certificate */
  char *key;           /* (owned) the key of good, expired and wrong_name */
  char *good;          /* (owned) 127.0.0.1 and localhost, valid, signed by the CA */
  char *expired;       /* (owned) the same names, expired a day ago, signed by the CA */
  char *wrong_name;    /* (owned) for platform.example only, signed by the CA */
  char *self_signed;   /* (owned) 127.0.0.1 and localhost, signed by itself */
  char *self_key;      /* (owned) its key */
  char *other_key;     /* (owned) a key of no certificate here */
} ScTestTls;

/* Makes them all; asserts openssl succeeds. */
ScTestTls *sc_test_tls_new  (void);
void       sc_test_tls_free (ScTestTls *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestTls, sc_test_tls_free)

G_END_DECLS
