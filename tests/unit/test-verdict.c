/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sc-code.h"
#include "sc-verdict.h"

/* Statuses */

static const struct
{
  ScVerdictStatus  status;
  const char      *name;
  const char      *label;
} statuses[] = {
  { SC_VERDICT_STATUS_REDEEMABLE, "redeemable", "Redeemable" },
  { SC_VERDICT_STATUS_REDEEMED, "redeemed", "Already redeemed" },
  { SC_VERDICT_STATUS_EXPIRED, "expired", "Expired" },
  { SC_VERDICT_STATUS_NOT_YET_VALID, "not_yet_valid", "Not yet valid" },
  { SC_VERDICT_STATUS_INVALIDATED, "invalidated", "Invalidated by the merchant" },
  { SC_VERDICT_STATUS_GIFTING, "gifting", "Being gifted" },
  { SC_VERDICT_STATUS_DELETED, "deleted", "Deleted" },
  { SC_VERDICT_STATUS_WRONG_STORE, "wrong_store", "Another store’s code" },
  { SC_VERDICT_STATUS_NOT_FOUND, "not_found", "Unknown code" },
  { SC_VERDICT_STATUS_MALFORMED, "malformed", "Not a valid code" },
  { SC_VERDICT_STATUS_QR_STALE, "qr_stale", "Live code expired" },
  { SC_VERDICT_STATUS_NEEDS_NETWORK, "needs_network", "Needs network" },
  { SC_VERDICT_STATUS_THRESHOLD_NOT_MET, "threshold_not_met", "Minimum spend not reached" },
  { SC_VERDICT_STATUS_NOT_ELIGIBLE, "not_eligible", "Not eligible" },
};

static void
test_status_strings (void)
{
  ScVerdictStatus status;

  g_test_summary ("Every status has its wire name, reads back from it, and has its label");

  g_assert_cmpuint (G_N_ELEMENTS (statuses), ==, SC_VERDICT_STATUS_LAST);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      status = SC_VERDICT_STATUS_LAST;
      g_assert_cmpstr (sc_verdict_status_to_string (statuses[i].status), ==, statuses[i].name);
      g_assert_true (sc_verdict_status_from_string (statuses[i].name, &status));
      g_assert_cmpint (status, ==, statuses[i].status);
      g_assert_cmpstr (sc_verdict_status_get_label (statuses[i].status), ==, statuses[i].label);
      g_assert_cmpint (sc_verdict_status_is_positive (statuses[i].status), ==,
                       statuses[i].status == SC_VERDICT_STATUS_REDEEMABLE);
    }

  status = SC_VERDICT_STATUS_EXPIRED;
  g_assert_false (sc_verdict_status_from_string ("Redeemable", &status));
  g_assert_false (sc_verdict_status_from_string ("", &status));
  g_assert_false (sc_verdict_status_from_string ("redeemable ", &status));
  g_assert_false (sc_verdict_status_from_string (NULL, &status));
  g_assert_cmpint (status, ==, SC_VERDICT_STATUS_EXPIRED);
  g_assert_null (sc_verdict_status_to_string (SC_VERDICT_STATUS_LAST));
}

static void
test_coupon_type_strings (void)
{
  ScCouponType type = SC_COUPON_TYPE_CASH;

  g_test_summary ("Coupon types round-trip through their wire names");

  g_assert_cmpstr (sc_coupon_type_to_string (SC_COUPON_TYPE_CASH), ==, "cash");
  g_assert_cmpstr (sc_coupon_type_to_string (SC_COUPON_TYPE_THRESHOLD), ==, "threshold");
  g_assert_cmpstr (sc_coupon_type_to_string (SC_COUPON_TYPE_DISCOUNT), ==, "discount");
  g_assert_true (sc_coupon_type_from_string ("discount", &type));
  g_assert_cmpint (type, ==, SC_COUPON_TYPE_DISCOUNT);
  g_assert_true (sc_coupon_type_from_string ("threshold", &type));
  g_assert_cmpint (type, ==, SC_COUPON_TYPE_THRESHOLD);
  g_assert_false (sc_coupon_type_from_string ("percent", &type));
  g_assert_false (sc_coupon_type_from_string (NULL, &type));
  g_assert_cmpint (type, ==, SC_COUPON_TYPE_THRESHOLD);
}

/* Parse errors */

