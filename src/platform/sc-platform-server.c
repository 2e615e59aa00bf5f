/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-server.h"

#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sc-platform-codes.h"
#include "sc-platform-refusal.h"
#include "sc-platform-server-private.h"
#include "sc-platform-request.h"
#include "sc-secret.h"
#include "sc-time.h"

#define MAX_BODY_BYTES  SC_PLATFORM_MAX_BODY_BYTES
#define MAX_ID_LENGTH   128
#define MANIFEST_PAGE_DEFAULT 250
#define MANIFEST_PAGE_MAX     10000
#define ORDERS_PAGE_DEFAULT   50
#define ORDERS_PAGE_MAX       200

G_DEFINE_FINAL_TYPE (ScPlatformServer, sc_platform_server, G_TYPE_OBJECT)

void
call_free (Call *call)
{
  if (call->login_keys[0] != NULL)
    login_attempts_settle (call, 0);
  call->self->n_pending--;
  g_clear_pointer (&call->login_req, sc_platform_request_free);
  g_clear_signal_handler (&call->disconnected_id, call->msg);
  g_clear_object (&call->self);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->path, g_free);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call);
}

void
call_pause (Call *call)
{
  if (!call->paused)
    {
      soup_server_message_pause (call->msg);
      call->paused = TRUE;
    }
}

static gboolean
hang_done_cb (gpointer user_data)
{
  g_autoptr(Call) call = user_data;

  if (call->paused && !call->gone && !call->self->stopped)
    soup_server_message_unpause (call->msg);
  return G_SOURCE_REMOVE;
}

/* Sends @reply and frees @call. */
void
call_respond (Call            *call,
              ScPlatformReply *reply)
{
  g_autoptr(Call) owned = call;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  gsize len = strlen (reply->body);

  /* An injected hang: the work is done (committed), the answer waits, so
   * that the client times out not knowing whether it arrived. */
  if (call->hang_ms > 0)
    call_pause (call);

  if (call->login_keys[0] != NULL)
    login_attempts_settle (call, reply->status);

  soup_server_message_set_status (call->msg, reply->status, NULL);
  if (reply->status == 429 || reply->status == 503)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", MAX (reply->retry_after_s, 1));

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* Every connection carries one call (see sc_platform_server_listen). */
  soup_message_headers_replace (headers, "Connection", "close");
  if (len > 0)
    soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&reply->body), len);

  if (call->self->verbose)
    g_printerr ("%s %s -> %u\n", soup_server_message_get_method (call->msg), call->path,
                reply->status);

  if (call->hang_ms > 0)
    {
      g_timeout_add (call->hang_ms, hang_done_cb, g_steal_pointer (&owned));
      return;
    }
  if (call->paused && !call->gone && !call->self->stopped)
    soup_server_message_unpause (call->msg);
}

void
call_respond_error (Call       *call,
                    guint       status,
                    const char *code,
                    const char *message)
{
  g_autoptr(ScPlatformReply) reply = sc_platform_reply_new_error (status, code, message, NULL);

  call_respond (call, reply);
}

void
call_respond_json (Call     *call,
                   guint     status,
                   JsonNode *body)
{
  g_autoptr(ScPlatformReply) reply = sc_platform_reply_new (status, body);

  call_respond (call, reply);
}

gint64
sc_platform_server_now (ScPlatformServer *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), 0);

  return sc_time_now_unix () + self->clock_offset_s;
}

char *
bearer_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  auth += 7;
  while (*auth == ' ')
    auth++;
  return *auth != '\0' ? g_strstrip (g_strdup (auth)) : NULL;
}

/* ---- JSON bodies (read by sc-platform-request.c) ---- */

/* Answers @error (of SC_PLATFORM_REQUEST_ERROR) and frees @call. */
static void
call_respond_gerror (Call   *call,
                     GError *error)
{
  const char *code;
  guint status = sc_platform_request_error_status (error, &code);

  call_respond_error (call, status, code, error->message);
}

