/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-order: an order answer read with sc-json-reader (good, each required
 * member missing, wrong types, malformed JSON), pages, queries, and a
 * lookup's order items with and without their line members. */
#include "config.h"

#include <string.h>

#include "sc-json-reader.h"
#include "sc-order.h"
#include "sc-verdict.h"

static const char good_order[] =
  "{\"code\": \"399999000017\", \"status\": \"partially_picked_up\", "
  "\"code_status\": \"redeemable\", \"recipient_id\": \"r1\", \"order_id\": \"SO900003\", "
  "\"customer_masked\": \"王*明\", \"phone_tail\": \"5201\", "
  "\"items\": [{\"line_id\": \"1\", \"name\": \"鸡蛋\", \"quantity\": 2, \"price_fen\": 1290, "
  "\"picked_qty\": 2, \"missing_qty\": 0, \"remaining_qty\": 0}, "
  "{\"line_id\": \"2\", \"name\": \"牛奶\", \"quantity\": 3, \"price_fen\": 500, "
  "\"picked_qty\": 0, \"missing_qty\": 1, \"remaining_qty\": 2}], "
  "\"total_fen\": 4080, \"valid_from\": \"2026-12-01T00:00:00Z\", "
  "\"valid_until\": \"2026-12-09T16:00:00Z\", \"picked_qty\": 2, \"missing_qty\": 1, "
  "\"remaining_qty\": 2, \"created_at\": \"2026-11-30T10:00:00Z\", "
  "\"timeline\": [{\"at\": \"2026-11-30T10:00:00Z\", \"kind\": \"created\", "
  "\"store_id\": \"1001\"}, {\"at\": \"2026-12-01T09:00:00Z\", \"kind\": \"partial_pickup\", "
  "\"lines\": [{\"line_id\": \"1\", \"qty\": 2}], \"clerk_id\": \"2\", \"clerk_name\": \"李强\", "
  "\"store_id\": \"1001\", \"redemption_id\": \"r-1\"}]}";

static JsonObject *
parse (const char  *text,
       GError     **error)
{
  return sc_json_parse_object (text, strlen (text), 64, error);
}

/* The path of the reader's error on @text with @name replaced by
 * @replacement (or removed when NULL) in the good order. */
static char *
error_path_of (const char *member,
               const char *replacement,
               int        *out_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (good_order, &error);
  g_autoptr(ScOrder) order = NULL;

  g_assert_no_error (error);
  if (replacement == NULL)
    {
      json_object_remove_member (object, member);
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, replacement, -1, NULL));
      json_object_set_member (object, member, json_node_copy (json_parser_get_root (parser)));
    }

  order = sc_order_new_from_json (object, &error);
  g_assert_null (order);
  g_assert_nonnull (error);
  g_assert_cmpuint (error->domain, ==, SC_JSON_READER_ERROR);
  *out_code = error->code;
  g_assert_true (g_str_has_prefix (error->message, sc_json_reader_error_get_path (error)));
  return g_strdup (sc_json_reader_error_get_path (error));
}