static const struct
{
  const char      *input;
  ScVerdictStatus  status;
} parse_error_cases[] = {
  { "SC1:500000000009:1799999699:sig", SC_VERDICT_STATUS_QR_STALE },   /* 301 s old */
  { "SC1:500000000009:1800000031:sig", SC_VERDICT_STATUS_QR_STALE },   /* 31 s ahead */
  { "SC1:500000000009:1800000000:", SC_VERDICT_STATUS_MALFORMED },     /* bad token */
  { "123456789016", SC_VERDICT_STATUS_MALFORMED },                     /* check digit */
  { "400000000002", SC_VERDICT_STATUS_MALFORMED },                     /* not ours */
  { "12345678901", SC_VERDICT_STATUS_MALFORMED },                      /* length */
  { "12345678901A", SC_VERDICT_STATUS_MALFORMED },                     /* character */
  { "https://m.example.com/", SC_VERDICT_STATUS_MALFORMED },           /* link */
  { "", SC_VERDICT_STATUS_MALFORMED },                                 /* empty */
};

static void
test_parse_error_mapping (void)
{
  g_test_summary ("Stale or future live tokens give qr_stale; every other parse error "
                  "gives malformed with the error message as reason");

  for (guint i = 0; i < G_N_ELEMENTS (parse_error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScCode) code = sc_code_parse (parse_error_cases[i].input, 1800000000, &error);
      g_autoptr(ScVerdict) verdict = NULL;

      g_assert_null (code);
      g_assert_nonnull (error);

      verdict = sc_verdict_new_for_parse_error (parse_error_cases[i].input, error);
      g_assert_cmpint (sc_verdict_get_status (verdict), ==, parse_error_cases[i].status);
      g_assert_cmpint (sc_verdict_get_kind (verdict), ==, SC_CODE_KIND_UNKNOWN);
      g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, error->message);
      g_assert_cmpstr (sc_verdict_get_payload (verdict), ==, parse_error_cases[i].input);
      g_assert_null (sc_verdict_get_code (verdict));
      g_assert_false (sc_verdict_status_is_positive (sc_verdict_get_status (verdict)));
    }
}

static void
test_parse_error_garbled_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScCode) code = sc_code_parse ("\xff" "12", 0, &error);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScVerdict) from_null = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_test_summary ("A verdict for garbled input keeps a valid UTF-8 payload and serializes");

  g_assert_error (error, SC_CODE_ERROR, SC_CODE_ERROR_INVALID_CHARACTER);
  verdict = sc_verdict_new_for_parse_error ("\xff" "12", error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_MALFORMED);
  g_assert_true (g_utf8_validate (sc_verdict_get_payload (verdict), -1, NULL));
  g_assert_nonnull (strstr (sc_verdict_get_payload (verdict), "12"));

  node = sc_verdict_to_json (verdict);
  text = json_to_string (node, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  from_null = sc_verdict_new_for_parse_error (NULL, error);
  g_assert_null (sc_verdict_get_payload (from_null));
  g_assert_cmpstr (sc_verdict_get_reason (from_null), ==, error->message);
}

/* Coupons */

typedef struct
{
  const char   *name;
  ScCouponInfo  coupon;   /* title unused */
  gint64        bill_fen;
  gboolean      ok;
  gint64        discount_fen;
} CouponCase;

#define CASH(v, min)          { SC_COUPON_TYPE_CASH, NULL, v, min, 0, 0 }
#define THRESHOLD(v, min)     { SC_COUPON_TYPE_THRESHOLD, NULL, v, min, 0, 0 }
#define DISCOUNT(p, cap, min) { SC_COUPON_TYPE_DISCOUNT, NULL, 0, min, p, cap }

static const CouponCase coupon_cases[] = {
  { "cash-under-bill", CASH (500, 0), 1000, TRUE, 500 },
  { "cash-capped-at-bill", CASH (500, 0), 300, TRUE, 300 },
  { "cash-equal-bill", CASH (500, 0), 500, TRUE, 500 },
  { "cash-zero-bill", CASH (500, 0), 0, TRUE, 0 },
  { "cash-with-min-below", CASH (500, 2000), 1999, FALSE, 0 },
  { "cash-with-min-met", CASH (500, 2000), 2000, TRUE, 500 },
  { "threshold-one-below", THRESHOLD (2000, 10000), 9999, FALSE, 0 },
  { "threshold-exactly-met", THRESHOLD (2000, 10000), 10000, TRUE, 2000 },
  { "threshold-above", THRESHOLD (2000, 10000), 25000, TRUE, 2000 },
  { "threshold-zero-bill", THRESHOLD (2000, 10000), 0, FALSE, 0 },
  { "discount-floor", DISCOUNT (12, 0, 0), 999, TRUE, 119 },       /* 119.88 */
  { "discount-exact", DISCOUNT (12, 0, 0), 1000, TRUE, 120 },
  { "discount-floor-small", DISCOUNT (15, 0, 0), 6, TRUE, 0 },     /* 0.9 */
  { "discount-cap-hit", DISCOUNT (20, 1500, 0), 10000, TRUE, 1500 },
  { "discount-cap-not-hit", DISCOUNT (20, 1500, 0), 7000, TRUE, 1400 },
  { "discount-cap-equal", DISCOUNT (20, 1500, 0), 7500, TRUE, 1500 },
  { "discount-no-cap-large", DISCOUNT (50, 0, 0), 200000001, TRUE, 100000000 },
  { "discount-min-below", DISCOUNT (10, 0, 5000), 4999, FALSE, 0 },
  { "discount-min-met", DISCOUNT (10, 0, 5000), 5000, TRUE, 500 },
  { "discount-huge-bill", DISCOUNT (99, 0, 0), G_MAXINT64, TRUE,
    (G_MAXINT64 / 100) * 99 + ((G_MAXINT64 % 100) * 99) / 100 },
};

