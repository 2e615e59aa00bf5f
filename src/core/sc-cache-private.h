/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-db.h"

#include "sc-redemption.h"

G_BEGIN_DECLS

/* Shared by the files of ScCache (sc-cache*.c), DB thread only. */

/* The columns of one redemption, for a table aliased "r". */
#define SC_CACHE_REDEMPTION_COLUMNS \
  "r.id, r.payload, r.code, r.kind, r.source, r.store_id, r.clerk_id, r.scanned_at, " \
  "r.created_at, r.bill_fen, r.discount_fen, r.offline, r.state, r.redeemed_at, " \
  "r.reason, r.updated_at, r.platform_id, r.lines_json"
#define SC_CACHE_N_REDEMPTION_COLUMNS 18

/* The columns of one outbox item and its redemption, for tables aliased "o"
 * (outbox) and "r" (redemptions). */
#define SC_CACHE_OUTBOX_COLUMNS \
  "o.seq, o.action, o.idempotency_key, o.attempts, o.next_attempt_at, o.last_error, " \
  "o.platform_id, o.store_id, o.clerk_id, " SC_CACHE_REDEMPTION_COLUMNS

/* Reads SC_CACHE_OUTBOX_COLUMNS from column 0. */
ScOutboxItem *sc_cache_outbox_item_from_row (sqlite3_stmt  *stmt,
                                             GError       **error);

/* Reads SC_CACHE_REDEMPTION_COLUMNS starting at column @first. */
ScRedemption *sc_cache_redemption_from_row (sqlite3_stmt  *stmt,
                                            int            first,
                                            GError       **error);

/* Reads one row of @stmt: (transfer full), or NULL with @error. */
typedef gpointer (*ScCacheRowFunc) (sqlite3_stmt  *stmt,
                                    GError       **error);

/* Steps @stmt (prepared and bound) to its end, reading each row with
 * @from_row. Returns: (transfer full) the items, freed with @item_free, or
 * NULL with @error. */
GPtrArray    *sc_cache_collect_rows        (ScDb                 *db,
                                            sqlite3_stmt         *stmt,
                                            ScCacheRowFunc        from_row,
                                            GDestroyNotify        item_free,
                                            GError              **error);

/* sc-cache-tasks.c: a task of @self for an ScDb job: what the DB thread
 * committed is reported as committed (cancellation is honoured by ScDb
 * before a job runs). */
GTask        *sc_cache_task_new            (ScCache              *self,
                                            gpointer              source_tag,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* sc_db_run_async() callbacks that return the job's result to the GTask in
 * @user_data: TRUE for any non-NULL result, or the gint64 it points to. */
void          sc_cache_forward_boolean_cb  (GObject              *source,
                                            GAsyncResult         *result,
                                            gpointer              user_data);
void          sc_cache_forward_count_cb    (GObject              *source,
                                            GAsyncResult         *result,
                                            gpointer              user_data);
/* Runs @func on the DB thread for a new task of @self; once committed, its
 * result goes to the task through @forward, or, when @forward is NULL, as
 * the task's pointer, freed with @result_destroy. */
void          sc_cache_run_job             (ScCache              *self,
                                            gpointer              source_tag,
                                            ScDbJobFlags          flags,
                                            ScDbJobFunc           func,
                                            gpointer              job_data,
                                            GDestroyNotify        job_data_destroy,
                                            GDestroyNotify        result_destroy,
                                            GAsyncReadyCallback   forward,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* Runs @func on the DB thread for @task (taken: the caller's own, made
 * with its task data and cancellable); the result goes to it as its
 * pointer, freed with @result_destroy. */
void          sc_cache_run_task            (ScCache              *self,
                                            GTask                *task,
                                            ScDbJobFlags          flags,
                                            ScDbJobFunc           func,
                                            gpointer              job_data,
                                            GDestroyNotify        job_data_destroy,
                                            GDestroyNotify        result_destroy);
/* The _finish of a task of @self. */
gboolean      sc_cache_propagate_boolean   (ScCache              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
gpointer      sc_cache_propagate_pointer   (ScCache              *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* A copy of the key set for @store_id, or NULL; any thread.
 * Returns: (transfer full) (nullable): free with sc_secret_free. */
char         *sc_cache_dup_store_key       (ScCache              *self,
                                            const char           *store_id);

G_END_DECLS
