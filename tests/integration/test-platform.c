/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sc-store-key.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"
#include "sc-verdict-words.h"

/* f->token: store 1001, clerk 1 (王芳). */
typedef ScTestPlatformFixture Fixture;

static JsonObject *
lookup (Fixture    *f,
        const char *token,
        const char *payload,
        guint       expect)
{
  g_autofree char *body = g_strdup_printf ("{\"payload\": \"%s\"}", payload);

  return sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", token, body, NULL, expect);
}

/* Looks @payload up as clerk 1 and asserts the answer's "status". */
static void
assert_status (Fixture    *f,
               const char *payload,
               const char *status)
{
  g_autoptr(JsonObject) answer = lookup (f, f->token, payload, 200);

  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, status);
}

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

/* @bill_fen < 0: none; @scanned_at 0: none. */
static JsonObject *
redeem_full (Fixture    *f,
             const char *token,
             const char *payload,
             gint64      bill_fen,
             gboolean    offline,
             gint64      scanned_at,
             const char *id,
             guint       expect)
{
  g_autoptr(GString) body = g_string_new (NULL);

  /* Every token of these tests is clerk 1 of store 1001's. */
  g_string_append_printf (body, "{\"redemption_id\": \"%s\", \"payload\": \"%s\","
                                " \"store_id\": \"1001\", \"clerk_id\": \"1\","
                                " \"source\": \"scanner\", \"offline\": %s",
                          id, payload, offline ? "true" : "false");
  if (bill_fen >= 0)
    g_string_append_printf (body, ", \"bill_fen\": %" G_GINT64_FORMAT, bill_fen);
  if (scanned_at > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (scanned_at);
      g_autofree char *text = g_date_time_format_iso8601 (dt);

      g_string_append_printf (body, ", \"scanned_at\": \"%s\"", text);
    }
  g_string_append (body, "}");

  return sc_test_platform_call (f->platform, "POST", "/v1/redemptions", token, body->str, id,
                                expect);
}

static JsonObject *
redeem (Fixture    *f,
        const char *payload,
        gint64      bill_fen,
        guint       expect)
{
  g_autofree char *id = new_id ();

  return redeem_full (f, f->token, payload, bill_fen, FALSE, 0, id, expect);
}

static GPtrArray *
demo (Fixture    *f,
      const char *status,
      const char *kind,
      guint       at_least)
{
  GPtrArray *codes = sc_test_platform_demo_codes (f->platform, status, kind);

  g_assert_cmpuint (codes->len, >=, at_least);
  return codes;
}

/* Demo payloads that are (or are not) live tokens. */
static GPtrArray *
demo_tokens (Fixture    *f,
             const char *status,
             gboolean    tokens)
{
  g_autoptr(GPtrArray) all = demo (f, status, "coupon", 1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < all->len; i++)
    if (g_str_has_prefix (all->pdata[i], "SC1:") == tokens)
      g_ptr_array_add (out, g_strdup (all->pdata[i]));
  return out;
}

static void
set_clock (Fixture *f,
           gint64   offset_s)
{
  g_autofree char *body = g_strdup_printf ("{\"offset_s\": %" G_GINT64_FORMAT "}", offset_s);
  g_autoptr(JsonObject) answer = sc_test_platform_call (f->platform, "POST", "/v1/admin/clock",
                                                        f->platform->admin_token, body, NULL, 200);

  g_assert_cmpint (json_object_get_int_member (answer, "offset_s"), ==, offset_s);
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* ---- tests ---- */

static void
test_login (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonObject) wrong_token = NULL;
  g_autoptr(JsonObject) health = NULL;
  JsonObject *store, *clerk;

  g_test_summary ("Sign-in gives a session with store and clerk; a wrong PIN is 401 "
                  "bad_credentials; a missing or unknown token is 401 session_expired");

  ok = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL,
                              "{\"store_id\": \"1001\", \"clerk_id\": \"2\", \"pin\": \"1234\"}",
                              NULL, 201);
  g_assert_cmpuint (strlen (json_object_get_string_member (ok, "token")), ==, 32);
  g_assert_cmpint (parse_time (json_object_get_string_member (ok, "expires_at")), >,
                   g_get_real_time () / G_USEC_PER_SEC + 43000);
  store = json_object_get_object_member (ok, "store");
  g_assert_cmpstr (json_object_get_string_member (store, "id"), ==, "1001");
  g_assert_cmpstr (json_object_get_string_member (store, "name"), ==, "示范自提点");
  g_assert_cmpstr (json_object_get_string_member (store, "timezone"), ==, "Asia/Shanghai");
  clerk = json_object_get_object_member (ok, "clerk");
  g_assert_cmpstr (json_object_get_string_member (clerk, "id"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (clerk, "name"), ==, "李强");
  g_assert_cmpint (json_object_get_int_member (ok, "undo_window_s"), ==, 120);

  sc_test_platform_call_refused (f->platform, "POST", "/v1/sessions", NULL,
                                 "{\"store_id\": \"1001\", \"clerk_id\": \"1\", \"pin\": \"9999\"}",
                                 NULL, 401, "bad_credentials");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/sessions", NULL,
                                 "{\"store_id\": \"7777\", \"clerk_id\": \"1\", \"pin\": \"1234\"}",
                                 NULL, 401, "bad_credentials");

  sc_test_platform_call_refused (f->platform, "GET", "/v1/manifest", NULL, NULL, NULL, 401,
                                 "session_expired");
  wrong_token = lookup (f, "0123456789abcdef0123456789abcdef", "123456789012", 401);
  g_assert_cmpstr (sc_test_platform_error_code (wrong_token), ==, "session_expired");

  health = sc_test_platform_call (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");
  g_assert_cmpint (ABS (parse_time (json_object_get_string_member (health, "time")) -
                        g_get_real_time () / G_USEC_PER_SEC), <=, 5);
}