static void
test_coupon_compute (gconstpointer user_data)
{
  const CouponCase *tc = user_data;
  gint64 discount = -1;
  ScVerdictStatus status = SC_VERDICT_STATUS_LAST;
  gboolean ok;

  g_test_summary ("A coupon gives the right discount on a bill, or threshold_not_met");

  ok = sc_coupon_info_compute (&tc->coupon, tc->bill_fen, &discount, &status);
  g_assert_cmpint (ok, ==, tc->ok);
  g_assert_cmpint (discount, ==, tc->discount_fen);
  g_assert_cmpint (status, ==, tc->ok ? SC_VERDICT_STATUS_REDEEMABLE
                                      : SC_VERDICT_STATUS_THRESHOLD_NOT_MET);
  g_assert_cmpint (discount, <=, tc->bill_fen);
}

/* RFC 3339 */

static void
test_rfc3339 (void)
{
  static const struct { const char *in; const char *out; } good[] = {
    { "2026-11-25T08:30:00Z", "2026-11-25T08:30:00Z" },
    { "2026-11-25T16:30:00+08:00", "2026-11-25T08:30:00Z" },
    { "2026-11-25T00:30:00-05:00", "2026-11-25T05:30:00Z" },
    { "2026-11-25t08:30:00z", "2026-11-25T08:30:00Z" },
    { "2026-11-25T08:30:00.750Z", "2026-11-25T08:30:00Z" },
    { "2026-11-25T08:30:00", "2026-11-25T08:30:00Z" },    /* no offset: UTC */
    { "2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z" },
  };
  static const char * const bad[] = {
    "", "2026-11-25", "08:30:00Z", "2026-11-25T08:30Z", "20261125T083000Z",
    "2026-W48-3T08:30:00Z", "2026-330T08:30:00Z", "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z", "2026-11-25T25:00:00Z", "2026-11-25T08:30:00+99:00",
    "2026-11-25X08:30:00Z", "yesterday", "2026-11-25T08:30:00Zjunk",
  };

  g_test_summary ("RFC 3339 times parse with Z or an offset and format as UTC; dates "
                  "without a time, week dates and junk are refused");

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GDateTime) dt = sc_date_time_parse_rfc3339 (good[i].in);
      g_autofree char *str = NULL;

      if (dt == NULL)
        g_error ("“%s” did not parse", good[i].in);
      str = sc_date_time_format_rfc3339 (dt);
      g_assert_cmpstr (str, ==, good[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) dt = sc_date_time_parse_rfc3339 (bad[i]);

      if (dt != NULL)
        g_error ("“%s” parsed but should not", bad[i]);
    }

  g_assert_null (sc_date_time_parse_rfc3339 (NULL));
}

static void
test_rfc3339_format_converts (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *str = NULL;

  g_test_summary ("Formatting converts a local time to UTC");

  g_assert_nonnull (tz);
  dt = g_date_time_new (tz, 2026, 11, 25, 16, 30, 0);
  str = sc_date_time_format_rfc3339 (dt);
  g_assert_cmpstr (str, ==, "2026-11-25T08:30:00Z");
}

/* Found by tests/fuzz/fuzz-verdict (corpus/verdict/year-before-1000): a
 * time before the year 1000 formatted as "459-12-01T16:00:00Z", which no
 * RFC 3339 reader (ours included) takes back. */
static void
test_rfc3339_early_years (void)
{
  static const char * const times[] = {
    "0459-12-01T16:00:00Z", "0001-01-01T00:00:00Z", "0099-07-04T12:00:00Z",
    "0999-12-31T23:59:59Z", "9999-12-31T23:59:59Z",
  };

  g_test_summary ("Every time that parses formats back to the same text: four-digit years");

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GDateTime) dt = sc_date_time_parse_rfc3339 (times[i]);
      g_autoptr(GDateTime) again = NULL;
      g_autofree char *str = NULL;

      g_assert_nonnull (dt);
      str = sc_date_time_format_rfc3339 (dt);
      g_assert_cmpstr (str, ==, times[i]);
      again = sc_date_time_parse_rfc3339 (str);
      g_assert_nonnull (again);
      g_assert_true (g_date_time_equal (again, dt));
    }
}

