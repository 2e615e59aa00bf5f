/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScPlatformClient's order calls (sc-platform-client-orders.c) against a
 * real platform on loopback with the demo seed's households (orders
 * SO900001 to SO900005, tail 5201): the search's filters and its cursor
 * walk, one order's timeline, 404 for an unknown order, a missing mark
 * replayed by the same key; and a lookup's verdict of a partially picked
 * up order. */
#include "config.h"

#include <string.h>

#include "sc-order.h"
#include "sc-platform-client.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

typedef struct
{
  ScTestPlatformFixture  base;
  ScPlatformClient      *client;  /* (owned) with the fixture's token */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sc_test_platform_fixture_setup (&f->base, data);
  f->client = sc_platform_client_new (f->base.platform->url);
  sc_platform_client_set_token (f->client, f->base.token);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->client));
  sc_test_platform_fixture_teardown (&f->base, data);
}

/* One page; asserts it comes. */
static ScOrderPage *
search (Fixture            *f,
        const ScOrderQuery *query,
        const char         *cursor,
        guint               limit)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  ScOrderPage *page;

  sc_platform_client_search_orders_async (f->client, query, cursor, limit, NULL,
                                          sc_test_result_cb, &result);
  page = sc_platform_client_search_orders_finish (f->client, sc_test_wait_result (&result),
                                                  &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

/* Every order of @query, along the cursor with pages of @limit. */
static GPtrArray *
walk (Fixture            *f,
      const ScOrderQuery *query,
      guint               limit,
      guint              *out_pages)
{
  GPtrArray *orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(ScOrderPage) page = search (f, query, cursor, limit);

      g_assert_cmpuint (page->orders->len, <=, limit);
      for (guint i = 0; i < page->orders->len; i++)
        g_ptr_array_add (orders, g_object_ref (g_ptr_array_index (page->orders, i)));
      g_free (cursor);
      cursor = g_steal_pointer (&page->next_cursor);
      pages++;
    }
  while (cursor != NULL);

  *out_pages = pages;
  return orders;
}

static ScOrder *
get_order (Fixture     *f,
           const char  *order_id,
           GError     **error)
{
  GAsyncResult *result = NULL;
  ScOrder *order;

  sc_platform_client_get_order_async (f->client, order_id, NULL, sc_test_result_cb, &result);
  order = sc_platform_client_get_order_finish (f->client, sc_test_wait_result (&result), error);
  g_clear_object (&result);
  return order;
}

static ScOrder *
mark (Fixture     *f,
      const char  *order_id,
      const char  *line_id,
      int          qty,
      const char  *key,
      GError     **error)
{
  GAsyncResult *result = NULL;
  ScOrder *order;

  sc_platform_client_mark_missing_async (f->client, order_id, line_id, qty,
                                         SC_MISSING_REASON_MISSING, "箱子空了", key, NULL,
                                         sc_test_result_cb, &result);
  order = sc_platform_client_mark_missing_finish (f->client, sc_test_wait_result (&result),
                                                  error);
  g_clear_object (&result);
  return order;
}

