/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ScPlatformClient against a real SoupServer on 127.0.0.1 that answers each
 * path as the test case wants: well, badly, slowly, hugely, or not at all.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

typedef enum
{
  REPLY_NORMAL,
  REPLY_PAUSE,            /* never answer */
  REPLY_PAUSE_AND_CANCEL, /* never answer; cancel the fixture's cancellable */
  REPLY_HUGE_LENGTH,      /* 9 MiB with Content-Length */
  REPLY_HUGE_CHUNKED,     /* 9 MiB chunked */
} ReplyMode;

typedef struct
{
  ReplyMode  mode;
  guint      status;
  char      *content_type;  /* (nullable) */
  GBytes    *body;          /* (nullable) */
  char      *header_name;   /* (nullable) */
  char      *header_value;  /* (nullable) */
} Canned;

typedef struct
{
  char   *method;
  char   *path;
  char   *query;
  char   *authorization;
  char   *idempotency_key;
  char   *content_type;
  char   *accept;
  char   *user_agent;
  GBytes *body;
  guint16 remote_port;  /* the client's end of the connection */
} Recorded;

typedef struct
{
  GMainContext     *context;
  SoupServer       *server;
  char             *base_url;
  ScPlatformClient *client;
  GHashTable       *canned;    /* path -> Canned */
  GPtrArray        *requests;  /* Recorded */
  GPtrArray        *paused;    /* SoupServerMessage, (owned) */
  GCancellable     *cancellable;
  GAsyncResult     *result;
} Fixture;

static void
canned_free (gpointer data)
{
  Canned *c = data;

  g_free (c->content_type);
  g_clear_pointer (&c->body, g_bytes_unref);
  g_free (c->header_name);
  g_free (c->header_value);
  g_free (c);
}

static void
recorded_free (gpointer data)
{
  Recorded *r = data;

  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->authorization);
  g_free (r->idempotency_key);
  g_free (r->content_type);
  g_free (r->accept);
  g_free (r->user_agent);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}

static Canned *
canned_add (Fixture    *f,
            const char *path,
            guint       status,
            const char *content_type,
            const char *body)
{
  Canned *c = g_new0 (Canned, 1);

  c->mode = REPLY_NORMAL;
  c->status = status;
  c->content_type = g_strdup (content_type);
  if (body != NULL)
    c->body = g_bytes_new (body, strlen (body));
  g_hash_table_replace (f->canned, g_strdup (path), c);
  return c;
}

static Canned *
canned_add_json (Fixture    *f,
                 const char *path,
                 guint       status,
                 const char *body)
{
  return canned_add (f, path, status, "application/json", body);
}

static Canned *
canned_add_mode (Fixture    *f,
                 const char *path,
                 ReplyMode   mode)
{
  Canned *c = canned_add_json (f, path, 200, NULL);

  c->mode = mode;
  return c;
}

