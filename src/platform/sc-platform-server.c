/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-server.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sc-code.h"

#define MAX_BODY_BYTES  (64 * 1024)
#define MAX_ID_LENGTH   128
#define MAX_FAIL_STATUSES 8
#define MANIFEST_PAGE_DEFAULT 250
#define MANIFEST_PAGE_MAX     10000
#define MAX_ADMIN_ORDERS      200000

struct _ScPlatformServer
{
  GObject          parent_instance;

  SoupServer      *server;        /* (owned) */
  ScPlatformStore *store;         /* (owned) */
  char            *admin_token;   /* (owned) (nullable) */
  gboolean         verbose;

  /* Admin settings; main thread only. */
  gint64           clock_offset_s;
  double           fail_rate;
  guint            fail_status;
  guint            fail_statuses[MAX_FAIL_STATUSES];  /* one drawn per failure, if any */
  guint            n_fail_statuses;
  guint            delay_ms;
  double           delay_rate;    /* share of calls delayed by delay_ms */
  double           hang_rate;     /* share of calls answered hang_ms after the work */
  guint            hang_ms;

  guint            n_pending;
  gboolean         stopped;       /* disconnected: paused calls cannot be answered */
};

G_DEFINE_FINAL_TYPE (ScPlatformServer, sc_platform_server, G_TYPE_OBJECT)

/* One HTTP call from arrival to answer. */
typedef struct
{
  ScPlatformServer  *self;     /* (owned) */
  SoupServerMessage *msg;      /* (owned) */
  char              *path;     /* (owned) */
  GHashTable        *query;    /* (owned) (nullable) */
  gboolean           paused;
  gboolean           gone;     /* the client hung up */
  guint              hang_ms;  /* hold the answer this long after the work is done */
  gulong             disconnected_id;
} Call;

static void
call_free (Call *call)
{
  call->self->n_pending--;
  g_clear_signal_handler (&call->disconnected_id, call->msg);
  g_clear_object (&call->self);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->path, g_free);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
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
static void
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

  soup_server_message_set_status (call->msg, reply->status, NULL);
  if (reply->status == 429 || reply->status == 503)
    soup_message_headers_replace (headers, "Retry-After", "1");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
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

static void
call_respond_error (Call       *call,
                    guint       status,
                    const char *code,
                    const char *message)
{
  g_autoptr(ScPlatformReply) reply = sc_platform_reply_new_error (status, code, message, NULL);

  call_respond (call, reply);
}

static void
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

  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset_s;
}

static char *
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

/* ---- JSON bodies ---- */

