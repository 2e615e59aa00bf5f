/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache's pickup manifest: applying the platform's answers and deciding
 * pickup codes offline from it and from the counter's own log. */
#include "config.h"

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-db.h"
#include "sc-store-key.h"
#include "sc-verdict.h"

#define STORE "1001"
/* The store's key, as the platform sends it at login, and its id. */
#define KEY "5c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5"
#define OTHER_KEY "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define KEY_ID "4ab50b3e975b84d3"
#define NOW  G_GINT64_CONSTANT (1795600000)   /* 2026-11-25T...Z */

typedef struct
{
  ScCache *cache;
  char     code_a[SC_CODE_LENGTH + 1];
  char     code_b[SC_CODE_LENGTH + 1];
} Fixture;

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
make_code (char        out[SC_CODE_LENGTH + 1],
           const char *first11)
{
  memcpy (out, first11, 11);
  out[11] = sc_code_luhn_check_digit (first11, 11);
  out[12] = '\0';
}

static char *
hash_of (const char *code)
{
  return sc_store_key_code_hash (KEY, code);
}

static char *
time_text (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return sc_date_time_format_rfc3339 (dt);
}

/* One order as the platform sends it. */
static char *
order_json (const char *order_id,
            const char *code,
            const char *status,
            gint64      valid_from,
            gint64      valid_until)
{
  g_autofree char *hash = hash_of (code);
  g_autofree char *from = time_text (valid_from);
  g_autofree char *until = time_text (valid_until);

  return g_strdup_printf ("{\"order_id\": \"%s\", \"code_hmac\": \"%s\", \"status\": \"%s\", "
                          "\"valid_from\": \"%s\", \"valid_until\": \"%s\", "
                          "\"phone_tail\": \"7316\", \"customer_masked\": \"杨*\", "
                          "\"items\": [{\"name\": \"散养鸭蛋 12枚\", \"quantity\": 2, "
                          "\"price_fen\": 1890}], \"total_fen\": 3780}",
                          order_id, hash, status, from, until);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
apply (Fixture     *f,
       const char  *text,
       gint64      *out_version,
       GError     **error)
{
  g_autoptr(JsonObject) manifest = parse_object (text);
  g_autoptr(GAsyncResult) result = NULL;

  sc_cache_apply_manifest_async (f->cache, STORE, manifest, NULL, store_result_cb, &result);
  return sc_cache_apply_manifest_finish (f->cache, wait_for (&result), out_version, error);
}

static ScVerdict *
lookup_offline (Fixture    *f,
                const char *code,
                gint64      now)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScVerdict *verdict;

  sc_cache_lookup_offline_async (f->cache, STORE, code, now, NULL, store_result_cb, &result);
  verdict = sc_cache_lookup_offline_finish (f->cache, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  g_assert_true (sc_verdict_get_offline (verdict));
  return verdict;
}

static gint64
held_version (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = -1;
  gint64 fetched_at = -1;

  sc_cache_get_manifest_state_async (f->cache, STORE, NULL, store_result_cb, &result);
  g_assert_true (sc_cache_get_manifest_state_finish (f->cache, wait_for (&result), &version,
                                                     &fetched_at, &error));
  g_assert_no_error (error);
  g_assert_true (version == 0 || fetched_at > 0);
  return version;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *key_id = sc_store_key_id (KEY);
  gint64 version = 0;

  make_code (f->code_a, "10264369040");
  make_code (f->code_b, "21234567890");

  g_assert_cmpstr (key_id, ==, KEY_ID);
  f->cache = sc_cache_new (":memory:");
  sc_cache_set_store_key (f->cache, STORE, KEY);
  sc_cache_open_async (f->cache, NULL, store_result_cb, &result);
  g_assert_true (sc_cache_open_finish (f->cache, wait_for (&result), &error));
  g_assert_no_error (error);

  a = order_json ("SO1", f->code_a, "redeemable", NOW - 3600, NOW + 3 * 86400);
  b = order_json ("SO2", f->code_b, "redeemable", NOW - 3600, NOW + 3600);
  manifest = g_strdup_printf ("{\"version\": 7, \"key_id\": \"" KEY_ID "\", "
                              "\"orders\": [%s, %s], \"removed\": []}", a, b);
  g_assert_true (apply (f, manifest, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 7);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->cache);
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ScVerdict) a = lookup_offline (f, f->code_a, NOW);
  g_autoptr(ScVerdict) b_later = lookup_offline (f, f->code_b, NOW + 7200);
  g_autoptr(ScVerdict) b_early = lookup_offline (f, f->code_b, NOW - 7200);
  g_autoptr(ScVerdict) unknown = NULL;
  const ScOrderInfo *order;
  const ScOrderItem *item;
  char other[SC_CODE_LENGTH + 1];

  g_test_summary ("A code in the manifest gives its order; the validity window is checked "
                  "against the time of the lookup; an unknown code is not_found");

  g_assert_cmpint (held_version (f), ==, 7);
  g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_cmpint (sc_verdict_get_kind (a), ==, SC_CODE_KIND_PICKUP);
  g_assert_cmpstr (sc_verdict_get_code (a), ==, f->code_a);
  order = sc_verdict_get_order (a);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->order_id, ==, "SO1");
  g_assert_cmpstr (order->phone_tail, ==, "7316");
  g_assert_cmpstr (order->customer_masked, ==, "杨*");
  g_assert_cmpint (order->total_fen, ==, 3780);
  g_assert_cmpuint (order->items->len, ==, 1);
  item = g_ptr_array_index (order->items, 0);
  g_assert_cmpstr (item->name, ==, "散养鸭蛋 12枚");
  g_assert_cmpint (item->quantity, ==, 2);
  g_assert_cmpint (item->price_fen, ==, 1890);
  g_assert_cmpint (g_date_time_to_unix (sc_verdict_get_valid_until (a)), ==, NOW + 3 * 86400);

  g_assert_cmpint (sc_verdict_get_status (b_later), ==, SC_VERDICT_STATUS_EXPIRED);
  g_assert_cmpint (sc_verdict_get_status (b_early), ==, SC_VERDICT_STATUS_NOT_YET_VALID);

  make_code (other, "30000000001");
  unknown = lookup_offline (f, other, NOW);
  g_assert_cmpint (sc_verdict_get_status (unknown), ==, SC_VERDICT_STATUS_NOT_FOUND);
  g_assert_null (sc_verdict_get_order (unknown));
}