static char *
huge_json (gsize *out_len)
{
  gsize len = 9 * 1024 * 1024;
  char *data = g_malloc (len);

  memset (data, 'a', len);
  memcpy (data, "{\"x\":\"", 6);
  memcpy (data + len - 2, "\"}", 2);
  *out_len = len;
  return data;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  Recorded *r = g_new0 (Recorded, 1);
  Canned *c;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  r->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  r->idempotency_key = g_strdup (soup_message_headers_get_one (request_headers, "Idempotency-Key"));
  r->content_type = g_strdup (soup_message_headers_get_content_type (request_headers, NULL));
  r->accept = g_strdup (soup_message_headers_get_one (request_headers, "Accept"));
  r->user_agent = g_strdup (soup_message_headers_get_one (request_headers, "User-Agent"));
  r->body = soup_message_body_flatten (request_body);
  r->remote_port = g_inet_socket_address_get_port (
    G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)));
  g_ptr_array_add (f->requests, r);

  c = g_hash_table_lookup (f->canned, path);
  if (c == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  switch (c->mode)
    {
    case REPLY_PAUSE_AND_CANCEL:
      g_cancellable_cancel (f->cancellable);
      G_GNUC_FALLTHROUGH;
    case REPLY_PAUSE:
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
      return;

    case REPLY_HUGE_LENGTH:
      {
        gsize len = 0;
        char *data = huge_json (&len);

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, len);
      }
      return;

    case REPLY_HUGE_CHUNKED:
      {
        SoupMessageBody *response_body = soup_server_message_get_response_body (msg);
        gsize len = 0;
        char *data = huge_json (&len);
        g_autoptr(GBytes) all = g_bytes_new_take (data, len);

        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
        soup_message_headers_set_content_type (response_headers, "application/json", NULL);
        for (gsize off = 0; off < len; off += 1024 * 1024)
          {
            gsize size = MIN (1024 * 1024, len - off);
            g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (all, off, size);
            soup_message_body_append_bytes (response_body, chunk);
          }
        soup_message_body_complete (response_body);
      }
      return;

    case REPLY_NORMAL:
    default:
      break;
    }

  soup_server_message_set_status (msg, c->status, NULL);
  if (c->header_name != NULL)
    soup_message_headers_replace (response_headers, c->header_name, c->header_value);
  if (c->body != NULL)
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (c->body, &len);

      soup_server_message_set_response (msg, c->content_type, SOUP_MEMORY_COPY, data, len);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);

  f->canned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, canned_free);
  f->requests = g_ptr_array_new_with_free_func (recorded_free);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->cancellable = g_cancellable_new ();

  f->server = soup_server_new ("server-header", "sc-test-server", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->client = sc_platform_client_new (f->base_url);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_assert_null (f->result);
  g_assert_finalize_object (f->client);

  for (guint i = 0; i < f->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (f->paused, i);

      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (f->paused, 0);

  soup_server_disconnect (f->server);
  while (g_main_context_iteration (f->context, FALSE))
    ;
  g_assert_finalize_object (f->server);

  g_clear_object (&f->cancellable);
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_clear_pointer (&f->canned, g_hash_table_unref);
  g_clear_pointer (&f->base_url, g_free);

  g_main_context_pop_thread_default (f->context);
  while (g_main_context_iteration (f->context, FALSE))
    ;
  g_clear_pointer (&f->context, g_main_context_unref);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("No answer from the client within 10 s: it hangs");
  return G_SOURCE_REMOVE;
}

/* (transfer full): iterates the test's context until the callback ran. */
static GAsyncResult *
wait_result (Fixture *f)
{
  g_autoptr(GSource) watchdog = g_timeout_source_new_seconds (10);

  g_source_set_callback (watchdog, watchdog_cb, NULL, NULL);
  g_source_attach (watchdog, f->context);

  while (f->result == NULL)
    g_main_context_iteration (f->context, TRUE);

  g_source_destroy (watchdog);
  return g_steal_pointer (&f->result);
}

static Recorded *
last_request (Fixture *f)
{
  g_assert_cmpuint (f->requests->len, >, 0);
  return g_ptr_array_index (f->requests, f->requests->len - 1);
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* Runs a lookup and returns its error (the lookup must fail). */
static GError *
lookup_error (Fixture    *f,
              const char *payload)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  GError *error = NULL;

  sc_platform_client_lookup_async (f->client, payload, NULL, store_result_cb, f);
  result = wait_result (f);
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_null (verdict);
  g_assert_nonnull (error);
  return error;
}

/* ------------------------------------------------------------------------ */

#define SESSION_JSON \
  "{\"token\":\"tok-123\",\"expires_at\":\"2030-05-01T20:00:00Z\"," \
  "\"store\":{\"id\":\"1001\",\"name\":\"示范自提点\",\"timezone\":\"Asia/Shanghai\"}," \
  "\"clerk\":{\"id\":\"1\",\"name\":\"小王\"},\"undo_window_s\":300}"

static void
test_login_ok (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  Recorded *r;

  g_test_summary ("A 201 login is parsed fully, sets the token, and later "
                  "requests carry it as a Bearer token");

  canned_add_json (f, "/v1/sessions", 201, SESSION_JSON);
  canned_add_json (f, "/v1/health", 200, "{\"status\":\"ok\",\"time\":\"2024-05-01T08:00:00Z\"}");

  g_assert_null (sc_platform_client_get_token (f->client));
  sc_platform_client_login_async (f->client, "1001", "1", "1234", NULL, store_result_cb, f);
  result = wait_result (f);
  session = sc_platform_client_login_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);

  g_assert_cmpstr (session->token, ==, "tok-123");
  g_assert_nonnull (session->expires_at);
  g_assert_cmpint (g_date_time_to_unix (session->expires_at), ==, 1903896000);
  g_assert_cmpstr (session->store_id, ==, "1001");
  g_assert_cmpstr (session->store_name, ==, "示范自提点");
  g_assert_cmpstr (session->store_timezone, ==, "Asia/Shanghai");
  g_assert_cmpstr (session->clerk_id, ==, "1");
  g_assert_cmpstr (session->clerk_name, ==, "小王");
  g_assert_cmpint (session->undo_window_s, ==, 300);
  g_assert_cmpstr (sc_platform_client_get_token (f->client), ==, "tok-123");

  r = last_request (f);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/v1/sessions");
  g_assert_null (r->authorization);
  g_assert_cmpstr (r->content_type, ==, "application/json");
  g_assert_cmpstr (r->accept, ==, "application/json");
  g_assert_true (g_str_has_prefix (r->user_agent, "store-counter/" PACKAGE_VERSION));
  body = parse_object (r->body);
  g_assert_cmpstr (json_object_get_string_member (body, "store_id"), ==, "1001");
  g_assert_cmpstr (json_object_get_string_member (body, "clerk_id"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (body, "pin"), ==, "1234");

  g_clear_object (&result);
  sc_platform_client_health_async (f->client, NULL, store_result_cb, f);
  result = wait_result (f);
  time = sc_platform_client_health_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (time), ==, 1714550400);

  r = last_request (f);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/v1/health");
  g_assert_cmpstr (r->authorization, ==, "Bearer tok-123");
}

static void
test_login_bad_credentials (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("401 bad_credentials is UNAUTHORIZED with the API code; no token is set");

  canned_add_json (f, "/v1/sessions", 401,
                   "{\"error\":{\"code\":\"bad_credentials\",\"message\":\"wrong pin\"}}");

  sc_platform_client_login_async (f->client, "1001", "1", "0000", NULL, store_result_cb, f);
  result = wait_result (f);
  session = sc_platform_client_login_finish (f->client, result, &error);
  g_assert_null (session);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "bad_credentials");
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 401);
  g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, -1);
  g_assert_false (sc_platform_error_is_transient (error));
  g_assert_null (sc_platform_client_get_token (f->client));
}

static void
test_login_missing_field (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A login answer without store.timezone is BAD_DATA naming the field");

  canned_add_json (f, "/v1/sessions", 201,
                   "{\"token\":\"t\",\"expires_at\":\"2030-05-01T20:00:00Z\","
                   "\"store\":{\"id\":\"1001\",\"name\":\"x\"},"
                   "\"clerk\":{\"id\":\"1\",\"name\":\"y\"},\"undo_window_s\":300}");

  sc_platform_client_login_async (f->client, "1001", "1", "1234", NULL, store_result_cb, f);
  result = wait_result (f);
  session = sc_platform_client_login_finish (f->client, result, &error);
  g_assert_null (session);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_nonnull (strstr (error->message, "timezone"));
  g_assert_null (sc_platform_client_get_token (f->client));
}

#define LOOKUP_JSON \
  "{\"code\":\"100000000008\",\"kind\":\"pickup\",\"status\":%s," \
  "\"valid_from\":\"2024-05-01T00:00:00Z\",\"valid_until\":\"2024-05-03T00:00:00Z\"," \
  "\"store\":{\"id\":\"1001\",\"name\":\"示范自提点\"}," \
  "\"order\":{\"order_id\":\"O-1\",\"customer_masked\":\"张*明\",\"phone_tail\":\"1234\"," \
  "\"total_fen\":%s,\"items\":%s}}"
#define LOOKUP_ITEMS "[{\"name\":\"鸡蛋\",\"quantity\":2,\"price_fen\":1500}]"

