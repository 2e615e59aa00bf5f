/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/* A new ScCache on @path, opened; asserts it opens.
 * Returns: (transfer full). */
ScCache      *sc_test_open_cache           (const char *path);
/* What the app writes for each pickup in @codes (element-type utf8) redeemed
 * by clerk 1 of store 1001 while the platform is away: a PENDING offline log
 * row and its outbox row, one transaction each. Maps each code to its
 * redemption id in @ids_by_code (strings, owned by the table). */
void          sc_test_cache_queue_offline  (ScCache    *cache,
                                            JsonArray  *codes,
                                            GHashTable *ids_by_code);
/* The cached redemption @id, or NULL; asserts no error.
 * Returns: (transfer full) (nullable). */
ScRedemption *sc_test_cache_get_redemption (ScCache    *cache,
                                            const char *id);
/* Signs @clerk of store 1001 in with PIN 1234; asserts it succeeds. */
void          sc_test_counter_login        (ScCounter  *counter,
                                            const char *clerk);
/* Iterates the default main context until @counter is idle. */
void          sc_test_counter_idle         (ScCounter  *counter);
/* Its "probing" property. */
gboolean      sc_test_counter_get_probing  (ScCounter  *counter);
/* A counter on a new cache at @db_path and a client for @platform_url,
 * iterated until idle; the cache and client in @out_cache, @out_client.
 * Returns: (transfer full). */
ScCounter    *sc_test_counter_open         (const char        *db_path,
                                            const char        *platform_url,
                                            ScCache          **out_cache,
                                            ScPlatformClient **out_client);
/* Iterates until *@counter is idle, then asserts that it, *@client and
 * *@cache are finalized, and sets the three to NULL. */
void          sc_test_counter_close        (ScCounter        **counter,
                                            ScPlatformClient **client,
                                            ScCache          **cache);
/* Looks @input up; asserts there is a verdict.
 * Returns: (transfer full). */
ScVerdict    *sc_test_counter_lookup       (ScCounter  *counter,
                                            const char *input);

G_END_DECLS
