/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCounter end to end: a real store-counter-platform process on loopback,
 * a real SQLite cache in a temporary folder. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-counter.h"
#include "sc-db.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

typedef ScTestCounterFixture Fixture;

static void
login (Fixture    *fixture,
       const char *clerk)
{
  sc_test_counter_login (fixture->counter, clerk);
  g_assert_nonnull (sc_counter_get_session (fixture->counter));
  sc_test_counter_idle (fixture->counter);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  sc_test_counter_fixture_init (fixture, NULL, "sc-test-counter-XXXXXX");
  sc_test_counter_fixture_open (fixture);
  login (fixture, "1");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_counter_fixture_clear (fixture);
}

static ScRedemption *
redeem (Fixture   *fixture,
        ScVerdict *verdict,
        gint64     bill_fen,
        GError   **error)
{
  return sc_test_counter_redeem (fixture->counter, verdict, bill_fen, error);
}

/* Redeems @verdict; asserts it succeeds in @state. */
static ScRedemption *
redeem_in_state (Fixture           *fixture,
                 ScVerdict         *verdict,
                 gint64             bill_fen,
                 ScRedemptionState  state)
{
  g_autoptr(GError) error = NULL;
  ScRedemption *r = redeem (fixture, verdict, bill_fen, &error);

  g_assert_no_error (error);
  g_assert_cmpint (r->state, ==, state);
  return r;
}

static ScRedemption *
undo (Fixture    *fixture,
      const char *id,
      GError    **error)
{
  return sc_test_counter_undo (fixture->counter, id, error);
}

static guint
sync_now (Fixture *fixture)
{
  guint n = sc_test_counter_sync (fixture->counter);

  sc_test_counter_idle (fixture->counter);
  return n;
}

/* How the platform itself sees a redemption: HTTP status of GET. */
static guint
platform_redemption_status (Fixture    *fixture,
                            const char *id,
                            JsonObject **out_body)
{
  return sc_test_platform_redemption (fixture->platform, "2", id, out_body);
}

static void
test_lookup_every_status (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char      *status;
    const char      *kind;
    ScVerdictStatus  expected;
  } cases[] = {
    { "redeemable", "pickup", SC_VERDICT_STATUS_REDEEMABLE },
    { "redeemed", "pickup", SC_VERDICT_STATUS_REDEEMED },
    { "expired", "pickup", SC_VERDICT_STATUS_EXPIRED },
    { "not_yet_valid", "pickup", SC_VERDICT_STATUS_NOT_YET_VALID },
    { "invalidated", NULL, SC_VERDICT_STATUS_INVALIDATED },
    { "gifting", NULL, SC_VERDICT_STATUS_GIFTING },
    { "deleted", NULL, SC_VERDICT_STATUS_DELETED },
    { "wrong_store", NULL, SC_VERDICT_STATUS_WRONG_STORE },
    { "not_found", NULL, SC_VERDICT_STATUS_NOT_FOUND },
    { "qr_stale", "coupon", SC_VERDICT_STATUS_QR_STALE },
    { "not_eligible", "prize", SC_VERDICT_STATUS_NOT_ELIGIBLE },
    { "redeemable", "coupon", SC_VERDICT_STATUS_REDEEMABLE },
    { "redeemable", "prize", SC_VERDICT_STATUS_REDEEMABLE },
  };

  g_test_summary ("Every status the platform can give reaches the counter as that verdict, "
                  "with its details");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload =
        sc_test_platform_demo_code (fixture->platform, cases[i].status, cases[i].kind, 0);
      g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);

      g_test_message ("%s %s: %s", cases[i].status, cases[i].kind ? cases[i].kind : "", payload);
      g_assert_cmpstr (sc_verdict_status_to_string (sc_verdict_get_status (verdict)), ==,
                       sc_verdict_status_to_string (cases[i].expected));
      g_assert_false (sc_verdict_get_offline (verdict));

      if (cases[i].expected == SC_VERDICT_STATUS_REDEEMED)
        {
          const ScRedeemedInfo *redeemed = sc_verdict_get_redeemed (verdict);

          g_assert_nonnull (redeemed);
          g_assert_nonnull (redeemed->at);
          g_assert_nonnull (redeemed->store_name);
          g_assert_nonnull (redeemed->clerk_name);
        }
      if (cases[i].expected == SC_VERDICT_STATUS_REDEEMABLE &&
          g_strcmp0 (cases[i].kind, "pickup") == 0)
        {
          const ScOrderInfo *order = sc_verdict_get_order (verdict);

          g_assert_nonnull (order);
          g_assert_cmpuint (order->items->len, >, 0);
          g_assert_cmpint (strlen (order->phone_tail), ==, 4);
          g_assert_cmpint (order->total_fen, >, 0);
        }
      if (cases[i].expected == SC_VERDICT_STATUS_REDEEMABLE &&
          g_strcmp0 (cases[i].kind, "coupon") == 0)
        g_assert_nonnull (sc_verdict_get_coupon (verdict));
      if (g_strcmp0 (cases[i].kind, "prize") == 0)
        g_assert_nonnull (sc_verdict_get_prize (verdict));
    }
}