static void
test_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (good_order, &error);
  g_autoptr(ScOrder) order = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(ScOrder) again = NULL;
  g_autofree char *order_id = NULL;
  g_autoptr(GDateTime) valid_until = NULL;
  GPtrArray *lines;
  GPtrArray *timeline;
  const ScOrderLine *line;
  const ScOrderEvent *event;
  ScOrderStatus status;
  gint64 total = 0;

  g_test_summary ("A whole order answer: every property, line and timeline entry; written "
                  "back and read again the same");

  g_assert_no_error (error);
  order = sc_order_new_from_json (object, &error);
  g_assert_no_error (error);

  g_object_get (order, "order-id", &order_id, "status", &status, "total-fen", &total,
                "valid-until", &valid_until, NULL);
  g_assert_cmpstr (order_id, ==, "SO900003");
  g_assert_cmpint (status, ==, SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
  g_assert_cmpint (total, ==, 4080);
  g_assert_nonnull (valid_until);
  g_assert_cmpstr (sc_order_get_code (order), ==, "399999000017");
  g_assert_cmpstr (sc_order_get_code_status (order), ==, "redeemable");
  g_assert_cmpstr (sc_order_get_recipient_id (order), ==, "r1");
  g_assert_cmpstr (sc_order_get_customer_masked (order), ==, "王*明");
  g_assert_cmpstr (sc_order_get_phone_tail (order), ==, "5201");
  g_assert_nonnull (sc_order_get_created_at (order));
  g_assert_nonnull (sc_order_get_valid_from (order));
  g_assert_cmpint (sc_order_get_remaining_qty (order), ==, 2);

  lines = sc_order_get_lines (order);
  g_assert_cmpuint (lines->len, ==, 2);
  line = g_ptr_array_index (lines, 1);
  g_assert_cmpstr (line->line_id, ==, "2");
  g_assert_cmpstr (line->name, ==, "牛奶");
  g_assert_cmpint (line->quantity, ==, 3);
  g_assert_cmpint (line->price_fen, ==, 500);
  g_assert_cmpint (line->picked_qty, ==, 0);
  g_assert_cmpint (line->missing_qty, ==, 1);
  g_assert_cmpint (line->remaining_qty, ==, 2);

  timeline = sc_order_get_timeline (order);
  g_assert_cmpuint (timeline->len, ==, 2);
  event = g_ptr_array_index (timeline, 1);
  g_assert_cmpint (event->kind, ==, SC_ORDER_EVENT_PARTIAL_PICKUP);
  g_assert_cmpstr (event->clerk_name, ==, "李强");
  g_assert_cmpstr (event->redemption_id, ==, "r-1");
  g_assert_cmpuint (event->lines->len, ==, 1);
  g_assert_cmpint (((ScLineQty *) g_ptr_array_index (event->lines, 0))->qty, ==, 2);
  {
    g_autoptr(ScOrderEvent) copy = sc_order_event_copy (event);
    g_autoptr(ScOrderLine) line_copy = sc_order_line_copy (line);

    g_assert_cmpstr (copy->clerk_name, ==, "李强");
    g_assert_cmpstr (line_copy->name, ==, "牛奶");
  }

  written = sc_order_to_json (order);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (written),
                                                  "status_label"), !=, NULL);
  again = sc_order_new_from_json (json_node_get_object (written), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sc_order_get_order_id (again), ==, "SO900003");
  g_assert_cmpuint (sc_order_get_timeline (again)->len, ==, 2);
  g_assert_cmpint (((ScOrderLine *) g_ptr_array_index (sc_order_get_lines (again), 1))
                     ->remaining_qty, ==, 2);

  g_assert_finalize_object (g_steal_pointer (&order));
  g_assert_finalize_object (g_steal_pointer (&again));
}

static void
test_required (void)
{
  static const char * const required[] = {
    "order_id", "status", "customer_masked", "phone_tail", "total_fen", "items",
  };

  g_test_summary ("Each required member of an order missing is MISSING naming it");

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      int code = -1;
      g_autofree char *path = error_path_of (required[i], NULL, &code);

      g_assert_cmpstr (path, ==, required[i]);
      g_assert_cmpint (code, ==, SC_JSON_READER_ERROR_MISSING);
    }
}

static void
test_line_required (void)
{
  static const char * const required[] = {
    "line_id", "name", "quantity", "price_fen", "picked_qty", "missing_qty", "remaining_qty",
  };

  g_test_summary ("Each required member of an order's line missing is MISSING with its path");

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse (good_order, &error);
      g_autoptr(ScOrder) order = NULL;
      g_autofree char *expected = g_strdup_printf ("items[1].%s", required[i]);
      JsonObject *line = json_array_get_object_element (
        json_object_get_array_member (object, "items"), 1);

      json_object_remove_member (line, required[i]);
      order = sc_order_new_from_json (object, &error);
      g_assert_null (order);
      g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_MISSING);
      g_assert_cmpstr (sc_json_reader_error_get_path (error), ==, expected);
    }
}

static void
test_wrong_types (void)
{
  static const struct
  {
    const char *member;
    const char *value;
    const char *path;
    int         code;
  } cases[] = {
    { "order_id", "12", "order_id", SC_JSON_READER_ERROR_WRONG_TYPE },
    { "order_id", "\"\"", "order_id", SC_JSON_READER_ERROR_INVALID },
    { "status", "\"lost\"", "status", SC_JSON_READER_ERROR_INVALID },
    { "status", "true", "status", SC_JSON_READER_ERROR_WRONG_TYPE },
    { "total_fen", "\"12\"", "total_fen", SC_JSON_READER_ERROR_WRONG_TYPE },
    { "total_fen", "-1", "total_fen", SC_JSON_READER_ERROR_OUT_OF_RANGE },
    { "created_at", "\"yesterday\"", "created_at", SC_JSON_READER_ERROR_INVALID },
    { "items", "{}", "items", SC_JSON_READER_ERROR_WRONG_TYPE },
    { "items", "[3]", "items[0]", SC_JSON_READER_ERROR_WRONG_TYPE },
    { "items", "[{\"line_id\": \"1\", \"name\": \"x\", \"quantity\": 1, \"price_fen\": 1, "
      "\"picked_qty\": 0, \"missing_qty\": 0, \"remaining_qty\": -2}]",
      "items[0].remaining_qty", SC_JSON_READER_ERROR_OUT_OF_RANGE },
    { "timeline", "[{\"at\": \"2026-11-30T10:00:00Z\", \"kind\": \"eaten\"}]",
      "timeline[0].kind", SC_JSON_READER_ERROR_INVALID },
    { "timeline", "[{\"kind\": \"created\"}]", "timeline[0].at", SC_JSON_READER_ERROR_MISSING },
    { "timeline", "[{\"at\": \"2026-11-30T10:00:00Z\", \"kind\": \"missing\", "
      "\"lines\": [{\"line_id\": \"1\"}]}]",
      "timeline[0].lines[0].qty", SC_JSON_READER_ERROR_MISSING },
  };

  g_test_summary ("Members of the wrong type or value are errors naming the member's path");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int code = -1;
      g_autofree char *path = error_path_of (cases[i].member, cases[i].value, &code);

      g_assert_cmpstr (path, ==, cases[i].path);
      g_assert_cmpint (code, ==, cases[i].code);
    }
}

