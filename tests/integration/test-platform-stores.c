/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reference platform's rules about stores, sessions and logins
 * (issue 9, rows 3, 4, 5 and 15): no store sees another's data, offline
 * back-dating only where it is believable, logins throttled and PINs kept
 * hashed, sessions that end for good. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"

/* f->token: store 1001, clerk 1. */
typedef ScTestPlatformFixture Fixture;

static void
set_clock (Fixture *f,
           gint64   offset_s)
{
  g_autofree char *body = g_strdup_printf ("{\"offset_s\": %" G_GINT64_FORMAT "}", offset_s);
  g_autoptr(JsonObject) answer = sc_test_platform_admin (f->platform, "POST", "/v1/admin/clock",
                                                         body, 200);

  g_assert_cmpint (json_object_get_int_member (answer, "offset_s"), ==, offset_s);
}

static gint64
platform_now (Fixture *f)
{
  g_autoptr(JsonObject) answer = sc_test_platform_admin (f->platform, "GET", "/v1/admin/clock",
                                                         NULL, 200);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (json_object_get_string_member (answer,
                                                                                          "time"),
                                                          NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static char *
time_text (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format_iso8601 (dt);
}

/* A redemption by @clerk of store 1001 (@token is theirs); @bill_fen < 0:
 * none; @scanned_at: a JSON value or NULL. */
static JsonObject *
redeem_raw (Fixture    *f,
            const char *token,
            const char *clerk,
            const char *payload,
            gint64      bill_fen,
            gboolean    offline,
            const char *scanned_at_json,
            const char *id,
            guint      *out_status)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *answer;

  g_string_append_printf (body, "{\"redemption_id\": \"%s\", \"payload\": \"%s\","
                                " \"store_id\": \"1001\", \"clerk_id\": \"%s\","
                                " \"source\": \"scanner\", \"offline\": %s",
                          id, payload, clerk,
                          offline ? "true" : "false");
  if (bill_fen >= 0)
    g_string_append_printf (body, ", \"bill_fen\": %" G_GINT64_FORMAT, bill_fen);
  if (scanned_at_json != NULL)
    g_string_append_printf (body, ", \"scanned_at\": %s", scanned_at_json);
  g_string_append (body, "}");

  answer = sc_test_platform_request (f->platform, "POST", "/v1/redemptions", token, body->str,
                                     id, out_status, &error);
  g_assert_no_error (error);
  g_test_message ("redeem %s offline=%d scanned_at=%s -> %u", payload, offline,
                  scanned_at_json != NULL ? scanned_at_json : "-", *out_status);
  return answer;
}

static JsonObject *
redeem_at (Fixture    *f,
           const char *token,
           const char *clerk,
           const char *payload,
           gint64      bill_fen,
           gboolean    offline,
           gint64      scanned_at,
           guint      *out_status)
{
  g_autofree char *text = time_text (scanned_at);
  g_autofree char *json = g_strdup_printf ("\"%s\"", text);
  g_autofree char *id = g_uuid_string_random ();

  return redeem_raw (f, token, clerk, payload, bill_fen, offline, json, id, out_status);
}

/* The demo codes (all of them) as the admin lists them. */
static JsonArray *
demo_list (Fixture *f)
{
  g_autoptr(JsonObject) answer = sc_test_platform_admin (f->platform, "GET",
                                                         "/v1/admin/demo-codes", NULL, 200);

  return json_array_ref (json_object_get_array_member (answer, "codes"));
}

/* ---- row 3: another store's codes ---- */

/* What an answer about another store's code may hold (issue 10, row 9): the
 * code, its kind and status, and the owner store's name for the clerk to
 * send the customer on. Anything else (an id, an order, a customer, dates,
 * a reason) tells one store about another's code. Returns how many members
 * are not allowed. */
static guint
count_details (JsonObject *object)
{
  static const char * const allowed[] = { "code", "kind", "status", "store", NULL };
  g_autoptr(GList) members = json_object_get_members (object);
  guint n = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_test_message ("not allowed: %s", (const char *) l->data);
          n++;
        }
    }

  if (json_object_has_member (object, "store"))
    {
      JsonNode *node = json_object_get_member (object, "store");
      JsonObject *store = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(GList) store_members = store != NULL ? json_object_get_members (store) : NULL;

      if (store == NULL)
        n++;
      for (GList *l = store_members; l != NULL; l = l->next)
        {
          if (g_strcmp0 (l->data, "name") != 0)
            {
              g_test_message ("not allowed: store.%s", (const char *) l->data);
              n++;
            }
        }
    }
  return n;
}