static void
test_lookup_local_verdicts (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(ScVerdict) typo = NULL;
  g_autoptr(ScVerdict) stale = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) none = NULL;
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autofree char *token = NULL;
  char check_digit;
  char last;

  g_test_summary ("Mistyped codes and stale live tokens are answered locally; a phone tail "
                  "asks for the order list");

  /* Change the check digit: malformed, with a reason. */
  check_digit = payload[11];
  last = payload[11] == '9' ? '0' : payload[11] + 1;
  payload[11] = last;
  typo = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (typo), ==, SC_VERDICT_STATUS_MALFORMED);
  g_assert_nonnull (sc_verdict_get_reason (typo));

  /* A well-formed live token of the right code (its true check digit), an
   * hour old: stale, answered locally. */
  payload[11] = '\0';
  token = g_strdup_printf ("SC1:%s%c:%" G_GINT64_FORMAT ":abcdef", payload, check_digit,
                           g_get_real_time () / G_USEC_PER_SEC - 3600);
  stale = sc_test_counter_lookup (fixture->counter, token);
  g_assert_cmpint (sc_verdict_get_status (stale), ==, SC_VERDICT_STATUS_QR_STALE);
  /* Not the platform's qr_stale, which names its reason (token_expired). */
  g_assert_null (sc_verdict_get_reason_code (stale));
  g_assert_nonnull (strstr (sc_verdict_get_reason (stale), "minutes old"));

  sc_counter_lookup_async (fixture->counter, "1234", NULL, sc_test_result_cb, &result);
  none = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_PHONE_TAIL);
  g_assert_null (none);
}

