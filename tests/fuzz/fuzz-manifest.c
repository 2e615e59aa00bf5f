/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: a page of `GET /v1/manifest` as the counter takes it: the
 * client's reader of the body (sc-platform-client.c), then ScCache's check
 * and apply of the page (sc-cache-manifest.c) into an in-memory database,
 * then offline lookups that read the stored orders back.
 *
 * The manifest holds code hashes keyed with the store's key, which no
 * fuzzer can invert: an order whose "code_hmac" is "=CODE" gets
 * HMAC-SHA256 (key, CODE) put in its place before the apply, and CODE is
 * then looked up offline; a "key_id" of "=" becomes the key's id.
 *
 * Invariants: a refused page is G_IO_ERROR_INVALID_DATA and leaves the
 * version held as it was; an applied page's version is the one held; an
 * order's code is found offline as a pickup verdict with its order, and a
 * code not in the page is not found. */
#include "config.h"

#include <string.h>

#include "sc-cache.h"
#include "sc-store-key.h"
#include "sc-fuzz.h"
#include "sc-platform-client-private.h"
#include "sc-verdict.h"

#define STORE "1001"
#define NOW   G_GINT64_CONSTANT (1795600000)   /* 2026-11-25T08:26:40Z */
#define ABSENT_CODE "999999999999"
#define KEY "5c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static ScCache *
get_cache (void)
{
  static ScCache *cache = NULL;

  if (cache == NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      cache = sc_cache_new (":memory:");
      sc_cache_open_async (cache, NULL, store_result_cb, &result);
      if (!sc_cache_open_finish (cache, wait_for (&result), &error))
        g_error ("Cannot open the cache: %s", error->message);
      sc_cache_set_store_key (cache, STORE, KEY);
    }

  return cache;
}

static gboolean
apply (JsonObject  *page,
       gint64      *out_version,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ScCache *cache = get_cache ();

  sc_cache_apply_manifest_async (cache, STORE, page, NULL, store_result_cb, &result);
  return sc_cache_apply_manifest_finish (cache, wait_for (&result), out_version, error);
}

static ScVerdict *
lookup (const char *code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScCache *cache = get_cache ();
  ScVerdict *verdict;

  sc_cache_lookup_offline_async (cache, STORE, code, NOW, NULL, store_result_cb, &result);
  verdict = sc_cache_lookup_offline_finish (cache, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  g_assert_true (sc_verdict_get_offline (verdict));
  g_assert_cmpint (sc_verdict_get_kind (verdict), ==, SC_CODE_KIND_PICKUP);
  g_assert_cmpstr (sc_verdict_get_code (verdict), ==, code);
  return verdict;
}

static gint64
held_version (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScCache *cache = get_cache ();
  gint64 version = -1;

  sc_cache_get_manifest_state_async (cache, STORE, NULL, store_result_cb, &result);
  g_assert_true (sc_cache_get_manifest_state_finish (cache, wait_for (&result), &version, NULL,
                                                     &error));
  g_assert_no_error (error);
  return version;
}

/* Puts HMAC (key, CODE) in place of each "=CODE", and the key's id in place
 * of a key_id "="; returns the codes. */
static GPtrArray *
plant_codes (JsonObject *page)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  JsonNode *key_id_node = json_object_get_member (page, "key_id");
  JsonNode *orders_node = json_object_get_member (page, "orders");
  JsonArray *orders;

  if (key_id_node != NULL && JSON_NODE_HOLDS_VALUE (key_id_node) &&
      json_node_get_value_type (key_id_node) == G_TYPE_STRING &&
      g_str_equal (json_node_get_string (key_id_node), "="))
    {
      g_autofree char *key_id = sc_store_key_id (KEY);

      json_object_set_string_member (page, "key_id", key_id);
    }
  if (orders_node == NULL || !JSON_NODE_HOLDS_ARRAY (orders_node))
    return g_steal_pointer (&codes);

  orders = json_node_get_array (orders_node);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonNode *order_node = json_array_get_element (orders, i);
      JsonObject *order;
      JsonNode *hash_node;
      const char *text;
      g_autofree char *hash = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (order_node))
        continue;
      order = json_node_get_object (order_node);
      hash_node = json_object_get_member (order, "code_hmac");
      if (hash_node == NULL || !JSON_NODE_HOLDS_VALUE (hash_node) ||
          json_node_get_value_type (hash_node) != G_TYPE_STRING)
        continue;
      text = json_node_get_string (hash_node);
      if (text[0] != '=')
        {
          g_autofree char *absent = sc_store_key_code_hash (KEY, ABSENT_CODE);

          /* The fuzzer can learn a real hash from the comparisons it
           * watches: an order that carries the absent code's hash has it. */
          if (g_ascii_strcasecmp (text, absent) == 0)
            g_ptr_array_add (codes, g_strdup (ABSENT_CODE));
          continue;
        }

      g_ptr_array_add (codes, g_strdup (text + 1));
      hash = sc_store_key_code_hash (KEY, text + 1);
      json_object_set_string_member (order, "code_hmac", hash);
    }

  return g_steal_pointer (&codes);
}

