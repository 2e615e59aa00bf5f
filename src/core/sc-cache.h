/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sc-outbox.h"
#include "sc-types.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/**
 * ScCache: the counter's local data in one SQLite database (ScDb):
 * the redemption log and its outbox now, the manifest and claims later.
 * Every call is async and runs on the DB thread.
 *
 * Schema (see the migrations in sc-cache.c):
 *   redemptions  one row per redemption (ScRedemption), id PRIMARY KEY
 *   outbox       seq INTEGER PRIMARY KEY AUTOINCREMENT, redemption_id,
 *                action ('redeem'), idempotency_key, attempts,
 *                next_attempt_at, last_error, platform_id, store_id, clerk_id
 *                (its owner: see sc-cache-outbox.c); the send queue, in seq order
 *   manifest_*   (migration 2) cached pickup orders, hashed codes only
 *   offline_logins (migration 4) per platform URL, store and clerk: the
 *                names and undo window of the last online login, when it
 *                was, the platform id it reported, and a PIN verifier
 *                (sc-cache-login.c)
 */

#define SC_TYPE_CACHE (sc_cache_get_type ())
G_DECLARE_FINAL_TYPE (ScCache, sc_cache, SC, CACHE, GObject)

/* The default database: $XDG_DATA_HOME/store-counter/counter.db */
char     *sc_cache_dup_default_path       (void);

/* @path: a file, ":memory:", or NULL for the default path. */
ScCache  *sc_cache_new                    (const char          *path);
ScDb     *sc_cache_get_db                 (ScCache             *self);