/* JSON */

static const char full_json[] =
  "{"
  "  \"code\": \"612345678900\", \"kind\": \"coupon\", \"status\": \"redeemed\","
  "  \"valid_from\": \"2026-11-01T00:00:00Z\","
  "  \"valid_until\": \"2026-11-30T15:59:59+08:00\","
  "  \"realtime_only\": true,"
  "  \"reason\": \"Redeemed at another counter\","
  "  \"store\": {\"id\": \"1001\", \"name\": \"示范自提点\"},"
  "  \"order\": {\"order_id\": \"O-20261125-0001\", \"customer_masked\": \"张*明\","
  "              \"phone_tail\": \"8812\", \"total_fen\": 4590,"
  "              \"items\": [{\"name\": \"鸡蛋 30枚\", \"quantity\": 2, \"price_fen\": 1800},"
  "                          {\"name\": \"Milk\", \"quantity\": 1, \"price_fen\": 990}]},"
  "  \"coupon\": {\"type\": \"discount\", \"title\": \"88折\", \"value_fen\": 0,"
  "               \"min_spend_fen\": 5000, \"percent_off\": 12, \"cap_fen\": 2000},"
  "  \"prize\": {\"activity_id\": \"A7\", \"activity_name\": \"Autumn draw\","
  "              \"prize_name\": \"Rice cooker\", \"activity_end\": \"2026-11-20T16:00:00Z\","
  "              \"claim_days\": 7, \"claim_deadline\": \"2026-12-01T16:00:00Z\"},"
  "  \"redeemed\": {\"redemption_id\": \"3f2b8a3e-5c1d-4f7a-9d0e-1b2c3d4e5f60\","
  "                 \"at\": \"2026-11-25T08:30:00Z\","
  "                 \"store\": {\"id\": \"1002\", \"name\": \"东门店\"},"
  "                 \"clerk\": {\"id\": \"2\", \"name\": \"李四\"}}"
  "}";

typedef struct
{
  JsonParser *parser;
  ScVerdict  *verdict;
  GError     *error;
} JsonFixture;

static void
json_fixture_set_up (JsonFixture   *fixture,
                     gconstpointer  user_data)
{
  fixture->parser = json_parser_new ();
  fixture->verdict = NULL;
  fixture->error = NULL;
}

static void
json_fixture_tear_down (JsonFixture   *fixture,
                        gconstpointer  user_data)
{
  if (fixture->verdict != NULL)
    g_assert_finalize_object (fixture->verdict);
  g_clear_object (&fixture->parser);
  g_clear_error (&fixture->error);
}

static JsonObject *
parse_object (JsonFixture *fixture,
              const char  *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (fixture->parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (fixture->parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

static void
assert_time (GDateTime  *dt,
             const char *expected)
{
  g_autofree char *str = NULL;

  g_assert_nonnull (dt);
  str = sc_date_time_format_rfc3339 (dt);
  g_assert_cmpstr (str, ==, expected);
}

static void
assert_full_verdict (ScVerdict *verdict)
{
  const ScOrderInfo *order;
  const ScOrderItem *item;
  const ScCouponInfo *coupon;
  const ScPrizeInfo *prize;
  const ScRedeemedInfo *redeemed;

  g_assert_cmpstr (sc_verdict_get_code (verdict), ==, "612345678900");
  g_assert_cmpint (sc_verdict_get_kind (verdict), ==, SC_CODE_KIND_COUPON);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMED);
  g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, "Redeemed at another counter");
  g_assert_true (sc_verdict_get_realtime_only (verdict));
  g_assert_false (sc_verdict_get_offline (verdict));
  assert_time (sc_verdict_get_valid_from (verdict), "2026-11-01T00:00:00Z");
  assert_time (sc_verdict_get_valid_until (verdict), "2026-11-30T07:59:59Z");
  g_assert_cmpstr (sc_verdict_get_store_id (verdict), ==, "1001");
  g_assert_cmpstr (sc_verdict_get_store_name (verdict), ==, "示范自提点");

  order = sc_verdict_get_order (verdict);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->order_id, ==, "O-20261125-0001");
  g_assert_cmpstr (order->customer_masked, ==, "张*明");
  g_assert_cmpstr (order->phone_tail, ==, "8812");
  g_assert_cmpint (order->total_fen, ==, 4590);
  g_assert_cmpuint (order->items->len, ==, 2);
  item = g_ptr_array_index (order->items, 0);
  g_assert_cmpstr (item->name, ==, "鸡蛋 30枚");
  g_assert_cmpint (item->quantity, ==, 2);
  g_assert_cmpint (item->price_fen, ==, 1800);
  item = g_ptr_array_index (order->items, 1);
  g_assert_cmpstr (item->name, ==, "Milk");
  g_assert_cmpint (item->quantity, ==, 1);
  g_assert_cmpint (item->price_fen, ==, 990);

  coupon = sc_verdict_get_coupon (verdict);
  g_assert_nonnull (coupon);
  g_assert_cmpint (coupon->type, ==, SC_COUPON_TYPE_DISCOUNT);
  g_assert_cmpstr (coupon->title, ==, "88折");
  g_assert_cmpint (coupon->value_fen, ==, 0);
  g_assert_cmpint (coupon->min_spend_fen, ==, 5000);
  g_assert_cmpint (coupon->percent_off, ==, 12);
  g_assert_cmpint (coupon->cap_fen, ==, 2000);

  prize = sc_verdict_get_prize (verdict);
  g_assert_nonnull (prize);
  g_assert_cmpstr (prize->activity_id, ==, "A7");
  g_assert_cmpstr (prize->activity_name, ==, "Autumn draw");
  g_assert_cmpstr (prize->prize_name, ==, "Rice cooker");
  assert_time (prize->activity_end, "2026-11-20T16:00:00Z");
  g_assert_cmpint (prize->claim_days, ==, 7);
  assert_time (prize->claim_deadline, "2026-12-01T16:00:00Z");

  redeemed = sc_verdict_get_redeemed (verdict);
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (redeemed->redemption_id, ==, "3f2b8a3e-5c1d-4f7a-9d0e-1b2c3d4e5f60");
  assert_time (redeemed->at, "2026-11-25T08:30:00Z");
  g_assert_cmpstr (redeemed->store_id, ==, "1002");
  g_assert_cmpstr (redeemed->store_name, ==, "东门店");
  g_assert_cmpstr (redeemed->clerk_id, ==, "2");
  g_assert_cmpstr (redeemed->clerk_name, ==, "李四");
}