static void
test_lookup_statuses (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const statuses[] = {
    "redeemable", "redeemed", "expired", "not_yet_valid", "invalidated", "gifting",
    "deleted", "wrong_store", "not_found", "qr_stale", "not_eligible",
  };

  g_test_summary ("Every lookup status is reachable from the demo data, with the details "
                  "a clerk needs (order items, redeemed by whom, no customer data for "
                  "another store's code)");

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(GPtrArray) codes = demo (f, statuses[s], NULL, 3);

      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(JsonObject) answer = lookup (f, f->token, codes->pdata[i], 200);
          const char *kind = json_object_get_string_member (answer, "kind");

          g_autoptr(ScVerdict) verdict = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, statuses[s]);
          g_assert_cmpuint (strlen (json_object_get_string_member (answer, "code")), ==, 12);

          /* The counter's own parser reads every answer. */
          verdict = sc_verdict_new_from_json (answer, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (sc_verdict_status_to_string (sc_verdict_get_status (verdict)), ==,
                           statuses[s]);

          if (g_str_equal (statuses[s], "wrong_store"))
            {
              g_assert_false (json_object_has_member (answer, "order"));
              g_assert_false (json_object_has_member (answer, "coupon"));
              /* The owner store's name only: no id (issue 10, row 9). */
              g_assert_cmpstr (json_object_get_string_member (
                                 json_object_get_object_member (answer, "store"), "name"),
                               ==, "东门自提点");
              g_assert_false (json_object_has_member (
                                json_object_get_object_member (answer, "store"), "id"));
              g_assert_cmpstr (sc_verdict_get_store_name (verdict), ==, "东门自提点");
            }
          else if (g_str_equal (statuses[s], "not_found"))
            g_assert_false (json_object_has_member (answer, "store"));
          else if (g_str_equal (kind, "pickup"))
            {
              JsonObject *order = json_object_get_object_member (answer, "order");
              JsonArray *items = json_object_get_array_member (order, "items");
              JsonObject *item = json_array_get_object_element (items, 0);

              g_assert_cmpuint (json_array_get_length (items), >=, 1);
              g_assert_cmpint (json_object_get_int_member (item, "quantity"), >=, 1);
              g_assert_cmpint (json_object_get_int_member (item, "price_fen"), >, 0);
              g_assert_cmpuint (strlen (json_object_get_string_member (order, "phone_tail")),
                                ==, 4);
              g_assert_nonnull (strstr (json_object_get_string_member (order,
                                                                       "customer_masked"),
                                        "*"));
              g_assert_cmpint (json_object_get_int_member (order, "total_fen"), >, 0);
              g_assert_true (json_object_has_member (answer, "valid_until"));
            }
          else if (g_str_equal (kind, "coupon"))
            g_assert_true (json_object_has_member (answer, "coupon"));
          else if (g_str_equal (kind, "prize"))
            g_assert_true (json_object_has_member (json_object_get_object_member (answer, "prize"),
                                                   "claim_deadline"));

          if (g_str_equal (statuses[s], "redeemed"))
            {
              JsonObject *r = json_object_get_object_member (answer, "redeemed");

              g_assert_nonnull (r);
              g_assert_nonnull (json_object_get_string_member (r, "redemption_id"));
              g_assert_cmpint (parse_time (json_object_get_string_member (r, "at")), <,
                               g_get_real_time () / G_USEC_PER_SEC);
              g_assert_cmpstr (json_object_get_string_member (
                                 json_object_get_object_member (r, "clerk"), "name"), ==, "李强");
            }
          if (g_str_equal (statuses[s], "qr_stale") || g_str_equal (statuses[s], "not_eligible"))
            {
              /* A code the counter words, and English words for logs. */
              g_assert_true (json_object_has_member (answer, "reason"));
              g_assert_true (sc_verdict_words_knows_reason (
                               json_object_get_string_member (answer, "reason_code")));
            }
        }
    }

  {
    g_autoptr(GPtrArray) bad = demo (f, "malformed", NULL, 3);

    for (guint i = 0; i < bad->len; i++)
      {
        g_autoptr(JsonObject) answer = lookup (f, f->token, bad->pdata[i], 400);

        g_assert_cmpstr (sc_test_platform_error_code (answer), ==, "malformed");
      }
  }
  {
    g_autoptr(GPtrArray) pickups = demo (f, "redeemable", "pickup", 20);
  }
}

