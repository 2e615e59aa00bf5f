/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-db.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-test-loop.h"

typedef struct
{
  ScTestLoop    loop;
  char         *path;      /* (owned) the default database path */
  ScCache      *cache;     /* (owned) (nullable) */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sc_test_loop_init (&f->loop);
  f->path = sc_cache_dup_default_path ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->cache != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->cache));
  sc_test_loop_clear (&f->loop);
  g_free (f->path);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_assert_true (SC_IS_CACHE (source));
  sc_test_loop_result_cb (source, result, user_data);
}

static void
open_cache (Fixture    *f,
            const char *path)
{
  if (f->cache != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->cache));
  f->cache = sc_test_loop_open_cache (&f->loop, path);
}

static gboolean
add_redemption (Fixture             *f,
                const ScRedemption  *r,
                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_add_redemption_async (f->cache, r, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_add_redemption_finish (f->cache, result, error);
}

static ScRedemption *
get_redemption (Fixture     *f,
                const char  *id,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_get_redemption_async (f->cache, id, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_get_redemption_finish (f->cache, result, error);
}

static GPtrArray *
list_recent (Fixture *f,
             guint    limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *array;

  sc_cache_list_recent_async (f->cache, limit, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  array = sc_cache_list_recent_finish (f->cache, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static GPtrArray *
list_outbox (Fixture *f,
             gint64   now,
             guint    limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *array;

  sc_cache_list_outbox_async (f->cache, now, limit, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  array = sc_cache_list_outbox_finish (f->cache, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static GPtrArray *
list_outbox_for (Fixture    *f,
                 const char *platform_id,
                 const char *store_id,
                 const char *clerk_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *array;

  sc_cache_list_outbox_for_async (f->cache, platform_id, store_id, clerk_id, -1, 0, NULL,
                                  store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  array = sc_cache_list_outbox_for_finish (f->cache, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static GPtrArray *
list_owners (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *array;

  sc_cache_list_outbox_owners_async (f->cache, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  array = sc_cache_list_outbox_owners_finish (f->cache, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static gboolean
update_redemption (Fixture            *f,
                   const char         *id,
                   ScRedemptionState   state,
                   gint64              redeemed_at,
                   gint64              discount_fen,
                   const char         *reason,
                   gint64              next_attempt_at,
                   GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_update_redemption_async (f->cache, id, state, redeemed_at, discount_fen, reason,
                                    next_attempt_at, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_update_redemption_finish (f->cache, result, error);
}

static guint
count_unsynced (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint count;

  sc_cache_count_unsynced_async (f->cache, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  count = sc_cache_count_unsynced_finish (f->cache, result, &error);
  g_assert_no_error (error);
  return count;
}

static ScRedemption *
make_redemption (const char *code,
                 ScCodeKind  kind,
                 gint64      created_at)
{
  g_autofree char *payload = g_strdup_printf ("https://example.com/c/%s", code);
  ScRedemption *r = sc_redemption_new (payload, code, kind, "keyboard");

  r->store_id = g_strdup ("1001");
  r->clerk_id = g_strdup ("1");
  r->created_at = created_at;
  r->scanned_at = created_at - 2;
  r->offline = TRUE;
  if (kind == SC_CODE_KIND_COUPON)
    {
      r->bill_fen = 12345;
      r->discount_fen = 500;
    }
  return r;
}

static void
assert_redemption_equal (const ScRedemption *a,
                         const ScRedemption *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->payload, ==, b->payload);
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->source, ==, b->source);
  g_assert_cmpstr (a->store_id, ==, b->store_id);
  g_assert_cmpstr (a->clerk_id, ==, b->clerk_id);
  g_assert_cmpint (a->scanned_at, ==, b->scanned_at);
  g_assert_cmpint (a->created_at, ==, b->created_at);
  g_assert_cmpint (a->bill_fen, ==, b->bill_fen);
  g_assert_cmpint (a->discount_fen, ==, b->discount_fen);
  g_assert_cmpint (a->offline, ==, b->offline);
  g_assert_cmpint (a->redeemed_at, ==, b->redeemed_at);
  g_assert_cmpstr (a->reason, ==, b->reason);
}

/* ---- tests ---- */

static void
test_add (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) r = make_redemption ("512345678903", SC_CODE_KIND_COUPON, 1700000000);
  g_autoptr(ScRedemption) got = NULL;
  g_autoptr(ScRedemption) bad = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  ScOutboxItem *item;

  g_test_summary ("Adding a redemption writes a PENDING log row and an outbox row keyed by "
                  "its id; a duplicate or an unredeemable kind is refused");

  open_cache (f, ":memory:");
  g_assert_cmpuint (count_unsynced (f), ==, 0);

  r->state = SC_REDEMPTION_STATE_SYNCED;   /* ignored: a new row is always PENDING */
  g_assert_true (add_redemption (f, r, &error));
  g_assert_no_error (error);

  got = get_redemption (f, r->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  assert_redemption_equal (got, r);
  g_assert_cmpint (got->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_cmpint (got->updated_at, >, 0);
  g_assert_cmpuint (count_unsynced (f), ==, 1);

  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 1);
  item = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (item->seq, >, 0);
  g_assert_cmpstr (item->action, ==, "redeem");
  g_assert_cmpstr (item->idempotency_key, ==, r->id);
  g_assert_cmpint (item->attempts, ==, 0);
  g_assert_cmpint (item->next_attempt_at, ==, 0);
  g_assert_null (item->last_error);
  assert_redemption_equal (item->redemption, r);

  /* The same id again: nothing changes. */
  g_assert_false (add_redemption (f, r, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 1);

  bad = make_redemption ("1234", SC_CODE_KIND_PHONE_TAIL, 1700000000);
  g_assert_false (add_redemption (f, bad, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);
  g_assert_cmpuint (count_unsynced (f), ==, 1);
}

static void
test_outbox_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first_two = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) later = NULL;
  ScRedemption *rs[3];
  ScOutboxItem *item;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_test_summary ("The outbox lists in seq (insertion) order, honours limit and "
                  "next_attempt_at; a PENDING update counts the attempt and keeps the item");

  open_cache (f, ":memory:");
  /* created_at runs backwards, so only seq gives insertion order. */
  for (int i = 0; i < 3; i++)
    {
      rs[i] = make_redemption ("123456789015", SC_CODE_KIND_PICKUP, 1700000300 - i * 100);
      g_assert_true (add_redemption (f, rs[i], &error));
      g_assert_no_error (error);
    }

  all = list_outbox (f, -1, 0);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      item = g_ptr_array_index (all, i);
      g_assert_cmpstr (item->redemption->id, ==, rs[i]->id);
      if (i > 0)
        g_assert_cmpint (item->seq, >, ((ScOutboxItem *) g_ptr_array_index (all, i - 1))->seq);
    }

  first_two = list_outbox (f, -1, 2);
  g_assert_cmpuint (first_two->len, ==, 2);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (first_two, 1))->redemption->id, ==,
                   rs[1]->id);

  /* The middle one failed: retry in a minute. */
  g_assert_true (update_redemption (f, rs[1]->id, SC_REDEMPTION_STATE_PENDING, 0, -1,
                                    "Server error 503", now + 60, &error));
  g_assert_no_error (error);
  g_assert_true (update_redemption (f, rs[1]->id, SC_REDEMPTION_STATE_PENDING, 0, -1,
                                    "Timed out", now + 120, &error));
  g_assert_no_error (error);

  due = list_outbox (f, now, 0);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (due, 0))->redemption->id, ==, rs[0]->id);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (due, 1))->redemption->id, ==, rs[2]->id);

  later = list_outbox (f, now + 120, 0);
  g_assert_cmpuint (later->len, ==, 3);
  item = g_ptr_array_index (later, 1);
  g_assert_cmpstr (item->redemption->id, ==, rs[1]->id);
  g_assert_cmpint (item->attempts, ==, 2);
  g_assert_cmpint (item->next_attempt_at, ==, now + 120);
  g_assert_cmpstr (item->last_error, ==, "Timed out");
  g_assert_cmpint (item->redemption->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_cmpuint (count_unsynced (f), ==, 3);

  for (int i = 0; i < 3; i++)
    sc_redemption_free (rs[i]);
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) a = make_redemption ("512345678903", SC_CODE_KIND_COUPON, 1700000000);
  g_autoptr(ScRedemption) b = make_redemption ("123456789015", SC_CODE_KIND_PICKUP, 1700000001);
  g_autoptr(ScRedemption) got = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) recent = NULL;

  g_test_summary ("A final state removes the outbox row and keeps the log row with its "
                  "outcome; UNCERTAIN keeps it; an unknown id is NOT_FOUND");

  open_cache (f, ":memory:");
  g_assert_true (add_redemption (f, a, &error));
  g_assert_true (add_redemption (f, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_unsynced (f), ==, 2);

  g_assert_true (update_redemption (f, a->id, SC_REDEMPTION_STATE_SYNCED, 1700000100, 600,
                                    NULL, 0, &error));
  g_assert_no_error (error);
  got = get_redemption (f, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpint (got->redeemed_at, ==, 1700000100);
  g_assert_cmpint (got->discount_fen, ==, 600);
  g_assert_cmpint (got->bill_fen, ==, 12345);
  g_assert_null (got->reason);
  g_assert_cmpuint (count_unsynced (f), ==, 1);
  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (outbox, 0))->redemption->id, ==, b->id);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  /* UNCERTAIN: stays queued; redeemed_at 0 and discount -1 leave values alone. */
  g_assert_true (update_redemption (f, b->id, SC_REDEMPTION_STATE_UNCERTAIN, 0, -1,
                                    "Timed out", 1700000200, &error));
  g_assert_no_error (error);
  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((ScOutboxItem *) g_ptr_array_index (outbox, 0))->attempts, ==, 1);
  g_assert_cmpint (((ScOutboxItem *) g_ptr_array_index (outbox, 0))->redemption->state, ==,
                   SC_REDEMPTION_STATE_UNCERTAIN);
  g_assert_cmpuint (count_unsynced (f), ==, 1);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  g_assert_true (update_redemption (f, b->id, SC_REDEMPTION_STATE_CONFLICT, 0, -1,
                                    "Redeemed at store 1002", 0, &error));
  g_assert_no_error (error);
  g_clear_pointer (&got, sc_redemption_free);
  got = get_redemption (f, b->id, &error);
  g_assert_cmpint (got->state, ==, SC_REDEMPTION_STATE_CONFLICT);
  g_assert_cmpstr (got->reason, ==, "Redeemed at store 1002");
  g_assert_cmpint (got->redeemed_at, ==, 0);
  g_assert_cmpint (got->discount_fen, ==, -1);
  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 0);
  g_assert_cmpuint (count_unsynced (f), ==, 0);

  /* The log keeps both. */
  recent = list_recent (f, 10);
  g_assert_cmpuint (recent->len, ==, 2);

  g_assert_false (update_redemption (f, "no-such-id", SC_REDEMPTION_STATE_SYNCED, 0, -1,
                                     NULL, 0, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (update_redemption (f, a->id, (ScRedemptionState) 99, 0, -1, NULL, 0, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);
}

static void
test_list_recent (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) three = NULL;
  g_autoptr(GPtrArray) all = NULL;
  const gint64 times[] = { 1700000300, 1700000100, 1700000500, 1700000100, 1700000400 };
  char *ids[G_N_ELEMENTS (times)];

  g_test_summary ("list_recent gives the newest first (created_at, then insertion), "
                  "at most limit");

  open_cache (f, ":memory:");
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(ScRedemption) r = make_redemption ("123456789015", SC_CODE_KIND_PICKUP, times[i]);

      g_assert_true (add_redemption (f, r, &error));
      g_assert_no_error (error);
      ids[i] = g_strdup (r->id);
    }

  three = list_recent (f, 3);
  g_assert_cmpuint (three->len, ==, 3);
  g_assert_cmpstr (((ScRedemption *) g_ptr_array_index (three, 0))->id, ==, ids[2]);
  g_assert_cmpstr (((ScRedemption *) g_ptr_array_index (three, 1))->id, ==, ids[4]);
  g_assert_cmpstr (((ScRedemption *) g_ptr_array_index (three, 2))->id, ==, ids[0]);

  all = list_recent (f, 100);
  g_assert_cmpuint (all->len, ==, 5);
  /* Same created_at: the later insertion first. */
  g_assert_cmpstr (((ScRedemption *) g_ptr_array_index (all, 3))->id, ==, ids[3]);
  g_assert_cmpstr (((ScRedemption *) g_ptr_array_index (all, 4))->id, ==, ids[1]);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_get_not_found (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) got = NULL;

  g_test_summary ("Getting an unknown id gives SC_DB_ERROR_NOT_FOUND");

  open_cache (f, ":memory:");
  got = get_redemption (f, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (got);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
}

static gpointer
schema_objects_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  sqlite3_stmt *stmt;
  GString *names = g_string_new (NULL);
  int rc;

  stmt = sc_db_prepare (db, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    g_string_append_printf (names, "%s ", sqlite3_column_text (stmt, 0));
  if (rc < 0)
    {
      g_string_free (names, TRUE);
      return NULL;
    }
  return g_string_free (names, FALSE);
}

static void
assert_latest_schema (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  guint n_migrations = 0;

  sc_cache_get_migrations (&n_migrations);
  g_assert_cmpuint (n_migrations, >=, 7);
  g_assert_cmpint (sc_db_get_schema_version (sc_cache_get_db (f->cache)), ==, n_migrations);

  names = sc_db_run_sync (sc_cache_get_db (f->cache), SC_DB_JOB_READ, schema_objects_job, NULL,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (names, ==,
                   "manifest_meta manifest_orders manifest_orders_phone_tail offline_logins "
                   "outbox outbox_next_attempt_at outbox_owner redemptions redemptions_code "
                   "redemptions_conflicts redemptions_created_at redemptions_state "
                   "redemptions_store_id ");
}

static void
test_add_lines (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) r = make_redemption ("100000000009", SC_CODE_KIND_PICKUP, 1700000000);
  g_autoptr(ScRedemption) whole = make_redemption ("100000000017", SC_CODE_KIND_PICKUP,
                                                   1700000001);
  g_autoptr(ScRedemption) got = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  ScOutboxItem *item;

  g_test_summary ("A partial pickup's lines are saved with its log row and outbox row (one "
                  "transaction) and come back with both; a whole redemption has none");

  open_cache (f, ":memory:");
  r->lines = sc_line_qtys_new ();
  g_ptr_array_add (r->lines, sc_line_qty_new ("1", 2));
  g_ptr_array_add (r->lines, sc_line_qty_new ("3", 1));
  g_assert_true (add_redemption (f, r, &error));
  g_assert_no_error (error);
  g_assert_true (add_redemption (f, whole, &error));
  g_assert_no_error (error);

  got = get_redemption (f, r->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got->lines);
  g_assert_cmpuint (got->lines->len, ==, 2);
  g_assert_cmpstr (((ScLineQty *) g_ptr_array_index (got->lines, 1))->line_id, ==, "3");
  g_assert_cmpint (((ScLineQty *) g_ptr_array_index (got->lines, 0))->qty, ==, 2);

  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 2);
  item = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (item->redemption->id, ==, r->id);
  g_assert_cmpuint (item->redemption->lines->len, ==, 2);
  item = g_ptr_array_index (outbox, 1);
  g_assert_null (item->redemption->lines);
}

static void
test_migrate_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("A new file at the default path gets the whole schema");

  g_assert_true (g_str_has_prefix (f->path, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (f->path, G_DIR_SEPARATOR_S "store-counter"
                                   G_DIR_SEPARATOR_S "counter.db"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  open_cache (f, NULL);
  g_assert_cmpstr (sc_db_get_path (sc_cache_get_db (f->cache)), ==, f->path);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  assert_latest_schema (f);
  g_assert_cmpuint (count_unsynced (f), ==, 0);
}

static void
test_migrate_older (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(ScRedemption) got = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  const char * const *migrations;
  guint n_migrations;
  sqlite3 *raw = NULL;
  ScOutboxItem *item;

  g_test_summary ("A file at schema 1 with data is migrated to the latest and its data is "
                  "intact");

  migrations = sc_cache_get_migrations (&n_migrations);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
      "INSERT INTO redemptions (id, payload, code, kind, source, store_id, clerk_id, "
      "  scanned_at, created_at, bill_fen, discount_fen, offline, state, redeemed_at, "
      "  reason, updated_at) "
      "VALUES ('old-1', '223456789014', '223456789014', 'pickup', 'scanner', '1001', '2', "
      "  1690000000, 1690000001, -1, -1, 1, 'pending', 0, NULL, 1690000001);"
      "INSERT INTO redemptions (id, payload, code, kind, source, store_id, clerk_id, "
      "  scanned_at, created_at, bill_fen, discount_fen, offline, state, redeemed_at, "
      "  reason, updated_at) "
      "VALUES ('old-2', '612345678901', '612345678901', 'coupon', 'camera', '1001', '1', "
      "  1690000010, 1690000011, 5000, 300, 0, 'synced', 1690000020, NULL, 1690000020);"
      "INSERT INTO outbox (redemption_id, idempotency_key, attempts, last_error) "
      "VALUES ('old-1', 'old-1', 3, 'Timed out');"
      "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  open_cache (f, f->path);
  assert_latest_schema (f);

  got = get_redemption (f, "old-2", &error);
  g_assert_no_error (error);
  g_assert_null (got->lines);  /* a whole redemption, as before */
  g_assert_cmpint (got->kind, ==, SC_CODE_KIND_COUPON);
  g_assert_cmpint (got->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpint (got->bill_fen, ==, 5000);
  g_assert_cmpint (got->discount_fen, ==, 300);
  g_assert_cmpint (got->redeemed_at, ==, 1690000020);
  g_assert_cmpstr (got->source, ==, "camera");

  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (outbox->len, ==, 1);
  item = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (item->idempotency_key, ==, "old-1");
  g_assert_cmpint (item->attempts, ==, 3);
  g_assert_cmpstr (item->last_error, ==, "Timed out");
  g_assert_cmpstr (item->redemption->code, ==, "223456789014");
  g_assert_cmpstr (item->redemption->clerk_id, ==, "2");
  g_assert_true (item->redemption->offline);
  g_assert_cmpuint (count_unsynced (f), ==, 1);

  /* Its owner: store and clerk from its log row; no platform id yet. */
  g_assert_cmpstr (item->store_id, ==, "1001");
  g_assert_cmpstr (item->clerk_id, ==, "2");
  g_assert_null (item->platform_id);
  g_assert_null (item->redemption->platform_id);
}

static void
test_outbox_owner (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ScRedemption) mine = sc_redemption_new ("123456789015", "123456789015",
                                                    SC_CODE_KIND_PICKUP, "scanner");
  g_autoptr(ScRedemption) legacy = sc_redemption_new ("223456789014", "223456789014",
                                                      SC_CODE_KIND_PICKUP, "scanner");
  g_autoptr(GPtrArray) other_clerk = NULL;
  g_autoptr(GPtrArray) other_store = NULL;
  g_autoptr(GPtrArray) other_platform = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) after_claim = NULL;
  g_autoptr(GPtrArray) owners = NULL;
  g_autoptr(ScRedemption) claimed = NULL;
  g_autoptr(GError) error = NULL;
  ScOutboxOwner *owner;

  g_test_summary ("Each outbox item carries the platform, store and clerk that made it; "
                  "listing for an owner gives only theirs; an item without a platform id "
                  "(older versions) is claimed by the first session of its store and clerk");

  open_cache (f, ":memory:");
  mine->store_id = g_strdup ("1001");
  mine->clerk_id = g_strdup ("1");
  mine->platform_id = g_strdup ("platform-a");
  g_assert_true (add_redemption (f, mine, &error));
  g_assert_no_error (error);
  legacy->store_id = g_strdup ("1001");
  legacy->clerk_id = g_strdup ("1");
  g_assert_true (add_redemption (f, legacy, &error));
  g_assert_no_error (error);

  other_clerk = list_outbox_for (f, "platform-a", "1001", "2");
  other_store = list_outbox_for (f, "platform-a", "1002", "1");
  other_platform = list_outbox_for (f, "platform-b", "1001", "1");
  g_assert_cmpuint (other_clerk->len, ==, 0);
  g_assert_cmpuint (other_store->len, ==, 0);
  /* The legacy item went to the first session of its store and clerk. */
  g_assert_cmpuint (other_platform->len, ==, 1);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (other_platform, 0))->redemption->id, ==,
                   legacy->id);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (other_platform, 0))->platform_id, ==,
                   "platform-b");

  own = list_outbox_for (f, "platform-a", "1001", "1");
  g_assert_cmpuint (own->len, ==, 1);
  g_assert_cmpstr (((ScOutboxItem *) g_ptr_array_index (own, 0))->redemption->id, ==, mine->id);
  after_claim = list_outbox_for (f, "platform-b", "1001", "1");
  g_assert_cmpuint (after_claim->len, ==, 1);
  claimed = get_redemption (f, legacy->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (claimed->platform_id, ==, "platform-b");

  owners = list_owners (f);
  g_assert_cmpuint (owners->len, ==, 2);
  owner = g_ptr_array_index (owners, 0);
  g_assert_cmpstr (owner->platform_id, ==, "platform-a");
  g_assert_cmpstr (owner->store_id, ==, "1001");
  g_assert_cmpstr (owner->clerk_id, ==, "1");
  g_assert_cmpuint (owner->count, ==, 1);
  owner = g_ptr_array_index (owners, 1);
  g_assert_cmpstr (owner->platform_id, ==, "platform-b");
}

/* A row of the same, for the migration's checks. */
static gpointer
count_rows_job (ScDb     *db,
                gpointer  data,
                GError  **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", (const char *) data);
  sqlite3_stmt *stmt = sc_db_prepare (db, sql, error);
  gint64 *count;

  if (stmt == NULL || sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  count = g_new (gint64, 1);
  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = sc_db_run_sync (sc_cache_get_db (f->cache), SC_DB_JOB_READ,
                                             count_rows_job, (gpointer) table, &error);

  g_assert_no_error (error);
  g_assert_nonnull (count);
  return *count;
}

static void
test_migrate_unkeyed (Fixture       *f,
                      gconstpointer  data)
{
  static const char old_hash[] =
    "0f3a6c2e9d8b7a6950413f2e1d0c9b8a7f6e5d4c3b2a19081726354453627180";
  static const char old_verifier[] =
    "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *setup = NULL;
  g_autofree char *contents = NULL;
  const char * const *migrations;
  guint n_migrations;
  guint keyed = 0;
  gsize len = 0;
  sqlite3 *raw = NULL;

  g_test_summary ("A file with the older, unkeyed manifest hashes and PIN verifiers loses "
                  "them when migrated (overwritten, not only unlinked), keeps its log, and "
                  "fetches the manifest again in full");

  migrations = sc_cache_get_migrations (&n_migrations);
  while (keyed < n_migrations && strstr (migrations[keyed], "offline_logins ADD COLUMN key_id")
         == NULL)
    keyed++;
  g_assert_cmpuint (keyed, <, n_migrations);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  for (guint i = 0; i < keyed; i++)
    g_assert_cmpint (sqlite3_exec (raw, migrations[i], NULL, NULL, NULL), ==, SQLITE_OK);
  setup = g_strdup_printf (
      "INSERT INTO manifest_meta (store_id, version, salt, fetched_at)"
      "  VALUES ('1001', 42, '0123456789abcdef', 1690000000);"
      "INSERT INTO manifest_orders (order_id, store_id, code_sha256, status, items_json,"
      "  total_fen) VALUES ('SO1', '1001', '%s', 'redeemable', '[]', 100);"
      "INSERT INTO offline_logins (platform_url, store_id, clerk_id, store_name,"
      "  store_timezone, clerk_name, undo_window_s, salt, iterations, verifier, logged_in_at)"
      "  VALUES ('http://a', '1001', '1', 'S', 'UTC', 'C', 90, '00', 20000, '%s', 1);"
      "INSERT INTO redemptions (id, payload, code, kind, scanned_at, created_at, updated_at)"
      "  VALUES ('old-1', '223456789014', '223456789014', 'pickup', 1, 1, 1);"
      "PRAGMA user_version = %u;", old_hash, old_verifier, keyed);
  g_assert_cmpint (sqlite3_exec (raw, setup, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  open_cache (f, f->path);
  assert_latest_schema (f);
  g_assert_cmpint (count_rows (f, "manifest_meta"), ==, 0);
  g_assert_cmpint (count_rows (f, "manifest_orders"), ==, 0);
  g_assert_cmpint (count_rows (f, "offline_logins"), ==, 0);
  g_assert_cmpint (count_rows (f, "redemptions"), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&f->cache));

  /* Not even on a free page of the file (Debian's SQLite has secure_delete on by
   * default; the migration turns it on for builds that do not). */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_null (g_strstr_len (contents, (gssize) len, old_hash));
  g_assert_null (g_strstr_len (contents, (gssize) len, old_verifier));
}

static void
test_schema_too_new (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *newer = NULL;
  sqlite3 *raw = NULL;
  guint n_migrations = 0;

  g_test_summary ("Opening a cache written by a newer app fails with SCHEMA_TOO_NEW");

  sc_cache_get_migrations (&n_migrations);
  newer = g_strdup_printf ("PRAGMA user_version = %u;", n_migrations + 1);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, newer, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  f->cache = sc_cache_new (f->path);
  sc_cache_open_async (f->cache, NULL, store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  g_assert_false (sc_cache_open_finish (f->cache, result, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_SCHEMA_TOO_NEW);
}

/* ---- crash safety ---- */

#define N_CRASH 5

static char *
acked_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "acked.txt", NULL);
}

/* Child: records an acknowledged id where the parent can read it (the
 * kernel keeps written data across a SIGKILL of the writer). */
static void
child_record_ack (GString    *acked,
                  const char *id)
{
  g_autofree char *path = acked_path ();

  g_string_append_printf (acked, "%s\n", id);
  if (!g_file_set_contents (path, acked->str, acked->len, NULL))
    g_error ("cannot write %s", path);
  printf ("saved %s\n", id);
  fflush (stdout);
}

static void
crash_child_sequential (Fixture *f)
{
  g_autoptr(GString) acked = g_string_new (NULL);

  open_cache (f, NULL);

  for (int i = 0; i < N_CRASH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = g_strdup_printf ("1234567890%02d", i);
      g_autoptr(ScRedemption) r = make_redemption (code, SC_CODE_KIND_PICKUP, 1700000000 + i);

      /* Recorded before asking; a failed add ends the child with g_error. */
      child_record_ack (acked, r->id);

      if (!add_redemption (f, r, &error))
        g_error ("add failed: %s", error->message);

      /* "Saved" was reported, nothing was sent: crash at once. */
      if (i == N_CRASH - 1)
        kill (getpid (), SIGKILL);
    }

  g_assert_not_reached ();
}

static void
crash_first_ack_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ScRedemption *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) acked = g_string_new (NULL);

  if (!sc_cache_add_redemption_finish (SC_CACHE (source), result, &error))
    g_error ("add failed: %s", error->message);

  child_record_ack (acked, r->id);
  kill (getpid (), SIGKILL);
  g_assert_not_reached ();
}

static void
crash_child_in_flight (Fixture *f)
{
  open_cache (f, NULL);

  /* Five queued at once; the process dies at the first acknowledgement,
   * with the others queued or in the middle of their transaction. */
  for (int i = 0; i < N_CRASH; i++)
    {
      g_autofree char *code = g_strdup_printf ("2234567890%02d", i);
      ScRedemption *r = make_redemption (code, SC_CODE_KIND_PICKUP, 1700000000 + i);

      /* r is never freed: the process is killed first. */
      sc_cache_add_redemption_async (f->cache, r, NULL, crash_first_ack_cb, r);
    }

  for (;;)
    g_main_context_iteration (f->loop.context, TRUE);
}

/* Parent: the child died by the signal, and every id it acknowledged is in
 * the reopened database, PENDING, with its outbox row and key. Returns the
 * outbox. */
static GPtrArray *
assert_crash_survivors (Fixture *f,
                        guint    n_acked,
                        guint    max_rows)
{
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *path = acked_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) ids = NULL;

  g_test_trap_assert_failed ();
  /* Killed, not failed: no assertion or g_error message. */
  g_test_trap_assert_stderr_unmatched ("*ERROR*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  ids = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (ids), ==, n_acked);

  open_cache (f, NULL);
  recent = list_recent (f, 0);
  outbox = list_outbox (f, -1, 0);
  g_assert_cmpuint (recent->len, >=, n_acked);
  g_assert_cmpuint (recent->len, <=, max_rows);
  /* No log row without its outbox row, nor the reverse. */
  g_assert_cmpuint (outbox->len, ==, recent->len);
  g_assert_cmpuint (count_unsynced (f), ==, recent->len);

  for (guint i = 0; i < outbox->len; i++)
    {
      ScOutboxItem *item = g_ptr_array_index (outbox, i);

      g_assert_cmpint (item->redemption->state, ==, SC_REDEMPTION_STATE_PENDING);
      g_assert_cmpstr (item->idempotency_key, ==, item->redemption->id);
      g_assert_cmpstr (item->action, ==, "redeem");
      g_assert_cmpint (item->attempts, ==, 0);
      g_assert_cmpstr (item->redemption->store_id, ==, "1001");
      g_assert_cmpuint (strlen (item->redemption->code), ==, 12);
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < outbox->len && !found; j++)
        found = g_str_equal (((ScOutboxItem *) g_ptr_array_index (outbox, j))->redemption->id,
                             ids[i]);
      if (!found)
        g_error ("acknowledged redemption %s was lost in the crash", ids[i]);
    }

  return g_steal_pointer (&outbox);
}

static void
test_crash_after_save (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) outbox = NULL;

  g_test_summary ("A crash (SIGKILL) right after add_redemption_finish returned TRUE loses "
                  "nothing: after reopening, all 5 redemptions are PENDING with their outbox "
                  "rows and idempotency keys, in order");

  if (g_test_subprocess ())
    {
      crash_child_sequential (f);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_stdout ("*saved *");
  outbox = assert_crash_survivors (f, N_CRASH, N_CRASH);
  g_assert_cmpuint (outbox->len, ==, N_CRASH);

  for (guint i = 0; i < outbox->len; i++)
    {
      ScOutboxItem *item = g_ptr_array_index (outbox, i);
      g_autofree char *code = g_strdup_printf ("1234567890%02u", i);

      g_assert_cmpstr (item->redemption->code, ==, code);
    }
}

static void
test_crash_in_flight (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) outbox = NULL;

  g_test_summary ("A crash while other redemptions are queued keeps the acknowledged one "
                  "and leaves no half-written redemption (log row without outbox row)");

  if (g_test_subprocess ())
    {
      crash_child_in_flight (f);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_stdout ("*saved *");
  outbox = assert_crash_survivors (f, 1, N_CRASH);
  g_assert_cmpuint (outbox->len, >=, 1);
}

static char *
hex (const guint8 *data,
     gsize         len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

static void
test_pin_verifier_vectors (Fixture       *f,
                           gconstpointer  data)
{
  static const struct
  {
    const char *pin;
    const char *salt;
    guint       iterations;
    const char *expected;
  } vectors[] = {
    /* PBKDF2-HMAC-SHA256, as in RFC 7914 §11 and common test suites */
    { "password", "salt", 1,
      "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
    { "password", "salt", 2,
      "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
    { "password", "salt", 4096,
      "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
    { "password", "salt", SC_CACHE_PIN_ITERATIONS,
      "2a6a4f0832d046838f4a22cbadc94dff08a5bcc328467ee3cade8db8c5d93b87" },
  };

  g_test_summary ("The PIN verifier is PBKDF2-HMAC-SHA256: known answers, and at least "
                  "20000 rounds");

  g_assert_cmpuint (SC_CACHE_PIN_ITERATIONS, >=, 20000);
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      guint8 out[32];
      g_autofree char *got = NULL;

      sc_secret_pbkdf2_sha256 (vectors[i].pin, (const guint8 *) vectors[i].salt,
                               strlen (vectors[i].salt), vectors[i].iterations, out);
      got = hex (out, sizeof out);
      g_assert_cmpstr (got, ==, vectors[i].expected);
    }
}

#define KEY_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define KEY_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static ScSession *
demo_session (void)
{
  ScSession *session = sc_session_new ();

  session->token = g_strdup ("secret-token");
  session->store_id = g_strdup ("1001");
  session->store_name = g_strdup ("示范自提点");
  session->store_timezone = g_strdup ("Asia/Shanghai");
  session->clerk_id = g_strdup ("1");
  session->clerk_name = g_strdup ("王芳");
  session->undo_window_s = 90;
  session->manifest_key = g_strdup (KEY_A);
  return session;
}

static gboolean
check_login (Fixture     *f,
             const char  *url,
             const char  *clerk,
             const char  *pin,
             ScSession  **out_session,
             gint64      *out_at,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_check_offline_login_async (f->cache, url, "1001", clerk, pin, NULL,
                                      store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_cache_check_offline_login_finish (f->cache, result, out_session, out_at, error);
}

static void
test_offline_login (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ScSession) online = demo_session ();
  g_autoptr(ScSession) offline = NULL;
  g_autoptr(ScSession) wrong = NULL;
  g_autoptr(ScSession) keyless = demo_session ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at = 0;

  g_test_summary ("An online login is kept for offline use (names, timezone, undo window, "
                  "when) with a PIN verifier keyed with the store's key; the right PIN gives "
                  "an offline session without a token, a wrong one none; other clerks and "
                  "platforms have nothing; without the store's key (or with another one) no "
                  "PIN is checked, and a login without a key is not kept");

  open_cache (f, ":memory:");

  /* A session without the store's key cannot be kept for offline use. */
  g_clear_pointer (&keyless->manifest_key, g_free);
  sc_cache_save_offline_login_async (f->cache, "http://a", keyless, "1234", 1700000000, NULL,
                                     store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  g_assert_false (sc_cache_save_offline_login_finish (f->cache, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Nothing saved yet. */
  g_assert_false (check_login (f, "http://a", "1", "1234", &offline, &at, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sc_cache_save_offline_login_async (f->cache, "http://a", online, "1234", 1700000000, NULL,
                                     store_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  g_assert_true (sc_cache_save_offline_login_finish (f->cache, result, &error));
  g_assert_no_error (error);

  /* Not without the key (a restart with no keyring), nor with another. */
  g_assert_false (check_login (f, "http://a", "1", "1234", &offline, &at, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  sc_cache_set_store_key (f->cache, "1001", KEY_B);
  g_assert_false (check_login (f, "http://a", "1", "1234", &offline, &at, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (offline);

  sc_cache_set_store_key (f->cache, "1001", KEY_A);
  g_assert_true (check_login (f, "http://a", "1", "1234", &offline, &at, &error));
  g_assert_no_error (error);
  g_assert_nonnull (offline);
  g_assert_cmpint (at, ==, 1700000000);
  g_assert_true (offline->offline);
  g_assert_null (offline->token);
  g_assert_null (offline->expires_at);
  g_assert_cmpstr (offline->store_id, ==, "1001");
  g_assert_cmpstr (offline->store_name, ==, "示范自提点");
  g_assert_cmpstr (offline->store_timezone, ==, "Asia/Shanghai");
  g_assert_cmpstr (offline->clerk_id, ==, "1");
  g_assert_cmpstr (offline->clerk_name, ==, "王芳");
  g_assert_cmpint (offline->undo_window_s, ==, 90);
  g_assert_cmpstr (offline->manifest_key, ==, KEY_A);

  g_assert_true (check_login (f, "http://a", "1", "1235", &wrong, &at, &error));
  g_assert_no_error (error);
  g_assert_null (wrong);
  g_assert_true (check_login (f, "http://a", "1", "", &wrong, &at, &error));
  g_assert_null (wrong);

  g_assert_false (check_login (f, "http://a", "2", "1234", &wrong, &at, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (check_login (f, "http://b", "1", "1234", &wrong, &at, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/cache/add", test_add);
  ADD ("/cache/add-lines", test_add_lines);
  ADD ("/cache/get-not-found", test_get_not_found);
  ADD ("/cache/outbox-order", test_outbox_order);
  ADD ("/cache/update", test_update);
  ADD ("/cache/list-recent", test_list_recent);
  ADD ("/cache/migrate/empty", test_migrate_empty);
  ADD ("/cache/migrate/older", test_migrate_older);
  ADD ("/cache/migrate/too-new", test_schema_too_new);
  ADD ("/cache/outbox/owner", test_outbox_owner);
  ADD ("/cache/migrate/unkeyed", test_migrate_unkeyed);
  ADD ("/cache/crash/after-save", test_crash_after_save);
  ADD ("/cache/crash/in-flight", test_crash_in_flight);
  ADD ("/cache/pin-verifier", test_pin_verifier_vectors);
  ADD ("/cache/offline-login", test_offline_login);

#undef ADD

  return g_test_run ();
}
