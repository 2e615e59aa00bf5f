/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-request.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-json-reader.h"
#include "sc-secret.h"

/* scanned_at: from 2000-01-01 to a day ahead of the platform clock. */
#define SCANNED_AT_MIN       G_GINT64_CONSTANT (946684800)
#define SCANNED_AT_AHEAD_S   (24 * 3600)

#define MAX_ID_LENGTH     128
#define MAX_ADMIN_ORDERS  200000
#define MAX_LINES         100
#define MAX_NOTE_LENGTH   500

G_DEFINE_QUARK (sc-platform-request-error-quark, sc_platform_request_error)

guint
sc_platform_request_error_status (const GError  *error,
                                  const char   **out_code)
{
  const char *code = "server_error";
  guint status = 500;

  if (error != NULL && error->domain == SC_PLATFORM_REQUEST_ERROR)
    {
      switch ((ScPlatformRequestError) error->code)
        {
        case SC_PLATFORM_REQUEST_ERROR_NO_BODY:
        case SC_PLATFORM_REQUEST_ERROR_BAD_FIELD:
          status = 400;
          code = "bad_request";
          break;
        case SC_PLATFORM_REQUEST_ERROR_TOO_LARGE:
          status = 413;
          code = "too_large";
          break;
        case SC_PLATFORM_REQUEST_ERROR_BAD_JSON:
          status = 400;
          code = "bad_json";
          break;
        default:
          break;
        }
    }
  if (out_code != NULL)
    *out_code = code;
  return status;
}

/* TRUE when the JSON text has a \u0000 escape. Outside strings a backslash
 * is not JSON at all, so every escape met is in a string or a name. */
static gboolean
has_nul_escape (const char *data,
                gsize       len)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 5 < len && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;  /* the escaped character, which may be a backslash */
    }
  return FALSE;
}