static const ScOrderLine *
line_of (ScOrder    *order,
         const char *line_id)
{
  GPtrArray *lines = sc_order_get_lines (order);

  for (guint i = 0; i < lines->len; i++)
    {
      const ScOrderLine *line = g_ptr_array_index (lines, i);

      if (g_strcmp0 (line->line_id, line_id) == 0)
        return line;
    }
  g_assert_not_reached ();
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ScOrderQuery) by_name = sc_order_query_new ();
  g_autoptr(ScOrderQuery) by_tail = sc_order_query_new ();
  g_autoptr(ScOrderQuery) partial = sc_order_query_new ();
  g_autoptr(ScOrderQuery) dated = sc_order_query_new ();
  g_autoptr(ScOrderPage) name_page = NULL;
  g_autoptr(ScOrderPage) partial_page = NULL;
  g_autoptr(ScOrderPage) all_page = NULL;
  g_autoptr(GPtrArray) household = NULL;
  g_autoptr(GPtrArray) walked = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  ScOrderStatus status = SC_ORDER_STATUS_OPEN;
  guint pages = 0;

  g_test_summary ("search by q, tail + status, status and from/to; the cursor walks every "
                  "order once, newest first, and the typed orders carry their lines");

  by_name->q = g_strdup ("王*明");
  name_page = search (f, by_name, NULL, 0);
  g_assert_cmpuint (name_page->orders->len, ==, 3);
  for (guint i = 0; i < name_page->orders->len; i++)
    {
      ScOrder *order = g_ptr_array_index (name_page->orders, i);
      g_autofree char *masked = NULL;

      g_object_get (order, "customer-masked", &masked, "status", &status, NULL);
      g_assert_cmpstr (masked, ==, "王*明");
      g_assert_cmpstr (sc_order_get_phone_tail (order), ==, "5201");
      g_assert_nonnull (sc_order_get_recipient_id (order));
      g_assert_cmpuint (sc_order_get_lines (order)->len, >=, 1);
    }

  /* The household lookup: tail + open, walked two at a time. */
  by_tail->tail = g_strdup ("5201");
  by_tail->statuses = 1u << SC_ORDER_STATUS_OPEN;
  household = walk (f, by_tail, 2, &pages);
  g_assert_cmpuint (household->len, ==, 5);
  g_assert_cmpuint (pages, ==, 3);
  for (guint i = 0; i < household->len; i++)
    {
      ScOrder *order = g_ptr_array_index (household, i);

      g_assert_true (sc_order_get_status (order) == SC_ORDER_STATUS_OPEN
                     || sc_order_get_status (order) == SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
      g_assert_false (g_hash_table_contains (seen, sc_order_get_order_id (order)));
      g_hash_table_add (seen, (gpointer) sc_order_get_order_id (order));
      if (i > 0)
        g_assert_cmpint (g_date_time_compare (
                           sc_order_get_created_at (g_ptr_array_index (household, i - 1)),
                           sc_order_get_created_at (order)), >=, 0);
    }
  g_assert_true (g_hash_table_contains (seen, "SO900003"));
  {
    ScOrder *so3 = NULL;

    for (guint i = 0; i < household->len; i++)
      if (g_str_equal (sc_order_get_order_id (g_ptr_array_index (household, i)), "SO900003"))
        so3 = g_ptr_array_index (household, i);
    g_assert_nonnull (so3);
    g_assert_cmpint (sc_order_get_status (so3), ==, SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
    g_assert_cmpint (line_of (so3, "1")->picked_qty, >, 0);
    g_assert_cmpint (line_of (so3, "1")->remaining_qty, ==, 0);
    g_assert_cmpint (sc_order_get_remaining_qty (so3), >, 0);
  }

  partial->statuses = 1u << SC_ORDER_STATUS_PARTIALLY_PICKED_UP;
  partial_page = search (f, partial, NULL, 200);
  g_assert_cmpuint (partial_page->orders->len, ==, 2);
  g_assert_null (partial_page->next_cursor);

  /* Every order, in pages of 7: the same as one page of 200. */
  all_page = search (f, NULL, NULL, 200);
  g_assert_null (all_page->next_cursor);
  walked = walk (f, NULL, 7, &pages);
  g_assert_cmpuint (walked->len, ==, all_page->orders->len);
  g_assert_cmpuint (pages, >, 1);
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < walked->len; i++)
    {
      const char *id = sc_order_get_order_id (g_ptr_array_index (walked, i));

      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
    }

  /* Two days ago: only the orders whose window ended yesterday were open;
   * they are expired now. */
  dated->from = sc_test_store_day (-2);
  dated->to = sc_test_store_day (-2);
  dated->statuses = 1u << SC_ORDER_STATUS_EXPIRED;
  expired = walk (f, dated, 200, &pages);
  g_assert_cmpuint (expired->len, ==, 10);
  for (guint i = 0; i < expired->len; i++)
    g_assert_cmpint (sc_order_get_status (g_ptr_array_index (expired, i)), ==,
                     SC_ORDER_STATUS_EXPIRED);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ScOrderQuery) query = sc_order_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) unknown = NULL;
  GAsyncResult *result = NULL;
  ScOrderPage *page;

  g_test_summary ("An unknown order is NOT_FOUND with not_found; a bad filter is REJECTED");

  unknown = get_order (f, "SO000000", &error);
  g_assert_null (unknown);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "not_found");
  g_clear_error (&error);

  query->tail = g_strdup ("52a1");
  sc_platform_client_search_orders_async (f->client, query, NULL, 0, NULL, sc_test_result_cb,
                                          &result);
  page = sc_platform_client_search_orders_finish (f->client, sc_test_wait_result (&result),
                                                  &error);
  g_clear_object (&result);
  g_assert_null (page);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_REJECTED);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "bad_request");
}