static void
test_redeem_then_lookup (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = new_id ();
  JsonObject *r, *details;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_test_summary ("A redeemed code then looks up as redeemed, with when, where and by whom; "
                  "redeeming it again is 409 already_redeemed with the same details");

  done = redeem_full (f, f->token, codes->pdata[0], -1, FALSE, 0, id, 201);
  g_assert_cmpstr (json_object_get_string_member (done, "redemption_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (done, "code"), ==, codes->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (done, "kind"), ==, "pickup");
  g_assert_cmpint (ABS (parse_time (json_object_get_string_member (done, "redeemed_at")) - now),
                   <=, 5);
  g_assert_false (json_object_has_member (done, "discount_fen"));

  answer = lookup (f, f->token, codes->pdata[0], 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "redeemed");
  r = json_object_get_object_member (answer, "redeemed");
  g_assert_cmpstr (json_object_get_string_member (r, "redemption_id"), ==, id);
  g_assert_cmpint (ABS (parse_time (json_object_get_string_member (r, "at")) - now), <=, 5);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "store"),
                                                  "name"), ==, "示范自提点");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "clerk"),
                                                  "id"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "clerk"),
                                                  "name"), ==, "王芳");

  again = redeem (f, codes->pdata[0], -1, 409);
  g_assert_cmpstr (sc_test_platform_error_code (again), ==, "already_redeemed");
  details = json_object_get_object_member (json_object_get_object_member (again, "error"),
                                           "details");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (details,
                                                                                 "redeemed"),
                                                  "redemption_id"), ==, id);

  path = g_strdup_printf ("/v1/redemptions/%s", id);
  record = sc_test_platform_call (f->platform, "GET", path, f->token, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (record, "code"), ==, codes->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (record, "store_id"), ==, "1001");
  g_assert_cmpstr (json_object_get_string_member (record, "clerk_id"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (record, "source"), ==, "scanner");
  g_assert_false (json_object_get_boolean_member (record, "offline"));
  g_assert_false (json_object_has_member (record, "reversed_at"));
  sc_test_platform_call_refused (f->platform, "GET", "/v1/redemptions/never-seen", f->token, NULL,
                                 NULL, 404, "not_found");
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *status; guint http; const char *code; } cases[] = {
    { "expired", 410, "expired" },
    { "wrong_store", 403, "wrong_store" },
    { "not_found", 404, "not_found" },
    { "invalidated", 422, "invalidated" },
    { "gifting", 422, "gifting" },
    { "deleted", 422, "deleted" },
    { "not_yet_valid", 422, "not_yet_valid" },
    { "not_eligible", 422, "not_eligible" },
    { "redeemed", 409, "already_redeemed" },
  };

  g_test_summary ("Redeeming a code that is not redeemable answers the documented HTTP "
                  "status and error code");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) codes = demo (f, cases[i].status, NULL, 1);
      g_autoptr(JsonObject) answer = NULL;

      answer = redeem (f, codes->pdata[0], 1000, cases[i].http);
      g_assert_cmpstr (sc_test_platform_error_code (answer), ==, cases[i].code);
    }
}

static void
test_idempotent_replay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(GPtrArray) expired = demo (f, "expired", "pickup", 1);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) refused_again = NULL;
  g_autoptr(JsonNode) n1 = NULL;
  g_autoptr(JsonNode) n2 = NULL;
  g_autofree char *id = new_id ();
  g_autofree char *id2 = new_id ();
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *other_body = NULL;

  g_test_summary ("A replayed Idempotency-Key returns the first answer verbatim, for a "
                  "success and for a refusal; a missing key is 400");

  first = redeem_full (f, f->token, codes->pdata[0], -1, FALSE, 0, id, 201);
  second = redeem_full (f, f->token, codes->pdata[0], -1, FALSE, 0, id, 201);
  n1 = json_node_init_object (json_node_alloc (), first);
  n2 = json_node_init_object (json_node_alloc (), second);
  t1 = json_to_string (n1, FALSE);
  t2 = json_to_string (n2, FALSE);
  g_assert_cmpstr (t1, ==, t2);

  /* The same redemption id under another key is refused, not redeemed twice. */
  other_body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\", "
                                "\"store_id\": \"1001\", \"clerk_id\": \"1\"}", id,
                                (char *) codes->pdata[0]);
  sc_test_platform_call_refused (f->platform, "POST", "/v1/redemptions", f->token, other_body,
                                 "another-key", 422, "duplicate_redemption_id");

  refused = redeem_full (f, f->token, expired->pdata[0], -1, FALSE, 0, id2, 410);
  refused_again = redeem_full (f, f->token, expired->pdata[0], -1, FALSE, 0, id2, 410);
  g_assert_cmpstr (sc_test_platform_error_code (refused_again), ==, "expired");

  sc_test_platform_call_refused (f->platform, "POST", "/v1/redemptions", f->token,
                                 "{\"redemption_id\": \"x1\", \"payload\": \"123456789012\"}",
                                 NULL, 400, "idempotency_key_required");
}

typedef struct
{
  Fixture    *f;
  const char *token;
  const char *clerk;    /* of store 1001, the token's */
  const char *payload;
  guint       status;
  char       *error_code;
  GMutex     *mutex;
  GCond      *cond;
  gboolean   *go;
} Racer;

static gpointer
racer_thread (gpointer data)
{
  Racer *racer = data;
  g_autofree char *id = new_id ();
  g_autofree char *body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\", "
                                           "\"store_id\": \"1001\", \"clerk_id\": \"%s\"}",
                                           id, racer->payload, racer->clerk);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_mutex_lock (racer->mutex);
  while (!*racer->go)
    g_cond_wait (racer->cond, racer->mutex);
  g_mutex_unlock (racer->mutex);

  answer = sc_test_platform_request (racer->f->platform, "POST", "/v1/redemptions",
                                     racer->token, body, id, &racer->status, &error);
  g_assert_no_error (error);
  if (json_object_has_member (answer, "error"))
    racer->error_code = g_strdup (json_object_get_string_member (
                                    json_object_get_object_member (answer, "error"), "code"));
  return NULL;
}