static void
test_lookup_ok (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000", LOOKUP_ITEMS);
  const ScOrderInfo *order;
  const ScOrderItem *item;

  g_test_summary ("A 200 lookup becomes a verdict with its order details");

  canned_add_json (f, "/v1/codes/lookup", 200, json);

  sc_platform_client_lookup_async (f->client, "100000000008", NULL, store_result_cb, f);
  result = wait_result (f);
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verdict);

  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_cmpint (sc_verdict_get_kind (verdict), ==, SC_CODE_KIND_PICKUP);
  g_assert_cmpstr (sc_verdict_get_code (verdict), ==, "100000000008");
  g_assert_cmpstr (sc_verdict_get_store_id (verdict), ==, "1001");
  order = sc_verdict_get_order (verdict);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->order_id, ==, "O-1");
  g_assert_cmpstr (order->customer_masked, ==, "张*明");
  g_assert_cmpstr (order->phone_tail, ==, "1234");
  g_assert_cmpint (order->total_fen, ==, 3000);
  g_assert_cmpuint (order->items->len, ==, 1);
  item = g_ptr_array_index (order->items, 0);
  g_assert_cmpstr (item->name, ==, "鸡蛋");
  g_assert_cmpint (item->quantity, ==, 2);
  g_assert_cmpint (item->price_fen, ==, 1500);

  body = parse_object (last_request (f)->body);
  g_assert_cmpstr (json_object_get_string_member (body, "payload"), ==, "100000000008");
  g_assert_cmpstr (last_request (f)->method, ==, "POST");
}

static void
test_lookup_malformed_json (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A lookup answer that is not valid JSON is BAD_DATA");

  canned_add_json (f, "/v1/codes/lookup", 200, "{\"code\": \"1000000000");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_false (sc_platform_error_is_transient (error));
}

static void
test_lookup_wrong_types (Fixture       *f,
                         gconstpointer  user_data)
{
  const struct {
    const char *status, *total, *items;
  } cases[] = {
    { "5", "3000", LOOKUP_ITEMS },
    { "\"redeemable\"", "3000", "\"eggs\"" },
    { "\"redeemable\"", "\"3000\"", LOOKUP_ITEMS },
    { "\"redeemable\"", "3000", "[{\"name\":\"x\",\"quantity\":\"2\",\"price_fen\":1}]" },
    { "\"redeemable\"", "30.5", LOOKUP_ITEMS },
    { "\"no_such_status\"", "3000", LOOKUP_ITEMS },
  };

  g_test_summary ("Members of the wrong type (status as a number, items as a string, "
                  "total_fen as a string, ...) are BAD_DATA, never a crash");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (LOOKUP_JSON, cases[i].status, cases[i].total,
                                               cases[i].items);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, json);
      canned_add_json (f, "/v1/codes/lookup", 200, json);
      error = lookup_error (f, "100000000008");
      g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
    }
}

static void
test_lookup_not_an_object (Fixture       *f,
                           gconstpointer  user_data)
{
  const char *bodies[] = { "[1,2,3]", "\"redeemable\"", "42", "null", "" };

  g_test_summary ("A top-level array, string, number, null or empty body is BAD_DATA");

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;

      canned_add_json (f, "/v1/codes/lookup", 200, bodies[i]);
      error = lookup_error (f, "100000000008");
      g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
    }
}

static void
test_lookup_html (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000", LOOKUP_ITEMS);

  g_test_summary ("A 200 with a text/html body (a captive portal) is BAD_DATA, even "
                  "when the body happens to be JSON");

  canned_add (f, "/v1/codes/lookup", 200, "text/html",
              "<html><body>Please log in to the Wi-Fi</body></html>");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_clear_error (&error);

  canned_add (f, "/v1/codes/lookup", 200, "text/html", json);
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
}

static void
test_lookup_deep_nesting (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"code\":");

  g_test_summary ("Very deeply nested JSON is BAD_DATA and does not overflow the stack");

  for (int i = 0; i < 200000; i++)
    g_string_append_c (json, '[');
  canned_add_json (f, "/v1/codes/lookup", 200, json->str);
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
}

/* Found by tests/fuzz/fuzz-verdict (corpus/verdict/lone-surrogate):
 * json-glib reads the escape "\ud800" (half of a UTF-16 pair) as bytes that
 * are not UTF-8, which went on into verdicts and error messages. */
static void
test_lookup_lone_surrogate (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A string with a lone UTF-16 surrogate escape is BAD_DATA in an answer and "
                  "dropped from an error; a proper pair reads as its character");

  canned_add_json (f, "/v1/codes/lookup", 200,
                   "{\"code\":\"100000000008\",\"kind\":\"pickup\","
                   "\"status\":\"redeemable\",\"reason\":\"ok \\ud800 there\"}");
  error = lookup_error (f, "100000000008");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_clear_error (&error);

  canned_add_json (f, "/v1/codes/lookup", 500,
                   "{\"error\":{\"code\":\"internal\",\"message\":\"db \\udfff locked\"}}");
  error = lookup_error (f, "100000000008");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_null (strstr (error->message, "locked"));
  g_clear_error (&error);

  canned_add_json (f, "/v1/codes/lookup", 200,
                   "{\"code\":\"100000000008\",\"kind\":\"pickup\","
                   "\"status\":\"redeemable\",\"reason\":\"ok \\ud83d\\ude00\"}");
  sc_platform_client_lookup_async (f->client, "100000000008", NULL, store_result_cb, f);
  result = wait_result (f);
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, "ok \U0001F600");
}

static void
test_server_error_json (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("500 with a JSON error is SERVER and shows the server's message");

  canned_add_json (f, "/v1/codes/lookup", 500,
                   "{\"error\":{\"code\":\"internal\",\"message\":\"database is locked\"}}");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "database is locked"));
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "internal");
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 500);
  g_assert_true (sc_platform_error_is_transient (error));
}

static void
test_server_error_html (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("500 with an HTML page is SERVER, without an API code");

  canned_add (f, "/v1/codes/lookup", 502, "text/html", "<h1>Bad Gateway</h1>");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_null (sc_platform_error_get_api_code (error));
  g_assert_null (strstr (error->message, "Bad Gateway"));
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 502);
  g_clear_error (&error);

  canned_add (f, "/v1/codes/lookup", 500, "text/html", "<h1>Oops</h1>");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 500);
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  Canned *c;

  g_test_summary ("429 with Retry-After: 7 is RATE_LIMITED with retry_after 7");

  c = canned_add_json (f, "/v1/codes/lookup", 429,
                       "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");
  c->header_name = g_strdup ("Retry-After");
  c->header_value = g_strdup ("7");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_RATE_LIMITED);
  g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, 7);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "rate_limited");
  g_assert_true (sc_platform_error_is_transient (error));
}