/* The request body as a JSON object, or NULL after answering 400. */
static JsonObject *
call_read_object (Call *call)
{
  SoupMessageBody *body = soup_server_message_get_request_body (call->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data;

  if (body != NULL)
    bytes = soup_message_body_flatten (body);
  data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  if (len == 0)
    {
      call_respond_error (call, 400, "bad_request", _("The request has no JSON body."));
      return NULL;
    }
  if (len > MAX_BODY_BYTES)
    {
      call_respond_error (call, 413, "too_large", _("The request is too large."));
      return NULL;
    }
  if (!g_utf8_validate (data, (gssize) len, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize) len, &error))
    {
      call_respond_error (call, 400, "bad_json", _("The request is not valid JSON."));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      call_respond_error (call, 400, "bad_json", _("The request must be a JSON object."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

typedef enum
{
  FIELD_OPTIONAL = 0,
  FIELD_REQUIRED = 1,
} FieldFlags;

static void
respond_bad_field (Call       *call,
                   const char *name,
                   const char *what)
{
  /* Translators: "Field redemption_id must be a string." */
  g_autofree char *message = g_strdup_printf (_("Field %s must be %s."), name, what);

  call_respond_error (call, 400, "bad_request", message);
}

/* TRUE with *out (unowned, NULL when absent or null); FALSE after a 400. */
static gboolean
field_string (Call        *call,
              JsonObject  *object,
              const char  *name,
              FieldFlags   flags,
              const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & FIELD_REQUIRED)
        {
          respond_bad_field (call, name, _("a string"));
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      ((flags & FIELD_REQUIRED) && json_node_get_string (node)[0] == '\0') ||
      strlen (json_node_get_string (node)) > SC_CODE_MAX_INPUT * 4)
    {
      respond_bad_field (call, name, _("a string"));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

/* TRUE with *out_present and *out; FALSE after a 400. */
static gboolean
field_int (Call        *call,
           JsonObject  *object,
           const char  *name,
           gint64       min,
           gint64       max,
           gboolean    *out_present,
           gint64      *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      respond_bad_field (call, name, _("a whole number in range"));
      return FALSE;
    }
  *out_present = TRUE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
field_bool (Call       *call,
            JsonObject *object,
            const char *name,
            gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      respond_bad_field (call, name, _("true or false"));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A time as RFC 3339 text or unix seconds. */
static gboolean
field_time (Call       *call,
            JsonObject *object,
            const char *name,
            gboolean   *out_present,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      *out_present = TRUE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (json_node_get_string (node), utc);

      if (dt != NULL)
        {
          *out = g_date_time_to_unix (dt);
          *out_present = TRUE;
          return TRUE;
        }
    }
  respond_bad_field (call, name, _("an RFC 3339 time"));
  return FALSE;
}

/* Fills the code fields of @req from @payload, or req->malformed with the
 * reason it is not a code (answered 400 once the session is checked). */
static void
request_parse_payload (ScPlatformRequest *req,
                       const char        *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScCode) code = sc_code_parse (payload, req->now, &error);

  if (code == NULL &&
      (g_error_matches (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_TOO_OLD) ||
       g_error_matches (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_FUTURE)))
    {
      /* A stale live token is still a code: parse it at its own time to get
       * the code, and answer qr_stale. */
      g_autofree char *trimmed = g_strstrip (g_strdup (payload));
      g_auto(GStrv) parts = g_strsplit (trimmed, ":", 4);
      gint64 ts = 0;

      if (g_strv_length (parts) == 4 &&
          g_ascii_string_to_signed (parts[2], 10, 0, G_MAXINT64, &ts, NULL))
        {
          code = sc_code_parse (payload, ts, NULL);
          if (code != NULL)
            req->token_stale = TRUE;
        }
    }

  if (code == NULL)
    {
      req->malformed = g_strdup (error != NULL ? error->message : _("This is not a valid code."));
      return;
    }
  if (sc_code_get_kind (code) == SC_CODE_KIND_PHONE_TAIL ||
      strlen (sc_code_get_code (code)) != SC_CODE_LENGTH)
    {
      req->malformed = g_strdup (_("This is a phone number tail, not a code. "
                                   "Search the orders instead."));
      return;
    }

  req->payload = g_strdup (payload);
  req->code = g_strdup (sc_code_get_code (code));
  if (sc_code_get_carrier (code) == SC_CODE_CARRIER_LIVE_TOKEN)
    {
      req->live_token = TRUE;
      req->token_time = sc_code_get_token_time (code);
      req->token_sig = g_strdup (sc_code_get_token_signature (code));
    }
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

static void
call_run (Call              *call,
          ScPlatformRequest *req)
{
  call_pause (call);
  sc_platform_store_call_async (call->self->store, req, store_call_cb, call);
}

static ScPlatformRequest *
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
  json_builder_end_object (b);
  call_respond_json (call, 200, json_builder_get_root (b));
}

static void
handle_login (Call *call)
{
  g_autoptr(JsonObject) object = call_read_object (call);
  g_autoptr(ScPlatformRequest) req = NULL;
  const char *store_id, *clerk_id, *pin;

  if (object == NULL)
    return;
  if (!field_string (call, object, "store_id", FIELD_REQUIRED, &store_id) ||
      !field_string (call, object, "clerk_id", FIELD_REQUIRED, &clerk_id) ||
      !field_string (call, object, "pin", FIELD_REQUIRED, &pin))
    return;

  req = call_new_request (call, SC_PLATFORM_OP_LOGIN);
  req->store_id = g_strdup (store_id);
  req->clerk_id = g_strdup (clerk_id);
  req->pin = g_strdup (pin);
  call_run (call, g_steal_pointer (&req));
}

static void
handle_lookup (Call *call)
{
  g_autoptr(JsonObject) object = call_read_object (call);
  g_autoptr(ScPlatformRequest) req = NULL;
  const char *payload;

  if (object == NULL)
    return;
  if (!field_string (call, object, "payload", FIELD_REQUIRED, &payload))
    return;

  req = call_new_request (call, SC_PLATFORM_OP_LOOKUP);
  request_parse_payload (req, payload);
  call_run (call, g_steal_pointer (&req));
}

static gboolean
valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

static void
handle_redeem (Call *call)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;
  const char *key;
  const char *redemption_id, *payload, *source;
  gboolean has_scanned_at, has_bill;
  gint64 scanned_at = 0, bill_fen = -1;
  gboolean offline;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (call->msg),
                                      "Idempotency-Key");
  if (key == NULL || key[0] == '\0' || strlen (key) > MAX_ID_LENGTH)
    {
      call_respond_error (call, 400, "idempotency_key_required",
                          _("The request needs an Idempotency-Key header."));
      return;
    }

  object = call_read_object (call);
  if (object == NULL)
    return;
  if (!field_string (call, object, "redemption_id", FIELD_REQUIRED, &redemption_id) ||
      !field_string (call, object, "payload", FIELD_REQUIRED, &payload) ||
      !field_string (call, object, "source", FIELD_OPTIONAL, &source) ||
      !field_time (call, object, "scanned_at", &has_scanned_at, &scanned_at) ||
      !field_bool (call, object, "offline", &offline) ||
      !field_int (call, object, "bill_fen", 0, G_GINT64_CONSTANT (100000000000), &has_bill,
                  &bill_fen))
    return;
  if (!valid_id (redemption_id))
    {
      respond_bad_field (call, "redemption_id", _("an id of letters, digits and dashes"));
      return;
    }

  req = call_new_request (call, SC_PLATFORM_OP_REDEEM);
  request_parse_payload (req, payload);
  req->redemption_id = g_strdup (redemption_id);
  req->source = g_strdup (source != NULL ? source : "unknown");
  req->scanned_at = has_scanned_at ? scanned_at : req->now;
  req->offline = offline;
  req->bill_fen = has_bill ? bill_fen : -1;
  req->idempotency_key = g_strdup (key);
  call_run (call, g_steal_pointer (&req));
}

static void
handle_redemption (Call       *call,
                   const char *id,
                   gboolean    reversal)
{
  g_autoptr(ScPlatformRequest) req = NULL;

  if (!valid_id (id))
    {
      call_respond_error (call, 404, "not_found", _("The platform has no such redemption."));
      return;
    }
  req = call_new_request (call, reversal ? SC_PLATFORM_OP_REVERSE
                                         : SC_PLATFORM_OP_GET_REDEMPTION);
  req->redemption_id = g_strdup (id);
  call_run (call, g_steal_pointer (&req));
}

static const char *
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
  const char *q = query_get (call, "q");
  const char *cursor = query_get (call, "cursor");
  const char *limit = query_get (call, "limit");
  gint64 n = 50;

  if (limit != NULL && limit[0] != '\0' &&
      !g_ascii_string_to_signed (limit, 10, 1, 200, &n, NULL))
    {
      call_respond_error (call, 400, "bad_request", _("limit must be between 1 and 200."));
      return;
    }
  if (q != NULL && strlen (q) > 64)
    {
      call_respond_error (call, 400, "bad_request", _("The search text is too long."));
      return;
    }
  req->date = date != NULL && date[0] != '\0' ? g_strdup (date) : NULL;
  req->query = q != NULL && q[0] != '\0' ? g_strdup (q) : NULL;
  req->cursor = cursor != NULL && cursor[0] != '\0' ? g_strdup (cursor) : NULL;
  req->limit = (int) n;
  call_run (call, g_steal_pointer (&req));
}

/* ---- admin ---- */

static void
respond_admin_state (Call *call)
{
  ScPlatformServer *self = call->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (sc_platform_server_now (self));
  g_autofree char *time = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "offset_s");
  json_builder_add_int_value (b, self->clock_offset_s);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "fail_rate");
  json_builder_add_double_value (b, self->fail_rate);
  json_builder_set_member_name (b, "fail_status");
  json_builder_add_int_value (b, self->fail_status);
  json_builder_set_member_name (b, "fail_statuses");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->n_fail_statuses; i++)
    json_builder_add_int_value (b, self->fail_statuses[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "delay_ms");
  json_builder_add_int_value (b, self->delay_ms);
  json_builder_set_member_name (b, "delay_rate");
  json_builder_add_double_value (b, self->delay_rate);
  json_builder_set_member_name (b, "hang_rate");
  json_builder_add_double_value (b, self->hang_rate);
  json_builder_set_member_name (b, "hang_ms");
  json_builder_add_int_value (b, self->hang_ms);
  json_builder_end_object (b);
  call_respond_json (call, 200, json_builder_get_root (b));
}