static GBytes *
call_dup_body (Call *call)
{
  SoupMessageBody *body = soup_server_message_get_request_body (call->msg);

  return body != NULL ? soup_message_body_flatten (body) : NULL;
}

/* The request body as a JSON object, or NULL after answering 400. */
JsonObject *
call_read_object (Call *call)
{
  g_autoptr(GBytes) bytes = call_dup_body (call);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  object = sc_platform_read_object (data, len, &error);
  if (object == NULL)
    call_respond_gerror (call, error);
  return object;
}

/* The request of @op read from the body, or NULL after answering 400. */
ScPlatformRequest *
call_read_request (Call         *call,
                   ScPlatformOp  op)
{
  g_autoptr(GBytes) bytes = call_dup_body (call);
  g_autoptr(GError) error = NULL;
  ScPlatformRequest *req;
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  req = sc_platform_request_read (op, data, len, sc_platform_server_now (call->self), &error);
  if (req == NULL)
    {
      call_respond_gerror (call, error);
      return NULL;
    }
  req->token = bearer_token (call->msg);
  return req;
}

void
respond_bad_field (Call       *call,
                   const char *name,
                   const char *what)
{
  g_autoptr(GError) error = NULL;

  sc_platform_set_bad_field (&error, name, what);
  call_respond_gerror (call, error);
}

/* TRUE with *out_present and *out; FALSE after a 400. */
gboolean
field_int (Call        *call,
           JsonObject  *object,
           const char  *name,
           gint64       min,
           gint64       max,
           gboolean    *out_present,
           gint64      *out)
{
  g_autoptr(GError) error = NULL;

  if (sc_platform_field_int (object, name, min, max, out_present, out, &error))
    return TRUE;
  call_respond_gerror (call, error);
  return FALSE;
}

/* A number from 0 to 1, @def when absent; FALSE after a 400. */
gboolean
field_rate (Call       *call,
            JsonObject *object,
            const char *name,
            double      def,
            double     *out)
{
  g_autoptr(GError) error = NULL;

  if (sc_platform_field_rate (object, name, def, out, &error))
    return TRUE;
  call_respond_gerror (call, error);
  return FALSE;
}

/* ---- store calls ---- */

static void
store_call_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(ScPlatformReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = sc_platform_store_call_finish (SC_PLATFORM_STORE (source), result, &error);
  if (reply == NULL)
    {
      g_warning ("Request %s failed: %s", call->path, error->message);
      if (g_error_matches (error, SC_DB_ERROR, SC_DB_ERROR_BUSY))
        call_respond_error (call, 503, "busy", _("The platform is busy. Try again."));
      else
        call_respond_error (call, 500, "server_error", _("The platform had a problem."));
      return;
    }
  call_respond (call, reply);
}

void
call_run (Call              *call,
          ScPlatformRequest *req)
{
  call_pause (call);
  sc_platform_store_call_async (call->self->store, req, store_call_cb, call);
}

ScPlatformRequest *
call_new_request (Call         *call,
                  ScPlatformOp  op)
{
  ScPlatformRequest *req = sc_platform_request_new (op, sc_platform_server_now (call->self));

  req->token = bearer_token (call->msg);
  return req;
}

/* ---- handlers ---- */

static void
handle_health (Call *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (sc_platform_server_now (call->self));
  g_autofree char *time = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "platform_id");
  json_builder_add_string_value (b, sc_platform_store_get_platform_id (call->self->store));
  json_builder_end_object (b);
  call_respond_json (call, 200, json_builder_get_root (b));
}

static void
handle_login (Call *call)
{
  ScPlatformRequest *req = call_read_request (call, SC_PLATFORM_OP_LOGIN);

  if (req != NULL)
    login_try (call, req);
}

static void
handle_logout (Call *call)
{
  call_run (call, call_new_request (call, SC_PLATFORM_OP_LOGOUT));
}