static void
test_unavailable_retry_after (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  int retry_after;
  Canned *c;

  g_test_summary ("503 is SERVER and keeps Retry-After, as seconds or as an HTTP date");

  c = canned_add (f, "/v1/codes/lookup", 503, "text/plain", "maintenance");
  c->header_name = g_strdup ("Retry-After");
  c->header_value = g_strdup ("30");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, 30);
  g_assert_true (sc_platform_error_is_transient (error));
  g_clear_error (&error);

  c = canned_add (f, "/v1/codes/lookup", 503, "text/plain", "maintenance");
  c->header_name = g_strdup ("Retry-After");
  c->header_value = g_strdup (http_date);
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  retry_after = sc_platform_error_get_retry_after (error);
  g_assert_cmpint (retry_after, >=, 110);
  g_assert_cmpint (retry_after, <=, 120);
  g_clear_error (&error);

  c = canned_add (f, "/v1/codes/lookup", 503, "text/plain", "maintenance");
  c->header_name = g_strdup ("Retry-After");
  c->header_value = g_strdup ("soon");
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, -1);
}

static ScRedemption *
new_redemption (void)
{
  ScRedemption *r = sc_redemption_new ("500000000002", "500000000002",
                                       SC_CODE_KIND_COUPON, "scanner");

  r->scanned_at = 1714550400;  /* 2024-05-01T08:00:00Z */
  r->bill_fen = 12000;
  r->offline = TRUE;
  return r;
}

static void
test_redeem_ok (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScRedemption) sent = new_redemption ();
  g_autoptr(ScRedemption) synced = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  Recorded *r;

  g_test_summary ("A 201 redeem gives a SYNCED copy with redeemed_at and the discount; "
                  "the request carries Idempotency-Key = redemption id and the fields");

  answer = g_strdup_printf ("{\"redemption_id\":\"%s\",\"code\":\"500000000002\","
                            "\"kind\":\"coupon\",\"redeemed_at\":\"2024-05-01T08:00:05Z\","
                            "\"bill_fen\":12000,\"discount_fen\":2000}", sent->id);
  canned_add_json (f, "/v1/redemptions", 201, answer);
  sc_platform_client_set_token (f->client, "tok-9");

  sc_platform_client_redeem_async (f->client, sent, NULL, store_result_cb, f);
  result = wait_result (f);
  synced = sc_platform_client_redeem_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (synced);
  g_assert_true (synced != sent);
  g_assert_cmpstr (synced->id, ==, sent->id);
  g_assert_cmpint (synced->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpint (synced->redeemed_at, ==, 1714550405);
  g_assert_cmpint (synced->discount_fen, ==, 2000);
  g_assert_cmpint (synced->bill_fen, ==, 12000);
  g_assert_cmpint (sent->state, ==, SC_REDEMPTION_STATE_PENDING);

  r = last_request (f);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/v1/redemptions");
  g_assert_cmpstr (r->idempotency_key, ==, sent->id);
  g_assert_cmpstr (r->authorization, ==, "Bearer tok-9");
  g_assert_cmpstr (r->content_type, ==, "application/json");
  body = parse_object (r->body);
  g_assert_cmpstr (json_object_get_string_member (body, "redemption_id"), ==, sent->id);
  g_assert_cmpstr (json_object_get_string_member (body, "payload"), ==, "500000000002");
  g_assert_cmpstr (json_object_get_string_member (body, "source"), ==, "scanner");
  g_assert_cmpstr (json_object_get_string_member (body, "scanned_at"), ==, "2024-05-01T08:00:00Z");
  g_assert_true (json_object_get_boolean_member (body, "offline"));
  g_assert_cmpint (json_object_get_int_member (body, "bill_fen"), ==, 12000);
}

static void
test_redeem_wrong_id (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScRedemption) sent = new_redemption ();
  g_autoptr(ScRedemption) synced = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A 201 about another redemption id is BAD_DATA, not a success");

  canned_add_json (f, "/v1/redemptions", 201,
                   "{\"redemption_id\":\"someone-else\",\"redeemed_at\":\"2024-05-01T08:00:05Z\"}");
  sc_platform_client_redeem_async (f->client, sent, NULL, store_result_cb, f);
  result = wait_result (f);
  synced = sc_platform_client_redeem_finish (f->client, result, &error);
  g_assert_null (synced);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_nonnull (strstr (error->message, "redemption_id"));
}

static void
test_redeem_conflict (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScRedemption) sent = new_redemption ();
  g_autoptr(ScRedemption) synced = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  JsonObject *details;
  JsonObject *redeemed;

  g_test_summary ("409 already_redeemed is CONFLICT with the API code and its details");

  canned_add_json (f, "/v1/redemptions", 409,
                   "{\"error\":{\"code\":\"already_redeemed\",\"message\":\"已核销\","
                   "\"details\":{\"redeemed\":{\"redemption_id\":\"r-0\","
                   "\"at\":\"2024-05-01T07:00:00Z\",\"store\":{\"id\":\"1001\",\"name\":\"s\"},"
                   "\"clerk\":{\"id\":\"2\",\"name\":\"c\"}}}}}");
  sc_platform_client_redeem_async (f->client, sent, NULL, store_result_cb, f);
  result = wait_result (f);
  synced = sc_platform_client_redeem_finish (f->client, result, &error);
  g_assert_null (synced);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "already_redeemed");
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 409);
  g_assert_false (sc_platform_error_is_transient (error));
  details = sc_platform_error_get_details (error);
  g_assert_nonnull (details);
  redeemed = json_object_get_object_member (details, "redeemed");
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (json_object_get_string_member (redeemed, "redemption_id"), ==, "r-0");

  /* The extended data survives g_error_copy(). */
  copy = g_error_copy (error);
  g_assert_cmpstr (sc_platform_error_get_api_code (copy), ==, "already_redeemed");
  g_assert_true (sc_platform_error_get_details (copy) == details);
}

static void
test_reverse_ok (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 reversed_at = 0;
  Recorded *r;

  g_test_summary ("A 200 reversal returns the platform's reversal time; the request "
                  "carries the given Idempotency-Key");

  canned_add_json (f, "/v1/redemptions/r-1/reversal", 200,
                   "{\"redemption_id\":\"r-1\",\"reversed_at\":\"2024-05-01T08:01:00Z\"}");
  sc_platform_client_reverse_async (f->client, "r-1", "undo-key-1", NULL, store_result_cb, f);
  result = wait_result (f);
  g_assert_true (sc_platform_client_reverse_finish (f->client, result, &reversed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reversed_at, ==, 1714550460);

  r = last_request (f);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->idempotency_key, ==, "undo-key-1");
}