static void
test_from_json_full (JsonFixture   *fixture,
                     gconstpointer  user_data)
{
  JsonObject *object = parse_object (fixture, full_json);

  g_test_summary ("A full lookup answer fills every field of the verdict");

  fixture->verdict = sc_verdict_new_from_json (object, &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->verdict);
  assert_full_verdict (fixture->verdict);
}

static void
test_from_json_minimal (JsonFixture   *fixture,
                        gconstpointer  user_data)
{
  JsonObject *object = parse_object (fixture,
                                     "{\"code\": \"123456789015\", \"kind\": \"pickup\","
                                     " \"status\": \"not_found\", \"valid_from\": null}");

  g_test_summary ("Only code, kind and status are required; null optional members are absent");

  fixture->verdict = sc_verdict_new_from_json (object, &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_cmpint (sc_verdict_get_status (fixture->verdict), ==, SC_VERDICT_STATUS_NOT_FOUND);
  g_assert_cmpint (sc_verdict_get_kind (fixture->verdict), ==, SC_CODE_KIND_PICKUP);
  g_assert_null (sc_verdict_get_valid_from (fixture->verdict));
  g_assert_null (sc_verdict_get_order (fixture->verdict));
  g_assert_null (sc_verdict_get_coupon (fixture->verdict));
  g_assert_null (sc_verdict_get_prize (fixture->verdict));
  g_assert_null (sc_verdict_get_redeemed (fixture->verdict));
  g_assert_null (sc_verdict_get_reason (fixture->verdict));
  g_assert_null (sc_verdict_get_store_id (fixture->verdict));
  g_assert_false (sc_verdict_get_realtime_only (fixture->verdict));
}

#define BASE "\"code\": \"123456789015\", \"kind\": \"pickup\", \"status\": \"redeemable\""

typedef struct
{
  const char *name;
  const char *json;
  const char *member;   /* the member the message must name */
} BadJsonCase;

static const BadJsonCase bad_json_cases[] = {
  { "empty-object", "{}", "code" },
  { "missing-status", "{\"code\": \"123456789015\", \"kind\": \"pickup\"}", "status" },
  { "missing-kind", "{\"code\": \"123456789015\", \"status\": \"redeemable\"}", "kind" },
  { "unknown-status", "{\"code\": \"1\", \"kind\": \"pickup\", \"status\": \"ok\"}", "status" },
  { "unknown-kind", "{\"code\": \"1\", \"kind\": \"gift\", \"status\": \"expired\"}", "kind" },
  { "status-null", "{\"code\": \"1\", \"kind\": \"pickup\", \"status\": null}", "status" },
  { "status-number", "{\"code\": \"1\", \"kind\": \"pickup\", \"status\": 3}", "status" },
  { "code-number", "{\"code\": 123456789015, \"kind\": \"pickup\", \"status\": \"expired\"}",
    "code" },
  { "code-object", "{\"code\": {}, \"kind\": \"pickup\", \"status\": \"expired\"}", "code" },
  { "realtime-only-string", "{" BASE ", \"realtime_only\": \"yes\"}", "realtime_only" },
  { "reason-array", "{" BASE ", \"reason\": [\"x\"]}", "reason" },
  { "valid-from-number", "{" BASE ", \"valid_from\": 1795000000}", "valid_from" },
  { "valid-until-date-only", "{" BASE ", \"valid_until\": \"2026-11-25\"}", "valid_until" },
  { "valid-until-junk", "{" BASE ", \"valid_until\": \"tomorrow\"}", "valid_until" },
  { "store-string", "{" BASE ", \"store\": \"1001\"}", "store" },
  { "store-id-number", "{" BASE ", \"store\": {\"id\": 1001}}", "store.id" },
  { "order-array", "{" BASE ", \"order\": []}", "order" },
  { "order-total-double", "{" BASE ", \"order\": {\"total_fen\": 45.9}}", "order.total_fen" },
  { "order-total-huge", "{" BASE ", \"order\": {\"total_fen\": 1e30}}", "order.total_fen" },
  { "order-total-negative", "{" BASE ", \"order\": {\"total_fen\": -1}}", "order.total_fen" },
  { "items-object", "{" BASE ", \"order\": {\"items\": {}}}", "order.items" },
  { "items-string", "{" BASE ", \"order\": {\"items\": \"eggs\"}}", "order.items" },
  { "item-not-object", "{" BASE ", \"order\": {\"items\": [{}, 5]}}", "order.items[1]" },
  { "item-null", "{" BASE ", \"order\": {\"items\": [null]}}", "order.items[0]" },
  { "item-negative-quantity", "{" BASE ", \"order\": {\"items\": [{\"quantity\": -2}]}}",
    "order.items[0].quantity" },
  { "item-quantity-string", "{" BASE ", \"order\": {\"items\": [{\"quantity\": \"2\"}]}}",
    "order.items[0].quantity" },
  { "item-quantity-too-big", "{" BASE ", \"order\": {\"items\": [{\"quantity\": 4294967296}]}}",
    "order.items[0].quantity" },
  { "item-name-number", "{" BASE ", \"order\": {\"items\": [{\"name\": 7}]}}",
    "order.items[0].name" },
  { "coupon-missing-type", "{" BASE ", \"coupon\": {\"value_fen\": 500}}", "coupon.type" },
  { "coupon-unknown-type", "{" BASE ", \"coupon\": {\"type\": \"bogo\"}}", "coupon.type" },
  { "coupon-value-string", "{" BASE ", \"coupon\": {\"type\": \"cash\", \"value_fen\": \"5\"}}",
    "coupon.value_fen" },
  { "coupon-percent-150", "{" BASE ", \"coupon\": {\"type\": \"discount\", \"percent_off\": 150}}",
    "coupon.percent_off" },
  { "coupon-discount-percent-0", "{" BASE ", \"coupon\": {\"type\": \"discount\"}}",
    "coupon.percent_off" },
  { "prize-claim-days-negative", "{" BASE ", \"prize\": {\"claim_days\": -1}}",
    "prize.claim_days" },
  { "prize-end-bool", "{" BASE ", \"prize\": {\"activity_end\": true}}", "prize.activity_end" },
  { "redeemed-at-number", "{" BASE ", \"redeemed\": {\"at\": 0}}", "redeemed.at" },
  { "redeemed-clerk-name-array", "{" BASE ", \"redeemed\": {\"clerk\": {\"name\": []}}}",
    "redeemed.clerk.name" },
  { "redeemed-true", "{" BASE ", \"redeemed\": true}", "redeemed" },
};

static void
test_from_json_bad (JsonFixture   *fixture,
                    gconstpointer  user_data)
{
  const BadJsonCase *tc = user_data;
  JsonObject *object = parse_object (fixture, tc->json);
  g_autofree char *quoted = g_strdup_printf ("“%s”", tc->member);

  g_test_summary ("A lookup answer with a missing or mistyped member is BAD_DATA naming it");

  fixture->verdict = sc_verdict_new_from_json (object, &fixture->error);
  g_assert_error (fixture->error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA);
  g_assert_null (fixture->verdict);
  if (strstr (fixture->error->message, quoted) == NULL)
    g_error ("message “%s” does not name %s", fixture->error->message, quoted);
}

static void
test_from_json_null_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = sc_verdict_new_from_json (NULL, &error);

  g_test_summary ("No object at all is BAD_DATA");

  g_assert_null (verdict);
  g_assert_error (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA);
}