/* The owner store's name, NULL when the answer has none. */
static const char *
store_name (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "store");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "name"))
    return NULL;
  return json_object_get_string_member (json_node_get_object (node), "name");
}

static void
test_other_store_codes (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonArray) codes = demo_list (f);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_codes = 0, lookup_leaks = 0, redeem_leaks = 0, not_wrong_store = 0;

  g_test_summary ("Store 1001 asking about store 1002's codes of every status (lookup and "
                  "redeem) gets wrong_store with that store's name and no other details");

  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      JsonObject *demo = json_array_get_object_element (codes, i);
      const char *payload = json_object_get_string_member (demo, "payload");
      const char *note = json_object_get_string_member (demo, "note");
      g_autofree char *body = NULL;
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(JsonObject) looked = NULL;
      g_autoptr(JsonObject) redeemed = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;
      JsonObject *err;

      if (strstr (note, "store 1002") == NULL || g_str_has_prefix (payload, "SC1:"))
        continue;
      n_codes++;
      g_hash_table_add (statuses, (gpointer) note);

      body = g_strdup_printf ("{\"payload\": \"%s\"}", payload);
      looked = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", f->token, body,
                                      NULL, 200);
      if (g_strcmp0 (json_object_get_string_member (looked, "status"), "wrong_store") != 0)
        not_wrong_store++;
      g_assert_cmpstr (store_name (looked), ==, "东门自提点");
      if (count_details (looked) > 0)
        {
          g_test_message ("lookup of %s (%s) leaks: %s", payload, note,
                          json_object_get_string_member (looked, "status"));
          lookup_leaks++;
        }

      redeemed = redeem_raw (f, f->token, "1", payload, 10000, FALSE, NULL, id, &status);
      err = json_object_get_object_member (redeemed, "error");
      g_assert_nonnull (err);
      if (status != 403 || g_strcmp0 (json_object_get_string_member (err, "code"),
                                      "wrong_store") != 0)
        not_wrong_store++;
      if (json_object_has_member (err, "details"))
        {
          JsonNode *details = json_object_get_member (err, "details");

          if (JSON_NODE_HOLDS_OBJECT (details))
            g_assert_cmpstr (store_name (json_node_get_object (details)), ==, "东门自提点");
          if (!JSON_NODE_HOLDS_OBJECT (details) ||
              count_details (json_node_get_object (details)) > 0)
            {
              g_test_message ("redeem of %s (%s) leaks: HTTP %u %s", payload, note, status,
                              json_object_get_string_member (err, "code"));
              redeem_leaks++;
            }
        }
    }

  g_test_message ("%u codes of store 1002 in %u kinds: %u lookups and %u refusals leak "
                  "details, %u answers are not wrong_store", n_codes,
                  g_hash_table_size (statuses), lookup_leaks, redeem_leaks, not_wrong_store);
  /* deleted, invalidated, gifting, redeemed and expired pickups at least */
  g_assert_cmpuint (g_hash_table_size (statuses), >=, 6);
  g_assert_cmpuint (lookup_leaks, ==, 0);
  g_assert_cmpuint (redeem_leaks, ==, 0);
  g_assert_cmpuint (not_wrong_store, ==, 0);
}