static void
test_keep_alive (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autofree char *lookup = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000", LOOKUP_ITEMS);
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);

  g_test_summary ("Lookups, redeems and reversals (safe to send again: read-only or with an "
                  "Idempotency-Key) reuse one kept-alive connection; libsoup opens a new one "
                  "for every other POST");

  canned_add_json (f, "/v1/codes/lookup", 200, lookup);
  canned_add_json (f, "/v1/health", 200, "{\"status\":\"ok\",\"time\":\"2024-05-01T08:00:00Z\"}");
  canned_add_json (f, "/v1/redemptions/r-1/reversal", 200,
                   "{\"redemption_id\":\"r-1\",\"reversed_at\":\"2024-05-01T08:01:00Z\"}");
  sc_platform_client_set_token (f->client, "tok-9");

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(ScRedemption) sent = new_redemption ();
      g_autofree char *answer = g_strdup_printf ("{\"redemption_id\":\"%s\",\"code\":"
                                                 "\"500000000002\",\"kind\":\"coupon\","
                                                 "\"redeemed_at\":\"2024-05-01T08:00:05Z\"}",
                                                 sent->id);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ScVerdict) verdict = NULL;
      g_autoptr(ScRedemption) synced = NULL;
      g_autoptr(GDateTime) now = NULL;
      g_autoptr(GError) error = NULL;

      sc_platform_client_health_async (f->client, NULL, store_result_cb, f);
      result = wait_result (f);
      now = sc_platform_client_health_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);

      sc_platform_client_lookup_async (f->client, "100000000008", NULL, store_result_cb, f);
      result = wait_result (f);
      verdict = sc_platform_client_lookup_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);

      canned_add_json (f, "/v1/redemptions", 201, answer);
      sc_platform_client_redeem_async (f->client, sent, NULL, store_result_cb, f);
      result = wait_result (f);
      synced = sc_platform_client_redeem_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);

      sc_platform_client_reverse_async (f->client, "r-1", sent->id, NULL, store_result_cb, f);
      result = wait_result (f);
      g_assert_true (sc_platform_client_reverse_finish (f->client, result, NULL, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (f->requests->len, ==, 16);
  for (guint i = 0; i < f->requests->len; i++)
    {
      Recorded *r = g_ptr_array_index (f->requests, i);

      g_hash_table_add (ports, GUINT_TO_POINTER (r->remote_port));
    }
  g_test_message ("16 calls came on %u connections", g_hash_table_size (ports));
  g_assert_cmpuint (g_hash_table_size (ports), ==, 1);
}

static void
test_reverse_window_passed (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 reversed_at = 0;

  g_test_summary ("409 undo_window_passed on a reversal is CONFLICT with that code");

  canned_add_json (f, "/v1/redemptions/r-1/reversal", 409,
                   "{\"error\":{\"code\":\"undo_window_passed\",\"message\":\"too late\"}}");
  sc_platform_client_reverse_async (f->client, "r-1", "undo-key-1", NULL, store_result_cb, f);
  result = wait_result (f);
  g_assert_false (sc_platform_client_reverse_finish (f->client, result, &reversed_at, &error));
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "undo_window_passed");
  g_assert_cmpint (reversed_at, ==, 0);
}

static void
test_get_redemption (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScRedemption) record = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("GET /v1/redemptions/{id}: a reversed record is REVERSED with its fields; "
                  "404 is NOT_FOUND");

  canned_add_json (f, "/v1/redemptions/r-2", 200,
                   "{\"redemption_id\":\"r-2\",\"code\":\"100000000008\",\"kind\":\"pickup\","
                   "\"store_id\":\"1001\",\"clerk_id\":\"2\",\"source\":\"camera\","
                   "\"scanned_at\":\"2024-05-01T08:00:00Z\","
                   "\"redeemed_at\":\"2024-05-01T08:00:01Z\","
                   "\"offline\":false,\"reversed_at\":\"2024-05-01T08:02:00Z\"}");
  sc_platform_client_get_redemption_async (f->client, "r-2", NULL, store_result_cb, f);
  result = wait_result (f);
  record = sc_platform_client_get_redemption_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "r-2");
  g_assert_cmpstr (record->code, ==, "100000000008");
  g_assert_cmpint (record->kind, ==, SC_CODE_KIND_PICKUP);
  g_assert_cmpstr (record->store_id, ==, "1001");
  g_assert_cmpstr (record->clerk_id, ==, "2");
  g_assert_cmpstr (record->source, ==, "camera");
  g_assert_cmpint (record->scanned_at, ==, 1714550400);
  g_assert_cmpint (record->redeemed_at, ==, 1714550401);
  g_assert_cmpint (record->bill_fen, ==, -1);
  g_assert_false (record->offline);
  g_assert_cmpint (record->state, ==, SC_REDEMPTION_STATE_REVERSED);
  g_assert_cmpstr (last_request (f)->method, ==, "GET");
  g_clear_object (&result);
  g_clear_pointer (&record, sc_redemption_free);

  canned_add_json (f, "/v1/redemptions/r-3", 404,
                   "{\"error\":{\"code\":\"not_found\",\"message\":\"never seen\"}}");
  sc_platform_client_get_redemption_async (f->client, "r-3", NULL, store_result_cb, f);
  result = wait_result (f);
  record = sc_platform_client_get_redemption_finish (f->client, result, &error);
  g_assert_null (record);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "not_found");
  g_assert_false (sc_platform_error_is_transient (error));
}

static void
test_get_json (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("get_json returns the object of any GET, with its query string sent");

  canned_add_json (f, "/v1/manifest", 200, "{\"version\":4,\"orders\":[]}");
  sc_platform_client_get_json_async (f->client, "/v1/manifest?since=3", NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_json_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 4);
  g_assert_cmpstr (last_request (f)->query, ==, "since=3");
}

