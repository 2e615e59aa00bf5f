/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache conflicts: recorded with the platform's record of the other
 * redemption, listed per store newest first, acknowledged and kept. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-db.h"
#include "sc-redemption.h"
#include "sc-test-loop.h"
#include "sc-verdict.h"

typedef struct
{
  ScTestLoop  loop;
  ScCache    *cache;     /* (owned) */
} Fixture;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_assert_true (SC_IS_CACHE (source));
  sc_test_loop_result_cb (source, result, user_data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sc_test_loop_init (&f->loop);
  if (data == NULL)
    f->cache = sc_test_loop_open_cache (&f->loop, ":memory:");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->cache != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->cache));
  sc_test_loop_clear (&f->loop);
}

static char *
add (Fixture    *f,
     const char *code,
     const char *store_id,
     gint64      created_at)
{
  g_autoptr(ScRedemption) r = sc_redemption_new (code, code, SC_CODE_KIND_PICKUP, "scanner");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  r->store_id = g_strdup (store_id);
  r->clerk_id = g_strdup ("1");
  r->offline = TRUE;
  r->created_at = r->scanned_at = created_at;
  sc_cache_add_redemption_async (f->cache, r, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  g_assert_true (sc_cache_add_redemption_finish (f->cache, result, &error));
  g_assert_no_error (error);
  return g_strdup (r->id);
}

static gboolean
record (Fixture     *f,
        const char  *id,
        const char  *reason,
        const char  *json,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_record_conflict_async (f->cache, id, reason, json, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_record_conflict_finish (f->cache, result, error);
}

static GPtrArray *
list (Fixture    *f,
      const char *store_id,
      gint64      since)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *conflicts;

  sc_cache_list_conflicts_async (f->cache, store_id, since, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  conflicts = sc_cache_list_conflicts_finish (f->cache, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (conflicts);
  return conflicts;
}

static gboolean
acknowledge (Fixture     *f,
             const char  *id,
             gint64       at,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_acknowledge_conflict_async (f->cache, id, at, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_acknowledge_conflict_finish (f->cache, result, error);
}

static guint
outbox_length (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  sc_cache_list_outbox_async (f->cache, -1, 0, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  items = sc_cache_list_outbox_finish (f->cache, result, &error);
  g_assert_no_error (error);
  return items->len;
}

static char *
platform_record (const char *code,
                 const char *other_id,
                 const char *at)
{
  return g_strdup_printf ("{\"code\": \"%s\", \"kind\": \"pickup\", \"status\": \"redeemed\", "
                          "\"store\": {\"id\": \"1001\", \"name\": \"示范自提点\"}, "
                          "\"order\": {\"order_id\": \"o-1\", \"customer_masked\": \"张*明\", "
                          "\"phone_tail\": \"1234\", \"total_fen\": 2590, \"items\": "
                          "[{\"name\": \"鸡蛋\", \"quantity\": 2, \"price_fen\": 1295}]}, "
                          "\"redeemed\": {\"redemption_id\": \"%s\", \"at\": \"%s\", "
                          "\"store\": {\"id\": \"1001\", \"name\": \"示范自提点\"}, "
                          "\"clerk\": {\"id\": \"2\", \"name\": \"李四\"}}}",
                          code, other_id, at);
}

static void
test_record_list_acknowledge (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *old = add (f, "223456789014", "1001", 1700000000);
  g_autofree char *newer = add (f, "123456789016", "1001", 1700000600);
  g_autofree char *other_store = add (f, "323456789012", "1002", 1700000300);
  g_autofree char *synced = add (f, "133456789015", "1001", 1700000700);
  g_autofree char *json = platform_record ("123456789016", "winner-1", "2023-11-14T22:05:00Z");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) since = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  const ScRedeemedInfo *winner;
  const ScOrderInfo *order;
  g_autofree char *at = NULL;
  ScConflict *first;
  ScConflict *second;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  g_test_summary ("A conflict keeps the platform's record of the winning redemption (where, "
                  "when, by whom, its id, the order); the list is per store, newest first, "
                  "optionally since a time; acknowledging keeps it with the time, once");

  g_assert_cmpuint (outbox_length (f), ==, 4);
  g_assert_true (record (f, newer, "Already redeemed at 示范自提点", json, &error));
  g_assert_no_error (error);
  g_assert_true (record (f, old, "Already redeemed", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (record (f, other_store, "Already redeemed", NULL, &error));
  g_assert_no_error (error);
  /* Conflicts leave the outbox: they are final. */
  g_assert_cmpuint (outbox_length (f), ==, 1);

  conflicts = list (f, "1001", 0);
  g_assert_cmpuint (conflicts->len, ==, 2);
  first = g_ptr_array_index (conflicts, 0);
  second = g_ptr_array_index (conflicts, 1);
  g_assert_cmpstr (first->redemption->id, ==, newer);
  g_assert_cmpstr (second->redemption->id, ==, old);
  g_assert_cmpint (first->redemption->state, ==, SC_REDEMPTION_STATE_CONFLICT);
  g_assert_cmpstr (first->redemption->reason, ==, "Already redeemed at 示范自提点");
  g_assert_true (first->redemption->offline);
  g_assert_cmpint (first->conflict_at, >=, before);
  g_assert_cmpint (first->acknowledged_at, ==, 0);

  g_assert_nonnull (first->platform);
  winner = sc_verdict_get_redeemed (first->platform);
  g_assert_nonnull (winner);
  g_assert_cmpstr (winner->redemption_id, ==, "winner-1");
  g_assert_cmpstr (winner->store_name, ==, "示范自提点");
  g_assert_cmpstr (winner->clerk_name, ==, "李四");
  at = sc_date_time_format_rfc3339 (winner->at);
  g_assert_cmpstr (at, ==, "2023-11-14T22:05:00Z");
  order = sc_verdict_get_order (first->platform);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->customer_masked, ==, "张*明");
  g_assert_cmpuint (order->items->len, ==, 1);
  /* No record sent: still a conflict, without the platform's details. */
  g_assert_null (second->platform);

  since = list (f, "1001", 1700000300);
  g_assert_cmpuint (since->len, ==, 2);  /* both were refused just now */
  g_clear_pointer (&since, g_ptr_array_unref);
  since = list (f, "1001", G_MAXINT64);
  g_assert_cmpuint (since->len, ==, 0);
  g_clear_pointer (&since, g_ptr_array_unref);
  since = list (f, "1002", 0);
  g_assert_cmpuint (since->len, ==, 1);
  g_clear_pointer (&since, g_ptr_array_unref);

  g_assert_true (acknowledge (f, newer, 1700001000, &error));
  g_assert_no_error (error);
  /* Again: the first acknowledgement stays. */
  g_assert_true (acknowledge (f, newer, 1700002000, &error));
  g_assert_no_error (error);
  /* Not a conflict, or nothing at all. */
  g_assert_false (acknowledge (f, synced, 1700001000, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (acknowledge (f, "no-such-id", 1700001000, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = list (f, "1001", 0);
  g_assert_cmpuint (after->len, ==, 2);
  first = g_ptr_array_index (after, 0);
  second = g_ptr_array_index (after, 1);
  g_assert_cmpstr (first->redemption->id, ==, newer);
  g_assert_cmpint (first->acknowledged_at, ==, 1700001000);
  g_assert_cmpint (first->redemption->state, ==, SC_REDEMPTION_STATE_CONFLICT);
  g_assert_cmpint (second->acknowledged_at, ==, 0);
}

static void
test_record_bad (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = add (f, "223456789014", "1001", 1700000000);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const bad[] = {
    "not json",
    "[1, 2]",
    "{\"code\": \"223456789014\"}",
    "{\"code\": \"223456789014\", \"kind\": \"pickup\", \"status\": \"redeemed\", "
    "\"redeemed\": {\"at\": 12}}",
  };

  g_test_summary ("A platform record that does not read as one is refused and changes "
                  "nothing; an unknown redemption is NOT_FOUND");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (record (f, id, "x", bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  conflicts = list (f, "1001", 0);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_cmpuint (outbox_length (f), ==, 1);

  g_assert_false (record (f, "no-such-id", "x", NULL, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
}

static gpointer
corrupt_record_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  return sc_db_exec (db, "UPDATE redemptions SET conflict_json = '{\"code\": 1}'", error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
test_unreadable_record (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *json = platform_record ("223456789014", "w", "2023-11-14T22:05:00Z");
  g_autofree char *id = add (f, "223456789014", "1001", 1700000000);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  ScConflict *conflict;

  g_test_summary ("A stored record that no longer reads still lists the conflict, "
                  "without the platform's details");

  g_assert_true (record (f, id, "Already redeemed", json, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sc_db_run_sync (sc_cache_get_db (f->cache), SC_DB_JOB_WRITE,
                                    corrupt_record_job, NULL, &error));
  g_assert_no_error (error);

  conflicts = list (f, "1001", 0);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->redemption->id, ==, id);
  g_assert_null (conflict->platform);
  g_assert_cmpstr (conflict->redemption->reason, ==, "Already redeemed");
}

static void
test_migrate (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("sc-conflicts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "counter.db", NULL);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *migrations;
  guint n_migrations = 0;
  sqlite3 *raw = NULL;
  ScConflict *conflict;

  g_test_summary ("A conflict recorded before conflict details existed is kept and listed, "
                  "refused at its last update, not acknowledged");

  migrations = sc_cache_get_migrations (&n_migrations);
  g_assert_cmpuint (n_migrations, >=, 4);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (sqlite3_exec (raw, migrations[i], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
      "INSERT INTO redemptions (id, payload, code, kind, source, store_id, clerk_id, "
      "  scanned_at, created_at, bill_fen, discount_fen, offline, state, redeemed_at, "
      "  reason, updated_at) "
      "VALUES ('old-c', '223456789014', '223456789014', 'pickup', 'scanner', '1001', '2', "
      "  1690000000, 1690000001, -1, -1, 1, 'conflict', 0, 'Already redeemed', 1690000050);"
      "PRAGMA user_version = 3;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  f->cache = sc_test_loop_open_cache (&f->loop, path);
  conflicts = list (f, "1001", 0);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->redemption->id, ==, "old-c");
  g_assert_cmpint (conflict->conflict_at, ==, 1690000050);
  g_assert_cmpint (conflict->acknowledged_at, ==, 0);
  g_assert_null (conflict->platform);
  g_clear_pointer (&conflicts, g_ptr_array_unref);

  g_assert_true (acknowledge (f, "old-c", 1690000100, &error));
  g_assert_no_error (error);
  conflicts = list (f, "1001", 1690000040);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (conflict->acknowledged_at, ==, 1690000100);

  g_assert_finalize_object (g_steal_pointer (&f->cache));
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/cache/conflicts/record-list-acknowledge", test_record_list_acknowledge, NULL);
  ADD ("/cache/conflicts/record-bad", test_record_bad, NULL);
  ADD ("/cache/conflicts/unreadable-record", test_unreadable_record, NULL);
  ADD ("/cache/conflicts/migrate", test_migrate, "file");
#undef ADD

  return g_test_run ();
}