static void
test_own_log (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ScRedemption) r = sc_redemption_new (f->code_a, f->code_a, SC_CODE_KIND_PICKUP,
                                                 "scanner");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) redeemed = NULL;
  g_autoptr(ScVerdict) back = NULL;
  const ScRedeemedInfo *info;

  g_test_summary ("A code redeemed at this counter since the manifest was fetched is "
                  "redeemed; once withdrawn it is redeemable again");

  r->store_id = g_strdup (STORE);
  r->clerk_id = g_strdup ("1");
  r->offline = TRUE;
  sc_cache_add_redemption_async (f->cache, r, NULL, store_result_cb, &result);
  g_assert_true (sc_cache_add_redemption_finish (f->cache, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  redeemed = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (redeemed), ==, SC_VERDICT_STATUS_REDEEMED);
  info = sc_verdict_get_redeemed (redeemed);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->redemption_id, ==, r->id);
  g_assert_cmpstr (info->store_id, ==, STORE);
  g_assert_cmpstr (info->clerk_id, ==, "1");
  g_assert_cmpint (g_date_time_to_unix (info->at), ==, r->created_at);
  g_assert_nonnull (sc_verdict_get_order (redeemed));

  sc_cache_update_redemption_async (f->cache, r->id, SC_REDEMPTION_STATE_WITHDRAWN, 0, -1, NULL,
                                    0, NULL, store_result_cb, &result);
  g_assert_true (sc_cache_update_redemption_finish (f->cache, wait_for (&result), &error));
  g_assert_no_error (error);

  back = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (back), ==, SC_VERDICT_STATUS_REDEEMABLE);
}

/* Found by tests/fuzz/fuzz-manifest (corpus/manifest/redeemed-without-store):
 * a redeemed order whose "redeemed" has no "store" (optional, as in a
 * lookup answer) or a "clerk" that is not an object made the offline lookup
 * hit a json-glib critical on the DB thread. */
