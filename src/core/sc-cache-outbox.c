/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache: who an outbox item belongs to (DESIGN §7). Each item carries the
 * platform it was made with (the id that platform reports, not its
 * address), the store and the clerk; only a session of that store and
 * clerk on that platform sends it, and the others leave it waiting. Items
 * made before platforms had ids here have none: the first session of their
 * store and clerk claims them for its platform. */
#include "config.h"

#include "sc-cache.h"
#include "sc-cache-private.h"
#include "sc-db.h"

void
sc_outbox_owner_free (ScOutboxOwner *owner)
{
  if (owner == NULL)
    return;

  g_free (owner->platform_id);
  g_free (owner->store_id);
  g_free (owner->clerk_id);
  g_free (owner);
}

gboolean
sc_outbox_owner_is_session (const char      *platform_id,
                            const char      *store_id,
                            const char      *clerk_id,
                            const ScSession *session)
{
  if (session == NULL || store_id == NULL || clerk_id == NULL)
    return FALSE;
  if (g_strcmp0 (store_id, session->store_id) != 0 ||
      g_strcmp0 (clerk_id, session->clerk_id) != 0)
    return FALSE;
  return platform_id == NULL || session->platform_id == NULL ||
         g_strcmp0 (platform_id, session->platform_id) == 0;
}

typedef struct
{
  char   *platform_id;
  char   *store_id;
  char   *clerk_id;
  gint64  now;
  guint   limit;
} OwnerQuery;

static void
owner_query_free (OwnerQuery *query)
{
  g_free (query->platform_id);
  g_free (query->store_id);
  g_free (query->clerk_id);
  g_free (query);
}

static OwnerQuery *
owner_query_new (const char *platform_id,
                 const char *store_id,
                 const char *clerk_id)
{
  OwnerQuery *query = g_new0 (OwnerQuery, 1);

  query->platform_id = g_strdup (platform_id);
  query->store_id = g_strdup (store_id);
  query->clerk_id = g_strdup (clerk_id);
  return query;
}

static void
bind_owner (sqlite3_stmt     *stmt,
            const OwnerQuery *query)
{
  sqlite3_bind_text (stmt, 1, query->platform_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, query->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, query->clerk_id, -1, SQLITE_TRANSIENT);
}

/* ---- list for one owner ---- */

/* Gives the owner's platform id (?1) to the items of its store (?2) and
 * clerk (?3) made without one: their redemptions first, then the outbox. */
static const char * const claim_sql[] = {
  "UPDATE redemptions SET platform_id = ?1 WHERE platform_id IS NULL "
  "AND id IN (SELECT redemption_id FROM outbox WHERE platform_id IS NULL "
  "AND store_id = ?2 AND clerk_id = ?3)",
  "UPDATE outbox SET platform_id = ?1 WHERE platform_id IS NULL "
  "AND store_id = ?2 AND clerk_id = ?3",
};

static gpointer
list_for_job (ScDb     *db,
              gpointer  job_data,
              GError  **error)
{
  const OwnerQuery *query = job_data;
  sqlite3_stmt *stmt;

  g_assert (sc_db_is_db_thread (db));

  for (gsize i = 0; i < G_N_ELEMENTS (claim_sql); i++)
    {
      stmt = sc_db_prepare (db, claim_sql[i], error);
      if (stmt == NULL)
        return NULL;
      bind_owner (stmt, query);
      if (!sc_db_step_done (db, stmt, error))
        return NULL;
    }

  stmt = sc_db_prepare (db,
                        "SELECT " SC_CACHE_OUTBOX_COLUMNS " "
                        "FROM outbox o JOIN redemptions r ON r.id = o.redemption_id "
                        "WHERE o.platform_id = ?1 AND o.store_id = ?2 AND o.clerk_id = ?3 "
                        "AND (?4 < 0 OR o.next_attempt_at <= ?4) "
                        "ORDER BY o.seq LIMIT ?5",
                        error);
  if (stmt == NULL)
    return NULL;
  bind_owner (stmt, query);
  sqlite3_bind_int64 (stmt, 4, query->now);
  sqlite3_bind_int64 (stmt, 5, query->limit > 0 ? (gint64) query->limit : -1);

  return sc_cache_collect_rows (db, stmt, (ScCacheRowFunc) sc_cache_outbox_item_from_row,
                                (GDestroyNotify) sc_outbox_item_free, error);
}

void
sc_cache_list_outbox_for_async (ScCache             *self,
                                const char          *platform_id,
                                const char          *store_id,
                                const char          *clerk_id,
                                gint64               now,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  OwnerQuery *query;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (platform_id != NULL && store_id != NULL && clerk_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  query = owner_query_new (platform_id, store_id, clerk_id);
  query->now = now;
  query->limit = limit;
  sc_cache_run_job (self, sc_cache_list_outbox_for_async, SC_DB_JOB_WRITE, list_for_job, query,
                    (GDestroyNotify) owner_query_free, (GDestroyNotify) g_ptr_array_unref, NULL,
                    cancellable, callback, user_data);
}

GPtrArray *
sc_cache_list_outbox_for_finish (ScCache       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}

/* ---- next attempt for one owner ---- */

static gpointer
next_attempt_for_job (ScDb     *db,
                      gpointer  job_data,
                      GError  **error)
{
  const OwnerQuery *query = job_data;
  sqlite3_stmt *stmt;
  gint64 *next;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT min(next_attempt_at) FROM outbox "
                        "WHERE (platform_id = ?1 OR platform_id IS NULL) "
                        "AND store_id = ?2 AND clerk_id = ?3",
                        error);
  if (stmt == NULL)
    return NULL;
  bind_owner (stmt, query);
  if (sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;

  next = g_new (gint64, 1);
  *next = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return next;
}

void
sc_cache_get_next_attempt_for_async (ScCache             *self,
                                     const char          *platform_id,
                                     const char          *store_id,
                                     const char          *clerk_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (platform_id != NULL && store_id != NULL && clerk_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sc_cache_run_job (self, sc_cache_get_next_attempt_for_async, SC_DB_JOB_READ,
                    next_attempt_for_job, owner_query_new (platform_id, store_id, clerk_id),
                    (GDestroyNotify) owner_query_free, g_free, NULL, cancellable, callback,
                    user_data);
}

gint64
sc_cache_get_next_attempt_for_finish (ScCache       *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_autofree gint64 *next = NULL;

  next = sc_cache_propagate_pointer (self, result, error);
  return next != NULL ? *next : -1;
}

/* ---- owners ---- */

static gpointer
list_owners_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  g_autoptr(GPtrArray) array =
    g_ptr_array_new_with_free_func ((GDestroyNotify) sc_outbox_owner_free);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT platform_id, store_id, clerk_id, count(*) FROM outbox "
                        "GROUP BY platform_id, store_id, clerk_id ORDER BY min(seq)",
                        error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      ScOutboxOwner *owner = g_new0 (ScOutboxOwner, 1);

      owner->platform_id = sc_db_column_dup_text (stmt, 0);
      owner->store_id = sc_db_column_dup_text (stmt, 1);
      owner->clerk_id = sc_db_column_dup_text (stmt, 2);
      owner->count = (guint) sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (array, owner);
    }
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&array);
}

void
sc_cache_list_outbox_owners_async (ScCache             *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sc_cache_run_job (self, sc_cache_list_outbox_owners_async, SC_DB_JOB_READ, list_owners_job,
                    NULL, NULL, (GDestroyNotify) g_ptr_array_unref, NULL, cancellable, callback,
                    user_data);
}

GPtrArray *
sc_cache_list_outbox_owners_finish (ScCache       *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}