static void
test_other_store_redemption_ids (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) mine = sc_test_platform_demo_codes (f->platform, "redeemable", "pickup");
  g_autoptr(JsonArray) codes = demo_list (f);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *unseen = g_uuid_string_random ();
  g_autofree char *token_1002 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path_unseen = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) get_theirs = NULL;
  g_autoptr(JsonObject) get_unseen = NULL;
  const char *theirs = NULL;
  guint status = 0, status_theirs = 0, status_unseen = 0;

  g_test_summary ("Store 1002 reusing a redemption id that store 1001 used learns nothing: "
                  "its own redemption goes through, and GET says 404 as for an unseen id");

  for (guint i = 0; i < json_array_get_length (codes) && theirs == NULL; i++)
    {
      JsonObject *demo = json_array_get_object_element (codes, i);

      if (g_strcmp0 (json_object_get_string_member (demo, "note"),
                     "pickup order of store 1002 (东门自提点)") == 0)
        theirs = json_object_get_string_member (demo, "payload");
    }
  g_assert_nonnull (theirs);
  g_assert_cmpuint (mine->len, >=, 1);

  first = redeem_raw (f, f->token, "1", mine->pdata[0], -1, FALSE, NULL, id, &status);
  g_assert_cmpuint (status, ==, 201);

  token_1002 = sc_test_platform_login (f->platform, "1002", "1", NULL);
  g_assert_nonnull (token_1002);

  path = g_strdup_printf ("/v1/redemptions/%s", id);
  path_unseen = g_strdup_printf ("/v1/redemptions/%s", unseen);
  get_theirs = sc_test_platform_request (f->platform, "GET", path, token_1002, NULL, NULL,
                                         &status_theirs, NULL);
  get_unseen = sc_test_platform_request (f->platform, "GET", path_unseen, token_1002, NULL, NULL,
                                         &status_unseen, NULL);
  g_test_message ("GET another store's redemption: HTTP %u; an unseen one: HTTP %u",
                  status_theirs, status_unseen);

  {
    g_autofree char *key = g_uuid_string_random ();
    g_autofree char *body = g_strdup_printf ("{\"redemption_id\": \"%s\", \"payload\": \"%s\","
                                             " \"store_id\": \"1002\", \"clerk_id\": \"1\","
                                             " \"source\": \"scanner\"}", id, theirs);
    g_autoptr(GError) error = NULL;

    second = sc_test_platform_request (f->platform, "POST", "/v1/redemptions", token_1002, body,
                                       key, &status, &error);
    g_assert_no_error (error);
  }
  g_test_message ("store 1002 redeeming its own code with store 1001's redemption id: "
                  "HTTP %u %s", status,
                  json_object_has_member (second, "error") ?
                  sc_test_platform_error_code (second) : "");

  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpuint (status_theirs, ==, status_unseen);
  g_assert_cmpstr (sc_test_platform_error_code (get_theirs), ==,
                   sc_test_platform_error_code (get_unseen));
  {
    /* And store 1001 still sees its own one. */
    g_autoptr(JsonObject) own = sc_test_platform_call (f->platform, "GET", path, f->token, NULL,
                                                       NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (own, "store_id"), ==, "1001");
  }
}

/* ---- row 4: offline back-dating ---- */

static void
test_offline_backdating_refused (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) coupons = sc_test_platform_demo_codes (f->platform, "expired", "coupon");
  g_autoptr(GPtrArray) pickups = sc_test_platform_demo_codes (f->platform, "expired", "pickup");
  g_autoptr(JsonObject) coupon = NULL;
  g_autoptr(JsonObject) pickup = NULL;
  gint64 now = platform_now (f);
  guint status_coupon = 0, status_pickup = 0;

  g_test_summary ("On a session with no earlier one, offline back-dated redemptions of an "
                  "expired coupon and an expired pickup are judged now: refused");

  g_assert_cmpuint (coupons->len, >=, 1);
  g_assert_cmpuint (pickups->len, >=, 1);

  /* Expired coupons ended at 23:59:59 yesterday, expired pickups at the
   * end of the day before; 47 hours ago both were valid. */
  coupon = redeem_at (f, f->token, "1", coupons->pdata[0], 10000, TRUE, now - 47 * 3600,
                      &status_coupon);
  pickup = redeem_at (f, f->token, "1", pickups->pdata[0], -1, TRUE, now - 47 * 3600,
                      &status_pickup);
  g_test_message ("expired coupon back-dated 47 h: HTTP %u%s%s; expired pickup: HTTP %u",
                  status_coupon,
                  json_object_has_member (coupon, "discount_fen") ? ", discount_fen " : "",
                  json_object_has_member (coupon, "discount_fen")
                    ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                       json_object_get_int_member (coupon, "discount_fen"))
                    : "",
                  status_pickup);
  g_assert_cmpuint (status_coupon, ==, 410);
  g_assert_cmpstr (sc_test_platform_error_code (coupon), ==, "expired");
  g_assert_cmpuint (status_pickup, ==, 410);
  g_assert_cmpstr (sc_test_platform_error_code (pickup), ==, "expired");
}

static void
test_offline_earlier_session (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) pickups = sc_test_platform_demo_codes (f->platform, "redeemable",
                                                              "pickup");
  g_autoptr(GPtrArray) coupons = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) inside = NULL;
  g_autoptr(JsonObject) before_sessions = NULL;
  g_autoptr(JsonObject) other_clerk = NULL;
  g_autofree char *token_2 = NULL;
  gint64 start = platform_now (f);
  guint s_inside = 0, s_before = 0, s_other = 0;

  g_test_summary ("An offline pickup scanned inside an earlier session of the same clerk is "
                  "judged at its scan time; outside any, or another clerk's, it is judged now");

  g_assert_cmpuint (pickups->len, >=, 3);

  /* Four days on, today's pickups have ended; a new session. */
  set_clock (f, 4 * 24 * 3600);
  token = sc_test_platform_login (f->platform, "1001", "1", NULL);
  g_assert_nonnull (token);

  inside = redeem_at (f, token, "1", pickups->pdata[0], -1, TRUE, start + 60, &s_inside);
  before_sessions = redeem_at (f, token, "1", pickups->pdata[1], -1, TRUE, start - 3600,
                               &s_before);
  token_2 = sc_test_platform_login (f->platform, "1001", "2", NULL);
  g_assert_nonnull (token_2);
  other_clerk = redeem_at (f, token_2, "2", pickups->pdata[2], -1, TRUE, start + 60, &s_other);
  g_test_message ("inside an earlier session: %u; before any session: %u; in another "
                  "clerk's session: %u", s_inside, s_before, s_other);
  g_assert_cmpuint (s_inside, ==, 201);
  g_assert_cmpuint (s_before, ==, 410);
  g_assert_cmpuint (s_other, ==, 410);
}