static void
test_concurrent_redemptions (Fixture       *f,
                             gconstpointer  data)
{
  enum { N = 16 };
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  char *tokens[N];
  Racer racers[N];
  GThread *threads[N];
  GMutex mutex;
  GCond cond;
  gboolean go = FALSE;
  guint created = 0, conflicts = 0;

  g_test_summary ("16 counters (separate sessions) redeem one code at the same time: "
                  "exactly one 201, fifteen 409 already_redeemed");

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GError) error = NULL;

      tokens[i] = sc_test_platform_login (f->platform, "1001", i % 2 ? "1" : "2", &error);
      g_assert_no_error (error);
      racers[i] = (Racer) { f, tokens[i], i % 2 ? "1" : "2", codes->pdata[0], 0, NULL, &mutex,
                            &cond, &go };
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }

  g_mutex_lock (&mutex);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&mutex);

  for (guint i = 0; i < N; i++)
    {
      g_thread_join (threads[i]);
      if (racers[i].status == 201)
        created++;
      else if (racers[i].status == 409 &&
               g_strcmp0 (racers[i].error_code, "already_redeemed") == 0)
        conflicts++;
      g_free (racers[i].error_code);
      g_free (tokens[i]);
    }
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (conflicts, ==, N - 1);
}

static void
test_coupons (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) redeemable = demo_tokens (f, "redeemable", FALSE);
  const char *cash = NULL, *threshold[2] = { NULL, NULL }, *capped[2] = { NULL, NULL };
  guint n_threshold = 0, n_capped = 0;

  g_test_summary ("Coupon redemption needs the bill; cash, threshold and capped percentage "
                  "discounts are computed by the platform; a bill under the minimum spend "
                  "is 422 threshold_not_met");

  for (guint i = 0; i < redeemable->len; i++)
    {
      g_autoptr(JsonObject) answer = lookup (f, f->token, redeemable->pdata[i], 200);
      JsonObject *coupon = json_object_get_object_member (answer, "coupon");
      const char *type = json_object_get_string_member (coupon, "type");

      if (g_str_equal (type, "cash") && cash == NULL)
        cash = redeemable->pdata[i];
      else if (g_str_equal (type, "threshold") && n_threshold < 2)
        threshold[n_threshold++] = redeemable->pdata[i];
      else if (g_str_equal (type, "discount") &&
               json_object_get_int_member (coupon, "cap_fen") == 3000 &&
               json_object_get_int_member (coupon, "percent_off") == 12 && n_capped < 2)
        capped[n_capped++] = redeemable->pdata[i];
    }
  g_assert_nonnull (cash);
  g_assert_cmpuint (n_threshold, ==, 2);
  g_assert_cmpuint (n_capped, ==, 2);

  {
    g_autoptr(JsonObject) no_bill = redeem (f, cash, -1, 422);
    g_autoptr(JsonObject) small = redeem (f, cash, 300, 201);

    g_assert_cmpstr (sc_test_platform_error_code (no_bill), ==, "bill_required");
    g_assert_cmpint (json_object_get_int_member (small, "bill_fen"), ==, 300);
    g_assert_cmpint (json_object_get_int_member (small, "discount_fen"), ==, 300);
  }
  {
    g_autoptr(JsonObject) under = redeem (f, threshold[0], 9999, 422);
    g_autoptr(JsonObject) enough = redeem (f, threshold[0], 10000, 201);
    g_autoptr(JsonObject) more = redeem (f, threshold[1], 25000, 201);

    g_assert_cmpstr (sc_test_platform_error_code (under), ==, "threshold_not_met");
    g_assert_cmpint (json_object_get_int_member (enough, "discount_fen"), ==, 2000);
    g_assert_cmpint (json_object_get_int_member (more, "discount_fen"), ==, 2000);
  }
  {
    g_autoptr(JsonObject) low = redeem (f, capped[0], 10050, 201);
    g_autoptr(JsonObject) high = redeem (f, capped[1], 50000, 201);

    g_assert_cmpint (json_object_get_int_member (low, "discount_fen"), ==, 1206);
    g_assert_cmpint (json_object_get_int_member (high, "discount_fen"), ==, 3000);
  }
}

