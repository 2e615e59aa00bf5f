/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reference platform's orders (issue 12): lines, partial pickups and
 * their reversal, missing or damaged marks, the household lookup by phone
 * tail, the orders list's filters and pages, one order's timeline. Against
 * a real platform on loopback, with the demo seed's households (orders
 * SO900001 to SO900005, tail 5201). */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sc-test-platform.h"

/* f->token: store 1001, clerk 1. */
typedef ScTestPlatformFixture Fixture;

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* GET @path as clerk 1; asserts 200. */
static JsonObject *
get (Fixture    *f,
     const char *path)
{
  return sc_test_platform_call (f->platform, "GET", path, f->token, NULL, NULL, 200);
}

/* One order (GET /v1/orders/{id}). */
static JsonObject *
order_get (Fixture    *f,
           const char *order_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/orders/%s", order_id);

  return get (f, path);
}

/* The code of seeded order @order_id. */
static char *
order_code (Fixture    *f,
            const char *order_id)
{
  g_autoptr(JsonObject) order = order_get (f, order_id);

  return g_strdup (json_object_get_string_member (order, "code"));
}

/* The item of @order (an order object, or a lookup's "order") whose
 * line_id is @line_id; asserts there is one. */
static JsonObject *
line_of (JsonObject *order,
         const char *line_id)
{
  JsonArray *items = json_object_get_array_member (order, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (item, "line_id"), line_id) == 0)
        return item;
    }
  g_assert_not_reached ();
}

static void
assert_line (JsonObject *order,
             const char *line_id,
             gint64      picked,
             gint64      missing,
             gint64      remaining)
{
  JsonObject *item = line_of (order, line_id);

  g_assert_cmpint (json_object_get_int_member (item, "picked_qty"), ==, picked);
  g_assert_cmpint (json_object_get_int_member (item, "missing_qty"), ==, missing);
  g_assert_cmpint (json_object_get_int_member (item, "remaining_qty"), ==, remaining);
}

/* POST /v1/redemptions of @code under @key (the redemption id too), with
 * @lines (JSON text, or NULL for the whole order). */
static JsonObject *
redeem (Fixture    *f,
        const char *code,
        const char *key,
        const char *lines,
        guint       expect)
{
  g_autofree char *body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\","
                                           " \"store_id\": \"1001\", \"clerk_id\": \"1\","
                                           " \"source\": \"scanner\", \"offline\": false%s%s}",
                                           key, code, lines != NULL ? ", \"lines\": " : "",
                                           lines != NULL ? lines : "");

  return sc_test_platform_call (f->platform, "POST", "/v1/redemptions", f->token, body, key,
                                expect);
}

static JsonObject *
lookup (Fixture    *f,
        const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"payload\": \"%s\"}", code);

  return sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", f->token, body, NULL,
                                200);
}

static JsonObject *
mark (Fixture    *f,
      const char *order_id,
      const char *line_id,
      const char *body,
      const char *key,
      guint       expect)
{
  g_autofree char *path = g_strdup_printf ("/v1/orders/%s/lines/%s/missing", order_id, line_id);

  return sc_test_platform_call (f->platform, "POST", path, f->token, body, key, expect);
}

static JsonObject *
reverse (Fixture    *f,
         const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/redemptions/%s/reversal", id);
  g_autofree char *key = g_strconcat ("undo-", id, NULL);

  return sc_test_platform_call (f->platform, "POST", path, f->token, "{}", key, 200);
}

/* The order's timeline kinds, joined with ",". */
static char *
timeline_kinds (JsonObject *order)
{
  JsonArray *timeline = json_object_get_array_member (order, "timeline");
  g_autoptr(GString) kinds = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i);

      g_string_append_printf (kinds, "%s%s", i > 0 ? "," : "",
                              json_object_get_string_member (entry, "kind"));
    }
  return g_string_free (g_steal_pointer (&kinds), FALSE);
}