static void
handle_lookup (Call *call)
{
  ScPlatformRequest *req = call_read_request (call, SC_PLATFORM_OP_LOOKUP);

  if (req != NULL)
    call_run (call, req);
}

/* The body of a call that changes state, with its Idempotency-Key; NULL
 * after a 400. */
static ScPlatformRequest *
call_read_keyed_request (Call         *call,
                         ScPlatformOp  op)
{
  ScPlatformRequest *req;
  const char *key;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (call->msg),
                                      "Idempotency-Key");
  if (key == NULL || key[0] == '\0' || strlen (key) > MAX_ID_LENGTH)
    {
      call_respond_error (call, 400, "idempotency_key_required",
                          _("The request needs an Idempotency-Key header."));
      return NULL;
    }

  req = call_read_request (call, op);
  if (req != NULL)
    req->idempotency_key = g_strdup (key);
  return req;
}

static void
handle_redeem (Call *call)
{
  ScPlatformRequest *req = call_read_keyed_request (call, SC_PLATFORM_OP_REDEEM);

  if (req != NULL)
    call_run (call, req);
}

static void
handle_order (Call       *call,
              const char *order_id)
{
  g_autoptr(ScPlatformRequest) req = call_new_request (call, SC_PLATFORM_OP_ORDER);

  req->order_id = g_strdup (order_id);
  call_run (call, g_steal_pointer (&req));
}

static void
handle_mark_missing (Call       *call,
                     const char *order_id,
                     const char *line_id)
{
  ScPlatformRequest *req = call_read_keyed_request (call, SC_PLATFORM_OP_MARK_MISSING);

  if (req == NULL)
    return;
  req->order_id = g_strdup (order_id);
  req->line_id = g_strdup (line_id);
  call_run (call, req);
}

static void
handle_redemption (Call       *call,
                   const char *id,
                   gboolean    reversal)
{
  g_autoptr(ScPlatformRequest) req = NULL;

  if (!sc_platform_valid_id (id))
    {
      call_respond_error (call, 404, "not_found", _("The platform has no such redemption."));
      return;
    }
  req = call_new_request (call, reversal ? SC_PLATFORM_OP_REVERSE
                                         : SC_PLATFORM_OP_GET_REDEMPTION);
  req->redemption_id = g_strdup (id);
  call_run (call, g_steal_pointer (&req));
}

const char *
query_get (Call       *call,
           const char *name)
{
  return call->query != NULL ? g_hash_table_lookup (call->query, name) : NULL;
}

/* ?limit= between 1 and @max, @def when absent; FALSE after a 400. */
static gboolean
parse_limit (Call *call,
             int   def,
             int   max,
             int  *out)
{
  const char *limit = query_get (call, "limit");
  gint64 n = def;

  if (limit != NULL && limit[0] != '\0' &&
      !g_ascii_string_to_signed (limit, 10, 1, max, &n, NULL))
    {
      /* Translators: "limit must be between 1 and 10000." */
      g_autofree char *message = g_strdup_printf (_("limit must be between 1 and %d."), max);

      call_respond_error (call, 400, "bad_request", message);
      return FALSE;
    }
  *out = (int) n;
  return TRUE;
}

static void
handle_manifest (Call *call)
{
  g_autoptr(ScPlatformRequest) req = call_new_request (call, SC_PLATFORM_OP_MANIFEST);
  const char *since = query_get (call, "since");
  const char *cursor = query_get (call, "cursor");
  gint64 v = 0;

  if (since != NULL && since[0] != '\0' &&
      !g_ascii_string_to_signed (since, 10, 0, G_MAXINT64, &v, NULL))
    {
      call_respond_error (call, 400, "bad_request", _("since must be a version number."));
      return;
    }
  req->since = v;
  if (!parse_limit (call, MANIFEST_PAGE_DEFAULT, MANIFEST_PAGE_MAX, &req->limit))
    return;
  if (cursor != NULL && cursor[0] != '\0')
    {
      if (strlen (cursor) > 64 || strspn (cursor, "0123456789.") != strlen (cursor))
        {
          call_respond_error (call, 400, "bad_request",
                              _("The cursor is not one this platform gave."));
          return;
        }
      req->cursor = g_strdup (cursor);
    }
  call_run (call, g_steal_pointer (&req));
}