static void
test_redeem_then_redeemed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autoptr(ScVerdict) before = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScVerdict) after = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_autoptr(GError) error = NULL;
  const ScRedeemedInfo *redeemed;

  g_test_summary ("Redeem a pickup code: synced, durable, and the platform then says "
                  "redeemed here, now, by this clerk");

  g_assert_cmpint (sc_verdict_get_status (before), ==, SC_VERDICT_STATUS_REDEEMABLE);
  r = redeem_in_state (fixture, before, -1, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpint (r->redeemed_at, >, 0);
  g_assert_cmpint (ABS (r->redeemed_at - g_get_real_time () / G_USEC_PER_SEC), <, 60);
  sc_test_counter_idle (fixture->counter);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
  g_assert_true (sc_counter_get_online (fixture->counter));

  row = sc_test_cache_get_redemption (fixture->cache, r->id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpstr (row->code, ==, sc_verdict_get_code (before));
  g_assert_cmpstr (row->clerk_id, ==, "1");

  after = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (after), ==, SC_VERDICT_STATUS_REDEEMED);
  redeemed = sc_verdict_get_redeemed (after);
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (redeemed->redemption_id, ==, r->id);
  g_assert_cmpstr (redeemed->store_id, ==, "1001");
  g_assert_cmpstr (redeemed->store_name, ==, "示范自提点");
  g_assert_cmpstr (redeemed->clerk_id, ==, "1");
  g_assert_cmpstr (redeemed->clerk_name, ==, "王芳");
  g_assert_cmpint (g_date_time_to_unix (redeemed->at), ==, r->redeemed_at);

  /* The same verdict object cannot be redeemed twice by the platform. */
  {
    g_autoptr(ScRedemption) again = redeem (fixture, before, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpint (again->state, ==, SC_REDEMPTION_STATE_CONFLICT);
    g_assert_nonnull (again->reason);
  }
}

static void
test_redeem_coupon (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) coupons = sc_test_platform_demo_codes (fixture->platform,
                                                              "redeemable", "coupon");
  gboolean tried_threshold = FALSE;

  g_test_summary ("Coupons need the bill; the discount agrees with the platform; a bill "
                  "under the minimum spend is refused before anything is saved");

  g_assert_cmpuint (coupons->len, >, 0);
  for (guint i = 0; i < coupons->len; i++)
    {
      g_autoptr(ScVerdict) verdict =
        sc_test_counter_lookup (fixture->counter, g_ptr_array_index (coupons, i));
      const ScCouponInfo *coupon = sc_verdict_get_coupon (verdict);
      g_autoptr(ScRedemption) r = NULL;
      g_autoptr(GError) error = NULL;
      gint64 bill = 10000;
      gint64 expected = 0;
      ScVerdictStatus status;

      if (sc_verdict_get_status (verdict) != SC_VERDICT_STATUS_REDEEMABLE)
        continue;
      g_assert_nonnull (coupon);

      /* No bill: refused. */
      r = redeem (fixture, verdict, -1, &error);
      g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BILL_REQUIRED);
      g_assert_null (r);
      g_clear_error (&error);

      if (coupon->min_spend_fen > 1 && !tried_threshold)
        {
          r = redeem (fixture, verdict, coupon->min_spend_fen - 1, &error);
          g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_THRESHOLD_NOT_MET);
          g_assert_null (r);
          g_clear_error (&error);
          tried_threshold = TRUE;
        }

      bill = MAX (bill, coupon->min_spend_fen);
      g_assert_true (sc_coupon_info_compute (coupon, bill, &expected, &status));
      r = redeem_in_state (fixture, verdict, bill, SC_REDEMPTION_STATE_SYNCED);
      g_assert_cmpint (r->bill_fen, ==, bill);
      g_assert_cmpint (r->discount_fen, ==, expected);
    }
  g_assert_true (tried_threshold);
  sc_test_counter_idle (fixture->counter);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
}

static void
test_undo_inside_window (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 1);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScVerdict) after = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) undone = NULL;
  g_autoptr(ScRedemption) twice = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Undo a synced redemption inside the window: reversed on the platform, the "
                  "code is redeemable again");

  r = redeem_in_state (fixture, verdict, -1, SC_REDEMPTION_STATE_SYNCED);

  undone = undo (fixture, r->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (undone->state, ==, SC_REDEMPTION_STATE_REVERSED);

  after = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (after), ==, SC_VERDICT_STATUS_REDEEMABLE);

  g_assert_cmpuint (platform_redemption_status (fixture, r->id, &record), ==, 200);
  g_assert_true (json_object_has_member (record, "reversed_at"));

  twice = undo (fixture, r->id, &error);
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOTHING_TO_UNDO);
  g_assert_null (twice);
}

static void
test_undo_outside_window (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 2);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScVerdict) after = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) undone = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Past the platform's undo window the platform refuses and the counter "
                  "says so; the code stays redeemed");

  r = redeem_in_state (fixture, verdict, -1, SC_REDEMPTION_STATE_SYNCED);

  /* Move the platform's clock past its 120 s window (and not the session's 12 h). */
  sc_test_platform_set_clock (fixture->platform, 600);

  undone = undo (fixture, r->id, &error);
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNDO_WINDOW_PASSED);
  g_assert_null (undone);

  after = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (after), ==, SC_VERDICT_STATUS_REDEEMED);
}