static void
test_manifest_page (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  g_test_summary ("The manifest page call sends since and the cursor (escaped) and gives the "
                  "page with the next cursor; a last page has none; a cursor of another type "
                  "is BAD_DATA naming it");

  canned_add_json (f, "/v1/manifest", 200,
                   "{\"version\":3,\"orders\":[],\"next_cursor\":\"3.25&x\"}");
  sc_platform_client_get_manifest_page_async (f->client, 3, "2.1 5", NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_manifest_page_finish (f->client, result, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 3);
  g_assert_cmpstr (next, ==, "3.25&x");
  g_assert_cmpstr (last_request (f)->query, ==, "since=3&cursor=2.1%205");
  g_clear_object (&result);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&next, g_free);

  canned_add_json (f, "/v1/manifest", 200,
                   "{\"version\":4,\"orders\":[],\"next_cursor\":null}");
  sc_platform_client_get_manifest_page_async (f->client, 3, NULL, NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_manifest_page_finish (f->client, result, &next, &error);
  g_assert_no_error (error);
  g_assert_null (next);
  g_assert_cmpstr (last_request (f)->query, ==, "since=3");
  g_clear_object (&result);
  g_clear_pointer (&object, json_object_unref);

  canned_add_json (f, "/v1/manifest", 200, "{\"version\":4,\"orders\":[],\"next_cursor\":7}");
  sc_platform_client_get_manifest_page_async (f->client, 0, NULL, NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_manifest_page_finish (f->client, result, &next, &error);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_nonnull (strstr (error->message, "next_cursor"));
  g_assert_null (object);
  g_assert_null (next);
}

static void
test_demo_codes (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  const ScDemoCode *code;

  g_test_summary ("The demo codes call keeps the entries with payload, status and kind; "
                  "no codes array is BAD_DATA");

  canned_add_json (f, "/v1/admin/demo-codes", 200,
                   "{\"codes\":[{\"payload\":\"1\",\"status\":\"redeemable\","
                   "\"kind\":\"pickup\",\"note\":\"n\"},7,{\"payload\":\"2\"},"
                   "{\"payload\":\"3\",\"status\":\"expired\",\"kind\":\"coupon\","
                   "\"note\":5}]}");
  sc_platform_client_get_demo_codes_async (f->client, NULL, store_result_cb, f);
  result = wait_result (f);
  codes = sc_platform_client_get_demo_codes_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 2);
  code = g_ptr_array_index (codes, 0);
  g_assert_cmpstr (code->payload, ==, "1");
  g_assert_cmpstr (code->status, ==, "redeemable");
  g_assert_cmpstr (code->kind, ==, "pickup");
  g_assert_cmpstr (code->note, ==, "n");
  code = g_ptr_array_index (codes, 1);
  g_assert_cmpstr (code->payload, ==, "3");
  g_assert_null (code->note);
  g_assert_cmpstr (last_request (f)->path, ==, "/v1/admin/demo-codes");
  g_clear_object (&result);
  g_clear_pointer (&codes, g_ptr_array_unref);

  canned_add_json (f, "/v1/admin/demo-codes", 200, "{\"codes\":{}}");
  sc_platform_client_get_demo_codes_async (f->client, NULL, store_result_cb, f);
  result = wait_result (f);
  codes = sc_platform_client_get_demo_codes_finish (f->client, result, &error);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_null (codes);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  g_test_summary ("A platform that never answers is TIMEOUT after request-timeout, not a hang");

  canned_add_mode (f, "/v1/codes/lookup", REPLY_PAUSE);
  sc_platform_client_set_request_timeout (f->client, 300);

  start = g_get_monotonic_time ();
  error = lookup_error (f, "100000000008");
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT);
  g_assert_true (sc_platform_error_is_transient (error));
  g_assert_cmpint (elapsed, >=, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (f->paused->len, ==, 1);
}

static void
test_closed_port (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(SoupServer) other = soup_server_new ("server-header", "sc-test-closed", NULL);
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GDateTime *time;
  GSList *uris;

  g_test_summary ("A port nobody listens on is NETWORK, transient, with a plain message");

  soup_server_listen_local (other, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (other);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_disconnect (other);

  client = sc_platform_client_new (url);
  sc_platform_client_health_async (client, NULL, store_result_cb, f);
  result = wait_result (f);
  time = sc_platform_client_health_finish (client, result, &error);
  g_assert_null (time);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK);
  g_assert_true (sc_platform_error_is_transient (error));
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 0);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_bad_base_url (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(ScPlatformClient) client = sc_platform_client_new ("not a url");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *time;

  g_test_summary ("An unusable platform address fails with NETWORK, never a crash");

  sc_platform_client_health_async (client, NULL, store_result_cb, f);
  result = wait_result (f);
  time = sc_platform_client_health_finish (client, result, &error);
  g_assert_null (time);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Cancelling while the platform is thinking gives G_IO_ERROR_CANCELLED");

  canned_add_mode (f, "/v1/codes/lookup", REPLY_PAUSE_AND_CANCEL);
  sc_platform_client_lookup_async (f->client, "100000000008", f->cancellable,
                                   store_result_cb, f);
  result = wait_result (f);
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_null (verdict);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->paused->len, ==, 1);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("An already cancelled cancellable gives G_IO_ERROR_CANCELLED at once");

  canned_add_json (f, "/v1/codes/lookup", 200, "{}");
  g_cancellable_cancel (f->cancellable);
  sc_platform_client_lookup_async (f->client, "100000000008", f->cancellable,
                                   store_result_cb, f);
  result = wait_result (f);
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_null (verdict);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_huge_body (Fixture       *f,
                gconstpointer  user_data)
{
  ReplyMode mode = GPOINTER_TO_INT (user_data);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A body over 8 MiB (announced or chunked) is BAD_DATA");

  canned_add_mode (f, "/v1/manifest", mode);
  sc_platform_client_get_json_async (f->client, "/v1/manifest", NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_json_finish (f->client, result, &error);
  g_assert_null (object);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
  g_assert_false (sc_platform_error_is_transient (error));
}

static void
test_status_mapping (Fixture       *f,
                     gconstpointer  user_data)
{
  const struct {
    guint status;
    ScPlatformError code;
  } cases[] = {
    { 400, SC_PLATFORM_ERROR_REJECTED },
    { 401, SC_PLATFORM_ERROR_UNAUTHORIZED },
    { 403, SC_PLATFORM_ERROR_FORBIDDEN },
    { 404, SC_PLATFORM_ERROR_NOT_FOUND },
    { 409, SC_PLATFORM_ERROR_CONFLICT },
    { 410, SC_PLATFORM_ERROR_GONE },
    { 422, SC_PLATFORM_ERROR_REJECTED },
    { 429, SC_PLATFORM_ERROR_RATE_LIMITED },
    { 500, SC_PLATFORM_ERROR_SERVER },
    { 504, SC_PLATFORM_ERROR_SERVER },
  };

  g_test_summary ("Each HTTP status maps to its error code; 401 without bad_credentials "
                  "says the session expired");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      canned_add_json (f, "/v1/codes/lookup", cases[i].status,
                       "{\"error\":{\"code\":\"session_expired\"}}");
      error = lookup_error (f, "100000000008");
      g_assert_error (error, SC_PLATFORM_ERROR, (int) cases[i].code);
      g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, cases[i].status);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_is_transient (void)
{
  const struct {
    ScPlatformError code;
    gboolean transient;
  } cases[] = {
    { SC_PLATFORM_ERROR_NETWORK, TRUE },
    { SC_PLATFORM_ERROR_TIMEOUT, TRUE },
    { SC_PLATFORM_ERROR_UNAUTHORIZED, FALSE },
    { SC_PLATFORM_ERROR_FORBIDDEN, FALSE },
    { SC_PLATFORM_ERROR_NOT_FOUND, FALSE },
    { SC_PLATFORM_ERROR_CONFLICT, FALSE },
    { SC_PLATFORM_ERROR_GONE, FALSE },
    { SC_PLATFORM_ERROR_REJECTED, FALSE },
    { SC_PLATFORM_ERROR_RATE_LIMITED, TRUE },
    { SC_PLATFORM_ERROR_SERVER, TRUE },
    { SC_PLATFORM_ERROR_BAD_DATA, FALSE },
  };
  g_autoptr(GError) io_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  g_test_summary ("is_transient is TRUE only for network, timeout, 429 and 5xx; the "
                  "accessors give their defaults for other errors");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (SC_PLATFORM_ERROR, cases[i].code, "x");

      g_assert_cmpint (sc_platform_error_is_transient (error), ==, cases[i].transient);
      g_assert_null (sc_platform_error_get_api_code (error));
      g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, -1);
    }

  g_assert_false (sc_platform_error_is_transient (io_error));
  g_assert_false (sc_platform_error_is_transient (NULL));
  g_assert_null (sc_platform_error_get_api_code (io_error));
  g_assert_null (sc_platform_error_get_details (io_error));
  g_assert_cmpint (sc_platform_error_get_retry_after (io_error), ==, -1);
  g_assert_cmpuint (sc_platform_error_get_http_status (io_error), ==, 0);
}