/* Replaces every member, at every depth, with values of every JSON type and
 * checks that the reader either accepts or refuses with BAD_DATA. */
static guint
mutate_members (JsonNode   *root,
                JsonObject *object,
                int         depth,
                guint      *n_refused)
{
  static const char * const replacements[] = {
    "null", "true", "0", "-1", "1.5", "1e300", "9223372036854775807", "\"\"", "\"x\"",
    "[]", "[null]", "[{}]", "{}", "{\"id\": 1}",
  };
  g_autoptr(GList) names = json_object_get_members (object);
  guint n_tried = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      /* The list holds the object's own keys: copy, since we remove it. */
      g_autofree char *name = g_strdup (l->data);
      g_autoptr(JsonNode) original = json_node_copy (json_object_get_member (object, name));
      JsonNode *restored;

      for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
        {
          g_autoptr(JsonNode) replacement = json_from_string (replacements[r], NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(ScVerdict) verdict = NULL;

          g_assert_nonnull (replacement);
          json_object_set_member (object, name, g_steal_pointer (&replacement));
          verdict = sc_verdict_new_from_json (json_node_get_object (root), &error);
          g_assert_true ((verdict == NULL) == (error != NULL));
          if (error != NULL)
            {
              g_assert_error (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA);
              (*n_refused)++;
            }
          /* The three required members must be strings; kind and status
           * must also be known names, which none of the replacements is. */
          if (depth == 0 && (g_str_equal (name, "kind") || g_str_equal (name, "status")
                             || (g_str_equal (name, "code") && replacements[r][0] != '"')))
            g_assert_nonnull (error);
          n_tried++;
        }

      json_object_remove_member (object, name);
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(ScVerdict) verdict = sc_verdict_new_from_json (json_node_get_object (root),
                                                                 &error);
        g_assert_true ((verdict == NULL) == (error != NULL));
      }

      json_object_set_member (object, name, json_node_copy (original));
      restored = json_object_get_member (object, name);

      if (JSON_NODE_HOLDS_OBJECT (restored))
        n_tried += mutate_members (root, json_node_get_object (restored), depth + 1, n_refused);
      else if (JSON_NODE_HOLDS_ARRAY (restored))
        {
          JsonArray *array = json_node_get_array (restored);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (element))
                n_tried += mutate_members (root, json_node_get_object (element), depth + 1,
                                           n_refused);
            }
        }
    }

  return n_tried;
}