static void
test_partial_two_steps (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *code = order_code (f, "SO900002");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) replay = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *kinds = NULL;
  JsonArray *timeline;
  JsonObject *order_info;
  gint64 per_line[4] = { 0, };

  g_test_summary ("A partial pickup leaves the order partially picked up with its remaining "
                  "lines, replays under its key, and a whole-order redemption then hands "
                  "over exactly the rest and closes it; each line is recorded once");

  /* SO900002: line 1 ×2, line 2 ×3, line 3 ×1. */
  first = redeem (f, code, "part-1", "[{\"line_id\": \"1\", \"qty\": 2},"
                                      " {\"line_id\": \"2\", \"qty\": 1}]", 201);
  g_assert_cmpstr (json_object_get_string_member (first, "order_status"), ==,
                   "partially_picked_up");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "lines")), ==, 2);
  replay = redeem (f, code, "part-1", "[{\"line_id\": \"1\", \"qty\": 2},"
                                       " {\"line_id\": \"2\", \"qty\": 1}]", 201);
  t1 = to_text (first);
  t2 = to_text (replay);
  g_assert_cmpstr (t1, ==, t2);

  info = lookup (f, code);
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "redeemable");
  order_info = json_object_get_object_member (info, "order");
  g_assert_cmpstr (json_object_get_string_member (order_info, "status"), ==,
                   "partially_picked_up");
  assert_line (order_info, "1", 2, 0, 0);
  assert_line (order_info, "2", 1, 0, 2);
  assert_line (order_info, "3", 0, 0, 1);

  second = redeem (f, code, "part-2", NULL, 201);
  g_assert_cmpstr (json_object_get_string_member (second, "order_status"), ==, "picked_up");
  {
    JsonArray *lines = json_object_get_array_member (second, "lines");

    g_assert_cmpuint (json_array_get_length (lines), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 0),
                                                    "line_id"), ==, "2");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (lines, 0),
                                                 "qty"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lines, 1),
                                                    "line_id"), ==, "3");
  }

  closed = lookup (f, code);
  g_assert_cmpstr (json_object_get_string_member (closed, "status"), ==, "redeemed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (closed,
                                                                                 "redeemed"),
                                                  "redemption_id"), ==, "part-2");
  again = redeem (f, code, "part-3", NULL, 409);
  g_assert_cmpstr (sc_test_platform_error_code (again), ==, "already_redeemed");

  order = order_get (f, "SO900002");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "picked_up");
  assert_line (order, "1", 2, 0, 0);
  assert_line (order, "2", 3, 0, 0);
  assert_line (order, "3", 1, 0, 0);
  g_assert_cmpint (json_object_get_int_member (order, "remaining_qty"), ==, 0);
  kinds = timeline_kinds (order);
  g_assert_cmpstr (kinds, ==, "created,partial_pickup,picked_up");

  /* Every line recorded once: the timeline's lines add up to the order. */
  timeline = json_object_get_array_member (order, "timeline");
  for (guint i = 1; i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i);
      JsonArray *lines = json_object_get_array_member (entry, "lines");

      g_assert_cmpstr (json_object_get_string_member (entry, "clerk_id"), ==, "1");
      g_assert_cmpstr (json_object_get_string_member (entry, "clerk_name"), ==, "王芳");
      g_assert_cmpstr (json_object_get_string_member (entry, "store_id"), ==, "1001");
      g_assert_cmpstr (json_object_get_string_member (entry, "redemption_id"), ==,
                       i == 1 ? "part-1" : "part-2");
      for (guint j = 0; j < json_array_get_length (lines); j++)
        {
          JsonObject *l = json_array_get_object_element (lines, j);
          gint64 n = g_ascii_strtoll (json_object_get_string_member (l, "line_id"), NULL, 10);

          g_assert_cmpint (n, >=, 1);
          g_assert_cmpint (n, <=, 3);
          per_line[n] += json_object_get_int_member (l, "qty");
        }
    }
  g_assert_cmpint (per_line[1], ==, 2);
  g_assert_cmpint (per_line[2], ==, 3);
  g_assert_cmpint (per_line[3], ==, 1);

  /* The redemption's own record names its lines. */
  record = get (f, "/v1/redemptions/part-1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "lines")), ==,
                    2);
}