static void
test_scanned_at_range (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) pickups = sc_test_platform_demo_codes (f->platform, "redeemable",
                                                              "pickup");
  const char *bad[] = {
    "9223372036854775807", "-9223372036854775807", "0", "\"1999-12-31T23:59:59Z\"",
    "\"9999-12-31T23:59:59Z\"", NULL,
  };
  gint64 now = platform_now (f);

  g_test_summary ("scanned_at outside 2000 .. now + 1 day is a 400, online or offline, and "
                  "nothing is redeemed");

  for (guint i = 0; bad[i] != NULL; i++)
    for (int offline = 0; offline <= 1; offline++)
      {
        g_autofree char *id = g_uuid_string_random ();
        g_autoptr(JsonObject) answer = NULL;
        guint status = 0;

        answer = redeem_raw (f, f->token, "1", pickups->pdata[0], -1, offline, bad[i], id,
                             &status);
        g_assert_cmpuint (status, ==, 400);
        g_assert_cmpstr (sc_test_platform_error_code (answer), ==, "bad_request");
      }

  {
    g_autofree char *future = g_strdup_printf ("%" G_GINT64_FORMAT, now + 2 * 24 * 3600);
    g_autofree char *id = g_uuid_string_random ();
    g_autoptr(JsonObject) answer = NULL;
    guint status = 0;

    answer = redeem_raw (f, f->token, "1", pickups->pdata[0], -1, TRUE, future, id, &status);
    g_assert_cmpuint (status, ==, 400);
  }
  {
    /* Still redeemable: none of the above went through. */
    g_autofree char *body = g_strdup_printf ("{\"payload\": \"%s\"}",
                                             (char *) pickups->pdata[0]);
    g_autoptr(JsonObject) looked = sc_test_platform_call (f->platform, "POST",
                                                          "/v1/codes/lookup", f->token, body,
                                                          NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (looked, "status"), ==, "redeemable");
  }
}

/* ---- row 5: login throttle, hashed PINs ---- */

/* POST /v1/sessions from @peer (a loopback address) with @pin; returns the
 * HTTP status and *out_retry_after (-1 without the header). */
static guint
login_from (Fixture    *f,
            const char *peer,
            const char *store,
            const char *clerk,
            const char *pin,
            int        *out_retry_after,
            char      **out_code)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(GInetSocketAddress) local =
    G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (peer, 0));
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60,
                                                                  "proxy-resolver", direct,
                                                                  "local-address", local,
                                                                  NULL);
  g_autofree char *uri = g_strconcat (f->platform->url, "/v1/sessions", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *body = g_strdup_printf ("{\"store_id\": \"%s\", \"clerk_id\": \"%s\","
                                           " \"pin\": \"%s\"}", store, clerk, pin);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *retry_after;
  JsonObject *root;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                              "Retry-After");
  *out_retry_after = retry_after != NULL ? atoi (retry_after) : -1;
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  if (out_code != NULL)
    *out_code = json_object_has_member (root, "error") ?
                g_strdup (sc_test_platform_error_code (root)) : NULL;
  return soup_message_get_status (msg);
}