static void
handle_orders (Call *call)
{
  g_autoptr(ScPlatformRequest) req = call_new_request (call, SC_PLATFORM_OP_ORDERS);
  const char *date = query_get (call, "date");
  const char *from = query_get (call, "from");
  const char *to = query_get (call, "to");
  const char *q = query_get (call, "q");
  const char *tail = query_get (call, "tail");
  const char *status = query_get (call, "status");
  const char *cursor = query_get (call, "cursor");

  if (!parse_limit (call, ORDERS_PAGE_DEFAULT, ORDERS_PAGE_MAX, &req->limit))
    return;
  if (q != NULL && strlen (q) > 64)
    {
      call_respond_error (call, 400, "bad_request", _("The search text is too long."));
      return;
    }
  if (tail != NULL && tail[0] != '\0' &&
      (strlen (tail) != 4 || strspn (tail, "0123456789") != 4))
    {
      call_respond_error (call, 400, "bad_request", _("tail must be 4 digits."));
      return;
    }
  req->statuses = SC_PLATFORM_ORDER_STATUS_ALL;
  if (status != NULL && status[0] != '\0' &&
      !sc_platform_codes_order_status_mask (status, &req->statuses))
    {
      call_respond_error (call, 400, "bad_request",
                          _("status must be a comma list of open, partially_picked_up, "
                            "picked_up, expired, cancelled, missing_items."));
      return;
    }
  /* date= is one day: from= and to= that day. */
  if (from == NULL || from[0] == '\0')
    from = date;
  if (to == NULL || to[0] == '\0')
    to = date;
  req->date = from != NULL && from[0] != '\0' ? g_strdup (from) : NULL;
  req->date_to = to != NULL && to[0] != '\0' ? g_strdup (to) : NULL;
  req->tail = tail != NULL && tail[0] != '\0' ? g_strdup (tail) : NULL;
  req->query = q != NULL && q[0] != '\0' ? g_strdup (q) : NULL;
  req->cursor = cursor != NULL && cursor[0] != '\0' ? g_strdup (cursor) : NULL;
  call_run (call, g_steal_pointer (&req));
}

/* ---- routing ---- */

static void
method_not_allowed (Call *call)
{
  call_respond_error (call, 405, "method_not_allowed", _("This call does not take that method."));
}

static void
route (Call *call)
{
  const char *method = soup_server_message_get_method (call->msg);
  const char *path = call->path;
  gboolean get = strcmp (method, "GET") == 0;
  gboolean post = strcmp (method, "POST") == 0;

  if (strcmp (path, "/v1/health") == 0)
    get ? handle_health (call) : method_not_allowed (call);
  else if (strcmp (path, "/v1/sessions") == 0)
    post ? handle_login (call) : method_not_allowed (call);
  else if (strcmp (path, "/v1/sessions/current") == 0)
    strcmp (method, "DELETE") == 0 ? handle_logout (call) : method_not_allowed (call);
  else if (strcmp (path, "/v1/codes/lookup") == 0)
    post ? handle_lookup (call) : method_not_allowed (call);
  else if (strcmp (path, "/v1/redemptions") == 0)
    post ? handle_redeem (call) : method_not_allowed (call);
  else if (g_str_has_prefix (path, "/v1/redemptions/"))
    {
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/v1/redemptions/"), "/", -1);
      guint n = g_strv_length (parts);

      if (n == 1)
        get ? handle_redemption (call, parts[0], FALSE) : method_not_allowed (call);
      else if (n == 2 && strcmp (parts[1], "reversal") == 0)
        post ? handle_redemption (call, parts[0], TRUE) : method_not_allowed (call);
      else
        call_respond_error (call, 404, "not_found", _("No such call."));
    }
  else if (strcmp (path, "/v1/manifest") == 0)
    get ? handle_manifest (call) : method_not_allowed (call);
  else if (strcmp (path, "/v1/orders") == 0)
    get ? handle_orders (call) : method_not_allowed (call);
  else if (g_str_has_prefix (path, "/v1/orders/"))
    {
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/v1/orders/"), "/", -1);
      guint n = g_strv_length (parts);

      if (n < 1 || !sc_platform_valid_id (parts[0]) ||
          (n == 4 && !sc_platform_valid_id (parts[2])))
        call_respond_error (call, 404, "not_found", _("The store has no such order."));
      else if (n == 1)
        get ? handle_order (call, parts[0]) : method_not_allowed (call);
      else if (n == 4 && strcmp (parts[1], "lines") == 0 && strcmp (parts[3], "missing") == 0)
        post ? handle_mark_missing (call, parts[0], parts[2]) : method_not_allowed (call);
      else
        call_respond_error (call, 404, "not_found", _("No such call."));
    }
  else
    call_respond_error (call, 404, "not_found", _("No such call."));
}