static void
test_platform_down_then_sync (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 3);
  g_autofree char *payload2 =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 4);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScVerdict) verdict2 = sc_test_counter_lookup (fixture->counter, payload2);
  g_autoptr(ScVerdict) after = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) r2 = NULL;
  g_autoptr(ScRedemption) withdrawn = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_autoptr(ScVerdict) down = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The platform dies: redemptions are kept, an unsent one can be withdrawn, "
                  "and the rest reach the platform exactly once after a restart");

  sc_test_platform_kill (fixture->platform);

  r = redeem_in_state (fixture, verdict, -1, SC_REDEMPTION_STATE_PENDING);
  r2 = redeem_in_state (fixture, verdict2, -1, SC_REDEMPTION_STATE_PENDING);
  sc_test_counter_idle (fixture->counter);
  g_assert_false (sc_counter_get_online (fixture->counter));
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 2);

  /* A lookup while it is down is answered from this counter's own log. */
  sc_counter_lookup_async (fixture->counter, payload, NULL, sc_test_result_cb, &result);
  down = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (down), ==, SC_VERDICT_STATUS_REDEEMED);
  g_assert_true (sc_verdict_get_offline (down));
  g_clear_object (&result);  /* it holds the counter */

  /* Undo the second one while it is still unsent: withdrawn locally. */
  withdrawn = undo (fixture, r2->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (withdrawn->state, ==, SC_REDEMPTION_STATE_WITHDRAWN);
  sc_test_counter_idle (fixture->counter);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 1);

  /* The counter restarts too, as after a crash: the outbox is on disk. */
  sc_test_counter_fixture_close (fixture);
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  sc_test_counter_fixture_open (fixture);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 1);
  login (fixture, "1");

  /* Login drains the outbox; sync finds nothing more to do. */
  sync_now (fixture);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
  row = sc_test_cache_get_redemption (fixture->cache, r->id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpint (row->redeemed_at, >, 0);

  g_assert_cmpuint (platform_redemption_status (fixture, r->id, NULL), ==, 200);
  g_assert_cmpuint (platform_redemption_status (fixture, r2->id, NULL), ==, 404);

  after = sc_test_counter_lookup (fixture->counter, payload2);
  g_assert_cmpint (sc_verdict_get_status (after), ==, SC_VERDICT_STATUS_REDEEMABLE);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 5);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *other_id = g_uuid_string_random ();
  guint status = 0;

  g_test_summary ("Saved here while the platform was away, redeemed elsewhere meanwhile: a "
                  "conflict that is kept, with the other redemption's details");

  sc_test_platform_kill (fixture->platform);
  r = redeem_in_state (fixture, verdict, -1, SC_REDEMPTION_STATE_PENDING);

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  /* Another counter gets there first. */
  token = sc_test_platform_login (fixture->platform, "1001", "2", &error);
  g_assert_no_error (error);
  body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\", "
                          "\"store_id\": \"1001\", \"clerk_id\": \"2\", "
                          "\"source\": \"scanner\", \"scanned_at\": \"2026-01-01T00:00:00Z\", "
                          "\"offline\": false}", other_id, payload);
  answer = sc_test_platform_request (fixture->platform, "POST", "/v1/redemptions", token,
                                     body, other_id, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);

  sync_now (fixture);
  row = sc_test_cache_get_redemption (fixture->cache, r->id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_CONFLICT);
  g_assert_nonnull (row->reason);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
  g_assert_cmpuint (platform_redemption_status (fixture, r->id, NULL), ==, 404);
}

static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 6);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_test_summary ("An expired session is its own error, so the window can ask for the PIN");

  answer = sc_test_platform_request (fixture->platform, "POST", "/v1/admin/clock",
                                     fixture->platform->admin_token,
                                     "{\"offset_s\": 172800}", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);

  sc_counter_lookup_async (fixture->counter, payload, NULL, sc_test_result_cb, &result);
  verdict = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED);
  g_assert_null (verdict);
  g_assert_true (sc_counter_get_online (fixture->counter));
}

static void
test_uncertain_send (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 7);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) row = NULL;

  g_test_summary ("A send that times out is uncertain; the next sync asks the platform first "
                  "and the code is redeemed exactly once");

  /* Every answer comes 1.5 s late; the client gives up after 300 ms. */
  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 0, \"delay_ms\": 1500}");
  sc_platform_client_set_request_timeout (fixture->client, 300);

  r = redeem_in_state (fixture, verdict, -1, SC_REDEMPTION_STATE_UNCERTAIN);

  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 0, \"delay_ms\": 0}");
  sc_platform_client_set_request_timeout (fixture->client, 10000);

  sync_now (fixture);
  row = sc_test_cache_get_redemption (fixture->cache, r->id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpuint (platform_redemption_status (fixture, r->id, NULL), ==, 200);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
}