static void
test_partial_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *code = order_code (f, "SO900002");
  g_autoptr(JsonObject) over = NULL;
  g_autoptr(JsonObject) over_again = NULL;
  g_autoptr(JsonObject) unknown = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GPtrArray) coupons = sc_test_platform_demo_codes (f->platform, "redeemable",
                                                              "coupon");
  g_autofree char *coupon_body = NULL;
  JsonObject *details;

  g_test_summary ("More of a line than is left is 409 line_not_available naming the line "
                  "(and replays so), an unknown line 400 unknown_line, malformed lines 400; "
                  "the order is untouched");

  over = redeem (f, code, "over-1", "[{\"line_id\": \"2\", \"qty\": 4}]", 409);
  g_assert_cmpstr (sc_test_platform_error_code (over), ==, "line_not_available");
  details = json_object_get_object_member (json_object_get_object_member (over, "error"),
                                           "details");
  g_assert_cmpstr (json_object_get_string_member (details, "line_id"), ==, "2");
  g_assert_cmpint (json_object_get_int_member (details, "remaining_qty"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (details, "requested_qty"), ==, 4);
  over_again = redeem (f, code, "over-1", "[{\"line_id\": \"2\", \"qty\": 1}]", 409);
  g_assert_cmpstr (sc_test_platform_error_code (over_again), ==, "line_not_available");

  unknown = redeem (f, code, "unknown-1", "[{\"line_id\": \"9\", \"qty\": 1}]", 400);
  g_assert_cmpstr (sc_test_platform_error_code (unknown), ==, "unknown_line");

  for (guint i = 0; i < 4; i++)
    {
      static const char * const bad[] = {
        "[]",
        "[{\"line_id\": \"1\", \"qty\": 0}]",
        "[{\"line_id\": \"1\", \"qty\": 1}, {\"line_id\": \"1\", \"qty\": 1}]",
        "{\"line_id\": \"1\"}",
      };
      g_autofree char *key = g_strdup_printf ("bad-%u", i);
      g_autoptr(JsonObject) refused = redeem (f, code, key, bad[i], 400);

      g_assert_cmpstr (sc_test_platform_error_code (refused), ==, "bad_request");
    }

  /* Lines are for pickup orders only. */
  g_assert_cmpuint (coupons->len, >, 0);
  coupon_body = g_strdup_printf ("{\"redemption_id\": \"c-1\", \"payload\": \"%s\","
                                 " \"store_id\": \"1001\", \"clerk_id\": \"1\","
                                 " \"bill_fen\": 20000,"
                                 " \"lines\": [{\"line_id\": \"1\", \"qty\": 1}]}",
                                 (char *) coupons->pdata[0]);
  sc_test_platform_call_refused (f->platform, "POST", "/v1/redemptions", f->token, coupon_body,
                                 "c-1", 400, "bad_request");

  order = order_get (f, "SO900002");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "open");
  assert_line (order, "1", 0, 0, 2);
  assert_line (order, "2", 0, 0, 3);
  assert_line (order, "3", 0, 0, 1);
}