JsonObject *
sc_platform_read_object (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_NO_BODY,
                           _("The request has no JSON body."));
      return NULL;
    }
  if (len > SC_PLATFORM_MAX_BODY_BYTES)
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_TOO_LARGE,
                           _("The request is too large."));
      return NULL;
    }
  /* With a length, g_utf8_validate also refuses a raw NUL byte. */
  parser = json_parser_new ();
  if (!g_utf8_validate (data, (gssize) len, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_JSON,
                           _("The request is not valid JSON."));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_JSON,
                           _("The request must be a JSON object."));
      return NULL;
    }
  if (has_nul_escape (data, len))
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_FIELD,
                           _("Text in the request must not hold a NUL character (\\u0000)."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

void
sc_platform_set_bad_field (GError     **error,
                           const char  *name,
                           const char  *what)
{
  /* Translators: "Field redemption_id must be a string." */
  g_set_error (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_FIELD,
               _("Field %s must be %s."), name, what);
}

/* Every field reader below reads through sc-json-reader and words its
 * error as "Field @name must be @what." (a BAD_FIELD). */
static gboolean
set_bad_field_from (GError     **error,
                    GError      *reader_error,
                    const char  *what)
{
  g_autoptr(GError) owned = reader_error;

  sc_platform_set_bad_field (error, sc_json_reader_error_get_path (owned), what);
  return FALSE;
}

gboolean
sc_platform_field_string (JsonObject            *object,
                          const char            *name,
                          ScPlatformFieldFlags   flags,
                          const char           **out,
                          GError               **error)
{
  ScJsonFlags json_flags = (flags & SC_PLATFORM_FIELD_REQUIRED)
                           ? SC_JSON_REQUIRED | SC_JSON_NON_EMPTY : SC_JSON_OPTIONAL;
  GError *reader_error = NULL;

  if (!sc_json_read_string (object, "", name, json_flags, out, &reader_error))
    return set_bad_field_from (error, reader_error, _("a string"));
  if (*out != NULL && strlen (*out) > SC_CODE_MAX_INPUT * 4)
    {
      *out = NULL;
      sc_platform_set_bad_field (error, name, _("a string"));
      return FALSE;
    }
  return TRUE;
}

gboolean
sc_platform_field_int (JsonObject  *object,
                       const char  *name,
                       gint64       min,
                       gint64       max,
                       gboolean    *out_present,
                       gint64      *out,
                       GError     **error)
{
  GError *reader_error = NULL;

  if (!sc_json_read_int (object, "", name, SC_JSON_OPTIONAL, min, max, out_present, out,
                         &reader_error))
    return set_bad_field_from (error, reader_error, _("a whole number in range"));
  return TRUE;
}

gboolean
sc_platform_field_bool (JsonObject  *object,
                        const char  *name,
                        gboolean    *out,
                        GError     **error)
{
  GError *reader_error = NULL;

  *out = FALSE;
  if (!sc_json_read_bool (object, "", name, SC_JSON_OPTIONAL, out, &reader_error))
    return set_bad_field_from (error, reader_error, _("true or false"));
  return TRUE;
}

gboolean
sc_platform_field_time (JsonObject  *object,
                        const char  *name,
                        gboolean    *out_present,
                        gint64      *out,
                        GError     **error)
{
  JsonNode *node = sc_json_get_member (object, name);

  /* Unix seconds or ISO 8601 text: the platform has always taken both,
   * more than sc_json_read_time (RFC 3339 only) does. */
  *out_present = FALSE;
  if (node == NULL)
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
  sc_platform_set_bad_field (error, name, _("an RFC 3339 time"));
  return FALSE;
}

gboolean
sc_platform_field_rate (JsonObject  *object,
                        const char  *name,
                        double       def,
                        double      *out,
                        GError     **error)
{
  GError *reader_error = NULL;

  *out = def;
  if (!sc_json_read_double (object, "", name, SC_JSON_OPTIONAL, 0.0, 1.0, NULL, out,
                            &reader_error))
    return set_bad_field_from (error, reader_error, _("a number from 0 to 1"));
  return TRUE;
}

gboolean
sc_platform_valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

void
sc_platform_request_parse_payload (ScPlatformRequest *req,
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

/* ---- the request ---- */

ScPlatformRequest *
sc_platform_request_new (ScPlatformOp op,
                         gint64       now)
{
  ScPlatformRequest *self = g_new0 (ScPlatformRequest, 1);

  self->op = op;
  self->now = now;
  self->bill_fen = -1;
  self->limit = 50;
  return self;
}

void
sc_platform_request_free (ScPlatformRequest *self)
{
  if (self == NULL)
    return;
  sc_secret_free (self->token);
  g_free (self->store_id);
  g_free (self->clerk_id);
  sc_secret_free (self->pin);
  g_free (self->payload);
  g_free (self->code);
  g_free (self->token_sig);
  g_free (self->malformed);
  g_free (self->redemption_id);
  g_free (self->source);
  g_free (self->idempotency_key);
  g_clear_pointer (&self->lines, g_array_unref);
  g_free (self->order_id);
  g_free (self->line_id);
  g_free (self->reason);
  g_free (self->note);
  g_free (self->date);
  g_free (self->date_to);
  g_free (self->tail);
  g_free (self->query);
  g_free (self->cursor);
  sc_secret_free (self->secret);
  g_free (self->platform_id);
  g_free (self);
}

/* ---- one reader per call ---- */

static gboolean
read_login (ScPlatformRequest  *req,
            JsonObject         *object,
            GError            **error)
{
  const char *store_id, *clerk_id, *pin;

  if (!sc_platform_field_string (object, "store_id", SC_PLATFORM_FIELD_REQUIRED, &store_id,
                                 error) ||
      !sc_platform_field_string (object, "clerk_id", SC_PLATFORM_FIELD_REQUIRED, &clerk_id,
                                 error) ||
      !sc_platform_field_string (object, "pin", SC_PLATFORM_FIELD_REQUIRED, &pin, error))
    return FALSE;
  /* Not a PIN at all: said so (and the server does not count it as a try). */
  if (strlen (pin) < 4 || strlen (pin) > 8 || strspn (pin, "0123456789") != strlen (pin))
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_FIELD,
                           _("The PIN must be 4 to 8 digits."));
      return FALSE;
    }
  req->store_id = g_strdup (store_id);
  req->clerk_id = g_strdup (clerk_id);
  req->pin = g_strdup (pin);
  return TRUE;
}