static void
handle_admin_clock (Call *call)
{
  g_autoptr(JsonObject) object = call_read_object (call);
  gboolean present;
  gint64 offset = 0;

  if (object == NULL)
    return;
  if (!field_int (call, object, "offset_s", -G_GINT64_CONSTANT (3153600000),
                  G_GINT64_CONSTANT (3153600000), &present, &offset))
    return;
  if (!present)
    {
      respond_bad_field (call, "offset_s", _("a whole number"));
      return;
    }
  call->self->clock_offset_s = offset;
  respond_admin_state (call);
}

/* A number from 0 to 1, @def when absent; FALSE after a 400. */
static gboolean
field_rate (Call       *call,
            JsonObject *object,
            const char *name,
            double      def,
            double     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = def;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64) ||
      !(json_node_get_double (node) >= 0.0 && json_node_get_double (node) <= 1.0))
    {
      respond_bad_field (call, name, _("a number from 0 to 1"));
      return FALSE;
    }
  *out = json_node_get_double (node);
  return TRUE;
}

/* POST /v1/admin/faults: every call sets all the faults (absent = off). */
static void
handle_admin_faults (Call *call)
{
  ScPlatformServer *self = call->self;
  g_autoptr(JsonObject) object = call_read_object (call);
  guint statuses[MAX_FAIL_STATUSES];
  guint n_statuses = 0;
  JsonNode *statuses_node;
  double rate, delay_rate, hang_rate;
  gboolean present, delay_present;
  gint64 status = 503, delay = 0, hang = 0;

  if (object == NULL)
    return;

  if (!field_rate (call, object, "fail_rate", 0.0, &rate) ||
      !field_rate (call, object, "hang_rate", 0.0, &hang_rate) ||
      !field_int (call, object, "fail_status", 400, 599, &present, &status) ||
      !field_int (call, object, "delay_ms", 0, 60000, &delay_present, &delay) ||
      !field_rate (call, object, "delay_rate", 1.0, &delay_rate) ||
      !field_int (call, object, "hang_ms", 0, 600000, &present, &hang))
    return;

  statuses_node = json_object_get_member (object, "fail_statuses");
  if (statuses_node != NULL && !JSON_NODE_HOLDS_NULL (statuses_node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (statuses_node)
                         ? json_node_get_array (statuses_node) : NULL;

      if (array == NULL || json_array_get_length (array) > MAX_FAIL_STATUSES)
        {
          respond_bad_field (call, "fail_statuses", _("a short list of HTTP statuses"));
          return;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
              json_node_get_int (node) < 400 || json_node_get_int (node) > 599)
            {
              respond_bad_field (call, "fail_statuses", _("a short list of HTTP statuses"));
              return;
            }
          statuses[n_statuses++] = (guint) json_node_get_int (node);
        }
    }

  self->fail_rate = rate;
  self->fail_status = (guint) status;
  memcpy (self->fail_statuses, statuses, n_statuses * sizeof (guint));
  self->n_fail_statuses = n_statuses;
  self->delay_ms = (guint) delay;
  self->delay_rate = delay_rate;
  self->hang_rate = hang_rate;
  self->hang_ms = (guint) hang;
  respond_admin_state (call);
}

