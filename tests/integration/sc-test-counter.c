/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-counter.h"

#include "sc-code.h"
#include "sc-test-platform.h"

typedef struct
{
  guint   pending;
  GError *error;
} AddAll;

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AddAll *all = user_data;
  GError *error = NULL;

  if (!sc_cache_add_redemption_finish (SC_CACHE (object), result, &error) && all->error == NULL)
    all->error = error;
  else
    g_clear_error (&error);
  all->pending--;
}

void
sc_test_cache_queue_offline (ScCache    *cache,
                             JsonArray  *codes,
                             GHashTable *ids_by_code)
{
  AddAll all = { 0, NULL };

  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      const char *code = json_array_get_string_element (codes, i);
      g_autoptr(ScRedemption) r = sc_redemption_new (code, code, SC_CODE_KIND_PICKUP, "scanner");

      r->store_id = g_strdup ("1001");
      r->clerk_id = g_strdup ("1");
      r->offline = TRUE;
      g_hash_table_insert (ids_by_code, g_strdup (code), g_strdup (r->id));
      all.pending++;
      sc_cache_add_redemption_async (cache, r, NULL, added_cb, &all);
    }
  while (all.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (all.error);
}

ScRedemption *
sc_test_cache_get_redemption (ScCache    *cache,
                              const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScRedemption *r;

  sc_cache_get_redemption_async (cache, id, NULL, sc_test_result_cb, &result);
  r = sc_cache_get_redemption_finish (cache, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return r;
}

ScCache *
sc_test_open_cache (const char *path)
{
  g_autoptr(ScCache) cache = sc_cache_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_cache_open_async (cache, NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_open_finish (cache, sc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&cache);
}

void
sc_test_counter_login (ScCounter  *counter,
                       const char *clerk)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_counter_login_async (counter, "1001", clerk, "1234", NULL, sc_test_result_cb, &result);
  g_assert_true (sc_counter_login_finish (counter, sc_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

void
sc_test_counter_idle (ScCounter *counter)
{
  while (!sc_counter_is_idle (counter))
    g_main_context_iteration (NULL, TRUE);
}

gboolean
sc_test_counter_get_probing (ScCounter *counter)
{
  gboolean probing = FALSE;

  g_object_get (counter, "probing", &probing, NULL);
  return probing;
}

ScCounter *
sc_test_counter_open (const char        *db_path,
                      const char        *platform_url,
                      ScCache          **out_cache,
                      ScPlatformClient **out_client)
{
  ScCounter *counter;

  *out_cache = sc_test_open_cache (db_path);
  *out_client = sc_platform_client_new (platform_url);
  counter = sc_counter_new (*out_cache, *out_client);
  sc_test_counter_idle (counter);
  return counter;
}

void
sc_test_counter_close (ScCounter        **counter,
                       ScPlatformClient **client,
                       ScCache          **cache)
{
  sc_test_counter_idle (*counter);
  g_assert_finalize_object (g_steal_pointer (counter));
  g_assert_finalize_object (g_steal_pointer (client));
  g_assert_finalize_object (g_steal_pointer (cache));
}

ScVerdict *
sc_test_counter_lookup (ScCounter  *counter,
                        const char *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScVerdict *verdict;

  sc_counter_lookup_async (counter, input, NULL, sc_test_result_cb, &result);
  verdict = sc_counter_lookup_finish (counter, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  return verdict;
}

ScRedemption *
sc_test_counter_redeem (ScCounter  *counter,
                        ScVerdict  *verdict,
                        gint64      bill_fen,
                        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_counter_redeem_async (counter, verdict, bill_fen, "keyboard", NULL, sc_test_result_cb,
                           &result);
  return sc_counter_redeem_finish (counter, sc_test_wait_result (&result), error);
}

ScRedemption *
sc_test_counter_undo (ScCounter  *counter,
                      const char *id,
                      GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_counter_undo_async (counter, id, NULL, sc_test_result_cb, &result);
  return sc_counter_undo_finish (counter, sc_test_wait_result (&result), error);
}

guint
sc_test_counter_sync (ScCounter *counter)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint settled;

  sc_counter_sync_async (counter, NULL, sc_test_result_cb, &result);
  settled = sc_counter_sync_finish (counter, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return settled;
}

void
sc_test_counter_fixture_init (ScTestCounterFixture *fixture,
                              const char * const   *platform_args,
                              const char           *tmpdir_template)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = sc_test_platform_start (platform_args, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->platform);
  fixture->tmpdir = g_dir_make_tmp (tmpdir_template, &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->tmpdir, "counter.db", NULL);
}

void
sc_test_counter_fixture_open (ScTestCounterFixture *fixture)
{
  fixture->counter = sc_test_counter_open (fixture->db_path, fixture->platform->url,
                                           &fixture->cache, &fixture->client);
}

void
sc_test_counter_fixture_close (ScTestCounterFixture *fixture)
{
  sc_test_counter_close (&fixture->counter, &fixture->client, &fixture->cache);
}

void
sc_test_counter_fixture_clear (ScTestCounterFixture *fixture)
{
  if (fixture->counter != NULL)
    {
      sc_test_counter_idle (fixture->counter);
      g_assert_finalize_object (g_steal_pointer (&fixture->counter));
    }
  if (fixture->client != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->client));
  if (fixture->cache != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->cache));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
  sc_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db_path, g_free);
  g_clear_pointer (&fixture->keyring, sc_test_keyring_down);
}

GHashTable *
sc_test_platform_redemption_ids (ScTestPlatform *platform,
                                 gint64         *out_count)
{
  g_autoptr(JsonObject) answer = sc_test_platform_admin (platform, "GET",
                                                         "/v1/admin/redemptions?store_id=1001",
                                                         NULL, 200);
  JsonArray *array = json_object_get_array_member (answer, "redemptions");
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_hash_table_add (ids, g_strdup (json_object_get_string_member (
                                       json_array_get_object_element (array, i),
                                       "redemption_id")));
  *out_count = json_object_get_int_member (answer, "count");
  return ids;
}

void
sc_test_platform_assert_each_once (ScTestPlatform *platform,
                                   GHashTable     *before,
                                   gint64          before_count,
                                   GHashTable     *ids_by_code)
{
  g_autoptr(JsonObject) after = sc_test_platform_admin (platform, "GET",
                                                        "/v1/admin/redemptions?store_id=1001",
                                                        NULL, 200);
  JsonArray *array = json_object_get_array_member (after, "redemptions");
  g_autoptr(GHashTable) ours = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_other = 0;

  g_assert_cmpint (json_object_get_int_member (after, "count"), ==,
                   before_count + g_hash_table_size (ids_by_code));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *r = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (r, "redemption_id");
      const char *code = json_object_get_string_member (r, "code");

      if (g_hash_table_contains (before, id))
        {
          n_other++;
          continue;
        }
      g_assert_cmpstr (g_hash_table_lookup (ids_by_code, code), ==, id);
      g_assert_false (g_hash_table_contains (ours, code));
      g_hash_table_add (ours, (gpointer) code);
      g_assert_cmpint (json_object_get_int_member (r, "code_redemptions"), ==, 1);
      g_assert_true (json_object_get_boolean_member (r, "holds_code"));
      g_assert_cmpstr (json_object_get_string_member (r, "state"), ==, "active");
      g_assert_true (json_object_get_boolean_member (r, "offline"));
    }
  g_assert_cmpuint (g_hash_table_size (ours), ==, g_hash_table_size (ids_by_code));
  g_assert_cmpuint (n_other, ==, g_hash_table_size (before));
}

void
sc_test_cache_assert_all_synced (ScCache    *cache,
                                 GHashTable *ids_by_code)
{
  guint n = g_hash_table_size (ids_by_code);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;

  sc_cache_list_recent_async (cache, 10 * n, NULL, sc_test_result_cb, &result);
  log = sc_cache_list_recent_finish (cache, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, n);
  for (guint i = 0; i < log->len; i++)
    {
      const ScRedemption *r = g_ptr_array_index (log, i);

      g_assert_cmpstr (g_hash_table_lookup (ids_by_code, r->code), ==, r->id);
      g_assert_cmpstr (sc_redemption_state_to_string (r->state), ==, "synced");
      g_assert_cmpint (r->redeemed_at, >, 0);
    }

  g_clear_object (&result);
  sc_cache_list_outbox_async (cache, -1, 0, NULL, sc_test_result_cb, &result);
  outbox = sc_cache_list_outbox_finish (cache, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 0);
}