static void
test_timeline (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) order = get_order (f, "SO900005", &error);
  g_autoptr(GDateTime) created_at = NULL;
  ScOrderStatus status;
  GPtrArray *timeline;
  const ScOrderEvent *created;
  const ScOrderEvent *missing;

  g_test_summary ("One order with its timeline: created, then the damaged mark with its line, "
                  "clerk, reason and note; the properties the list binds to");

  g_assert_no_error (error);
  g_object_get (order, "status", &status, "created-at", &created_at, NULL);
  g_assert_cmpint (status, ==, SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
  g_assert_nonnull (created_at);
  g_assert_cmpstr (sc_order_get_customer_masked (order), ==, "李*华");
  g_assert_cmpint (line_of (order, "2")->missing_qty, ==, 1);
  g_assert_cmpint (line_of (order, "2")->remaining_qty, ==, 1);

  timeline = sc_order_get_timeline (order);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (timeline->len, ==, 2);
  created = g_ptr_array_index (timeline, 0);
  missing = g_ptr_array_index (timeline, 1);
  g_assert_cmpint (created->kind, ==, SC_ORDER_EVENT_CREATED);
  g_assert_null (created->clerk_id);
  g_assert_cmpint (missing->kind, ==, SC_ORDER_EVENT_MISSING);
  g_assert_cmpstr (missing->clerk_id, ==, "2");
  g_assert_cmpstr (missing->clerk_name, ==, "李强");
  g_assert_cmpstr (missing->reason, ==, "damaged");
  g_assert_cmpstr (missing->note, ==, "蛋壳破裂");
  g_assert_cmpuint (missing->lines->len, ==, 1);
  g_assert_cmpstr (((ScLineQty *) g_ptr_array_index (missing->lines, 0))->line_id, ==, "2");
  g_assert_cmpint (((ScLineQty *) g_ptr_array_index (missing->lines, 0))->qty, ==, 1);
  g_assert_cmpint (g_date_time_compare (created->at, missing->at), <=, 0);
}

static void
test_missing_replayed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) first = NULL;
  g_autoptr(ScOrder) replay = NULL;
  g_autoptr(ScOrder) after = NULL;
  g_autoptr(ScOrder) refused = NULL;
  GPtrArray *timeline;
  guint n_missing = 0;

  g_test_summary ("A missing mark is recorded once: the same key again answers the same, the "
                  "line's missing quantity grows once; more than is left is "
                  "line_not_available");

  first = mark (f, "SO900002", "2", 1, "f1-mark-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (line_of (first, "2")->missing_qty, ==, 1);
  g_assert_cmpint (line_of (first, "2")->remaining_qty, ==, 2);

  replay = mark (f, "SO900002", "2", 1, "f1-mark-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (line_of (replay, "2")->missing_qty, ==, 1);

  after = get_order (f, "SO900002", &error);
  g_assert_no_error (error);
  g_assert_cmpint (line_of (after, "2")->missing_qty, ==, 1);
  timeline = sc_order_get_timeline (after);
  for (guint i = 0; i < timeline->len; i++)
    if (((ScOrderEvent *) g_ptr_array_index (timeline, i))->kind == SC_ORDER_EVENT_MISSING)
      n_missing++;
  g_assert_cmpuint (n_missing, ==, 1);

  refused = mark (f, "SO900002", "2", 5, "f1-mark-2", &error);
  g_assert_null (refused);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "line_not_available");
}

static void
test_lookup_lines (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) so3 = get_order (f, "SO900003", &error);
  g_autoptr(ScVerdict) verdict = NULL;
  GAsyncResult *result = NULL;
  const ScOrderInfo *info;
  guint n_remaining = 0;

  g_test_summary ("A lookup of a partially picked up order: redeemable, the order's status, "
                  "and each item's line id and remaining quantity");

  g_assert_no_error (error);
  sc_platform_client_lookup_async (f->client, sc_order_get_code (so3), NULL, sc_test_result_cb,
                                   &result);
  verdict = sc_platform_client_lookup_finish (f->client, sc_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  info = sc_verdict_get_order (verdict);
  g_assert_nonnull (info);
  g_assert_true (info->has_status);
  g_assert_cmpint (info->status, ==, SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
  g_assert_cmpuint (info->items->len, ==, sc_order_get_lines (so3)->len);
  for (guint i = 0; i < info->items->len; i++)
    {
      const ScOrderItem *item = g_ptr_array_index (info->items, i);
      const ScOrderLine *line = line_of (so3, item->line_id);

      g_assert_cmpint (item->remaining_qty, ==, line->remaining_qty);
      g_assert_cmpint (item->picked_qty, ==, line->picked_qty);
      if (item->remaining_qty > 0)
        n_remaining++;
    }
  g_assert_cmpuint (n_remaining, ==, info->items->len - 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/orders-client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("search", test_search);
  ADD ("refused", test_refused);
  ADD ("timeline", test_timeline);
  ADD ("missing-replayed", test_missing_replayed);
  ADD ("lookup-lines", test_lookup_lines);

#undef ADD

  return g_test_run ();
}