static void
test_malformed (void)
{
  static const char * const texts[] = { "", "{", "[]", "{\"orders\": [}", "null" };

  g_test_summary ("Text that is not a JSON object is SYNTAX, before any order is read");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse (texts[i], &error);

      g_assert_null (object);
      g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_SYNTAX);
    }
}

static void
test_page (void)
{
  g_autofree char *text = g_strdup_printf ("{\"orders\": [%s, %s], \"next_cursor\": \"c.2\"}",
                                           good_order, good_order);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (text, &error);
  g_autoptr(ScOrderPage) page = NULL;
  g_autoptr(JsonObject) last = parse ("{\"orders\": [], \"next_cursor\": null}", &error);
  g_autoptr(ScOrderPage) last_page = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autoptr(ScOrderPage) bad_page = NULL;

  g_test_summary ("A page of orders with its cursor; null is the last page; an order's error "
                  "names orders[i]");

  g_assert_no_error (error);
  page = sc_order_page_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->orders->len, ==, 2);
  g_assert_cmpstr (page->next_cursor, ==, "c.2");

  last_page = sc_order_page_new_from_json (last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last_page->orders->len, ==, 0);
  g_assert_null (last_page->next_cursor);

  bad = parse ("{\"orders\": [{\"order_id\": \"x\"}]}", &error);
  g_assert_no_error (error);
  bad_page = sc_order_page_new_from_json (bad, &error);
  g_assert_null (bad_page);
  g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_MISSING);
  g_assert_cmpstr (sc_json_reader_error_get_path (error), ==, "orders[0].status");
  g_clear_error (&error);

  g_clear_pointer (&bad, json_object_unref);
  bad = parse ("{\"next_cursor\": null}", &error);
  g_assert_null (sc_order_page_new_from_json (bad, &error));
  g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_MISSING);
  g_assert_cmpstr (sc_json_reader_error_get_path (error), ==, "orders");
}

static void
test_query (void)
{
  g_autoptr(ScOrderQuery) query = sc_order_query_new ();
  g_autofree char *none = sc_order_query_to_string (query);
  g_autofree char *all = NULL;
  ScOrderStatus status;

  g_test_summary ("A query's string escapes its text and lists statuses by wire name; days "
                  "are real YYYY-MM-DD dates; status names both ways");

  g_assert_cmpstr (none, ==, "");
  query->q = g_strdup ("王*明 &");
  query->tail = g_strdup ("5201");
  query->statuses = 1u << SC_ORDER_STATUS_OPEN | 1u << SC_ORDER_STATUS_MISSING_ITEMS;
  query->from = g_strdup ("2026-12-01");
  query->to = g_strdup ("2026-12-03");
  all = sc_order_query_to_string (query);
  g_assert_cmpstr (all, ==, "q=%E7%8E%8B%2A%E6%98%8E%20%26&tail=5201"
                   "&status=open%2Cmissing_items&from=2026-12-01&to=2026-12-03");

  g_assert_true (sc_order_day_is_valid ("2024-02-29"));
  g_assert_false (sc_order_day_is_valid ("2026-02-30"));
  g_assert_false (sc_order_day_is_valid ("2026-2-3"));
  g_assert_false (sc_order_day_is_valid ("2026-12-0x"));
  g_assert_false (sc_order_day_is_valid (NULL));

  for (guint i = 0; i < SC_ORDER_STATUS_LAST; i++)
    {
      g_assert_true (sc_order_status_from_string (sc_order_status_to_string (i), &status));
      g_assert_cmpint (status, ==, i);
      g_assert_nonnull (sc_order_status_get_label (i));
    }
  g_assert_false (sc_order_status_from_string ("lost", &status));
}