/* {count, store_id?} for the bulk order calls; FALSE after a 400. */
static ScPlatformRequest *
admin_count_request (Call         *call,
                     ScPlatformOp  op)
{
  g_autoptr(JsonObject) object = call_read_object (call);
  g_autoptr(ScPlatformRequest) req = NULL;
  const char *store_id;
  gboolean present;
  gint64 count = 0;

  if (object == NULL)
    return NULL;
  if (!field_int (call, object, "count", 1, MAX_ADMIN_ORDERS, &present, &count) ||
      !field_string (call, object, "store_id", FIELD_OPTIONAL, &store_id))
    return NULL;
  if (!present)
    {
      respond_bad_field (call, "count", _("a whole number in range"));
      return NULL;
    }
  req = call_new_request (call, op);
  req->count = (int) count;
  req->store_id = g_strdup (store_id != NULL ? store_id : "1001");
  return g_steal_pointer (&req);
}

static void
handle_admin_redemptions (Call *call)
{
  g_autoptr(ScPlatformRequest) req = call_new_request (call, SC_PLATFORM_OP_ADMIN_REDEMPTIONS);
  const char *store_id = query_get (call, "store_id");
  const char *limit = query_get (call, "limit");
  gint64 n = -1;

  if (limit != NULL && limit[0] != '\0' &&
      !g_ascii_string_to_signed (limit, 10, 0, G_MAXINT, &n, NULL))
    {
      call_respond_error (call, 400, "bad_request", _("limit must be 0 or more."));
      return;
    }
  req->limit = (int) n;
  req->store_id = store_id != NULL && store_id[0] != '\0' ? g_strdup (store_id) : NULL;
  call_run (call, g_steal_pointer (&req));
}