static void
test_from_json_mutations (JsonFixture   *fixture,
                          gconstpointer  user_data)
{
  JsonObject *object = parse_object (fixture, full_json);
  guint n_refused = 0;
  guint n_tried;

  g_test_summary ("Any member of any type at any depth gives a verdict or BAD_DATA, never "
                  "a crash");

  n_tried = mutate_members (json_parser_get_root (fixture->parser), object, 0, &n_refused);
  g_assert_cmpuint (n_tried, >, 500);
  g_assert_cmpuint (n_refused, >, n_tried / 2);

  /* The tree is back as it was. */
  fixture->verdict = sc_verdict_new_from_json (object, &fixture->error);
  g_assert_no_error (fixture->error);
  assert_full_verdict (fixture->verdict);
}

static void
test_to_json_round_trip (JsonFixture   *fixture,
                         gconstpointer  user_data)
{
  JsonObject *object = parse_object (fixture, full_json);
  g_autoptr(ScVerdict) first = sc_verdict_new_from_json (object, &fixture->error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *written;

  g_test_summary ("to_json writes the lookup shape plus label and offline; it reads back "
                  "to the same verdict");

  g_assert_no_error (fixture->error);
  sc_verdict_set_offline (first, TRUE);

  node = sc_verdict_to_json (first);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  written = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (written, "label"), ==, "Already redeemed");
  g_assert_cmpstr (json_object_get_string_member (written, "status"), ==, "redeemed");
  g_assert_cmpstr (json_object_get_string_member (written, "kind"), ==, "coupon");
  g_assert_cmpstr (json_object_get_string_member (written, "valid_until"), ==,
                   "2026-11-30T07:59:59Z");
  g_assert_true (json_object_get_boolean_member (written, "offline"));
  g_assert_cmpstr (json_object_get_string_member (written, "reason"), ==,
                   "Redeemed at another counter");

  fixture->verdict = sc_verdict_new_from_json (written, &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_true (sc_verdict_get_offline (fixture->verdict));
  sc_verdict_set_offline (fixture->verdict, FALSE);
  assert_full_verdict (fixture->verdict);
}

static void
test_to_json_parse_error_round_trip (JsonFixture   *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScCode) code = sc_code_parse ("SC1:500000000009:1:abc", 1800000000, &error);
  g_autoptr(ScVerdict) verdict = sc_verdict_new_for_parse_error ("SC1:500000000009:1:abc", error);
  g_autoptr(JsonNode) node = sc_verdict_to_json (verdict);

  g_test_summary ("A local qr_stale verdict serializes and reads back");

  g_assert_null (code);
  fixture->verdict = sc_verdict_new_from_json (json_node_get_object (node), &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_cmpint (sc_verdict_get_status (fixture->verdict), ==, SC_VERDICT_STATUS_QR_STALE);
  g_assert_cmpint (sc_verdict_get_kind (fixture->verdict), ==, SC_CODE_KIND_UNKNOWN);
  g_assert_cmpstr (sc_verdict_get_reason (fixture->verdict), ==, error->message);
  g_assert_cmpstr (sc_verdict_get_payload (fixture->verdict), ==, "SC1:500000000009:1:abc");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "label"), ==,
                   "Live code expired");
}

