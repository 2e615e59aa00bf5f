/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers the ops and the demo seed share: no SQLite, no HTTP; any thread. */

/* The stores' timezone (Asia/Shanghai), (transfer full). */
GTimeZone       *sc_platform_store_timezone          (void);
/* Lower-case hex HMAC-SHA256 of "<code>:<ts>" under @secret. */
char            *sc_platform_store_token_signature   (const char          *secret,
                                                      const char          *code,
                                                      gint64               ts);
/* Checked against when there is no such clerk, so that the answer takes
 * as long either way (PBKDF2 of "0000" with the salt "sc-no-such-clerk"). */
#define SC_PLATFORM_PIN_HASH_NOBODY \
  "pbkdf2-sha256$20000$73632d6e6f2d737563682d636c65726b$" \
  "470fc64221aa0e20a2195eaeba68a49a81379330a7b6773ae42c410219403900"

/* A PIN as "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" (20,000
 * rounds, a random 16-byte salt), (transfer full). Slow: not on the main
 * or DB thread. */
char            *sc_platform_pin_hash_new            (const char          *pin);
/* Whether @pin matches @stored (constant time); FALSE for a bad @stored. */
gboolean         sc_platform_pin_hash_check          (const char          *stored,
                                                      const char          *pin);
/* @n_bytes random bytes as lower-case hex (getrandom, else GRand). */
char            *sc_platform_random_hex              (gsize                n_bytes);


G_END_DECLS
