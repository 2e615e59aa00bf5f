/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sc-secret.h"
#include "sc-store-key.h"

#define KEY_LEN 32

static const char key_id_label[] = "store-counter key id";
static const char pin_label[] = "store-counter pin verifier";
static const char derive_label[] = "store-counter manifest key";

static gboolean
key_from_hex (const char *key_hex,
              guint8      out[KEY_LEN])
{
  if (key_hex == NULL || strlen (key_hex) != SC_STORE_KEY_HEX_LEN)
    return FALSE;

  for (gsize i = 0; i < KEY_LEN; i++)
    {
      int hi = g_ascii_xdigit_value (key_hex[2 * i]);
      int lo = g_ascii_xdigit_value (key_hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          sc_secret_wipe (out, KEY_LEN);
          return FALSE;
        }
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

gboolean
sc_store_key_is_valid (const char *key_hex)
{
  guint8 key[KEY_LEN];
  gboolean valid = key_from_hex (key_hex, key);

  sc_secret_wipe (key, sizeof key);
  return valid;
}

/* hex HMAC-SHA256 (@key_hex, @label (with its NUL, when given) || @data) */
static char *
keyed_hex (const char *key_hex,
           const char *label,
           gsize       label_len,
           const void *data,
           gsize       len)
{
  guint8 key[KEY_LEN];
  g_autoptr(GHmac) hmac = NULL;
  char *hex;

  if (!key_from_hex (key_hex, key))
    return NULL;

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  sc_secret_wipe (key, sizeof key);
  if (label != NULL)
    g_hmac_update (hmac, (const guchar *) label, (gssize) label_len);
  if (len > 0)
    g_hmac_update (hmac, data, (gssize) len);
  hex = g_strdup (g_hmac_get_string (hmac));
  return hex;
}

char *
sc_store_key_code_hash (const char *key_hex,
                        const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  return keyed_hex (key_hex, NULL, 0, code, strlen (code));
}

char *
sc_store_key_id (const char *key_hex)
{
  g_autofree char *full = keyed_hex (key_hex, key_id_label, sizeof key_id_label, NULL, 0);

  return full != NULL ? g_strndup (full, 16) : NULL;
}

char *
sc_store_key_pin_verifier (const char   *key_hex,
                           const guint8  derived[32])
{
  g_return_val_if_fail (derived != NULL, NULL);

  return keyed_hex (key_hex, pin_label, sizeof pin_label, derived, 32);
}

char *
sc_store_key_derive (const char *platform_secret,
                     const char *store_id,
                     const char *store_salt)
{
  g_autoptr(GHmac) hmac = NULL;
  char *hex;

  g_return_val_if_fail (platform_secret != NULL, NULL);
  g_return_val_if_fail (store_id != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) platform_secret,
                     strlen (platform_secret));
  g_hmac_update (hmac, (const guchar *) derive_label, sizeof derive_label);
  g_hmac_update (hmac, (const guchar *) store_id, (gssize) strlen (store_id) + 1);
  if (store_salt != NULL)
    g_hmac_update (hmac, (const guchar *) store_salt, -1);
  hex = g_strdup (g_hmac_get_string (hmac));
  return hex;
}