/* After the fault delay, maybe fail on purpose, else answer for real. */
static void
call_continue (Call *call)
{
  ScPlatformServer *self = call->self;

  if (self->fail_rate > 0.0 && g_rand_double (self->fault_rand) < self->fail_rate)
    {
      guint status = self->n_fail_statuses > 0
                     ? self->fail_statuses[g_rand_int_range (self->fault_rand, 0,
                                                             (int) self->n_fail_statuses)]
                     : self->fail_status;

      call_respond_error (call, status, "injected_failure",
                          _("The platform is unavailable. Try again shortly."));
      return;
    }
  if (self->hang_rate > 0.0 && self->hang_ms > 0 &&
      g_rand_double (self->fault_rand) < self->hang_rate)
    call->hang_ms = self->hang_ms;
  route (call);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  call_continue (user_data);
  return G_SOURCE_REMOVE;
}

static void
disconnected_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Call *call = user_data;

  call->gone = TRUE;
}

/* ---- oversized bodies (DESIGN §13: refused before they are read) ---- */

static void
refuse_too_large (ScPlatformServer  *self,
                  SoupServerMessage *msg)
{
  g_signal_handlers_disconnect_by_data (msg, self);
  sc_platform_refuse_too_large (msg, self->verbose);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY_BYTES)
    refuse_too_large (user_data, msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body != NULL && body->length > MAX_BODY_BYTES)
    refuse_too_large (user_data, msg);
}

/* Checks each call's body as it arrives, before libsoup buffers it. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), user_data);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ScPlatformServer *self = user_data;
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->msg = g_object_ref (msg);
  call->path = g_strdup (path);
  call->query = query != NULL ? g_hash_table_ref (query) : NULL;
  call->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb),
                                            call);
  self->n_pending++;

  if (g_str_has_prefix (path, "/v1/admin/"))
    {
      handle_admin (call, soup_server_message_get_method (msg), path + strlen ("/v1/admin/"));
      return;
    }

  if (self->delay_ms > 0 && (self->delay_rate >= 1.0 ||
                             g_rand_double (self->fault_rand) < self->delay_rate))
    {
      call_pause (call);
      g_timeout_add (self->delay_ms, delay_done_cb, call);
      return;
    }
  call_continue (call);
}

/* ---- GObject ---- */

static void
sc_platform_server_dispose (GObject *object)
{
  ScPlatformServer *self = SC_PLATFORM_SERVER (object);

  sc_platform_server_disconnect (self);
  g_clear_object (&self->service);
  g_clear_object (&self->bound);
  g_clear_object (&self->tls_certificate);
  g_clear_object (&self->server);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sc_platform_server_parent_class)->dispose (object);
}