static void
test_redeemed_partial (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const redeemed[] = {
    "{\"redemption_id\": \"r-1\", \"at\": \"2026-11-25T08:00:00Z\"}",
    "{\"redemption_id\": \"r-1\", \"at\": \"2026-11-25T08:00:00Z\", \"store\": \"1001\", "
    "\"clerk\": [\"2\"]}",
    "{\"redemption_id\": 7, \"at\": [], \"store\": {\"id\": 1001, \"name\": {}}, "
    "\"clerk\": {\"id\": \"2\"}}",
  };

  g_test_summary ("An order redeemed elsewhere reads back offline when its redemption lacks "
                  "the optional store or clerk, or has them in another shape");

  for (guint i = 0; i < G_N_ELEMENTS (redeemed); i++)
    {
      g_autofree char *order = order_json ("SO9", f->code_a, "redeemed", NOW - 3600,
                                           NOW + 3600);
      g_autofree char *manifest = NULL;
      g_autoptr(ScVerdict) verdict = NULL;
      g_autoptr(GError) error = NULL;
      const ScRedeemedInfo *info;

      /* order_json() ends with "}": the redemption goes in before it. */
      order[strlen (order) - 1] = '\0';
      manifest = g_strdup_printf ("{\"version\": %u, \"key_id\": \"" KEY_ID "\", "
                                  "\"orders\": [%s, \"redeemed\": %s}], \"removed\": []}",
                                  8 + i, order, redeemed[i]);
      g_assert_true (apply (f, manifest, NULL, &error));
      g_assert_no_error (error);

      verdict = lookup_offline (f, f->code_a, NOW);
      g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMED);
      g_assert_nonnull (sc_verdict_get_order (verdict));
      info = sc_verdict_get_redeemed (verdict);
      g_assert_nonnull (info);
      g_assert_null (info->store_name);
      g_assert_null (info->clerk_name);
      if (i == 0)
        g_assert_cmpstr (info->redemption_id, ==, "r-1");
      if (i == 2)
        g_assert_null (info->redemption_id);
    }
}

static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b = order_json ("SO2", f->code_b, "invalidated", NOW - 3600, NOW + 3600);
  g_autofree char *manifest = g_strdup_printf ("{\"version\": 9, \"key_id\": \"" KEY_ID "\", "
                                               "\"orders\": [%s], \"removed\": [\"SO1\"]}", b);
  g_autoptr(ScVerdict) a = NULL;
  g_autoptr(ScVerdict) b_now = NULL;
  gint64 version = 0;

  g_test_summary ("An incremental answer changes what it names, removes what it removes, "
                  "and moves the version on");

  g_assert_true (apply (f, manifest, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 9);
  g_assert_cmpint (held_version (f), ==, 9);

  a = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_NOT_FOUND);
  b_now = lookup_offline (f, f->code_b, NOW);
  g_assert_cmpint (sc_verdict_get_status (b_now), ==, SC_VERDICT_STATUS_INVALIDATED);
}

static void
test_bad_answers (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const bad[] = {
    "{\"key_id\": \"x\", \"orders\": []}",
    "{\"version\": \"8\", \"key_id\": \"x\", \"orders\": []}",
    "{\"version\": -1, \"key_id\": \"x\", \"orders\": []}",
    "{\"version\": 8, \"orders\": []}",
    "{\"version\": 8, \"key_id\": 5, \"orders\": []}",
    "{\"version\": 8, \"key_id\": \"x\"}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": {}}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [42]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [], \"removed\": \"SO1\"}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [], \"removed\": [1]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [{\"order_id\": \"SO9\", "
      "\"code_hmac\": \"abc\", \"status\": \"redeemable\", \"items\": [], \"total_fen\": 1}]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [{\"order_id\": \"SO9\", \"code_hmac\": "
      "\"0000000000000000000000000000000000000000000000000000000000000000\", "
      "\"status\": \"lost\", \"items\": [], \"total_fen\": 1}]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [{\"order_id\": \"SO9\", \"code_hmac\": "
      "\"0000000000000000000000000000000000000000000000000000000000000000\", "
      "\"status\": \"redeemable\", \"items\": \"eggs\", \"total_fen\": 1}]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [{\"order_id\": \"SO9\", \"code_hmac\": "
      "\"0000000000000000000000000000000000000000000000000000000000000000\", "
      "\"status\": \"redeemable\", \"items\": [{\"name\": \"x\", \"quantity\": \"2\", "
      "\"price_fen\": 1}], \"total_fen\": 1}]}",
    "{\"version\": 8, \"key_id\": \"x\", \"orders\": [{\"order_id\": \"SO9\", \"code_hmac\": "
      "\"0000000000000000000000000000000000000000000000000000000000000000\", "
      "\"status\": \"redeemable\", \"items\": [], \"total_fen\": 1, \"valid_until\": \"soon\"}]}",
  };

  g_test_summary ("An answer with a missing or wrong-typed member is refused whole and "
                  "changes nothing");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScVerdict) a = NULL;
      gint64 version = -1;

      g_test_message ("bad answer %" G_GSIZE_FORMAT ": %s", i, bad[i]);
      g_assert_false (apply (f, bad[i], &version, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_cmpint (held_version (f), ==, 7);

      a = lookup_offline (f, f->code_a, NOW);
      g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_REDEEMABLE);
    }
}

