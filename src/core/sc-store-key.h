/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The per-store key (DESIGN §6, §13). The platform gives it to the counter
 * in each session answer ("manifest_key": 64 hex digits, 32 bytes); the
 * manifest's code hashes and the counter's offline PIN verifiers are keyed
 * with it, so that the counter's database alone recovers neither a code nor
 * a PIN. The key itself lives in the Secret Service (or in memory), never in
 * the database. Every function here takes the key as hex, returns NULL when
 * it is not 64 hex digits, and may be called from any thread. */

#define SC_STORE_KEY_HEX_LEN 64

gboolean  sc_store_key_is_valid      (const char   *key_hex);

/* hex HMAC-SHA256 (key, code): what the manifest holds instead of a code.
 * Returns: (transfer full) (nullable). */
char     *sc_store_key_code_hash     (const char   *key_hex,
                                      const char   *code);

/* 16 hex digits naming the key (an HMAC of a fixed label, so it gives
 * nothing away): kept beside what was keyed with it, to notice a key that
 * changed. Returns: (transfer full) (nullable). */
char     *sc_store_key_id            (const char   *key_hex);

/* hex HMAC-SHA256 (key, "pin-verifier" || @derived): the offline PIN
 * verifier kept in the database, where @derived is PBKDF2 (PIN, salt).
 * Returns: (transfer full) (nullable): free with sc_secret_free. */
char     *sc_store_key_pin_verifier  (const char   *key_hex,
                                      const guint8  derived[32]);

/* The platform's side: the key of @store_id, derived from the platform's
 * own secret and the store's salt (so it is never stored on its own).
 * Returns: (transfer full): free with sc_secret_free. */
char     *sc_store_key_derive        (const char   *platform_secret,
                                      const char   *store_id,
                                      const char   *store_salt);

G_END_DECLS