static void
test_partial_reversal (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *code = order_code (f, "SO900001");
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) after_undo = NULL;
  g_autoptr(JsonObject) r2 = NULL;
  g_autoptr(JsonObject) r3 = NULL;
  g_autoptr(JsonObject) r4 = NULL;
  g_autoptr(JsonObject) reopened = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *kinds = NULL;

  g_test_summary ("Undoing a partial pickup gives its quantities back; undoing an earlier "
                  "part of a closed order reopens it with that line, redeemable");

  /* SO900001: line 1 ×1, line 2 ×2. */
  r1 = redeem (f, code, "rev-1", "[{\"line_id\": \"2\", \"qty\": 1}]", 201);
  g_clear_pointer (&r1, json_object_unref);
  r1 = reverse (f, "rev-1");
  after_undo = order_get (f, "SO900001");
  g_assert_cmpstr (json_object_get_string_member (after_undo, "status"), ==, "open");
  assert_line (after_undo, "2", 0, 0, 2);
  kinds = timeline_kinds (after_undo);
  g_assert_cmpstr (kinds, ==, "created,partial_pickup,reversed");

  /* Line 1 alone, then the rest (closing), then undo the first part. */
  r2 = redeem (f, code, "rev-2", "[{\"line_id\": \"1\", \"qty\": 1}]", 201);
  r3 = redeem (f, code, "rev-3", NULL, 201);
  g_assert_cmpstr (json_object_get_string_member (r3, "order_status"), ==, "picked_up");
  r4 = reverse (f, "rev-2");
  reopened = order_get (f, "SO900001");
  g_assert_cmpstr (json_object_get_string_member (reopened, "status"), ==,
                   "partially_picked_up");
  assert_line (reopened, "1", 0, 0, 1);
  assert_line (reopened, "2", 2, 0, 0);
  g_assert_false (json_object_has_member (reopened, "redeemed"));
  info = lookup (f, code);
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "redeemable");
  assert_line (json_object_get_object_member (info, "order"), "1", 0, 0, 1);
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *code = order_code (f, "SO900004");
  g_autofree char *code_all = order_code (f, "SO900001");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) replay = NULL;
  g_autoptr(JsonObject) over = NULL;
  g_autoptr(JsonObject) picked = NULL;
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) m1 = NULL;
  g_autoptr(JsonObject) m2 = NULL;
  g_autoptr(JsonObject) all_missing = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  JsonObject *order;

  g_test_summary ("A line marked missing or damaged is recorded (reason, clerk), counted in "
                  "missing_qty, replays under its key and closes the order once the rest "
                  "is handed over; an order all missing closes as cancelled for the code");

  /* SO900004: line 1 ×1, line 2 ×1. */
  first = mark (f, "SO900004", "2",
                "{\"qty\": 1, \"reason\": \"missing\", \"note\": \"没到货\"}", "miss-1", 201);
  replay = mark (f, "SO900004", "2", "{\"qty\": 1, \"reason\": \"missing\"}", "miss-1", 201);
  t1 = to_text (first);
  t2 = to_text (replay);
  g_assert_cmpstr (t1, ==, t2);
  order = json_object_get_object_member (first, "order");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "partially_picked_up");
  assert_line (order, "2", 0, 1, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "mark"),
                                                  "reason"), ==, "missing");

  over = mark (f, "SO900004", "2", "{\"qty\": 1, \"reason\": \"damaged\"}", "miss-2", 409);
  g_assert_cmpstr (sc_test_platform_error_code (over), ==, "line_not_available");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/orders/SO900004/lines/9/missing",
                                 f->token, "{\"qty\": 1, \"reason\": \"missing\"}", "miss-3", 404,
                                 "unknown_line");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/orders/SO900004/lines/1/missing",
                                 f->token, "{\"qty\": 1, \"reason\": \"lost\"}", "miss-4", 400,
                                 "bad_request");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/orders/SO900004/lines/1/missing",
                                 f->token, "{\"qty\": 0, \"reason\": \"missing\"}", "miss-5", 400,
                                 "bad_request");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/orders/SO900004/lines/1/missing",
                                 f->token, "{\"qty\": 1, \"reason\": \"missing\"}", NULL, 400,
                                 "idempotency_key_required");

  /* The rest handed over: closed, with a missing line. */
  picked = redeem (f, code, "miss-pick", NULL, 201);
  g_assert_cmpstr (json_object_get_string_member (picked, "order_status"), ==, "picked_up");
  closed = order_get (f, "SO900004");
  g_assert_cmpstr (json_object_get_string_member (closed, "status"), ==, "missing_items");
  assert_line (closed, "1", 1, 0, 0);
  assert_line (closed, "2", 0, 1, 0);
  info = lookup (f, code);
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "redeemed");

  /* Every line missing: the order closes; its code is answered as cancelled. */
  m1 = mark (f, "SO900001", "1", "{\"qty\": 1, \"reason\": \"damaged\"}", "all-1", 201);
  m2 = mark (f, "SO900001", "2", "{\"qty\": 2, \"reason\": \"missing\"}", "all-2", 201);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (m2, "order"),
                                                  "status"), ==, "missing_items");
  all_missing = lookup (f, code_all);
  g_assert_cmpstr (json_object_get_string_member (all_missing, "status"), ==, "invalidated");
  refused = redeem (f, code_all, "all-pick", NULL, 422);
  g_assert_cmpstr (sc_test_platform_error_code (refused), ==, "invalidated");
}