static void
handle_admin (Call       *call,
              const char *method,
              const char *what)
{
  ScPlatformServer *self = call->self;
  g_autofree char *token = NULL;

  if (self->admin_token == NULL)
    {
      call_respond_error (call, 404, "not_found", _("No such call."));
      return;
    }
  token = bearer_token (call->msg);
  if (token == NULL || strcmp (token, self->admin_token) != 0)
    {
      call_respond_error (call, 401, "unauthorized", _("Admin calls need the admin token."));
      return;
    }

  if (strcmp (what, "demo-codes") == 0 && strcmp (method, "GET") == 0)
    call_run (call, call_new_request (call, SC_PLATFORM_OP_ADMIN_DEMO_CODES));
  else if (strcmp (what, "reset") == 0 && strcmp (method, "POST") == 0)
    call_run (call, call_new_request (call, SC_PLATFORM_OP_ADMIN_RESET));
  else if (strcmp (what, "clock") == 0 && strcmp (method, "POST") == 0)
    handle_admin_clock (call);
  else if (strcmp (what, "faults") == 0 && strcmp (method, "POST") == 0)
    handle_admin_faults (call);
  else if (strcmp (what, "clock") == 0 && strcmp (method, "GET") == 0)
    respond_admin_state (call);
  else if (strcmp (what, "orders") == 0 && strcmp (method, "POST") == 0)
    {
      ScPlatformRequest *req = admin_count_request (call, SC_PLATFORM_OP_ADMIN_ADD_ORDERS);

      if (req != NULL)
        call_run (call, req);
    }
  else if (strcmp (what, "orders/touch") == 0 && strcmp (method, "POST") == 0)
    {
      ScPlatformRequest *req = admin_count_request (call, SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS);

      if (req != NULL)
        call_run (call, req);
    }
  else if (strcmp (what, "redemptions") == 0 && strcmp (method, "GET") == 0)
    handle_admin_redemptions (call);
  else
    call_respond_error (call, 404, "not_found", _("No such call."));
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
  else
    call_respond_error (call, 404, "not_found", _("No such call."));
}

/* After the fault delay, maybe fail on purpose, else answer for real. */
static void
call_continue (Call *call)
{
  ScPlatformServer *self = call->self;

  if (self->fail_rate > 0.0 && g_random_double () < self->fail_rate)
    {
      guint status = self->n_fail_statuses > 0
                     ? self->fail_statuses[g_random_int_range (0, (int) self->n_fail_statuses)]
                     : self->fail_status;

      call_respond_error (call, status, "injected_failure",
                          _("The platform is unavailable. Try again shortly."));
      return;
    }
  if (self->hang_rate > 0.0 && self->hang_ms > 0 && g_random_double () < self->hang_rate)
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

  if (self->delay_ms > 0 && (self->delay_rate >= 1.0 || g_random_double () < self->delay_rate))
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

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sc_platform_server_parent_class)->dispose (object);
}

static void
sc_platform_server_finalize (GObject *object)
{
  ScPlatformServer *self = SC_PLATFORM_SERVER (object);

  g_clear_pointer (&self->admin_token, g_free);

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
  return self;
}

gboolean
sc_platform_server_listen (ScPlatformServer  *self,
                           GSocketAddress    *address,
                           GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), FALSE);

  /* With a certificate, HTTPS only (DESIGN §13). */
  return soup_server_listen (self->server, address,
                             soup_server_get_tls_certificate (self->server) != NULL
                             ? SOUP_SERVER_LISTEN_HTTPS : 0,
                             error);
}

void
sc_platform_server_set_tls_certificate (ScPlatformServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (SC_IS_PLATFORM_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  soup_server_set_tls_certificate (self->server, certificate);
}

char *
sc_platform_server_dup_url (ScPlatformServer *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), NULL);

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    {
      g_autofree char *text = g_uri_to_string (uris->data);
      gsize len = strlen (text);

      if (len > 0 && text[len - 1] == '/')
        text[len - 1] = '\0';
      url = g_steal_pointer (&text);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

void
sc_platform_server_disconnect (ScPlatformServer *self)
{
  g_return_if_fail (SC_IS_PLATFORM_SERVER (self));

  self->stopped = TRUE;
  if (self->server != NULL)
    soup_server_disconnect (self->server);
}

guint
sc_platform_server_get_n_pending (ScPlatformServer *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_SERVER (self), 0);

  return self->n_pending;
}
