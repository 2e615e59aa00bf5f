/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-util.h"

#include <string.h>
#include <sys/random.h>

#include "sc-secret.h"

GTimeZone *
sc_platform_store_timezone (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");

  /* Without tzdata: China has had no DST since 1991. */
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  return tz;
}

char *
sc_platform_store_token_signature (const char *secret,
                                   const char *code,
                                   gint64      ts)
{
  g_autofree char *message = g_strdup_printf ("%s:%" G_GINT64_FORMAT, code, ts);

  /* g_compute_hmac_for_string gives lower-case hex. */
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) secret, strlen (secret),
                                    message, -1);
}

char *
sc_platform_random_hex (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  GString *hex = g_string_sized_new (n_bytes * 2);
  gsize got = 0;

  while (got < n_bytes)
    {
      ssize_t n = getrandom (bytes + got, n_bytes - got, 0);

      if (n <= 0)
        break;
      got += (gsize) n;
    }
  for (; got < n_bytes; got++)
    bytes[got] = (guchar) g_random_int_range (0, 256);

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

/* ---- PINs as salted PBKDF2 hashes ---- */

#define PIN_HASH_SCHEME      "pbkdf2-sha256"
#define PIN_HASH_ITERATIONS  20000
#define PIN_SALT_BYTES       16

char *
sc_platform_pin_hash_new (const char *pin)
{
  g_autofree char *salt_hex = sc_platform_random_hex (PIN_SALT_BYTES);
  guint8 salt[PIN_SALT_BYTES];
  guint8 hash[32];
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (pin != NULL, NULL);

  for (gsize i = 0; i < PIN_SALT_BYTES; i++)
    salt[i] = (guint8) ((g_ascii_xdigit_value (salt_hex[2 * i]) << 4) |
                        g_ascii_xdigit_value (salt_hex[2 * i + 1]));
  sc_secret_pbkdf2_sha256 (pin, salt, sizeof salt, PIN_HASH_ITERATIONS, hash);
  g_string_append_printf (text, PIN_HASH_SCHEME "$%u$%s$", PIN_HASH_ITERATIONS, salt_hex);
  for (gsize i = 0; i < sizeof hash; i++)
    g_string_append_printf (text, "%02x", hash[i]);
  sc_secret_wipe (hash, sizeof hash);
  return g_string_free (text, FALSE);
}

/* @n_bytes bytes from @n_bytes * 2 hex digits; FALSE if they are not. */
static gboolean
hex_decode (const char *hex,
            guint8     *out,
            gsize       n_bytes)
{
  if (strlen (hex) != n_bytes * 2)
    return FALSE;
  for (gsize i = 0; i < n_bytes; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) ((hi << 4) | lo);
    }
  return TRUE;
}

gboolean
sc_platform_pin_hash_check (const char *stored,
                            const char *pin)
{
  g_auto(GStrv) parts = NULL;
  guint8 salt[64];
  guint8 expected[32];
  guint8 got[32];
  guint64 iterations = 0;
  gsize salt_len;
  gboolean ok;

  if (stored == NULL || pin == NULL)
    return FALSE;
  parts = g_strsplit (stored, "$", 5);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], PIN_HASH_SCHEME) != 0 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 10000000, &iterations, NULL))
    return FALSE;
  salt_len = strlen (parts[2]) / 2;
  if (salt_len == 0 || salt_len > sizeof salt || !hex_decode (parts[2], salt, salt_len) ||
      !hex_decode (parts[3], expected, sizeof expected))
    return FALSE;

  sc_secret_pbkdf2_sha256 (pin, salt, salt_len, (guint) iterations, got);
  ok = sc_secret_equal_bytes (got, expected, sizeof got);
  sc_secret_wipe (got, sizeof got);
  return ok;
}
