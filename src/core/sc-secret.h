/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Secrets: PINs, tokens, keys (DESIGN §13). One place for wiping them,
 * comparing them without leaking their contents through timing, and
 * deriving slow salted hashes from them. Any thread. */

/* Frees a PIN, token or other secret string after overwriting it with
 * zeros in a way the compiler may not optimise away. NULL is fine. */
void      sc_secret_free          (char         *secret);

/* g_autoptr(ScSecretText) pin = ...: a secret string wiped when it goes
 * out of scope. */
typedef char ScSecretText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScSecretText, sc_secret_free)

/* Overwrites @len bytes at @data with zeros (never optimised away). */
void      sc_secret_wipe          (gpointer      data,
                                   gsize         len);

/* TRUE when @a and @b hold the same bytes. The time taken depends on the
 * lengths only, never on where the first difference is. NULL equals only
 * NULL. */
gboolean  sc_secret_equal         (const char   *a,
                                   const char   *b);
gboolean  sc_secret_equal_bytes   (const guint8 *a,
                                   const guint8 *b,
                                   gsize         len);

/* PBKDF2-HMAC-SHA256 (RFC 8018) of @password with @salt, one 32-byte
 * block. */
void      sc_secret_pbkdf2_sha256 (const char   *password,
                                   const guint8 *salt,
                                   gsize         salt_len,
                                   guint         iterations,
                                   guint8        out[32]);

G_END_DECLS
