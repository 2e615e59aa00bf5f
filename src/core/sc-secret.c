/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-secret.h"

#include <string.h>

#define PBKDF2_LEN 32

void
sc_secret_wipe (gpointer data,
                gsize    len)
{
  if (data != NULL && len > 0)
    explicit_bzero (data, len);
}

void
sc_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  sc_secret_wipe (secret, strlen (secret));
  g_free (secret);
}

gboolean
sc_secret_equal_bytes (const guint8 *a,
                       const guint8 *b,
                       gsize         len)
{
  volatile guint8 diff = 0;

  g_return_val_if_fail (a != NULL || len == 0, FALSE);
  g_return_val_if_fail (b != NULL || len == 0, FALSE);

  for (gsize i = 0; i < len; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

gboolean
sc_secret_equal (const char *a,
                 const char *b)
{
  gsize len_a, len_b, n;
  volatile guint8 diff;

  if (a == NULL || b == NULL)
    return a == b;

  len_a = strlen (a);
  len_b = strlen (b);
  diff = len_a != len_b;
  /* Walk the longer one whole, reading the shorter one cyclically, so that
   * the time depends on the lengths only. */
  n = MAX (len_a, len_b);
  for (gsize i = 0; i < n; i++)
    {
      guint8 x = len_a > 0 ? (guint8) a[i % len_a] : 0;
      guint8 y = len_b > 0 ? (guint8) b[i % len_b] : 0;

      diff |= x ^ y;
    }
  return diff == 0;
}

void
sc_secret_pbkdf2_sha256 (const char   *password,
                         const guint8 *salt,
                         gsize         salt_len,
                         guint         iterations,
                         guint8        out[32])
{
  g_autoptr(GHmac) keyed = NULL;
  g_autoptr(GHmac) first = NULL;
  static const guint8 block_index[4] = { 0, 0, 0, 1 };
  guint8 u[PBKDF2_LEN];
  gsize len = sizeof u;

  g_return_if_fail (password != NULL);
  g_return_if_fail (salt != NULL || salt_len == 0);
  g_return_if_fail (iterations >= 1);

  keyed = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) password, strlen (password));

  /* U1 = HMAC (P, salt || INT (1)); T = U1 ^ U2 ^ ... ^ Uc */
  first = g_hmac_copy (keyed);
  g_hmac_update (first, salt, (gssize) salt_len);
  g_hmac_update (first, block_index, sizeof block_index);
  g_hmac_get_digest (first, u, &len);
  memcpy (out, u, PBKDF2_LEN);

  for (guint i = 1; i < iterations; i++)
    {
      g_autoptr(GHmac) next = g_hmac_copy (keyed);

      g_hmac_update (next, u, sizeof u);
      len = sizeof u;
      g_hmac_get_digest (next, u, &len);
      for (guint j = 0; j < PBKDF2_LEN; j++)
        out[j] ^= u[j];
    }

  sc_secret_wipe (u, sizeof u);
}
