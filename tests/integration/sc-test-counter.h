/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-verdict.h"
#include "sc-test-keyring.h"
#include "sc-test-platform.h"

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

/* Redeems @verdict through @counter (@bill_fen -1 for none, "keyboard").
 * Returns: (transfer full) (nullable): the redemption, or NULL with @error. */
ScRedemption *sc_test_counter_redeem       (ScCounter  *counter,
                                            ScVerdict  *verdict,
                                            gint64      bill_fen,
                                            GError    **error);
/* Undoes redemption @id through @counter.
 * Returns: (transfer full) (nullable): the reversed redemption, or NULL with
 * @error. */
ScRedemption *sc_test_counter_undo         (ScCounter  *counter,
                                            const char *id,
                                            GError    **error);
/* Syncs @counter; asserts no error.
 * Returns: how many redemptions the sync settled. */
guint         sc_test_counter_sync         (ScCounter  *counter);

/**
 * ScTestCounterFixture: what the counter's tests share: a real platform, a
 * temporary folder for the counter's database, and the counter's objects
 * once a test opens them.
 */
typedef struct
{
  ScTestPlatform   *platform;  /* (owned) */
  char             *tmpdir;    /* (owned) removed with all below it */
  char             *db_path;   /* (owned) tmpdir/counter.db */
  ScCache          *cache;     /* (owned) (nullable) */
  ScPlatformClient *client;    /* (owned) (nullable) */
  ScCounter        *counter;   /* (owned) (nullable) */
  ScTestKeyring    *keyring;   /* (owned) (nullable) the test's own Secret Service, if it
                                * starts one */
} ScTestCounterFixture;

/* Starts a platform with @platform_args (nullable) and makes a temporary
 * folder from @tmpdir_template; asserts both. Opens no counter. */
void          sc_test_counter_fixture_init  (ScTestCounterFixture *fixture,
                                             const char * const   *platform_args,
                                             const char           *tmpdir_template);
/* sc_test_counter_open on the fixture's database and platform. */
void          sc_test_counter_fixture_open  (ScTestCounterFixture *fixture);
/* sc_test_counter_close on the fixture's counter, client and cache. */
void          sc_test_counter_fixture_close (ScTestCounterFixture *fixture);
/* Asserts that what is open dies (the counter once idle, the client, the
 * cache: each only if set), stops the platform, removes the folder and
 * stops the keyring if there is one. */
void          sc_test_counter_fixture_clear (ScTestCounterFixture *fixture);

/* The platform's redemptions of store 1001 now: their ids, in a new set
 * (element-type utf8, owned), and their count in @out_count. */
GHashTable   *sc_test_platform_redemption_ids (ScTestPlatform *platform,
                                               gint64         *out_count);
/* Asserts that the platform now holds each redemption of @ids_by_code (code
 * to id, from sc_test_cache_queue_offline) exactly once, under that id,
 * active and made offline, and nothing else new since @before (from
 * sc_test_platform_redemption_ids, with @before_count). */
void          sc_test_platform_assert_each_once (ScTestPlatform *platform,
                                                 GHashTable     *before,
                                                 gint64          before_count,
                                                 GHashTable     *ids_by_code);
/* Asserts that @cache's log holds exactly the redemptions of @ids_by_code,
 * each synced under its id, and that its outbox is empty. */
void          sc_test_cache_assert_all_synced (ScCache        *cache,
                                               GHashTable     *ids_by_code);

G_END_DECLS