static void
test_household (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) page = get (f, "/v1/orders?tail=5201&status=open");
  g_autoptr(JsonObject) none = get (f, "/v1/orders?tail=5201&status=cancelled");
  JsonArray *orders = json_object_get_array_member (page, "orders");
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) recipients = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *last_created = NULL;
  guint wang = 0, li = 0;

  g_test_summary ("tail + status=open answers the household lookup: open and partially "
                  "picked up orders, newest first, two households of one tail told apart "
                  "by recipient_id, no phone number");

  g_assert_cmpuint (json_array_get_length (orders), >=, 5);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);
      const char *masked = json_object_get_string_member (o, "customer_masked");
      const char *rid = json_object_get_string_member (o, "recipient_id");
      const char *status = json_object_get_string_member (o, "status");
      const char *created = json_object_get_string_member (o, "created_at");
      const char *seen;

      g_assert_cmpstr (json_object_get_string_member (o, "phone_tail"), ==, "5201");
      g_assert_true (g_str_equal (status, "open") || g_str_equal (status, "partially_picked_up"));
      g_assert_false (json_object_has_member (o, "phone"));
      g_assert_nonnull (rid);
      g_assert_null (strstr (rid, "5201"));
      if (last_created != NULL)
        g_assert_cmpstr (created, <=, last_created);
      g_free (last_created);
      last_created = g_strdup (created);

      /* One recipient per household. */
      seen = g_hash_table_lookup (by_name, masked);
      if (seen != NULL)
        g_assert_cmpstr (seen, ==, rid);
      else
        g_hash_table_insert (by_name, g_strdup (masked), g_strdup (rid));
      g_hash_table_add (recipients, (gpointer) json_object_get_string_member (o, "recipient_id"));
      if (g_str_equal (masked, "王*明"))
        wang++;
      if (g_str_equal (masked, "李*华"))
        li++;
      if (g_str_equal (json_object_get_string_member (o, "order_id"), "SO900003"))
        g_assert_cmpstr (status, ==, "partially_picked_up");
    }
  g_assert_cmpuint (wang, ==, 3);
  g_assert_cmpuint (li, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (by_name, "王*明"), !=,
                   g_hash_table_lookup (by_name, "李*华"));
  g_assert_cmpuint (g_hash_table_size (recipients), ==, g_hash_table_size (by_name));

  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (none, "orders")); i++)
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (json_object_get_array_member (none, "orders"),
                                                      i), "order_id"), <, "SO9");
}

/* The orders of @path's pages (limit @limit), walked along next_cursor;
 * asserts no order comes twice and newest first. */