/* Setters */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_setters_notify (void)
{
  g_autoptr(ScVerdict) verdict = sc_verdict_new (SC_VERDICT_STATUS_REDEEMABLE,
                                                 SC_CODE_KIND_PICKUP, "123456789015",
                                                 "123456789015");
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  guint n_reason = 0, n_offline = 0;
  ScOrderInfo *order;

  g_test_summary ("Setters store values, notify once per change, and details are owned");

  g_signal_connect (verdict, "notify::reason", G_CALLBACK (count_notify), &n_reason);
  g_signal_connect (verdict, "notify::offline", G_CALLBACK (count_notify), &n_offline);

  sc_verdict_set_reason (verdict, "x");
  sc_verdict_set_reason (verdict, "x");
  g_assert_cmpuint (n_reason, ==, 1);
  sc_verdict_set_reason (verdict, NULL);
  g_assert_cmpuint (n_reason, ==, 2);
  g_assert_null (sc_verdict_get_reason (verdict));

  sc_verdict_set_offline (verdict, TRUE);
  sc_verdict_set_offline (verdict, TRUE);
  g_assert_cmpuint (n_offline, ==, 1);
  g_assert_true (sc_verdict_get_offline (verdict));

  sc_verdict_set_validity (verdict, from, NULL);
  g_assert_true (sc_verdict_get_valid_from (verdict) == from);
  g_assert_null (sc_verdict_get_valid_until (verdict));

  order = g_new0 (ScOrderInfo, 1);
  order->order_id = g_strdup ("O-1");
  order->items = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_order_item_free);
  sc_verdict_take_order (verdict, order);
  g_assert_true (sc_verdict_get_order (verdict) == order);
  /* Replacing frees the old one (ASan would see a leak otherwise). */
  sc_verdict_take_order (verdict, g_new0 (ScOrderInfo, 1));
  g_assert_null (sc_verdict_get_order (verdict)->order_id);
  sc_verdict_take_order (verdict, NULL);
  g_assert_null (sc_verdict_get_order (verdict));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/verdict/status/strings", test_status_strings);
  g_test_add_func ("/verdict/coupon/type-strings", test_coupon_type_strings);
  g_test_add_func ("/verdict/parse-error/mapping", test_parse_error_mapping);
  g_test_add_func ("/verdict/parse-error/garbled-input", test_parse_error_garbled_input);

  for (guint i = 0; i < G_N_ELEMENTS (coupon_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verdict/coupon/compute/%s", coupon_cases[i].name);

      g_test_add_data_func (path, &coupon_cases[i], test_coupon_compute);
    }

  g_test_add_func ("/verdict/rfc3339/parse-format", test_rfc3339);
  g_test_add_func ("/verdict/rfc3339/format-converts", test_rfc3339_format_converts);
  g_test_add_func ("/verdict/rfc3339/early-years", test_rfc3339_early_years);

  g_test_add ("/verdict/json/full", JsonFixture, NULL,
              json_fixture_set_up, test_from_json_full, json_fixture_tear_down);
  g_test_add ("/verdict/json/minimal", JsonFixture, NULL,
              json_fixture_set_up, test_from_json_minimal, json_fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (bad_json_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verdict/json/bad/%s", bad_json_cases[i].name);

      g_test_add (path, JsonFixture, &bad_json_cases[i],
                  json_fixture_set_up, test_from_json_bad, json_fixture_tear_down);
    }
  g_test_add_func ("/verdict/json/null-object", test_from_json_null_object);
  g_test_add ("/verdict/json/mutations", JsonFixture, NULL,
              json_fixture_set_up, test_from_json_mutations, json_fixture_tear_down);
  g_test_add ("/verdict/json/round-trip", JsonFixture, NULL,
              json_fixture_set_up, test_to_json_round_trip, json_fixture_tear_down);
  g_test_add ("/verdict/json/parse-error-round-trip", JsonFixture, NULL,
              json_fixture_set_up, test_to_json_parse_error_round_trip, json_fixture_tear_down);

  g_test_add_func ("/verdict/setters", test_setters_notify);

  return g_test_run ();
}
