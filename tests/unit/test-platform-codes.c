/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "sc-code.h"
#include "sc-platform-codes.h"
#include "sc-platform-request.h"
#include "sc-platform-util.h"

/* The reference platform's rules for a code (sc-platform-codes.c) with no
 * database and no HTTP: status precedence, the claim deadline, the live
 * token check, the coupon discount. */

#define NOW     G_GINT64_CONSTANT (1767225600)  /* 2026-01-01T00:00:00Z, a Thursday */
#define DAY     (24 * 3600)
#define SECRET  "0123456789abcdef0123456789abcdef"

/* A pickup code of store 1001, valid from a day before NOW to a day after,
 * active, not redeemed. */
static void
row_init (ScPlatformCodeRow *row)
{
  *row = (ScPlatformCodeRow) { 0 };
  row->code = (char *) "123456789015";
  row->kind = (char *) "pickup";
  row->store_id = (char *) "1001";
  row->state = (char *) "active";
  row->has_valid_from = TRUE;
  row->valid_from = NOW - DAY;
  row->has_valid_until = TRUE;
  row->valid_until = NOW + DAY;
}

static ScVerdictStatus
status_of (const ScPlatformCodeRow *row,
           gint64                   t,
           ScPlatformTokenCheck     token,
           const char              *expected_reason)
{
  g_autofree char *reason = NULL;
  ScVerdictStatus status = sc_platform_codes_status (row, "1001", t, token, &reason);

  g_assert_cmpstr (reason, ==, expected_reason);
  return status;
}