static gboolean
read_lookup (ScPlatformRequest  *req,
             JsonObject         *object,
             GError            **error)
{
  const char *payload;

  if (!sc_platform_field_string (object, "payload", SC_PLATFORM_FIELD_REQUIRED, &payload, error))
    return FALSE;
  sc_platform_request_parse_payload (req, payload);
  return TRUE;
}

static void
line_qty_clear (gpointer data)
{
  ScPlatformLineQty *l = data;

  g_free (l->line_id);
}

/* The optional "lines": [{line_id, qty}] of a partial pickup: 1 to
 * MAX_LINES of them, each line once, qty from 1. */
static gboolean
read_lines (ScPlatformRequest  *req,
            JsonObject         *object,
            GError            **error)
{
  JsonArray *array = NULL;
  GError *reader_error = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!sc_json_read_array (object, "", "lines", SC_JSON_OPTIONAL, &array, &reader_error))
    return set_bad_field_from (error, reader_error, _("a list of {line_id, qty}"));
  if (array == NULL)
    return TRUE;
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > MAX_LINES)
    {
      sc_platform_set_bad_field (error, "lines", _("a list of 1 to 100 {line_id, qty}"));
      return FALSE;
    }
  lines = g_array_new (FALSE, TRUE, sizeof (ScPlatformLineQty));
  g_array_set_clear_func (lines, line_qty_clear);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ScPlatformLineQty l = { NULL, 0 };
      JsonObject *element = NULL;
      const char *line_id;
      gboolean present = FALSE;

      if (!sc_json_array_get_object (array, "lines", i, &element, &reader_error))
        return set_bad_field_from (error, reader_error, _("a list of {line_id, qty}"));
      if (!sc_platform_field_string (element, "line_id", SC_PLATFORM_FIELD_REQUIRED, &line_id,
                                     error) ||
          !sc_platform_field_int (element, "qty", 1, G_MAXINT32, &present, &l.qty, error))
        return FALSE;
      if (!present || !sc_platform_valid_id (line_id) || g_hash_table_contains (seen, line_id))
        {
          sc_platform_set_bad_field (error, "lines",
                                     _("a list of {line_id, qty}, each line once"));
          return FALSE;
        }
      g_hash_table_add (seen, (gpointer) line_id);
      l.line_id = g_strdup (line_id);
      g_array_append_val (lines, l);
    }
  req->lines = g_steal_pointer (&lines);
  return TRUE;
}

/* A missing mark: {qty, reason: "missing"|"damaged", note?}. */
static gboolean
read_mark_missing (ScPlatformRequest  *req,
                   JsonObject         *object,
                   GError            **error)
{
  const char *reason, *note;
  gboolean present = FALSE;
  gint64 qty = 0;

  if (!sc_platform_field_int (object, "qty", 1, G_MAXINT32, &present, &qty, error) ||
      !sc_platform_field_string (object, "reason", SC_PLATFORM_FIELD_REQUIRED, &reason, error) ||
      !sc_platform_field_string (object, "note", SC_PLATFORM_FIELD_OPTIONAL, &note, error))
    return FALSE;
  if (!present)
    {
      sc_platform_set_bad_field (error, "qty", _("a whole number from 1"));
      return FALSE;
    }
  if (g_strcmp0 (reason, "missing") != 0 && g_strcmp0 (reason, "damaged") != 0)
    {
      sc_platform_set_bad_field (error, "reason", _("\"missing\" or \"damaged\""));
      return FALSE;
    }
  if (note != NULL && strlen (note) > MAX_NOTE_LENGTH)
    {
      sc_platform_set_bad_field (error, "note", _("at most 500 bytes"));
      return FALSE;
    }
  req->count = (int) qty;
  req->reason = g_strdup (reason);
  req->note = g_strdup (note);
  return TRUE;
}