static GPtrArray *
walk (Fixture    *f,
      const char *path,
      guint       limit)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *next = NULL;
  g_autofree char *last_created = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *p = next != NULL
        ? g_strdup_printf ("%s%slimit=%u&cursor=%s", path, strchr (path, '?') ? "&" : "?",
                           limit, next)
        : g_strdup_printf ("%s%slimit=%u", path, strchr (path, '?') ? "&" : "?", limit);
      g_autoptr(JsonObject) chunk = get (f, p);
      JsonArray *orders = json_object_get_array_member (chunk, "orders");

      g_assert_cmpuint (json_array_get_length (orders), <=, limit);
      for (guint i = 0; i < json_array_get_length (orders); i++)
        {
          JsonObject *o = json_array_get_object_element (orders, i);
          char *id = g_strdup (json_object_get_string_member (o, "order_id"));
          const char *created = json_object_get_string_member (o, "created_at");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
          g_ptr_array_add (ids, id);
          if (last_created != NULL)
            g_assert_cmpstr (created, <=, last_created);
          g_free (last_created);
          last_created = g_strdup (created);
        }
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (chunk, "next_cursor"))
        next = g_strdup (json_object_get_string_member (chunk, "next_cursor"));
      pages++;
    }
  while (next != NULL);
  return g_steal_pointer (&ids);
}

/* Every order of @path (one page of 200) has a status in @statuses. */
static guint
count_with_status (Fixture    *f,
                   const char *path,
                   const char *statuses)
{
  g_autoptr(JsonObject) page = get (f, path);
  JsonArray *orders = json_object_get_array_member (page, "orders");
  g_auto(GStrv) allowed = g_strsplit (statuses, ",", -1);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    g_assert_true (g_strv_contains ((const char * const *) allowed,
                                    json_object_get_string_member (
                                      json_array_get_object_element (orders, i), "status")));
  return json_array_get_length (orders);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *code = order_code (f, "SO900003");
  g_autofree char *by_code_path = g_strdup_printf ("/v1/orders?q=%s", code);
  g_autoptr(JsonObject) by_id = get (f, "/v1/orders?q=SO900003");
  g_autoptr(JsonObject) by_code = get (f, by_code_path);
  g_autoptr(JsonObject) by_name = get (f, "/v1/orders?q=%E7%8E%8B*%E6%98%8E");
  g_autoptr(JsonObject) all = get (f, "/v1/orders?limit=200");
  g_autoptr(GPtrArray) walked = walk (f, "/v1/orders", 7);
  g_autoptr(GPtrArray) walked_open = walk (f, "/v1/orders?status=open", 9);
  g_autofree char *d_minus2 = sc_test_store_day (-2);
  g_autofree char *d_plus1 = sc_test_store_day (1);
  g_autofree char *expired_path = g_strdup_printf ("/v1/orders?from=%s&to=%s&limit=200",
                                                   d_minus2, d_minus2);
  g_autofree char *tomorrow_path = g_strdup_printf ("/v1/orders?from=%s&to=%s&limit=200"
                                                    "&status=expired", d_plus1, d_plus1);
  JsonArray *name_orders;
  guint n_all;

  g_test_summary ("q finds by order id, code and masked name; status, from/to filter; the "
                  "cursor walks every order once, newest first; bad filters are 400");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (by_id, "orders")), ==,
                    1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (by_code, "orders")), ==,
                    1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (by_code,
                                                                                  "orders"), 0),
                     "order_id"), ==, "SO900003");
  name_orders = json_object_get_array_member (by_name, "orders");
  g_assert_cmpuint (json_array_get_length (name_orders), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (name_orders,
                                                                                   i),
                                                    "customer_masked"), ==, "王*明");

  n_all = json_array_get_length (json_object_get_array_member (all, "orders"));
  g_assert_true (json_object_get_null_member (all, "next_cursor"));
  g_assert_cmpuint (walked->len, ==, n_all);
  g_assert_cmpuint (n_all, >=, 190);
  g_assert_cmpuint (walked_open->len, <, n_all);
  g_assert_cmpuint (walked_open->len, >=, 140);

  g_assert_cmpuint (count_with_status (f, "/v1/orders?status=picked_up&limit=200", "picked_up"),
                    >=, 15);
  g_assert_cmpuint (count_with_status (f, "/v1/orders?status=cancelled&limit=200", "cancelled"),
                    ==, 12);
  g_assert_cmpuint (count_with_status (f, "/v1/orders?status=partially_picked_up&limit=200",
                                       "partially_picked_up"), ==, 2);
  g_assert_cmpuint (count_with_status (f, "/v1/orders?status=expired,cancelled&limit=200",
                                       "expired,cancelled"), ==, 22);
  /* Two days ago only the orders whose window ended yesterday were open. */
  g_assert_cmpuint (count_with_status (f, expired_path, "expired"), ==, 10);
  g_assert_cmpuint (count_with_status (f, tomorrow_path, "expired"), ==, 0);

  sc_test_platform_call_refused (f->platform, "GET", "/v1/orders?status=lost", f->token, NULL,
                                 NULL, 400, "bad_request");
  sc_test_platform_call_refused (f->platform, "GET", "/v1/orders?tail=52a1", f->token, NULL,
                                 NULL, 400, "bad_request");
  sc_test_platform_call_refused (f->platform, "GET", "/v1/orders?from=2024-13-01", f->token,
                                 NULL, NULL, 400, "bad_request");
  sc_test_platform_call_refused (f->platform, "GET", "/v1/orders?cursor=abc", f->token, NULL,
                                 NULL, 400, "bad_request");
}