static void
test_precedence (void)
{
  ScPlatformCodeRow row;

  g_test_summary ("A code's status is checked in order: wrong_store, deleted, invalidated, "
                  "gifting, redeemed, not_yet_valid, expired, not_eligible, qr_stale; the "
                  "first that holds wins.");

  /* Everything wrong at once: each case is taken away in turn. */
  row_init (&row);
  row.store_id = (char *) "1002";
  row.state = (char *) "deleted";
  row.redemption_id = (char *) "r-1";
  row.valid_from = NOW + DAY;
  row.valid_until = NOW - DAY;
  row.realtime_only = TRUE;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_WRONG_STORE);
  row.store_id = (char *) "1001";
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_DELETED);
  row.state = (char *) "invalidated";
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_INVALIDATED);
  row.state = (char *) "gifting";
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_GIFTING);
  row.state = (char *) "active";
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMED);
  row.redemption_id = NULL;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_NOT_YET_VALID);
  row.valid_from = NOW - 2 * DAY;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, NULL), ==,
                   SC_VERDICT_STATUS_EXPIRED);
  row.valid_until = NOW + DAY;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_STALE, "token_expired"), ==,
                   SC_VERDICT_STATUS_QR_STALE);
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_BAD_SIG, "token_not_genuine"), ==,
                   SC_VERDICT_STATUS_QR_STALE);
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_NONE, "live_code_required"), ==,
                   SC_VERDICT_STATUS_QR_STALE);
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_OK, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);

  /* Validity edges: both ends belong to the window. */
  row_init (&row);
  g_assert_cmpint (status_of (&row, row.valid_from, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_cmpint (status_of (&row, row.valid_from - 1, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_NOT_YET_VALID);
  g_assert_cmpint (status_of (&row, row.valid_until, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_cmpint (status_of (&row, row.valid_until + 1, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_EXPIRED);
  /* No validity at all: always in its window. */
  row.has_valid_from = row.has_valid_until = FALSE;
  g_assert_cmpint (status_of (&row, 0, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
  /* A token on a code that needs none is fine either way. */
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_OK, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
}

static void
test_prize (void)
{
  ScPlatformCodeRow row;
  gint64 deadline;

  g_test_summary ("A prize voucher past its claim window, or of a person who claimed that "
                  "activity already, is not_eligible (window first), after expired and "
                  "before qr_stale.");

  row_init (&row);
  row.kind = (char *) "prize";
  row.activity_id = (char *) "act-1";
  row.store_tz = (char *) "Asia/Shanghai";
  row.activity_end = NOW - DAY;
  row.claim_days = 7;
  row.has_valid_until = FALSE;
  deadline = sc_platform_codes_claim_deadline (row.store_tz, row.activity_end, row.claim_days);

  g_assert_cmpint (status_of (&row, deadline, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_cmpint (status_of (&row, deadline + 1, SC_PLATFORM_TOKEN_NONE,
                              "claim_window_closed"), ==, SC_VERDICT_STATUS_NOT_ELIGIBLE);
  row.claimed = TRUE;
  g_assert_cmpint (status_of (&row, deadline, SC_PLATFORM_TOKEN_NONE, "already_claimed"), ==,
                   SC_VERDICT_STATUS_NOT_ELIGIBLE);
  g_assert_cmpint (status_of (&row, deadline + 1, SC_PLATFORM_TOKEN_NONE,
                              "claim_window_closed"), ==, SC_VERDICT_STATUS_NOT_ELIGIBLE);
  /* not_eligible comes before a stale token ... */
  g_assert_cmpint (status_of (&row, deadline, SC_PLATFORM_TOKEN_STALE, "already_claimed"), ==,
                   SC_VERDICT_STATUS_NOT_ELIGIBLE);
  /* ... and after expired. */
  row.has_valid_until = TRUE;
  row.valid_until = deadline - 10;
  g_assert_cmpint (status_of (&row, deadline, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_EXPIRED);

  /* A prize without an activity has no claim rules. */
  row_init (&row);
  row.kind = (char *) "prize";
  row.claimed = TRUE;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);
}

static gint64
local_unix (int year,
            int month,
            int day,
            int hour,
            int minute,
            int second)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, second);

  return g_date_time_to_unix (dt);
}

static void
test_claim_deadline (void)
{
  /* Activity end (local time, UTC+8), claim days, last day of the window
   * (its 23:59:59 local). 2026-01-02 is a Friday. */
  static const struct
  {
    int         end[6];
    int         days;
    int         last_day[3];
    const char *why;
  } cases[] = {
    { { 2026, 1, 2, 12, 0, 0 }, 7, { 2026, 1, 13 }, "Friday: Jan 5-9 and 12-13" },
    { { 2026, 1, 2, 23, 59, 59 }, 7, { 2026, 1, 13 }, "the end of Friday" },
    { { 2026, 1, 3, 0, 0, 0 }, 7, { 2026, 1, 13 }, "Saturday: the same working days" },
    { { 2026, 1, 4, 23, 59, 0 }, 1, { 2026, 1, 5 }, "Sunday: Monday" },
    { { 2026, 1, 5, 0, 0, 0 }, 1, { 2026, 1, 6 }, "Monday: from Tuesday" },
    { { 2026, 1, 2, 12, 0, 0 }, 10, { 2026, 1, 16 }, "10 days: two whole weeks" },
    { { 2026, 1, 3, 8, 0, 0 }, 0, { 2026, 1, 3 }, "no days: the end day itself" },
    /* 2026-01-02T20:00Z is Saturday 04:00 in Shanghai: the local day counts. */
    { { 2026, 1, 3, 4, 0, 0 }, 1, { 2026, 1, 5 }, "the local day, not UTC's" },
  };
  gint64 friday_noon = local_unix (2026, 1, 2, 12, 0, 0);
  gint64 friday_deadline = local_unix (2026, 1, 13, 23, 59, 59);

  g_test_summary ("The claim window ends at the last second of the Nth working day (Monday "
                  "to Friday) after the activity's local end day.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 end = local_unix (cases[i].end[0], cases[i].end[1], cases[i].end[2],
                               cases[i].end[3], cases[i].end[4], cases[i].end[5]);
      gint64 last = local_unix (cases[i].last_day[0], cases[i].last_day[1],
                                cases[i].last_day[2], 23, 59, 59);

      g_test_message ("%s", cases[i].why);
      g_assert_cmpint (sc_platform_codes_claim_deadline ("Asia/Shanghai", end, cases[i].days),
                       ==, last);
    }

  /* No or an unknown timezone: the stores' own (UTC+8). */
  g_assert_cmpint (sc_platform_codes_claim_deadline (NULL, friday_noon, 7), ==,
                   friday_deadline);
  g_assert_cmpint (sc_platform_codes_claim_deadline ("Nowhere/Nothing", friday_noon, 7), ==,
                   friday_deadline);
}

/* A 12-digit coupon code with a good check digit. */
static char *
coupon_code (void)
{
  char code[SC_CODE_LENGTH + 1] = "50000000001";

  code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
  code[SC_CODE_LENGTH] = '\0';
  return g_strdup (code);
}

/* The check of a live token for @code made at @ts, signed with
 * @sig_secret (NULL: a made-up signature), read at NOW under SECRET. */
static ScPlatformTokenCheck
check_token (const char *code,
             gint64      ts,
             const char *sig_secret,
             gboolean    upper)
{
  g_autoptr(ScPlatformRequest) req = sc_platform_request_new (SC_PLATFORM_OP_LOOKUP, NOW);
  g_autofree char *sig = NULL;
  g_autofree char *payload = NULL;

  if (sig_secret != NULL)
    sig = sc_platform_store_token_signature (sig_secret, code, ts);
  else
    sig = g_strnfill (64, 'a');
  if (upper)
    {
      char *up = g_ascii_strup (sig, -1);

      g_free (sig);
      sig = up;
    }
  payload = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s", code, ts, sig);
  req->secret = g_strdup (SECRET);
  sc_platform_request_parse_payload (req, payload);
  g_assert_null (req->malformed);
  g_assert_cmpstr (req->code, ==, code);
  return sc_platform_codes_token_check (req);
}

static void
test_token (void)
{
  g_autofree char *code = coupon_code ();
  g_autoptr(ScPlatformRequest) bare = sc_platform_request_new (SC_PLATFORM_OP_LOOKUP, NOW);
  g_autoptr(ScPlatformRequest) no_secret = sc_platform_request_new (SC_PLATFORM_OP_LOOKUP, NOW);
  g_autofree char *sig = sc_platform_store_token_signature (SECRET, code, NOW);
  g_autofree char *payload = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s", code, NOW, sig);

  g_test_summary ("A live token is fine up to 300 s old and 30 s ahead, stale beyond, and "
                  "not genuine unless signed with the platform's secret (hex in any case).");

  g_assert_cmpint (check_token (code, NOW, SECRET, FALSE), ==, SC_PLATFORM_TOKEN_OK);
  g_assert_cmpint (check_token (code, NOW, SECRET, TRUE), ==, SC_PLATFORM_TOKEN_OK);
  /* Age and clock skew, at the edges. */
  g_assert_cmpint (check_token (code, NOW - 300, SECRET, FALSE), ==, SC_PLATFORM_TOKEN_OK);
  g_assert_cmpint (check_token (code, NOW - 301, SECRET, FALSE), ==, SC_PLATFORM_TOKEN_STALE);
  g_assert_cmpint (check_token (code, NOW + 30, SECRET, FALSE), ==, SC_PLATFORM_TOKEN_OK);
  g_assert_cmpint (check_token (code, NOW + 31, SECRET, FALSE), ==, SC_PLATFORM_TOKEN_STALE);
  /* Staleness is told before the signature is looked at. */
  g_assert_cmpint (check_token (code, NOW - 400, NULL, FALSE), ==, SC_PLATFORM_TOKEN_STALE);
  /* Not ours: another secret, or a made-up signature. */
  g_assert_cmpint (check_token (code, NOW, "another secret", FALSE), ==,
                   SC_PLATFORM_TOKEN_BAD_SIG);
  g_assert_cmpint (check_token (code, NOW, NULL, FALSE), ==, SC_PLATFORM_TOKEN_BAD_SIG);

  /* A bare code has no token. */
  sc_platform_request_parse_payload (bare, code);
  g_assert_null (bare->malformed);
  g_assert_cmpint (sc_platform_codes_token_check (bare), ==, SC_PLATFORM_TOKEN_NONE);

  /* Without the platform's secret, nothing is genuine. */
  sc_platform_request_parse_payload (no_secret, payload);
  g_assert_cmpint (sc_platform_codes_token_check (no_secret), ==, SC_PLATFORM_TOKEN_BAD_SIG);
}

static void
test_discount (void)
{
  ScPlatformCodeRow row;
  gint64 d = -1;

  g_test_summary ("A coupon's discount: a fixed amount, never more than the bill; percent "
                  "off rounded down to the fen and capped; refused under the minimum spend.");

  row_init (&row);
  row.kind = (char *) "coupon";

  row.coupon_type = (char *) "cash";
  row.value_fen = 500;
  g_assert_true (sc_platform_codes_coupon_discount (&row, 2000, &d));
  g_assert_cmpint (d, ==, 500);
  g_assert_true (sc_platform_codes_coupon_discount (&row, 300, &d));
  g_assert_cmpint (d, ==, 300);
  g_assert_true (sc_platform_codes_coupon_discount (&row, 0, &d));
  g_assert_cmpint (d, ==, 0);

  row.coupon_type = (char *) "threshold";
  row.value_fen = 1500;
  row.min_spend_fen = 10000;
  d = -1;
  g_assert_false (sc_platform_codes_coupon_discount (&row, 9999, &d));
  g_assert_cmpint (d, ==, -1);
  g_assert_true (sc_platform_codes_coupon_discount (&row, 10000, &d));
  g_assert_cmpint (d, ==, 1500);

  row.coupon_type = (char *) "discount";
  row.min_spend_fen = 0;
  row.value_fen = 0;
  row.percent_off = 15;
  g_assert_true (sc_platform_codes_coupon_discount (&row, 999, &d));
  g_assert_cmpint (d, ==, 149);  /* 149.85 fen, rounded down */
  g_assert_true (sc_platform_codes_coupon_discount (&row, 10000, &d));
  g_assert_cmpint (d, ==, 1500);
  row.cap_fen = 1000;
  g_assert_true (sc_platform_codes_coupon_discount (&row, 10000, &d));
  g_assert_cmpint (d, ==, 1000);
  g_assert_true (sc_platform_codes_coupon_discount (&row, 6666, &d));
  g_assert_cmpint (d, ==, 999);  /* under the cap: 999.9 rounded down */
  row.min_spend_fen = 5000;
  g_assert_false (sc_platform_codes_coupon_discount (&row, 4999, &d));
  g_assert_true (sc_platform_codes_coupon_discount (&row, 5000, &d));
  g_assert_cmpint (d, ==, 750);
}

static void
test_kind (void)
{
  g_test_summary ("A code's kind is told by its first digit.");

  g_assert_cmpstr (sc_platform_codes_kind ("123456789012"), ==, "pickup");
  g_assert_cmpstr (sc_platform_codes_kind ("223456789012"), ==, "pickup");
  g_assert_cmpstr (sc_platform_codes_kind ("323456789012"), ==, "pickup");
  g_assert_cmpstr (sc_platform_codes_kind ("423456789012"), ==, "unknown");
  g_assert_cmpstr (sc_platform_codes_kind ("523456789012"), ==, "coupon");
  g_assert_cmpstr (sc_platform_codes_kind ("623456789012"), ==, "coupon");
  g_assert_cmpstr (sc_platform_codes_kind ("723456789012"), ==, "unknown");
  g_assert_cmpstr (sc_platform_codes_kind ("823456789012"), ==, "prize");
  g_assert_cmpstr (sc_platform_codes_kind ("923456789012"), ==, "unknown");
}

static void
add_line (ScPlatformCodeRow *row,
          gint64             qty,
          gint64             picked,
          gint64             missing)
{
  ScPlatformOrderLine *line = g_new0 (ScPlatformOrderLine, 1);

  if (row->lines == NULL)
    row->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_platform_order_line_free);
  line->line_id = g_strdup_printf ("%u", row->lines->len + 1);
  line->name = g_strdup ("item");
  line->qty = qty;
  line->picked_qty = picked;
  line->missing_qty = missing;
  g_ptr_array_add (row->lines, line);
}

static void
test_order_status (void)
{
  ScPlatformCodeRow row;
  gint64 picked, missing, remaining;
  guint mask = 0;

  g_test_summary ("An order's status follows its lines: open, partially picked up, picked "
                  "up, missing items, expired, cancelled; all missing and none handed over "
                  "answers the code as invalidated; the status filter's names");

  row_init (&row);
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "open");
  row.redemption_id = (char *) "r1";
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "picked_up");
  row.redemption_id = NULL;
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW + 2 * DAY), ==, "expired");

  add_line (&row, 2, 0, 0);
  add_line (&row, 3, 0, 0);
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "open");
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 0))->picked_qty = 1;
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "partially_picked_up");
  sc_platform_codes_order_totals (&row, &picked, &missing, &remaining);
  g_assert_cmpint (picked, ==, 1);
  g_assert_cmpint (missing, ==, 0);
  g_assert_cmpint (remaining, ==, 4);
  /* Lines left after the pickup window: expired. */
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW + 2 * DAY), ==, "expired");
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);

  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 0))->picked_qty = 2;
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->picked_qty = 3;
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "picked_up");
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW + 2 * DAY), ==, "picked_up");

  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->picked_qty = 2;
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->missing_qty = 1;
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "missing_items");
  /* More marked and picked than ordered: nothing left, never below 0. */
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->missing_qty = 5;
  g_assert_cmpint (sc_platform_order_line_remaining (g_ptr_array_index (row.lines, 1)), ==, 0);

  /* Everything missing, nothing handed over: closed as cancelled. */
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 0))->picked_qty = 0;
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 0))->missing_qty = 2;
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->picked_qty = 0;
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->missing_qty = 3;
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "missing_items");
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_INVALIDATED);
  ((ScPlatformOrderLine *) g_ptr_array_index (row.lines, 1))->missing_qty = 2;
  g_assert_cmpint (status_of (&row, NOW, SC_PLATFORM_TOKEN_NONE, NULL), ==,
                   SC_VERDICT_STATUS_REDEEMABLE);

  row.state = (char *) "invalidated";
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "cancelled");
  row.state = (char *) "deleted";
  g_assert_cmpstr (sc_platform_codes_order_status (&row, NOW), ==, "cancelled");
  g_clear_pointer (&row.lines, g_ptr_array_unref);

  g_assert_true (sc_platform_codes_order_status_mask ("picked_up,expired", &mask));
  g_assert_true (sc_platform_codes_order_status_in ("picked_up", mask));
  g_assert_true (sc_platform_codes_order_status_in ("expired", mask));
  g_assert_false (sc_platform_codes_order_status_in ("open", mask));
  g_assert_false (sc_platform_codes_order_status_in ("missing_items", mask));
  /* "open" is everything still to hand over. */
  g_assert_true (sc_platform_codes_order_status_mask ("open", &mask));
  g_assert_true (sc_platform_codes_order_status_in ("partially_picked_up", mask));
  g_assert_false (sc_platform_codes_order_status_in ("picked_up", mask));
  g_assert_true (sc_platform_codes_order_status_mask ("partially_picked_up", &mask));
  g_assert_false (sc_platform_codes_order_status_in ("open", mask));
  g_assert_true (sc_platform_codes_order_status_mask ("missing_items,cancelled", &mask));
  g_assert_true (sc_platform_codes_order_status_in ("cancelled", mask));
  g_assert_false (sc_platform_codes_order_status_mask ("picked", &mask));
  g_assert_false (sc_platform_codes_order_status_mask ("", &mask));
  g_assert_false (sc_platform_codes_order_status_mask ("open,", &mask));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/platform-codes/precedence", test_precedence);
  g_test_add_func ("/platform-codes/prize", test_prize);
  g_test_add_func ("/platform-codes/claim-deadline", test_claim_deadline);
  g_test_add_func ("/platform-codes/token", test_token);
  g_test_add_func ("/platform-codes/discount", test_discount);
  g_test_add_func ("/platform-codes/kind", test_kind);
  g_test_add_func ("/platform-codes/order-status", test_order_status);

  return g_test_run ();
}