static void
sc_platform_server_finalize (GObject *object)
{
  ScPlatformServer *self = SC_PLATFORM_SERVER (object);

  g_clear_pointer (&self->admin_token, sc_secret_free);
  g_clear_pointer (&self->login_attempts, g_hash_table_unref);
  g_clear_pointer (&self->fault_rand, g_rand_free);

  G_OBJECT_CLASS (sc_platform_server_parent_class)->finalize (object);
}

static void
sc_platform_server_class_init (ScPlatformServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_platform_server_dispose;
  object_class->finalize = sc_platform_server_finalize;
}

static void
sc_platform_server_init (ScPlatformServer *self)
{
  self->fail_status = 503;
  self->delay_rate = 1.0;
  self->fault_seed = g_random_int ();
  self->fault_rand = g_rand_new_with_seed (self->fault_seed);
  self->login_attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

ScPlatformServer *
sc_platform_server_new (ScPlatformStore *store,
                        const char      *admin_token,
                        gboolean         verbose)
{
  ScPlatformServer *self;

  g_return_val_if_fail (SC_IS_PLATFORM_STORE (store), NULL);

  self = g_object_new (SC_TYPE_PLATFORM_SERVER, NULL);
  self->store = g_object_ref (store);
  self->admin_token = g_strdup (admin_token);
  self->verbose = verbose;
  self->server = soup_server_new ("server-header", "store-counter-platform/" PACKAGE_VERSION,
                                  NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  return self;
}

/* libsoup 3.2 (3.2.3 in Debian 12; fixed in 3.3) keeps the descriptor and
 * objects of every kept-alive connection that the client closes while
 * idle, and on connections from its own listener leaks a GSocket per
 * connection even without keep-alive. So the platform accepts connections
 * itself and hands each to the SoupServer, which has no listener of its
 * own: libsoup then closes each connection after its answer and frees all
 * of it (every answer says "Connection: close"). Keep-alive is the price:
 * one TCP handshake per call, some 0.1 to 0.2 ms on loopback. */
static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  ScPlatformServer *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;

  /* With a certificate, HTTPS only (DESIGN §13): the handshake happens on
   * the first read. */
  if (self->tls_certificate != NULL)
    stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->tls_certificate,
                                          &error);
  else
    stream = g_object_ref (G_IO_STREAM (connection));

  if (self->stopped || stream == NULL ||
      !soup_server_accept_iostream (self->server, stream, local, remote, &error))
    {
      if (error != NULL)
        g_warning ("Cannot take a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  return TRUE;
}

gboolean
sc_platform_server_listen (ScPlatformServer  *self,
                           GSocketAddress    *address,
                           GError           **error)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), SOMAXCONN);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return FALSE;
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (service);
  self->service = g_steal_pointer (&service);
  self->bound = g_steal_pointer (&bound);
  return TRUE;
}

void
sc_platform_server_set_tls_certificate (ScPlatformServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (SC_IS_PLATFORM_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  g_set_object (&self->tls_certificate, certificate);
}

char *
sc_platform_server_dup_url (ScPlatformServer *self)
{
  const char *scheme = self->tls_certificate != NULL ? "https" : "http";
  GInetAddress *address;
  g_autofree char *host = NULL;

  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), NULL);

  if (self->bound == NULL || !G_IS_INET_SOCKET_ADDRESS (self->bound))
    return NULL;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->bound));
  host = g_inet_address_to_string (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("%s://[%s]:%u", scheme, host,
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->bound)));
  return g_strdup_printf ("%s://%s:%u", scheme, host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->bound)));
}

void
sc_platform_server_disconnect (ScPlatformServer *self)
{
  g_return_if_fail (SC_IS_PLATFORM_SERVER (self));

  self->stopped = TRUE;
  login_waiting_resume (self);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);
}

guint
sc_platform_server_get_n_pending (ScPlatformServer *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), 0);

  return self->n_pending;
}