static void
test_realtime_tokens (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) fresh = demo_tokens (f, "redeemable", TRUE);
  g_autoptr(GPtrArray) stale = demo_tokens (f, "qr_stale", TRUE);
  g_autoptr(GPtrArray) bare = demo_tokens (f, "qr_stale", FALSE);
  g_autoptr(JsonObject) fresh_lookup = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) offline = NULL;
  g_autoptr(JsonObject) bare_redeem = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *offline_id = new_id ();
  g_auto(GStrv) parts = NULL;

  g_test_summary ("A real-time coupon needs a fresh live token signed by the platform: "
                  "fresh redeems, stale, badly signed or bare is qr_stale, offline is "
                  "needs_network");

  g_assert_cmpuint (fresh->len, >=, 3);
  g_assert_cmpuint (stale->len, >=, 3);
  g_assert_cmpuint (bare->len, >=, 3);

  fresh_lookup = lookup (f, f->token, fresh->pdata[0], 200);
  g_assert_cmpstr (json_object_get_string_member (fresh_lookup, "status"), ==, "redeemable");
  g_assert_true (json_object_get_boolean_member (fresh_lookup, "realtime_only"));

  for (guint i = 0; i < stale->len; i++)
    assert_status (f, stale->pdata[i], "qr_stale");
  {
    g_autoptr(JsonObject) answer = lookup (f, f->token, bare->pdata[0], 200);

    g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "qr_stale");
    g_assert_true (json_object_has_member (answer, "reason"));
  }

  /* Tamper with one hex digit of a good signature. */
  parts = g_strsplit (fresh->pdata[1], ":", 4);
  parts[3][0] = parts[3][0] == 'a' ? 'b' : 'a';
  forged = g_strjoinv (":", parts);
  {
    g_autoptr(JsonObject) answer = lookup (f, f->token, forged, 200);
    g_autoptr(JsonObject) refused = redeem (f, forged, 5000, 422);

    g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "qr_stale");
    g_assert_cmpstr (sc_test_platform_error_code (refused), ==, "qr_stale");
  }

  offline = redeem_full (f, f->token, fresh->pdata[2], 5000, TRUE,
                         g_get_real_time () / G_USEC_PER_SEC, offline_id, 422);
  g_assert_cmpstr (sc_test_platform_error_code (offline), ==, "needs_network");

  bare_redeem = redeem (f, bare->pdata[0], 5000, 422);
  g_assert_cmpstr (sc_test_platform_error_code (bare_redeem), ==, "qr_stale");

  done = redeem (f, fresh->pdata[0], 5000, 201);
  g_assert_cmpint (json_object_get_int_member (done, "discount_fen"), >, 0);
}

static void
test_reversal (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 2);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) reversed = NULL;
  g_autoptr(JsonObject) reversed_again = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) redone = NULL;
  g_autoptr(JsonObject) late_done = NULL;
  g_autofree char *id = new_id ();
  g_autofree char *late_id = new_id ();
  g_autofree char *path = g_strdup_printf ("/v1/redemptions/%s/reversal", id);
  g_autofree char *get_path = g_strdup_printf ("/v1/redemptions/%s", id);
  g_autofree char *late_path = g_strdup_printf ("/v1/redemptions/%s/reversal", late_id);

  g_test_summary ("A reversal inside the undo window makes the code redeemable again and "
                  "is idempotent; after the window it is 409 undo_window_passed");

  done = redeem_full (f, f->token, codes->pdata[0], -1, FALSE, 0, id, 201);
  reversed = sc_test_platform_call (f->platform, "POST", path, f->token, NULL, "undo-1", 200);
  g_assert_cmpstr (json_object_get_string_member (reversed, "redemption_id"), ==, id);
  reversed_again = sc_test_platform_call (f->platform, "POST", path, f->token, NULL, "undo-1", 200);
  g_assert_cmpstr (json_object_get_string_member (reversed_again, "reversed_at"), ==,
                   json_object_get_string_member (reversed, "reversed_at"));

  after = lookup (f, f->token, codes->pdata[0], 200);
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "redeemable");
  g_assert_false (json_object_has_member (after, "redeemed"));
  record = sc_test_platform_call (f->platform, "GET", get_path, f->token, NULL, NULL, 200);
  g_assert_true (json_object_has_member (record, "reversed_at"));
  redone = redeem (f, codes->pdata[0], -1, 201);

  late_done = redeem_full (f, f->token, codes->pdata[1], -1, FALSE, 0, late_id, 201);
  set_clock (f, 200);
  sc_test_platform_call_refused (f->platform, "POST", late_path, f->token, NULL, "undo-2", 409,
                                 "undo_window_passed");
  assert_status (f, codes->pdata[1], "redeemed");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/redemptions/nope/reversal", f->token,
                                 NULL, "undo-3", 404, "not_found");
}

static void
test_session_expiry (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_test_summary ("A session ends after --session-ttl seconds of platform time: 401 "
                  "session_expired");

  set_clock (f, 43000);
  before = lookup (f, f->token, codes->pdata[0], 200);
  set_clock (f, 43300);
  after = lookup (f, f->token, codes->pdata[0], 401);
  g_assert_cmpstr (sc_test_platform_error_code (after), ==, "session_expired");
}

static void
test_offline_scanned_at (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 3);
  g_autofree char *id1 = new_id ();
  g_autofree char *id2 = new_id ();
  g_autofree char *id3 = new_id ();
  gint64 real_now = g_get_real_time () / G_USEC_PER_SEC;

  g_test_summary ("An offline pickup redemption is judged at its scan time if that lies in "
                  "an earlier session of the clerk, otherwise at the platform's now");

  /* Three days on, today's pickups have ended. */
  set_clock (f, 3 * 24 * 3600);
  {
    g_autofree char *token = sc_test_platform_login (f->platform, "1001", "1", NULL);
    g_autoptr(JsonObject) online = NULL;
    g_autoptr(JsonObject) offline_recent = NULL;
    g_autoptr(JsonObject) offline_old = NULL;

    g_assert_nonnull (token);
    online = redeem_full (f, token, codes->pdata[0], -1, FALSE, 0, id1, 410);
    g_assert_cmpstr (sc_test_platform_error_code (online), ==, "expired");
    /* Inside the fixture's session, then before any session. */
    offline_recent = redeem_full (f, token, codes->pdata[1], -1, TRUE, real_now + 60, id2, 201);
    offline_old = redeem_full (f, token, codes->pdata[2], -1, TRUE, real_now - 3600, id3, 410);
  }
}