static void
test_login_throttle (Fixture       *f,
                     gconstpointer  data)
{
  int retry = -1, first_wait, second_wait;
  guint status = 0;
  g_autofree char *code = NULL;
  gint64 offset = 0;

  g_test_summary ("Five wrong PINs for a clerk: the sixth try is 429 too_many_attempts with "
                  "Retry-After, even with the right PIN, from any peer; the wait grows; "
                  "another clerk from another peer is not blocked");

  for (int i = 1; i <= 5; i++)
    {
      status = login_from (f, "127.0.0.1", "1001", "1", "9999", &retry, NULL);
      g_assert_cmpuint (status, ==, 401);
    }
  status = login_from (f, "127.0.0.1", "1001", "1", "9999", &retry, &code);
  g_test_message ("6th wrong PIN: HTTP %u, Retry-After %d, %s", status, retry, code);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (code, ==, "too_many_attempts");
  g_assert_cmpint (retry, >=, 10);
  first_wait = retry;

  /* The right PIN during the wait, even from elsewhere: still 429. */
  g_clear_pointer (&code, g_free);
  status = login_from (f, "127.0.0.2", "1001", "1", "1234", &retry, &code);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpint (retry, >, 0);
  g_assert_cmpint (retry, <=, first_wait);

  /* Another clerk from another peer: not blocked. The same peer: blocked. */
  status = login_from (f, "127.0.0.2", "1001", "2", "1234", &retry, NULL);
  g_assert_cmpuint (status, ==, 201);
  status = login_from (f, "127.0.0.1", "1001", "2", "1234", &retry, NULL);
  g_test_message ("another clerk from the throttled peer: HTTP %u, Retry-After %d", status,
                  retry);
  g_assert_cmpuint (status, ==, 429);

  /* After the wait, one more wrong PIN: a longer wait. */
  offset += first_wait + 1;
  set_clock (f, offset);
  status = login_from (f, "127.0.0.3", "1001", "1", "9999", &retry, NULL);
  g_assert_cmpuint (status, ==, 401);
  status = login_from (f, "127.0.0.3", "1001", "1", "1234", &retry, NULL);
  g_assert_cmpuint (status, ==, 429);
  second_wait = retry;
  g_test_message ("waits: %d s, then %d s", first_wait, second_wait);
  g_assert_cmpint (second_wait, >, first_wait);

  /* After that wait, the right PIN works, and resets the count. */
  offset += second_wait + 1;
  set_clock (f, offset);
  status = login_from (f, "127.0.0.3", "1001", "1", "1234", &retry, NULL);
  g_assert_cmpuint (status, ==, 201);
  status = login_from (f, "127.0.0.4", "1001", "1", "9999", &retry, NULL);
  g_assert_cmpuint (status, ==, 401);
  status = login_from (f, "127.0.0.4", "1001", "1", "1234", &retry, NULL);
  g_assert_cmpuint (status, ==, 201);
}

static void
test_login_pin_format (Fixture       *f,
                       gconstpointer  data)
{
  const char *bad[] = { "123", "123456789", "12a4", "", NULL };
  int retry = -1;

  g_test_summary ("A PIN that is not 4 to 8 digits is a 400 and does not count as a try");

  for (guint i = 0; bad[i] != NULL; i++)
    for (int n = 0; n < 2; n++)
      {
        g_autofree char *code = NULL;
        guint status = login_from (f, "127.0.0.1", "1001", "1", bad[i], &retry, &code);

        g_assert_cmpuint (status, ==, 400);
      }
  {
    int r = -1;

    g_assert_cmpuint (login_from (f, "127.0.0.1", "1001", "1", "1234", &r, NULL), ==, 201);
  }
}