/* GLib 2.74's g_set_user_dirs() (G_TEST_OPTION_ISOLATE_DIRS) leaks the
 * previous directory strings on purpose; tell LeakSanitizer, when linked in,
 * so that any leak of ours still fails the test. The suppression needs full
 * stacks: libglib has no frame pointers for the fast unwinder. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_set_user_dirs\n";
}

/* ---- Answers large enough to be parsed on a worker thread ---- */

#define BIG_ITEMS 2000   /* about 90 KiB: well over the inline parse limit */

/* (transfer full): an items array of @n items; the last one is @last. */
static char *
big_items (guint       n,
           const char *last)
{
  GString *items = g_string_new ("[");

  for (guint i = 0; i + 1 < n; i++)
    g_string_append_printf (items, "{\"name\":\"鸡蛋 %u\",\"quantity\":%u,\"price_fen\":1500},",
                            i, i % 9 + 1);
  g_string_append (items, last);
  g_string_append_c (items, ']');
  return g_string_free (items, FALSE);
}

typedef struct
{
  Fixture *f;
  GThread *thread;  /* (unowned) where the callback ran */
} ThreadCheck;

static void
thread_result_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ThreadCheck *check = user_data;

  check->thread = g_thread_self ();
  store_result_cb (source, result, check->f);
}

static void
test_big_lookup_ok (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *items = big_items (BIG_ITEMS,
                                      "{\"name\":\"最后\",\"quantity\":7,\"price_fen\":99}");
  g_autofree char *json = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000", items);
  ThreadCheck check = { f, NULL };
  const ScOrderInfo *order;
  const ScOrderItem *item;

  g_test_summary ("A large answer, parsed off the main thread, gives the same verdict, "
                  "back on the caller's thread");

  g_assert_cmpuint (strlen (json), >, 64 * 1024);
  canned_add_json (f, "/v1/codes/lookup", 200, json);
  sc_platform_client_lookup_async (f->client, "100000000008", NULL, thread_result_cb, &check);
  result = wait_result (f);
  g_assert_true (check.thread == g_thread_self ());
  verdict = sc_platform_client_lookup_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  order = sc_verdict_get_order (verdict);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->order_id, ==, "O-1");
  g_assert_cmpuint (order->items->len, ==, BIG_ITEMS);
  item = g_ptr_array_index (order->items, 1);
  g_assert_cmpstr (item->name, ==, "鸡蛋 1");
  g_assert_cmpint (item->quantity, ==, 2);
  item = g_ptr_array_index (order->items, BIG_ITEMS - 1);
  g_assert_cmpstr (item->name, ==, "最后");
  g_assert_cmpint (item->quantity, ==, 7);
  g_assert_cmpint (item->price_fen, ==, 99);
}

static void
test_big_bad_answers (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autofree char *bad_item = big_items (BIG_ITEMS,
                                         "{\"name\":\"x\",\"quantity\":\"2\",\"price_fen\":1}");
  g_autofree char *good_items = big_items (BIG_ITEMS,
                                           "{\"name\":\"x\",\"quantity\":2,\"price_fen\":1}");
  g_autofree char *wrong_type = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000",
                                                 bad_item);
  g_autofree char *truncated = g_strdup_printf (LOOKUP_JSON, "\"redeemable\"", "3000",
                                                good_items);
  g_autofree char *array = g_strdup_printf ("[%s]", good_items);
  g_autoptr(GString) deep = g_string_new ("{\"pad\":\"");
  const char *bodies[4];

  g_test_summary ("Large answers that are cut short, not an object, too deep or wrongly "
                  "typed are BAD_DATA, as small ones are");

  truncated[strlen (truncated) - 3] = '\0';
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (deep, 'x');
  g_string_append (deep, "\",\"a\":");
  for (guint i = 0; i < 200; i++)
    g_string_append_c (deep, '[');
  bodies[0] = wrong_type;
  bodies[1] = truncated;
  bodies[2] = array;
  bodies[3] = deep->str;

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT " bytes", i,
                      strlen (bodies[i]));
      g_assert_cmpuint (strlen (bodies[i]), >, 16 * 1024);
      canned_add_json (f, "/v1/codes/lookup", 200, bodies[i]);
      error = lookup_error (f, "100000000008");
      g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
      g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, i == 0 ? 200 : 0);
      g_assert_false (sc_platform_error_is_transient (error));
    }
}