static void
test_manifest (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) full =
    sc_test_platform_call (f->platform, "GET", "/v1/manifest?since=0", f->token, NULL, NULL, 200);
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) delta = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autofree char *since = NULL;
  g_autofree char *since2 = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *key_id = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonObject) session2 = NULL;
  g_autoptr(JsonObject) other_store = NULL;
  JsonArray *orders;
  JsonObject *order;
  const char *key;
  gint64 version;
  gboolean found = FALSE;

  g_test_summary ("The manifest lists the store's pickup orders with code hashes keyed with "
                  "the store's key (HMAC-SHA256), which only the session answer carries: the "
                  "manifest names it by its id; each store has its own, the same at every "
                  "login; since=V returns only what changed after V");

  /* The key comes with each session of the store, never in the manifest. */
  session = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL,
                                   "{\"store_id\": \"1001\", \"clerk_id\": \"1\","
                                   " \"pin\": \"1234\"}", NULL, 201);
  session2 = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL,
                                    "{\"store_id\": \"1001\", \"clerk_id\": \"2\","
                                    " \"pin\": \"1234\"}", NULL, 201);
  other_store = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL,
                                       "{\"store_id\": \"1002\", \"clerk_id\": \"1\","
                                       " \"pin\": \"1234\"}", NULL, 201);
  key = json_object_get_string_member (session, "manifest_key");
  g_assert_true (sc_store_key_is_valid (key));
  g_assert_cmpstr (json_object_get_string_member (session2, "manifest_key"), ==, key);
  g_assert_cmpstr (json_object_get_string_member (other_store, "manifest_key"), !=, key);
  key_id = sc_store_key_id (key);

  version = json_object_get_int_member (full, "version");
  orders = json_object_get_array_member (full, "orders");
  g_assert_cmpint (version, >, 0);
  g_assert_false (json_object_has_member (full, "salt"));
  g_assert_false (json_object_has_member (full, "manifest_key"));
  g_assert_cmpstr (json_object_get_string_member (full, "key_id"), ==, key_id);
  g_assert_cmpuint (json_array_get_length (orders), >=, 150);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "removed")),
                    ==, 0);

  hash = sc_store_key_code_hash (key, codes->pdata[0]);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      g_assert_false (json_object_has_member (o, "code"));
      g_assert_false (json_object_has_member (o, "code_sha256"));
      if (g_str_equal (json_object_get_string_member (o, "code_hmac"), hash))
        {
          found = TRUE;
          g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "redeemable");
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "items")),
                            >=, 1);
        }
    }
  g_assert_true (found);

  done = redeem (f, codes->pdata[0], -1, 201);
  since = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT, version);
  delta = sc_test_platform_call (f->platform, "GET", since, f->token, NULL, NULL, 200);
  orders = json_object_get_array_member (delta, "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  order = json_array_get_object_element (orders, 0);
  g_assert_cmpstr (json_object_get_string_member (order, "code_hmac"), ==, hash);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "redeemed");
  g_assert_cmpint (json_object_get_int_member (delta, "version"), >, version);

  since2 = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT,
                            json_object_get_int_member (delta, "version"));
  none = sc_test_platform_call (f->platform, "GET", since2, f->token, NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (none, "orders")), ==, 0);
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(JsonObject) info = lookup (f, f->token, codes->pdata[0], 200);
  const char *tail = json_object_get_string_member (json_object_get_object_member (info, "order"),
                                                    "phone_tail");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, tz);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *path = g_strdup_printf ("/v1/orders?date=%s&q=%s", date, tail);
  g_autoptr(JsonObject) page =
    sc_test_platform_call (f->platform, "GET", path, f->token, NULL, NULL, 200);
  JsonArray *orders = json_object_get_array_member (page, "orders");
  gboolean found = FALSE;
  g_autofree char *next = NULL;
  guint total = 0;

  g_test_summary ("Orders can be searched by phone tail for a day and paged with a cursor");

  g_assert_cmpuint (json_array_get_length (orders), >=, 1);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      if (g_str_equal (json_object_get_string_member (o, "code"), codes->pdata[0]))
        found = TRUE;
      g_assert_true (g_str_equal (json_object_get_string_member (o, "phone_tail"), tail) ||
                     strstr (json_object_get_string_member (o, "code"), tail) != NULL);
      g_assert_nonnull (json_object_get_string_member (o, "order_id"));
      g_assert_nonnull (json_object_get_string_member (o, "status"));
    }
  g_assert_true (found);
  g_assert_true (json_object_get_null_member (page, "next_cursor"));

  /* Paging: every order of the store, 50 at a time. */
  do
    {
      g_autofree char *p = next != NULL
        ? g_strdup_printf ("/v1/orders?limit=50&cursor=%s", next)
        : g_strdup ("/v1/orders?limit=50");
      g_autoptr(JsonObject) chunk =
        sc_test_platform_call (f->platform, "GET", p, f->token, NULL, NULL, 200);

      total += json_array_get_length (json_object_get_array_member (chunk, "orders"));
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (chunk, "next_cursor"))
        next = g_strdup (json_object_get_string_member (chunk, "next_cursor"));
    }
  while (next != NULL);
  g_assert_cmpuint (total, >=, 190);

  {
    g_autoptr(JsonObject) bad = sc_test_platform_call (f->platform, "GET",
                                                       "/v1/orders?date=yesterday", f->token, NULL,
                                                       NULL, 400);
  }
  /* A page of 1 to 200 orders, in the words the platform has always used. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) bad = sc_test_platform_call (f->platform, "GET",
                                                         i == 0 ? "/v1/orders?limit=201"
                                                                : "/v1/orders?limit=0",
                                                         f->token, NULL, NULL, 400);
      JsonObject *e = json_object_get_object_member (bad, "error");

      g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "bad_request");
      g_assert_cmpstr (json_object_get_string_member (e, "message"), ==,
                       "limit must be between 1 and 200.");
    }
  {
    g_autoptr(JsonObject) one = sc_test_platform_call (f->platform, "GET", "/v1/orders?limit=200",
                                                       f->token, NULL, NULL, 200);
  }
}

static void
test_admin_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("Admin calls are refused without the admin token, even with a clerk's");

  sc_test_platform_call_refused (f->platform, "GET", "/v1/admin/demo-codes", NULL, NULL, NULL,
                                 401, "unauthorized");
  sc_test_platform_call_refused (f->platform, "GET", "/v1/admin/demo-codes", f->token, NULL, NULL,
                                 401, "unauthorized");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/admin/clock", f->token,
                                 "{\"offset_s\": 9999}", NULL, 401, "unauthorized");
  sc_test_platform_call_refused (f->platform, "POST", "/v1/admin/reset", "wrong", NULL, NULL, 401,
                                 "unauthorized");
}

static void
test_admin_reset_and_faults (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) reset = NULL;
  g_autoptr(JsonObject) faults = NULL;
  g_autoptr(JsonObject) cleared = NULL;
  g_autoptr(JsonObject) health = NULL;

  g_test_summary ("Admin reset re-seeds the demo data; injected faults fail every call "
                  "with the chosen status until cleared");

  done = redeem (f, codes->pdata[0], -1, 201);
  reset = sc_test_platform_call (f->platform, "POST", "/v1/admin/reset", f->platform->admin_token,
                                 NULL, NULL, 200);
  assert_status (f, codes->pdata[0], "redeemable");

  faults = sc_test_platform_call (f->platform, "POST", "/v1/admin/faults", f->platform->admin_token,
                                  "{\"fail_rate\": 1.0, \"fail_status\": 503, \"delay_ms\": 20}",
                                  NULL, 200);
  sc_test_platform_call_refused (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 503,
                                 "injected_failure");
  cleared = sc_test_platform_call (f->platform, "POST", "/v1/admin/faults",
                                   f->platform->admin_token, "{}", NULL, 200);
  health = sc_test_platform_call (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 200);
}

static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const bodies[] = {
    "{",
    "[]",
    "\"text\"",
    "{\"payload\": 123456789012}",
    "{\"payload\": null}",
    "{\"payload\": [\"123\"]}",
    "{\"payload\": \"1234\"}",
    "\xff\xfe{}",
  };
  static const char * const redeem_bodies[] = {
    "{\"redemption_id\": 5, \"payload\": \"123456789012\"}",
    "{\"redemption_id\": \"a\", \"payload\": \"123456789012\", \"bill_fen\": \"10\"}",
    "{\"redemption_id\": \"a\", \"payload\": \"123456789012\", \"bill_fen\": -1}",
    "{\"redemption_id\": \"a\", \"payload\": \"123456789012\", \"offline\": \"yes\"}",
    "{\"redemption_id\": \"a\", \"payload\": \"123456789012\", \"scanned_at\": \"soon\"}",
    "{\"redemption_id\": \"a b/c\", \"payload\": \"123456789012\"}",
    "not json at all",
  };

  g_test_summary ("Malformed JSON, wrong member types and unknown calls give 4xx answers "
                  "and never crash the platform");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonObject) answer = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup",
                                                            f->token, bodies[i], NULL, 400);

      g_assert_true (json_object_has_member (answer, "error"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (redeem_bodies); i++)
    {
      g_autoptr(JsonObject) answer = sc_test_platform_call (f->platform, "POST", "/v1/redemptions",
                                                            f->token, redeem_bodies[i], "k", 400);

      g_assert_true (json_object_has_member (answer, "error"));
    }
  {
    g_autoptr(JsonObject) a = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL,
                                                     "{\"store_id\": 1001}", NULL, 400);
    g_autoptr(JsonObject) b =
      sc_test_platform_call (f->platform, "GET", "/v1/nothing", NULL, NULL, NULL, 404);
    g_autoptr(JsonObject) c =
      sc_test_platform_call (f->platform, "DELETE", "/v1/sessions", NULL, NULL, NULL, 405);
    g_autoptr(JsonObject) d = sc_test_platform_call (f->platform, "GET", "/v1/manifest?since=abc",
                                                     f->token, NULL, NULL, 400);
    g_autoptr(JsonObject) health =
      sc_test_platform_call (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 200);
  }
}

static JsonObject *
redeem_as (Fixture    *f,
           const char *payload,
           const char *id,
           const char *fields,
           guint       expect)
{
  g_autofree char *body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\", "
                                           "\"source\": \"scanner\"%s%s}",
                                           id, payload, fields[0] != '\0' ? ", " : "", fields);

  return sc_test_platform_call (f->platform, "POST", "/v1/redemptions", f->token, body, id,
                                expect);
}

static void
test_session_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  static const char * const others[] = {
    "\"store_id\": \"1002\", \"clerk_id\": \"1\"",   /* another store */
    "\"store_id\": \"1001\", \"clerk_id\": \"2\"",   /* another clerk */
  };
  static const char * const missing[] = {
    "",
    "\"store_id\": \"1001\"",
    "\"clerk_id\": \"1\"",
    "\"store_id\": 1001, \"clerk_id\": \"1\"",
  };
  g_autofree char *id = new_id ();
  g_autofree char *path = g_strdup_printf ("/v1/redemptions/%s", id);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) record = NULL;

  g_test_summary ("POST /v1/redemptions names the store and clerk it was made by: when they "
                  "are not the token's, 403 session_mismatch and nothing is recorded; "
                  "without them, 400");

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(JsonObject) refused = redeem_as (f, codes->pdata[0], id, others[i], 403);
      g_autoptr(JsonObject) unseen = sc_test_platform_call (f->platform, "GET", path, f->token,
                                                            NULL, NULL, 404);
      g_autoptr(JsonObject) looked = lookup (f, f->token, codes->pdata[0], 200);

      g_assert_cmpstr (sc_test_platform_error_code (refused), ==, "session_mismatch");
      g_assert_cmpstr (json_object_get_string_member (looked, "status"), ==, "redeemable");
    }
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autoptr(JsonObject) refused = redeem_as (f, codes->pdata[0], id, missing[i], 400);
      g_autoptr(JsonObject) unseen = sc_test_platform_call (f->platform, "GET", path, f->token,
                                                            NULL, NULL, 404);
    }

  /* The refusals were not remembered under the key: the right clerk's send goes. */
  done = redeem_as (f, codes->pdata[0], id, "\"store_id\": \"1001\", \"clerk_id\": \"1\"", 201);
  record = sc_test_platform_call (f->platform, "GET", path, f->token, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (record, "store_id"), ==, "1001");
  g_assert_cmpstr (json_object_get_string_member (record, "clerk_id"), ==, "1");
}