static void
test_pins_hashed (Fixture       *f,
                  gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_clerks = 0, n_clear = 0;

  g_test_summary ("The platform's database holds no clear PIN");

  g_assert_cmpint (sqlite3_open_v2 (f->platform->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM clerks", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n_clerks++;
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text != NULL && strstr (text, "1234") != NULL)
            {
              g_test_message ("clerks.%s holds %s", sqlite3_column_name (stmt, i), text);
              n_clear++;
            }
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("%u clerks, %u clear PINs", n_clerks, n_clear);
  g_assert_cmpuint (n_clerks, >=, 3);
  g_assert_cmpuint (n_clear, ==, 0);
}

/* The platform's schema before PINs were hashed (version 1), as a
 * database from before this change holds it. Frozen here on purpose: a
 * migration test starts from what an older platform wrote, not from
 * today's sources (it equals migration 0 -> 1 of sc-platform-schema.c,
 * which must never change). */
static const char old_schema[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "INSERT INTO counters (name, value) VALUES ('code_version', 0);"
  "CREATE TABLE stores ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL, salt TEXT NOT NULL);"
  "CREATE TABLE clerks ("
  "  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,"
  "  id TEXT NOT NULL, name TEXT NOT NULL, pin TEXT NOT NULL,"
  "  PRIMARY KEY (store_id, id));"
  "CREATE TABLE sessions ("
  "  token TEXT PRIMARY KEY, store_id TEXT NOT NULL, clerk_id TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
  "CREATE TABLE activities ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, end_at INTEGER NOT NULL,"
  "  claim_days INTEGER NOT NULL DEFAULT 7);"
  "CREATE TABLE codes ("
  "  code TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('pickup', 'coupon', 'prize')),"
  "  store_id TEXT NOT NULL REFERENCES stores (id),"
  "  state TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (state IN ('active', 'invalidated', 'gifting', 'deleted')),"
  "  valid_from INTEGER, valid_until INTEGER,"
  "  realtime_only INTEGER NOT NULL DEFAULT 0,"
  "  redemption_id TEXT,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  order_id TEXT, customer_name TEXT, customer_masked TEXT, phone_tail TEXT,"
  "  total_fen INTEGER, items TEXT,"
  "  coupon_type TEXT CHECK (coupon_type IN ('cash', 'threshold', 'discount')),"
  "  title TEXT, value_fen INTEGER, min_spend_fen INTEGER, percent_off INTEGER, cap_fen INTEGER,"
  "  activity_id TEXT REFERENCES activities (id), prize_name TEXT, person_id TEXT);"
  "CREATE INDEX codes_store_version ON codes (store_id, version);"
  "CREATE INDEX codes_store_tail ON codes (store_id, phone_tail);"
  "CREATE TABLE redemptions ("
  "  id TEXT PRIMARY KEY, code TEXT NOT NULL REFERENCES codes (code), kind TEXT NOT NULL,"
  "  store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, source TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, offline INTEGER NOT NULL,"
  "  bill_fen INTEGER, discount_fen INTEGER, reversed_at INTEGER);"
  "CREATE INDEX redemptions_store_time ON redemptions (store_id, redeemed_at);"
  "CREATE TABLE idempotency ("
  "  scope TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));"
  "CREATE TABLE prize_claims ("
  "  id TEXT PRIMARY KEY, activity_id TEXT NOT NULL REFERENCES activities (id),"
  "  person_id TEXT NOT NULL, code TEXT NOT NULL, status TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX prize_claims_person ON prize_claims (activity_id, person_id);";

static void
test_old_database_pins (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-old-platform-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (tmpdir, "old.db", NULL);
  const char *extra[] = { "--db", db_path, NULL };
  g_autoptr(ScTestPlatform) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint status = 0;
  int n_clear = 0, n_pin_columns = -1;

  g_test_summary ("A database of the old schema with clear PINs: the platform hashes them "
                  "and drops the column; the clerk still logs in with the same PIN; "
                  "redemptions survive; orders get their lines (those of a redeemed order "
                  "picked by its redemption)");

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, old_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA user_version = 1;"
                                 "INSERT INTO stores VALUES"
                                 " ('7001', 'Old', 'Asia/Shanghai', 's');"
                                 "INSERT INTO clerks VALUES ('7001', '9', 'Wang', '43218765');"
                                 "INSERT INTO codes (code, kind, store_id, order_id, items)"
                                 " VALUES ('100000000008', 'pickup', '7001', 'OLD1',"
                                 " '[{\"name\":\"a\",\"quantity\":2,\"price_fen\":100},"
                                 "{\"name\":\"b\",\"quantity\":1,\"price_fen\":50}]'),"
                                 " ('100000000016', 'pickup', '7001', 'OLD2',"
                                 " '[{\"name\":\"c\",\"quantity\":3,\"price_fen\":10}]');"
                                 "INSERT INTO redemptions VALUES"
                                 " ('old-1', '100000000008', 'pickup', '7001', '9', 'scanner',"
                                 " 1700000000, 1700000000, 0, NULL, NULL, NULL);"
                                 "UPDATE codes SET redemption_id = 'old-1'"
                                 " WHERE code = '100000000008';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  old = sc_test_platform_start (extra, &error);
  g_assert_no_error (error);
  token = sc_test_platform_login (old, "7001", "9", NULL);   /* PIN 1234: refused */
  g_assert_null (token);
  answer = sc_test_platform_request (old, "POST", "/v1/sessions", NULL,
                                     "{\"store_id\": \"7001\", \"clerk_id\": \"9\","
                                     " \"pin\": \"43218765\"}", NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("old clerk, old PIN: HTTP %u", status);
  g_assert_cmpuint (status, ==, 201);
  {
    g_autoptr(JsonObject) redemption =
      sc_test_platform_call (old, "GET", "/v1/redemptions/old-1",
                             json_object_get_string_member (answer, "token"), NULL, NULL, 200);

    g_autoptr(JsonObject) picked =
      sc_test_platform_call (old, "GET", "/v1/orders/OLD1",
                             json_object_get_string_member (answer, "token"), NULL, NULL, 200);
    g_autoptr(JsonObject) open =
      sc_test_platform_call (old, "GET", "/v1/orders/OLD2",
                             json_object_get_string_member (answer, "token"), NULL, NULL, 200);
    JsonArray *items = json_object_get_array_member (picked, "items");
    JsonObject *line;

    g_assert_cmpstr (json_object_get_string_member (redemption, "code"), ==, "100000000008");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (redemption, "lines")),
                      ==, 2);
    g_assert_cmpstr (json_object_get_string_member (picked, "status"), ==, "picked_up");
    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    line = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (line, "line_id"), ==, "1");
    g_assert_cmpint (json_object_get_int_member (line, "picked_qty"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (line, "remaining_qty"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (open, "status"), ==, "open");
    line = json_array_get_object_element (json_object_get_array_member (open, "items"), 0);
    g_assert_cmpstr (json_object_get_string_member (line, "line_id"), ==, "1");
    g_assert_cmpint (json_object_get_int_member (line, "remaining_qty"), ==, 3);
  }

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM pragma_table_info ('clerks')"
                                           " WHERE name = 'pin'", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_pin_columns = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM clerks"
                                           " WHERE instr (pin_hash, '43218765') > 0"
                                           " OR pin_hash NOT LIKE 'pbkdf2-sha256$%'", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_clear = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (n_pin_columns, ==, 0);
  g_assert_cmpint (n_clear, ==, 0);

  g_clear_pointer (&old, sc_test_platform_stop);
  sc_test_remove_tree (tmpdir);
}

/* ---- row 15: sessions end for good ---- */

/* The body of a lookup of store 1001's first redeemable pickup. */
static char *
pickup_lookup_body (Fixture *f)
{
  g_autofree char *code = sc_test_platform_demo_code (f->platform, "redeemable", "pickup", 0);

  return g_strdup_printf ("{\"payload\": \"%s\"}", code);
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *body = pickup_lookup_body (f);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_test_summary ("DELETE /v1/sessions/current revokes the token: 401 afterwards");

  out = sc_test_platform_request (f->platform, "DELETE", "/v1/sessions/current", f->token, NULL,
                                  NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("DELETE /v1/sessions/current: HTTP %u", status);
  g_assert_cmpuint (status, ==, 204);

  after = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", f->token, body, NULL,
                                 401);
  g_assert_cmpstr (sc_test_platform_error_code (after), ==, "session_expired");
  /* Logging out twice is a 401 like any dead token. */
  again = sc_test_platform_call (f->platform, "DELETE", "/v1/sessions/current", f->token, NULL,
                                 NULL, 401);
}

static void
test_clock_back (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *body = pickup_lookup_body (f);
  g_autoptr(JsonObject) late = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_test_summary ("A session seen expired stays dead when the platform clock moves back");

  set_clock (f, 12 * 3600 + 60);
  late = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", f->token, body, NULL,
                                401);
  set_clock (f, 0);
  back = sc_test_platform_request (f->platform, "POST", "/v1/codes/lookup", f->token, body, NULL,
                                   &status, &error);
  g_assert_no_error (error);
  g_test_message ("after +12 h and back: HTTP %u", status);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_client_logout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ScPlatformClient) client = sc_platform_client_new (f->platform->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *body = pickup_lookup_body (f);
  g_autofree char *token = g_strdup (f->token);

  g_test_summary ("sc_platform_client_logout_async revokes the client's token and clears it");

  sc_platform_client_set_token (client, token);
  sc_platform_client_logout_async (client, NULL, sc_test_result_cb, &result);
  g_assert_true (sc_platform_client_logout_finish (client, sc_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
  g_assert_null (sc_platform_client_get_token (client));

  after = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", token, body, NULL, 401);
}

static void
test_counter_logout (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-counter-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (tmpdir, "counter.db", NULL);
  g_autofree char *body = pickup_lookup_body (f);
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  ScCache *cache = sc_test_open_cache (db_path);
  ScPlatformClient *client = sc_platform_client_new (f->platform->url);
  ScCounter *counter = sc_counter_new (cache, client);

  g_test_summary ("The counter's Log Out (the window's) revokes the token on the platform");

  sc_test_counter_login (counter, "2");
  sc_test_counter_idle (counter);
  token = g_strdup (sc_counter_get_session (counter)->token);
  g_assert_nonnull (token);
  before = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", token, body, NULL, 200);

  sc_counter_logout (counter);
  g_assert_null (sc_counter_get_session (counter));
  sc_test_counter_idle (counter);
  after = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", token, body, NULL, 401);

  g_assert_finalize_object (counter);
  g_assert_finalize_object (client);
  g_assert_finalize_object (cache);
  sc_test_remove_tree (tmpdir);
}

/* Live sessions of store 1001's @clerk, read from the platform's file. */
static int
live_sessions (Fixture    *f,
               const char *clerk)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open_v2 (f->platform->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  /* Before sessions could end, every one was live (no ended_at column). */
  if (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM sessions WHERE store_id = '1001'"
                              " AND clerk_id = ?1 AND ended_at IS NULL", -1, &stmt,
                          NULL) != SQLITE_OK)
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM sessions"
                                             " WHERE store_id = '1001' AND clerk_id = ?1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, clerk, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Runs store-counter --login 1001:2 --lookup @lookup with @pin on stdin;
 * returns the exit status and *out_err. */
static int
cli_login (Fixture    *f,
           const char *data_home,
           const char *pin,
           const char *lookup,
           char      **out_err)
{
  const char *bin = g_getenv ("SC_COUNTER_BIN");
  const char *argv[] = { bin, "--platform-url", f->platform->url, "--login", "1001:2",
                         "--lookup", lookup, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *input = g_strconcat (pin, "\n", NULL);

  g_assert_nonnull (bin);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, out_err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* The CLI says how long to wait, in words. */
static void
test_cli_throttle_words (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-cli-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *err = NULL;
  int status = -1;

  g_test_summary ("store-counter --login after five wrong PINs says 'Too many wrong PINs' "
                  "with the wait in words (seconds, then minutes), and exits 2");

  for (int i = 0; i < 6; i++)
    {
      g_clear_pointer (&err, g_free);
      status = cli_login (f, data_home, "9999", "1234", &err);
    }
  g_test_message ("6th try: exit %d, stderr: %s", status, err);
  g_assert_cmpint (status, ==, 2);
  /* The first wait is 30 s (or a second less by now). */
  g_assert_nonnull (strstr (err, "Too many wrong PINs. Try again in "));
  g_assert_nonnull (strstr (err, " seconds."));

  /* After it, one more wrong PIN: a minute; after that one, two. */
  set_clock (f, 31);
  g_clear_pointer (&err, g_free);
  cli_login (f, data_home, "9999", "1234", &err);
  set_clock (f, 31 + 61);
  g_clear_pointer (&err, g_free);
  cli_login (f, data_home, "9999", "1234", &err);
  g_clear_pointer (&err, g_free);
  status = cli_login (f, data_home, "1234", "1234", &err);
  g_test_message ("then: exit %d, stderr: %s", status, err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "Too many wrong PINs. Try again in 2 minutes."));
  sc_test_remove_tree (tmpdir);
}

static void
test_cli_logout (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-cli-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) pickups = sc_test_platform_demo_codes (f->platform, "redeemable",
                                                              "pickup");
  int status;

  g_test_summary ("A store-counter --login run revokes its session when it ends");

  status = cli_login (f, data_home, "1234", pickups->pdata[0], &err);
  g_test_message ("exit %d (%s); live sessions of clerk 2 afterwards: %d", status, err,
                  live_sessions (f, "2"));
  g_assert_cmpint (status, !=, 2);
  g_assert_cmpint (live_sessions (f, "2"), ==, 0);
  g_assert_cmpint (live_sessions (f, "1"), ==, 1);
  sc_test_remove_tree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  sc_test_platform_add ("/platform-stores/other-store/codes", test_other_store_codes);
  sc_test_platform_add ("/platform-stores/other-store/redemption-ids",
                        test_other_store_redemption_ids);
  sc_test_platform_add ("/platform-stores/offline/backdating-refused",
                        test_offline_backdating_refused);
  sc_test_platform_add ("/platform-stores/offline/earlier-session", test_offline_earlier_session);
  sc_test_platform_add ("/platform-stores/offline/scanned-at-range", test_scanned_at_range);
  sc_test_platform_add ("/platform-stores/login/throttle", test_login_throttle);
  sc_test_platform_add ("/platform-stores/login/pin-format", test_login_pin_format);
  sc_test_platform_add ("/platform-stores/login/pins-hashed", test_pins_hashed);
  sc_test_platform_add ("/platform-stores/login/old-database-pins", test_old_database_pins);
  sc_test_platform_add ("/platform-stores/sessions/logout", test_logout);
  sc_test_platform_add ("/platform-stores/sessions/clock-back", test_clock_back);
  sc_test_platform_add ("/platform-stores/sessions/client-logout", test_client_logout);
  sc_test_platform_add ("/platform-stores/sessions/counter-logout", test_counter_logout);
  sc_test_platform_add ("/platform-stores/cli/throttle-words", test_cli_throttle_words);
  sc_test_platform_add ("/platform-stores/cli/logout", test_cli_logout);

  return g_test_run ();
}