/* Takes the page's orders out again, so that each input starts afresh. */
static void
remove_orders (JsonObject *page)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *orders = json_object_get_array_member (page, "orders");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "key_id");
  {
    g_autofree char *key_id = sc_store_key_id (KEY);

    json_builder_add_string_value (builder, key_id);
  }
  json_builder_set_member_name (builder, "orders");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "removed");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      json_builder_add_string_value (builder, json_object_get_string_member (order, "order_id"));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  g_assert_true (apply (json_node_get_object (root), NULL, &error));
  g_assert_no_error (error);
}

static void
check_verdict (ScVerdict *verdict)
{
  g_autoptr(JsonNode) node = NULL;
  const ScOrderInfo *order = sc_verdict_get_order (verdict);
  const ScRedeemedInfo *redeemed = sc_verdict_get_redeemed (verdict);

  switch (sc_verdict_get_status (verdict))
    {
    case SC_VERDICT_STATUS_NOT_FOUND:
      break;
    default:
      /* A stored order comes back with it. */
      g_assert_nonnull (order);
      g_assert_nonnull (order->order_id);
      g_assert_nonnull (order->items);
      g_assert_cmpint (order->total_fen, >=, 0);
      for (guint i = 0; i < order->items->len; i++)
        {
          const ScOrderItem *item = g_ptr_array_index (order->items, i);

          g_assert_nonnull (item->name);
          g_assert_cmpint (item->quantity, >=, 0);
          g_assert_cmpint (item->price_fen, >=, 0);
        }
      break;
    }
  if (redeemed != NULL)
    g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMED);

  node = sc_verdict_to_json (verdict);
  g_assert_nonnull (node);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  gint64 version = -1;
  gint64 before;

  sc_fuzz_init ();

  /* The client's reader first: what it refuses never reaches the cache. */
  body = g_bytes_new (data, size);
  answer = sc_platform_parse_answer (body, &error);
  if (answer == NULL)
    {
      g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
      return 0;
    }

  /* The same answer again, as a tree the codes can be planted in. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &error))
    g_error ("The client read an answer json-glib refuses: %s", error->message);
  page = json_node_get_object (json_parser_get_root (parser));
  codes = plant_codes (page);

  before = held_version ();
  if (!apply (page, &version, &error))
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpint (held_version (), ==, before);
      return 0;
    }
  g_assert_cmpint (version, >=, 0);
  g_assert_cmpint (held_version (), ==, version);

  for (guint i = 0; i < codes->len; i++)
    {
      g_autoptr(ScVerdict) verdict = lookup (g_ptr_array_index (codes, i));

      check_verdict (verdict);
    }

  {
    g_autoptr(ScVerdict) verdict = lookup (ABSENT_CODE);

    if (!g_ptr_array_find_with_equal_func (codes, ABSENT_CODE, g_str_equal, NULL))
      g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_NOT_FOUND);
  }

  remove_orders (page);
  return 0;
}