static gboolean
read_redeem (ScPlatformRequest  *req,
             JsonObject         *object,
             GError            **error)
{
  const char *redemption_id, *payload, *source, *store_id, *clerk_id;
  gboolean has_scanned_at, has_bill;
  gint64 scanned_at = 0, bill_fen = -1;
  gboolean offline;

  if (!sc_platform_field_string (object, "redemption_id", SC_PLATFORM_FIELD_REQUIRED,
                                 &redemption_id, error) ||
      !sc_platform_field_string (object, "payload", SC_PLATFORM_FIELD_REQUIRED, &payload,
                                 error) ||
      !sc_platform_field_string (object, "store_id", SC_PLATFORM_FIELD_REQUIRED, &store_id,
                                 error) ||
      !sc_platform_field_string (object, "clerk_id", SC_PLATFORM_FIELD_REQUIRED, &clerk_id,
                                 error) ||
      !sc_platform_field_string (object, "source", SC_PLATFORM_FIELD_OPTIONAL, &source, error) ||
      !sc_platform_field_time (object, "scanned_at", &has_scanned_at, &scanned_at, error) ||
      !sc_platform_field_bool (object, "offline", &offline, error) ||
      !sc_platform_field_int (object, "bill_fen", 0, G_GINT64_CONSTANT (100000000000), &has_bill,
                              &bill_fen, error))
    return FALSE;
  if (!sc_platform_valid_id (redemption_id))
    {
      sc_platform_set_bad_field (error, "redemption_id", _("an id of letters, digits and dashes"));
      return FALSE;
    }
  if (has_scanned_at &&
      (scanned_at < SCANNED_AT_MIN || scanned_at > req->now + SCANNED_AT_AHEAD_S))
    {
      g_set_error_literal (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_FIELD,
                           _("scanned_at must lie between the year 2000 and a day from now."));
      return FALSE;
    }

  if (!read_lines (req, object, error))
    return FALSE;

  sc_platform_request_parse_payload (req, payload);
  req->redemption_id = g_strdup (redemption_id);
  req->store_id = g_strdup (store_id);
  req->clerk_id = g_strdup (clerk_id);
  req->source = g_strdup (source != NULL ? source : "unknown");
  req->scanned_at = has_scanned_at ? scanned_at : req->now;
  req->offline = offline;
  req->bill_fen = has_bill ? bill_fen : -1;
  return TRUE;
}

/* {count, store_id?} for the bulk order calls. */
static gboolean
read_admin_count (ScPlatformRequest  *req,
                  JsonObject         *object,
                  GError            **error)
{
  const char *store_id;
  gboolean present;
  gint64 count = 0;

  if (!sc_platform_field_int (object, "count", 1, MAX_ADMIN_ORDERS, &present, &count, error) ||
      !sc_platform_field_string (object, "store_id", SC_PLATFORM_FIELD_OPTIONAL, &store_id,
                                 error))
    return FALSE;
  if (!present)
    {
      sc_platform_set_bad_field (error, "count", _("a whole number in range"));
      return FALSE;
    }
  req->count = (int) count;
  req->store_id = g_strdup (store_id != NULL ? store_id : "1001");
  return TRUE;
}

ScPlatformRequest *
sc_platform_request_read (ScPlatformOp   op,
                          const char    *body,
                          gsize          len,
                          gint64         now,
                          GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = sc_platform_read_object (body, len, error);
  if (object == NULL)
    return NULL;

  req = sc_platform_request_new (op, now);
  switch (op)
    {
    case SC_PLATFORM_OP_LOGIN:
      ok = read_login (req, object, error);
      break;
    case SC_PLATFORM_OP_LOOKUP:
      ok = read_lookup (req, object, error);
      break;
    case SC_PLATFORM_OP_REDEEM:
      ok = read_redeem (req, object, error);
      break;
    case SC_PLATFORM_OP_ADMIN_ADD_ORDERS:
    case SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS:
      ok = read_admin_count (req, object, error);
      break;
    case SC_PLATFORM_OP_MARK_MISSING:
      ok = read_mark_missing (req, object, error);
      break;
    case SC_PLATFORM_OP_GET_REDEMPTION:
    case SC_PLATFORM_OP_REVERSE:
    case SC_PLATFORM_OP_MANIFEST:
    case SC_PLATFORM_OP_ORDERS:
    case SC_PLATFORM_OP_ORDER:
    case SC_PLATFORM_OP_ADMIN_DEMO_CODES:
    case SC_PLATFORM_OP_ADMIN_RESET:
    case SC_PLATFORM_OP_ADMIN_REDEMPTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
  return ok ? g_steal_pointer (&req) : NULL;
}