static const char *
platform_id_of (JsonObject *answer)
{
  const char *id;

  g_assert_true (json_object_has_member (answer, "platform_id"));
  id = json_object_get_string_member (answer, "platform_id");
  g_assert_nonnull (id);
  g_assert_cmpuint (strlen (id), >=, 16);
  return id;
}

static void
test_platform_id (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) health = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonObject) health_after = NULL;
  g_autoptr(JsonObject) session_after = NULL;
  g_autoptr(JsonObject) other_health = NULL;
  g_autoptr(ScTestPlatform) other = NULL;
  static const char *login = "{\"store_id\": \"1001\", \"clerk_id\": \"1\", \"pin\": \"1234\"}";

  g_test_summary ("The platform reports a stable id of its own in health and session "
                  "answers: the same after a restart on its database, another for another "
                  "database");

  health = sc_test_platform_call (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 200);
  session = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL, login, NULL, 201);
  g_assert_cmpstr (platform_id_of (health), ==, platform_id_of (session));

  sc_test_platform_kill (f->platform);
  g_assert_true (sc_test_platform_restart (f->platform, &error));
  g_assert_no_error (error);
  health_after = sc_test_platform_call (f->platform, "GET", "/v1/health", NULL, NULL, NULL, 200);
  session_after = sc_test_platform_call (f->platform, "POST", "/v1/sessions", NULL, login, NULL,
                                         201);
  g_assert_cmpstr (platform_id_of (health_after), ==, platform_id_of (health));
  g_assert_cmpstr (platform_id_of (session_after), ==, platform_id_of (health));

  other = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  other_health = sc_test_platform_call (other, "GET", "/v1/health", NULL, NULL, NULL, 200);
  g_assert_cmpstr (platform_id_of (other_health), !=, platform_id_of (health));
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = demo (f, "redeemable", "pickup", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autofree char *url = g_strdup (f->platform->url);

  g_test_summary ("After a crash (SIGKILL) and restart on the same database, redemptions "
                  "and sessions are still there");

  done = redeem (f, codes->pdata[0], -1, 201);
  sc_test_platform_kill (f->platform);
  g_assert_null (f->platform->process);
  g_assert_true (sc_test_platform_restart (f->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->platform->url, ==, url);

  assert_status (f, codes->pdata[0], "redeemed");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  sc_test_platform_add ("/platform/login", test_login);
  sc_test_platform_add ("/platform/lookup/statuses", test_lookup_statuses);
  sc_test_platform_add ("/platform/redeem/then-lookup", test_redeem_then_lookup);
  sc_test_platform_add ("/platform/redeem/refusals", test_refusals);
  sc_test_platform_add ("/platform/redeem/idempotent-replay", test_idempotent_replay);
  sc_test_platform_add ("/platform/redeem/concurrent", test_concurrent_redemptions);
  sc_test_platform_add ("/platform/redeem/coupons", test_coupons);
  sc_test_platform_add ("/platform/redeem/realtime-tokens", test_realtime_tokens);
  sc_test_platform_add ("/platform/redeem/offline-scanned-at", test_offline_scanned_at);
  sc_test_platform_add ("/platform/reversal", test_reversal);
  sc_test_platform_add ("/platform/session-expiry", test_session_expiry);
  sc_test_platform_add ("/platform/manifest", test_manifest);
  sc_test_platform_add ("/platform/orders", test_orders);
  sc_test_platform_add ("/platform/admin/refused", test_admin_refused);
  sc_test_platform_add ("/platform/admin/reset-and-faults", test_admin_reset_and_faults);
  sc_test_platform_add ("/platform/bad-requests", test_bad_requests);
  sc_test_platform_add ("/platform/restart", test_restart);
  sc_test_platform_add ("/platform/redeem/session-mismatch", test_session_mismatch);
  sc_test_platform_add ("/platform/platform-id", test_platform_id);

  return g_test_run ();
}