static void
test_offline_pickup (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 8);
  g_autofree char *expired = sc_test_platform_demo_code (fixture->platform, "expired", "pickup", 0);
  g_autofree char *unknown =
    sc_test_platform_demo_code (fixture->platform, "not_found", "pickup", 0);
  g_autofree char *coupon =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "coupon", 0);
  g_autoptr(ScVerdict) offline = NULL;
  g_autoptr(ScVerdict) again = NULL;
  g_autoptr(ScVerdict) old = NULL;
  g_autoptr(ScVerdict) nobody = NULL;
  g_autoptr(ScVerdict) needs = NULL;
  g_autoptr(ScVerdict) online = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_autoptr(GError) error = NULL;
  const ScOrderInfo *order;
  const ScRedeemedInfo *redeemed;

  g_test_summary ("With the platform down, pickup codes are decided from the manifest and "
                  "this counter's log, coupons need the network, and what was redeemed "
                  "offline reaches the platform once it is back");

  /* Login fetched today's manifest. */
  g_assert_cmpint (sc_counter_get_manifest_fetched_at (fixture->counter), >, 0);

  sc_test_platform_kill (fixture->platform);

  offline = sc_test_counter_lookup (fixture->counter, pickup);
  g_assert_cmpint (sc_verdict_get_status (offline), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_true (sc_verdict_get_offline (offline));
  order = sc_verdict_get_order (offline);
  g_assert_nonnull (order);
  g_assert_cmpuint (order->items->len, >, 0);
  g_assert_cmpint (strlen (order->phone_tail), ==, 4);
  g_assert_false (sc_counter_get_online (fixture->counter));

  r = redeem_in_state (fixture, offline, -1, SC_REDEMPTION_STATE_PENDING);
  g_assert_true (r->offline);

  /* The second scan here says redeemed, by whom, though nothing was sent. */
  again = sc_test_counter_lookup (fixture->counter, pickup);
  g_assert_cmpint (sc_verdict_get_status (again), ==, SC_VERDICT_STATUS_REDEEMED);
  g_assert_true (sc_verdict_get_offline (again));
  redeemed = sc_verdict_get_redeemed (again);
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (redeemed->redemption_id, ==, r->id);
  g_assert_cmpstr (redeemed->store_name, ==, "示范自提点");
  g_assert_cmpstr (redeemed->clerk_name, ==, "王芳");

  old = sc_test_counter_lookup (fixture->counter, expired);
  g_assert_cmpint (sc_verdict_get_status (old), ==, SC_VERDICT_STATUS_EXPIRED);
  nobody = sc_test_counter_lookup (fixture->counter, unknown);
  g_assert_cmpint (sc_verdict_get_status (nobody), ==, SC_VERDICT_STATUS_NOT_FOUND);
  g_assert_true (sc_verdict_get_offline (nobody));
  needs = sc_test_counter_lookup (fixture->counter, coupon);
  g_assert_cmpint (sc_verdict_get_status (needs), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  g_assert_nonnull (sc_verdict_get_reason (needs));

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  sync_now (fixture);
  row = sc_test_cache_get_redemption (fixture->cache, r->id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpuint (platform_redemption_status (fixture, r->id, NULL), ==, 200);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);

  online = sc_test_counter_lookup (fixture->counter, pickup);
  g_assert_cmpint (sc_verdict_get_status (online), ==, SC_VERDICT_STATUS_REDEEMED);
  g_assert_false (sc_verdict_get_offline (online));
  g_assert_cmpstr (sc_verdict_get_redeemed (online)->redemption_id, ==, r->id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/counter/lookup/every-status", test_lookup_every_status);
  ADD ("/counter/lookup/local", test_lookup_local_verdicts);
  ADD ("/counter/redeem/pickup", test_redeem_then_redeemed);
  ADD ("/counter/redeem/coupon", test_redeem_coupon);
  ADD ("/counter/undo/inside-window", test_undo_inside_window);
  ADD ("/counter/undo/outside-window", test_undo_outside_window);
  ADD ("/counter/sync/platform-down", test_platform_down_then_sync);
  ADD ("/counter/sync/conflict", test_conflict);
  ADD ("/counter/sync/uncertain", test_uncertain_send);
  ADD ("/counter/session/expired", test_session_expired);
  ADD ("/counter/offline/pickup", test_offline_pickup);

#undef ADD

  return g_test_run ();
}