static void
test_big_error_body (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"error\":{\"code\":\"internal\","
                                          "\"message\":\"database is locked\","
                                          "\"details\":{\"trace\":\"");

  g_test_summary ("A large JSON error body still maps by status with the server's message "
                  "and code; a large broken one maps by status alone");

  for (guint i = 0; i < 40000; i++)
    g_string_append_c (json, 'x');
  g_string_append (json, "\"}}}");
  canned_add_json (f, "/v1/codes/lookup", 500, json->str);
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "database is locked"));
  g_assert_cmpstr (sc_platform_error_get_api_code (error), ==, "internal");
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 500);
  g_assert_nonnull (sc_platform_error_get_details (error));
  g_assert_cmpuint (strlen (json_object_get_string_member (sc_platform_error_get_details (error),
                                                           "trace")), ==, 40000);
  g_clear_error (&error);

  /* Cut short: not JSON any more. */
  g_string_truncate (json, json->len - 2);
  canned_add_json (f, "/v1/codes/lookup", 409, json->str);
  error = lookup_error (f, "100000000008");
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT);
  g_assert_null (sc_platform_error_get_api_code (error));
  g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, 409);
}

static void
cancel_on_finished_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
}

static void
test_big_cancel (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *items = big_items (40 * BIG_ITEMS, "1");
  g_autofree char *json = g_strdup_printf ("{\"version\":4,\"orders\":%s}", items);
  gulong handler;

  g_test_summary ("Cancelling as a large answer finishes arriving (while it is read or "
                  "parsed) gives G_IO_ERROR_CANCELLED, never the answer");

  canned_add_json (f, "/v1/manifest", 200, json);
  handler = g_signal_connect (f->server, "request-finished",
                              G_CALLBACK (cancel_on_finished_cb), f->cancellable);
  sc_platform_client_get_json_async (f->client, "/v1/manifest", f->cancellable,
                                     store_result_cb, f);
  result = wait_result (f);
  g_signal_handler_disconnect (f->server, handler);
  g_assert_true (g_cancellable_is_cancelled (f->cancellable));
  object = sc_platform_client_get_json_finish (f->client, result, &error);
  g_assert_null (object);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_big_get_json (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *items = big_items (10 * BIG_ITEMS, "{\"name\":\"z\"}");
  g_autofree char *json = g_strdup_printf ("{\"version\":4,\"orders\":%s}", items);
  JsonArray *orders;

  g_test_summary ("get_json returns a large object whole, with a request timer armed");

  canned_add_json (f, "/v1/manifest", 200, json);
  sc_platform_client_set_request_timeout (f->client, 5000);
  sc_platform_client_get_json_async (f->client, "/v1/manifest", NULL, store_result_cb, f);
  result = wait_result (f);
  object = sc_platform_client_get_json_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 4);
  orders = json_object_get_array_member (object, "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 10 * BIG_ITEMS);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     orders, 10 * BIG_ITEMS - 1), "name"), ==, "z");
}

int
main (int   argc,
      char *argv[])
{
  /* Only loopback is used here: keep the system's proxy settings (and the
   * GSettings schemas they need, hidden by ISOLATE_DIRS) out of it. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/platform-client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("login/ok", test_login_ok);
  ADD ("login/bad-credentials", test_login_bad_credentials);
  ADD ("login/missing-field", test_login_missing_field);
  ADD ("lookup/ok", test_lookup_ok);
  ADD ("lookup/malformed-json", test_lookup_malformed_json);
  ADD ("lookup/wrong-types", test_lookup_wrong_types);
  ADD ("lookup/not-an-object", test_lookup_not_an_object);
  ADD ("lookup/html", test_lookup_html);
  ADD ("lookup/deep-nesting", test_lookup_deep_nesting);
  ADD ("lookup/lone-surrogate", test_lookup_lone_surrogate);
  ADD ("errors/server-json", test_server_error_json);
  ADD ("errors/server-html", test_server_error_html);
  ADD ("errors/rate-limited", test_rate_limited);
  ADD ("errors/unavailable-retry-after", test_unavailable_retry_after);
  ADD ("errors/status-mapping", test_status_mapping);
  ADD ("redeem/ok", test_redeem_ok);
  ADD ("redeem/wrong-id", test_redeem_wrong_id);
  ADD ("redeem/conflict", test_redeem_conflict);
  ADD ("reverse/ok", test_reverse_ok);
  ADD ("reverse/window-passed", test_reverse_window_passed);
  ADD ("transport/keep-alive", test_keep_alive);
  ADD ("get-redemption", test_get_redemption);
  ADD ("get-json", test_get_json);
  ADD ("manifest-page", test_manifest_page);
  ADD ("demo-codes", test_demo_codes);
  ADD ("transport/timeout", test_timeout);
  ADD ("transport/closed-port", test_closed_port);
  ADD ("transport/bad-base-url", test_bad_base_url);
  ADD ("cancel/in-flight", test_cancel_in_flight);
  ADD ("cancel/before", test_cancel_before);
  g_test_add ("/platform-client/body/huge-length", Fixture, GINT_TO_POINTER (REPLY_HUGE_LENGTH),
              fixture_setup, test_huge_body, fixture_teardown);
  g_test_add ("/platform-client/body/huge-chunked", Fixture, GINT_TO_POINTER (REPLY_HUGE_CHUNKED),
              fixture_setup, test_huge_body, fixture_teardown);
  ADD ("big/lookup-ok", test_big_lookup_ok);
  ADD ("big/bad-answers", test_big_bad_answers);
  ADD ("big/error-body", test_big_error_body);
  ADD ("big/cancel", test_big_cancel);
  ADD ("big/get-json", test_big_get_json);
  g_test_add_func ("/platform-client/errors/is-transient", test_is_transient);

#undef ADD

  return g_test_run ();
}