static void
test_line_qtys (void)
{
  static const char * const bad[] = { "", "1", "1:0", "1:x", ":2", "1:2,1:1", "1:2,,2:1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = sc_line_qtys_parse (" 1:2, 3:1", &error);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) back = NULL;

  g_test_summary ("--lines LINE:QTY,… parsed, each line once and QTY from 1; written as JSON "
                  "text and read back");

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (((ScLineQty *) g_ptr_array_index (lines, 1))->line_id, ==, "3");
  text = sc_line_qtys_to_text (lines);
  g_assert_cmpstr (text, ==, "[{\"line_id\":\"1\",\"qty\":2},{\"line_id\":\"3\",\"qty\":1}]");
  back = sc_line_qtys_from_text (text);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpint (((ScLineQty *) g_ptr_array_index (back, 0))->qty, ==, 2);
  g_assert_null (sc_line_qtys_from_text ("{"));
  g_assert_null (sc_line_qtys_from_text ("[{\"line_id\": \"1\"}]"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) none = sc_line_qtys_parse (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_clear_error (&error);
    }
}

static void
test_verdict_items (void)
{
  static const char with_lines[] =
    "{\"code\": \"399999000017\", \"kind\": \"pickup\", \"status\": \"redeemable\", "
    "\"order\": {\"order_id\": \"SO900003\", \"status\": \"partially_picked_up\", "
    "\"items\": [{\"line_id\": \"1\", \"name\": \"鸡蛋\", \"quantity\": 2, \"price_fen\": 1, "
    "\"picked_qty\": 2, \"missing_qty\": 0, \"remaining_qty\": 0}]}}";
  static const char old[] =
    "{\"code\": \"399999000017\", \"kind\": \"pickup\", \"status\": \"redeemable\", "
    "\"order\": {\"order_id\": \"SO1\", \"items\": [{\"name\": \"鸡蛋\", \"quantity\": 2, "
    "\"price_fen\": 1}]}}";
  static const char bad_status[] =
    "{\"code\": \"399999000017\", \"kind\": \"pickup\", \"status\": \"redeemable\", "
    "\"order\": {\"order_id\": \"SO1\", \"status\": \"lost\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (with_lines, &error);
  g_autoptr(JsonObject) old_object = parse (old, &error);
  g_autoptr(JsonObject) bad_object = parse (bad_status, &error);
  g_autoptr(ScVerdict) verdict = sc_verdict_new_from_json (object, &error);
  g_autoptr(ScVerdict) old_verdict = NULL;
  g_autoptr(ScVerdict) bad_verdict = NULL;
  g_autoptr(JsonNode) written = NULL;
  const ScOrderItem *item;
  JsonObject *written_item;

  g_test_summary ("A lookup's order: its status and each item's line members; an older "
                  "platform's item has no line id and all of it remaining");

  g_assert_no_error (error);
  g_assert_true (sc_verdict_get_order (verdict)->has_status);
  g_assert_cmpint (sc_verdict_get_order (verdict)->status, ==,
                   SC_ORDER_STATUS_PARTIALLY_PICKED_UP);
  item = g_ptr_array_index (sc_verdict_get_order (verdict)->items, 0);
  g_assert_cmpstr (item->line_id, ==, "1");
  g_assert_cmpint (item->picked_qty, ==, 2);
  g_assert_cmpint (item->remaining_qty, ==, 0);

  written = sc_verdict_to_json (verdict);
  written_item = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (json_node_get_object (written),
                                                                 "order"), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (written_item, "line_id"), ==, "1");
  g_assert_cmpint (json_object_get_int_member (written_item, "picked_qty"), ==, 2);

  old_verdict = sc_verdict_new_from_json (old_object, &error);
  g_assert_no_error (error);
  g_assert_false (sc_verdict_get_order (old_verdict)->has_status);
  item = g_ptr_array_index (sc_verdict_get_order (old_verdict)->items, 0);
  g_assert_null (item->line_id);
  g_assert_cmpint (item->remaining_qty, ==, 2);
  g_assert_cmpint (item->picked_qty, ==, 0);

  bad_verdict = sc_verdict_new_from_json (bad_object, &error);
  g_assert_null (bad_verdict);
  g_assert_error (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA);
  g_assert_nonnull (strstr (error->message, "order.status"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/order/good", test_good);
  g_test_add_func ("/order/required", test_required);
  g_test_add_func ("/order/line-required", test_line_required);
  g_test_add_func ("/order/wrong-types", test_wrong_types);
  g_test_add_func ("/order/malformed", test_malformed);
  g_test_add_func ("/order/page", test_page);
  g_test_add_func ("/order/query", test_query);
  g_test_add_func ("/order/line-qtys", test_line_qtys);
  g_test_add_func ("/order/verdict-items", test_verdict_items);

  return g_test_run ();
}