void      sc_cache_open_async             (ScCache             *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  sc_cache_open_finish            (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* One transaction: the log row (state PENDING) and its outbox row (key =
 * redemption id). When this finishes TRUE the redemption is on disk. */
void      sc_cache_add_redemption_async   (ScCache             *self,
                                           const ScRedemption  *redemption,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  sc_cache_add_redemption_finish  (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* SC_DB_ERROR_NOT_FOUND when there is no such id. */
void          sc_cache_get_redemption_async  (ScCache             *self,
                                              const char          *id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
ScRedemption *sc_cache_get_redemption_finish (ScCache             *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The newest @limit redemptions of the log, newest first.
 * Returns: (element-type ScRedemption) (transfer container) */
void       sc_cache_list_recent_async     (ScCache             *self,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *sc_cache_list_recent_finish    (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Outbox items in seq order whose next_attempt_at <= @now (all if @now < 0),
 * at most @limit (0 = all). Returns: (element-type ScOutboxItem) */
void       sc_cache_list_outbox_async     (ScCache             *self,
                                           gint64               now,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *sc_cache_list_outbox_finish    (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Records the outcome of a send in one transaction: sets the log row's
 * state, redeemed_at (if > 0), discount_fen (if >= 0) and reason; when the
 * state is final (SYNCED, CONFLICT, REJECTED, WITHDRAWN, REVERSED) removes
 * its outbox row; for PENDING or UNCERTAIN keeps it, counts the attempt and
 * sets next_attempt_at and last_error = @reason. */
void      sc_cache_update_redemption_async  (ScCache             *self,
                                             const char          *id,
                                             ScRedemptionState    state,
                                             gint64               redeemed_at,
                                             gint64               discount_fen,
                                             const char          *reason,
                                             gint64               next_attempt_at,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  sc_cache_update_redemption_finish (ScCache             *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* ---- Outbox ownership (sc-cache-outbox.c) ---- */

/* sc_cache_list_outbox_async for one owner: the items of @store_id and
 * @clerk_id made with @platform_id. In the same transaction, first gives
 * @platform_id to their items made without a platform id (older versions):
 * the first session of that store and clerk claims them. */
void       sc_cache_list_outbox_for_async    (ScCache             *self,
                                              const char          *platform_id,
                                              const char          *store_id,
                                              const char          *clerk_id,
                                              gint64               now,
                                              guint                limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *sc_cache_list_outbox_for_finish   (ScCache             *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* When the earliest outbox item of one owner (those with no platform id
 * included) is due (unix s), or -1 when there is none. */
void       sc_cache_get_next_attempt_for_async  (ScCache             *self,
                                                 const char          *platform_id,
                                                 const char          *store_id,
                                                 const char          *clerk_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gint64     sc_cache_get_next_attempt_for_finish (ScCache             *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Who the outbox's items belong to, with counts, in the order of each
 * owner's oldest item. Returns: (element-type ScOutboxOwner) (transfer container) */
void       sc_cache_list_outbox_owners_async  (ScCache             *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray *sc_cache_list_outbox_owners_finish (ScCache             *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Number of log rows still PENDING or UNCERTAIN. */
void      sc_cache_count_unsynced_async   (ScCache             *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
guint     sc_cache_count_unsynced_finish  (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* ---- The pickup manifest (sc-cache-manifest.c) ---- */

/* Applies one `GET /v1/manifest?since=V` answer for @store_id in one
 * transaction: orders upserted by order_id, removed[] deleted, version and
 * salt recorded with fetched_at = now. Every member is type-checked first;
 * a bad answer changes nothing (G_IO_ERROR_INVALID_DATA). Returns the new
 * version in @out_version.
 * The checks run on the DB thread, so a large answer costs the caller's
 * thread nothing per order: @manifest (transfer none) is read there until
 * the callback, and must not change meanwhile (a parsed answer never does;
 * json-glib's reference counts are not atomic, so the caller must not take
 * or drop references to its members from another thread either). */
void      sc_cache_apply_manifest_async   (ScCache             *self,
                                           const char          *store_id,
                                           JsonObject          *manifest,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The same, taking @manifest (transfer full): the caller's only reference,
 * with no other reference to it or its members anywhere. The tree is then
 * freed on the DB thread too. Finish with sc_cache_apply_manifest_finish(). */
void      sc_cache_apply_manifest_take_async (ScCache             *self,
                                              const char          *store_id,
                                              JsonObject          *manifest,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  sc_cache_apply_manifest_finish  (ScCache             *self,
                                           GAsyncResult        *result,
                                           gint64              *out_version,
                                           GError             **error);

/* The key of @store_id (sc-store-key.h; NULL forgets it), in memory only:
 * the manifest's code hashes and the offline PIN verifiers are keyed with
 * it, and without it neither can be checked. The counter sets it from each
 * online session; the app from the keyring at start. Any thread. */
void      sc_cache_set_store_key          (ScCache             *self,
                                           const char          *store_id,
                                           const char          *key);

/* The manifest version held for @store_id (0: none, or none made with the
 * store's current key) and when it was fetched (unix s, 0: never). */
void      sc_cache_get_manifest_state_async  (ScCache             *self,
                                              const char          *store_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  sc_cache_get_manifest_state_finish (ScCache             *self,
                                              GAsyncResult        *result,
                                              gint64              *out_version,
                                              gint64              *out_fetched_at,
                                              GError             **error);

/* The offline verdict for a 12-digit pickup @code of @store_id at @now:
 * from the manifest (HMAC of the code with the store's key), with the
 * validity window
 * checked against @now, and REDEEMED when this counter's own log holds a
 * live redemption of the code (pending, uncertain or synced). NOT_FOUND
 * when the manifest does not know it; NEEDS_NETWORK, with the reason, when
 * the store's key is not known here or the manifest was made with another
 * one. The verdict's offline flag is set. */
void       sc_cache_lookup_offline_async  (ScCache             *self,
                                           const char          *store_id,
                                           const char          *code,
                                           gint64               now,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
ScVerdict *sc_cache_lookup_offline_finish (ScCache             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* ---- Offline login (sc-cache-login.c) ---- */

/* PIN verifier: PBKDF2-HMAC-SHA256 (RFC 8018) of the PIN with a random
 * 16-byte salt, 32 bytes, then keyed with the store's key
 * (sc_store_key_pin_verifier), so that the database alone checks no PIN. */
#define SC_CACHE_PIN_ITERATIONS 20000

/* Keeps what an online login of @session (store and clerk names, store
 * timezone, undo window) at @logged_in_at (unix s) needs to be repeated
 * offline: a fresh salt and the verifier of @pin, keyed with the
 * session's manifest_key (G_IO_ERROR_NOT_INITIALIZED, nothing kept, when
 * it has none). Never the PIN, the token or the key. The key derivation
 * runs on the DB thread. */
void      sc_cache_save_offline_login_async  (ScCache             *self,
                                              const char          *platform_url,
                                              const ScSession     *session,
                                              const char          *pin,
                                              gint64               logged_in_at,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  sc_cache_save_offline_login_finish (ScCache             *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Checks @pin against the saved verifier of @store_id:@clerk_id for
 * @platform_url. FALSE with SC_DB_ERROR_NOT_FOUND when none is saved, and
 * with G_IO_ERROR_NOT_INITIALIZED when the store's key (the one the verifier
 * was made with) is not known here (sc_cache_set_store_key). TRUE
 * otherwise, with @out_session the saved session (offline, no token, no
 * expiry) when the PIN matches and NULL when it does not, and
 * @out_logged_in_at when that online login was. */
void      sc_cache_check_offline_login_async  (ScCache             *self,
                                               const char          *platform_url,
                                               const char          *store_id,
                                               const char          *clerk_id,
                                               const char          *pin,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  sc_cache_check_offline_login_finish (ScCache             *self,
                                               GAsyncResult        *result,
                                               ScSession          **out_session,
                                               gint64              *out_logged_in_at,
                                               GError             **error);

/* ---- Conflicts (sc-cache-conflicts.c) ---- */


/* Marks redemption @id CONFLICT in one transaction: state, @reason, the
 * platform's record @platform_json (nullable: a JSON object of the lookup
 * shape, see sc_verdict_new_from_json; it must parse as one), conflict_at =
 * now; its outbox row is removed. SC_DB_ERROR_NOT_FOUND for an unknown id,
 * G_IO_ERROR_INVALID_DATA for a record that is not such an object. */
void       sc_cache_record_conflict_async      (ScCache             *self,
                                                const char          *id,
                                                const char          *reason,
                                                const char          *platform_json,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean   sc_cache_record_conflict_finish     (ScCache             *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The conflicts of @store_id, newest first (by when this counter made the
 * redemption, then by when it was saved), acknowledged or not; with @since > 0 only those made or
 * refused at or after @since (unix s). A stored record that cannot be read
 * gives a conflict without platform details, never an error.
 * Returns: (element-type ScConflict) (transfer container) */
void       sc_cache_list_conflicts_async       (ScCache             *self,
                                                const char          *store_id,
                                                gint64               since,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *sc_cache_list_conflicts_finish      (ScCache             *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The clerk has seen conflict @id: sets acknowledged_at = @at (unix s, > 0)
 * unless it is already set (the first acknowledgement stays). The conflict
 * stays in the log and in the list. SC_DB_ERROR_NOT_FOUND when @id is not
 * a conflict. */
void       sc_cache_acknowledge_conflict_async  (ScCache             *self,
                                                 const char          *id,
                                                 gint64               at,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean   sc_cache_acknowledge_conflict_finish (ScCache             *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The migrations, exported so tests can build an older schema. */
const char * const *sc_cache_get_migrations (guint *n_migrations);

G_END_DECLS