static void
test_timeline (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) seeded = order_get (f, "SO900005");
  g_autofree char *kinds = timeline_kinds (seeded);
  g_autofree char *other_token = sc_test_platform_login (f->platform, "1002", "1", NULL);
  g_autoptr(JsonObject) other_page = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *other_mark = NULL;
  const char *other_id;
  JsonArray *timeline = json_object_get_array_member (seeded, "timeline");
  JsonObject *missing;

  g_test_summary ("One order's timeline, oldest first: created, then the missing mark with "
                  "reason, note and clerk; another store's order is 404 to read and to mark");

  g_assert_cmpstr (kinds, ==, "created,missing");
  missing = json_array_get_object_element (timeline, 1);
  g_assert_cmpstr (json_object_get_string_member (missing, "reason"), ==, "damaged");
  g_assert_cmpstr (json_object_get_string_member (missing, "note"), ==, "蛋壳破裂");
  g_assert_cmpstr (json_object_get_string_member (missing, "clerk_id"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (missing, "clerk_name"), ==, "李强");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (missing,
                                                                                  "lines"), 0),
                     "line_id"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 0),
                                                  "at"), <,
                   json_object_get_string_member (missing, "at"));
  assert_line (seeded, "2", 0, 1, 1);

  g_assert_nonnull (other_token);
  other_page = sc_test_platform_call (f->platform, "GET", "/v1/orders?limit=1", other_token,
                                      NULL, NULL, 200);
  other_id = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (other_page, "orders"), 0),
    "order_id");
  other_path = g_strdup_printf ("/v1/orders/%s", other_id);
  other_mark = g_strdup_printf ("/v1/orders/%s/lines/1/missing", other_id);
  sc_test_platform_call_refused (f->platform, "GET", other_path, f->token, NULL, NULL, 404,
                                 "not_found");
  sc_test_platform_call_refused (f->platform, "POST", other_mark, f->token,
                                 "{\"qty\": 1, \"reason\": \"missing\"}", "other-1", 404,
                                 "not_found");
  sc_test_platform_call_refused (f->platform, "GET", "/v1/orders/SO000000", f->token, NULL, NULL,
                                 404, "not_found");
  {
    /* The owner store sees it. */
    g_autoptr(JsonObject) own = sc_test_platform_call (f->platform, "GET", other_path,
                                                       other_token, NULL, NULL, 200);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  sc_test_platform_add ("/platform-orders/partial/two-steps", test_partial_two_steps);
  sc_test_platform_add ("/platform-orders/partial/refused", test_partial_refused);
  sc_test_platform_add ("/platform-orders/partial/reversal", test_partial_reversal);
  sc_test_platform_add ("/platform-orders/missing", test_missing);
  sc_test_platform_add ("/platform-orders/household", test_household);
  sc_test_platform_add ("/platform-orders/filters", test_filters);
  sc_test_platform_add ("/platform-orders/timeline", test_timeline);

  return g_test_run ();
}