static void
test_no_manifest (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;

  g_test_summary ("Another store's counter has no manifest: not_found, saying why");

  sc_cache_lookup_offline_async (f->cache, "1002", f->code_a, NOW, NULL, store_result_cb,
                                 &result);
  verdict = sc_cache_lookup_offline_finish (f->cache, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_NOT_FOUND);
  g_assert_nonnull (sc_verdict_get_reason (verdict));
}

static void
test_take (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) a = NULL;
  g_autoptr(ScVerdict) b = NULL;
  g_autofree char *changed = order_json ("SO1", f->code_a, "invalidated", NOW - 3600,
                                         NOW + 3 * 86400);
  g_autofree char *good = g_strdup_printf ("{\"version\": 9, \"key_id\": \"" KEY_ID "\", "
                                           "\"orders\": [%s], \"removed\": [\"SO2\"]}", changed);
  gint64 version = -1;

  g_test_summary ("The variant that takes the parsed answer refuses a bad one whole and "
                  "applies a good one, as the other does");

  sc_cache_apply_manifest_take_async (f->cache, STORE,
                                      parse_object ("{\"version\": 8, \"key_id\": \"x\", "
                                                    "\"orders\": [42]}"),
                                      NULL, store_result_cb, &result);
  g_assert_false (sc_cache_apply_manifest_finish (f->cache, wait_for (&result), &version,
                                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpint (version, ==, -1);
  g_assert_cmpint (held_version (f), ==, 7);
  g_clear_error (&error);
  g_clear_object (&result);

  sc_cache_apply_manifest_take_async (f->cache, STORE, parse_object (good), NULL,
                                      store_result_cb, &result);
  g_assert_true (sc_cache_apply_manifest_finish (f->cache, wait_for (&result), &version,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 9);
  g_assert_cmpint (held_version (f), ==, 9);
  a = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_INVALIDATED);
  b = lookup_offline (f, f->code_b, NOW);
  g_assert_cmpint (sc_verdict_get_status (b), ==, SC_VERDICT_STATUS_NOT_FOUND);
}

static void
test_caller_keeps (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *a = order_json ("SO1", f->code_a, "redeemable", NOW - 3600, NOW + 86400);
  g_autofree char *b = order_json ("SO1", f->code_a, "invalidated", NOW - 3600, NOW + 86400);
  g_autofree char *text = g_strdup_printf ("{\"version\": 8, \"key_id\": \"" KEY_ID "\", "
                                           "\"orders\": [%s]}", a);
  g_autofree char *text2 = g_strdup_printf ("{\"version\": 9, \"key_id\": \"" KEY_ID "\", "
                                            "\"orders\": [%s]}", b);
  g_autoptr(ScVerdict) verdict = NULL;
  gint64 version = -1;

  g_test_summary ("The answer is read off the caller's thread: the caller may keep it, or "
                  "drop it as soon as the call returns, and both applies land in order");

  /* Kept: still whole and readable after the apply. */
  kept = parse_object (text);
  sc_cache_apply_manifest_async (f->cache, STORE, kept, NULL, store_result_cb, &result);
  /* Dropped at once: the parser and its tree go before the job runs. */
  g_assert_true (json_parser_load_from_data (parser, text2, -1, &error));
  g_assert_no_error (error);
  sc_cache_apply_manifest_async (f->cache, STORE,
                                 json_node_get_object (json_parser_get_root (parser)), NULL,
                                 store_result_cb, &result2);
  g_clear_object (&parser);

  g_assert_true (sc_cache_apply_manifest_finish (f->cache, wait_for (&result), &version,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 8);
  g_assert_true (sc_cache_apply_manifest_finish (f->cache, wait_for (&result2), &version,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 9);
  g_assert_cmpint (json_object_get_int_member (kept, "version"), ==, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (kept, "orders")), ==, 1);
  g_assert_cmpint (held_version (f), ==, 9);
  verdict = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_INVALIDATED);
}

static gpointer
count_orders_job (ScDb     *db,
                  gpointer  data,
                  GError  **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT count(*) FROM manifest_orders", error);
  gint64 *count;

  if (stmt == NULL || sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  count = g_new (gint64, 1);
  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static gint64
count_orders (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = sc_db_run_sync (sc_cache_get_db (f->cache), SC_DB_JOB_READ,
                                             count_orders_job, NULL, &error);

  g_assert_no_error (error);
  return *count;
}

static void
test_key (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) without = NULL;
  g_autoptr(ScVerdict) with_other = NULL;
  g_autoptr(ScVerdict) a = NULL;
  g_autofree char *other_key_hash = sc_store_key_code_hash (OTHER_KEY, f->code_a);
  g_autofree char *other_key_id = sc_store_key_id (OTHER_KEY);
  g_autofree char *manifest = NULL;
  gint64 version = -1;

  g_test_summary ("Without the store's key (a restart with no keyring) or with another one, "
                  "an offline lookup says it cannot check the code (needs_network, with the "
                  "reason), never not_found, and the manifest held counts as none; a manifest "
                  "made with another key replaces the old hashes");

  /* The key forgotten, as after a restart without a keyring. */
  sc_cache_set_store_key (f->cache, STORE, NULL);
  without = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (without), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  g_assert_nonnull (strstr (sc_verdict_get_reason (without), "keyring"));
  g_assert_null (sc_verdict_get_order (without));
  g_assert_cmpint (held_version (f), ==, 0);

  sc_cache_set_store_key (f->cache, STORE, OTHER_KEY);
  with_other = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (with_other), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  g_assert_cmpint (held_version (f), ==, 0);

  /* The platform's key changed: the full manifest made with it replaces
   * every old hash. */
  manifest = g_strdup_printf ("{\"version\": 3, \"key_id\": \"%s\", \"orders\": [{"
                              "\"order_id\": \"SO1\", \"code_hmac\": \"%s\", "
                              "\"status\": \"redeemable\", \"items\": [], \"total_fen\": 1}]}",
                              other_key_id, other_key_hash);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_true (apply (f, manifest, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 1);
  g_assert_cmpint (held_version (f), ==, 3);
  a = lookup_offline (f, f->code_a, NOW);
  g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_clear_object (&a);
  sc_cache_set_store_key (f->cache, STORE, KEY);
  a = lookup_offline (f, f->code_b, NOW);
  g_assert_cmpint (sc_verdict_get_status (a), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
}

static void
test_foreign_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_key_hash = sc_store_key_code_hash (OTHER_KEY, f->code_a);
  g_autofree char *other_key_id = sc_store_key_id (OTHER_KEY);
  g_autofree char *manifest = NULL;
  gint64 before = held_version (f);
  guint n_orders = count_orders (f);

  g_test_summary ("A page keyed with another key than the one held is refused as bad data "
                  "and changes nothing: the version held stays (found by fuzz-manifest)");

  g_assert_cmpint (before, >, 0);
  manifest = g_strdup_printf ("{\"version\": 50, \"key_id\": \"%s\", \"orders\": [{"
                              "\"order_id\": \"SO9\", \"code_hmac\": \"%s\", "
                              "\"status\": \"redeemable\", \"items\": [], \"total_fen\": 1}], "
                              "\"removed\": [\"SO1\"]}", other_key_id, other_key_hash);
  g_assert_false (apply (f, manifest, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_cmpint (held_version (f), ==, before);
  g_assert_cmpuint (count_orders (f), ==, n_orders);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/manifest/lookup", test_lookup);
  ADD ("/manifest/own-log", test_own_log);
  ADD ("/manifest/incremental", test_incremental);
  ADD ("/manifest/bad-answers", test_bad_answers);
  ADD ("/manifest/no-manifest", test_no_manifest);
  ADD ("/manifest/take", test_take);
  ADD ("/manifest/caller-keeps", test_caller_keeps);
  ADD ("/manifest/redeemed-partial", test_redeemed_partial);
  ADD ("/manifest/key", test_key);
  ADD ("/manifest/foreign-key", test_foreign_key);

#undef ADD

  return g_test_run ();
}
