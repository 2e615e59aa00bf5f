/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client.c: the platform API v1 (DESIGN §6) over libsoup 3.
 *
 * Every call runs one request through the same pipeline:
 *
 *   request_start()  builds the SoupMessage (headers, JSON body), chains an
 *                    internal GCancellable to the caller's, arms the
 *                    whole-request timer and calls soup_session_send_async()
 *   send_cb()        splices the body into a GMemoryOutputStream whose
 *                    realloc function refuses to grow past MAX_BODY_SIZE, so a
 *                    huge (even chunked) body never sits in memory
 *   splice_cb()      checks status and content type, parses the JSON with
 *                    json-glib (an answer over INLINE_PARSE_MAX on a GTask
 *                    worker thread, so a large manifest page never stalls
 *                    the main loop) and hands the top-level object to the
 *                    call's parse function, on the caller's thread, which
 *                    type-checks every member it reads
 *
 * Transport failures, HTTP statuses and unreadable answers all become one
 * SC_PLATFORM_ERROR code with a short translated message; the API's error
 * code, details, HTTP status and Retry-After ride along as extended error
 * data. G_IO_ERROR_CANCELLED from the caller's cancellable passes through.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-platform-client-tls.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-time.h"
#include "sc-verdict.h"
#include "sc-verdict-words.h"

#define MAX_BODY_SIZE       ((gsize) 8 * 1024 * 1024)
#define MAX_JSON_DEPTH      64
#define DEFAULT_CONNECT_S   5
#define DEFAULT_REQUEST_MS  10000

/* Answers up to this size are parsed where they arrive, which costs well
 * under a millisecond; larger ones (a manifest page of 250 orders is about
 * 100 KiB and takes several ms) are parsed on a worker thread (DESIGN §11). */
#define INLINE_PARSE_MAX    ((gsize) 16 * 1024)

/* ------------------------------------------------------------------------ */
/* Extended error domain                                                     */

typedef struct
{
  char       *api_code;     /* (owned) (nullable) */
  int         retry_after;  /* seconds, -1: none */
  guint       http_status;  /* 0: no HTTP answer */
  JsonObject *details;      /* (owned) (nullable) */
} ScPlatformErrorPrivate;

static void
sc_platform_error_private_init (ScPlatformErrorPrivate *priv)
{
  /* Never NULL: the G_DEFINE_EXTENDED_ERROR getter only checks the domain. */
  if (priv == NULL)
    return;

  priv->api_code = NULL;
  priv->retry_after = -1;
  priv->http_status = 0;
  priv->details = NULL;
}

static void
sc_platform_error_private_copy (const ScPlatformErrorPrivate *src,
                                ScPlatformErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;

  dest->api_code = g_strdup (src->api_code);
  dest->retry_after = src->retry_after;
  dest->http_status = src->http_status;
  dest->details = src->details != NULL ? json_object_ref (src->details) : NULL;
}

static void
sc_platform_error_private_clear (ScPlatformErrorPrivate *priv)
{
  if (priv == NULL)
    return;

  g_clear_pointer (&priv->api_code, g_free);
  g_clear_pointer (&priv->details, json_object_unref);
}

G_DEFINE_EXTENDED_ERROR (ScPlatformError, sc_platform_error)

static ScPlatformErrorPrivate *
lookup_private (const GError *error)
{
  if (error == NULL || error->domain != SC_PLATFORM_ERROR)
    return NULL;
  return sc_platform_error_get_private (error);
}

const char *
sc_platform_error_get_api_code (const GError *error)
{
  ScPlatformErrorPrivate *priv = lookup_private (error);

  return priv != NULL ? priv->api_code : NULL;
}

int
sc_platform_error_get_retry_after (const GError *error)
{
  ScPlatformErrorPrivate *priv = lookup_private (error);

  return priv != NULL ? priv->retry_after : -1;
}

guint
sc_platform_error_get_http_status (const GError *error)
{
  ScPlatformErrorPrivate *priv = lookup_private (error);

  return priv != NULL ? priv->http_status : 0;
}

JsonObject *
sc_platform_error_get_details (const GError *error)
{
  ScPlatformErrorPrivate *priv = lookup_private (error);

  return priv != NULL ? priv->details : NULL;
}

gboolean
sc_platform_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  size_t len;

  if (host == NULL || *host == '\0')
    return FALSE;

  /* "localhost", "localhost." and "[::1]" as well as "::1". */
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else if (host[len - 1] == '.')
    bare = g_strndup (host, len - 1);
  else
    bare = g_strdup (host);

  if (g_ascii_strcasecmp (bare, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

char *
sc_platform_describe_unreachable (const char *host)
{
  if (sc_platform_host_is_loopback (host))
    /* Translators: the platform's address is this computer (127.0.0.1,
     * localhost): nothing answers there, so its program is not running */
    return g_strdup (_("The platform program is not running on this computer. Start it, "
                       "then try again."));
  return g_strdup (_("Cannot reach the platform. Check the network cable or Wi-Fi."));
}

gboolean
sc_platform_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != SC_PLATFORM_ERROR)
    return FALSE;

  switch ((ScPlatformError) error->code)
    {
    case SC_PLATFORM_ERROR_NETWORK:
    case SC_PLATFORM_ERROR_TIMEOUT:
    case SC_PLATFORM_ERROR_RATE_LIMITED:
    case SC_PLATFORM_ERROR_SERVER:
      return TRUE;
    case SC_PLATFORM_ERROR_UNAUTHORIZED:
    case SC_PLATFORM_ERROR_FORBIDDEN:
    case SC_PLATFORM_ERROR_NOT_FOUND:
    case SC_PLATFORM_ERROR_CONFLICT:
    case SC_PLATFORM_ERROR_GONE:
    case SC_PLATFORM_ERROR_REJECTED:
    case SC_PLATFORM_ERROR_BAD_DATA:
    default:
      return FALSE;
    }
}

/* (transfer full): a new SC_PLATFORM_ERROR with its extended data. */
static GError *
platform_error_new_literal (ScPlatformError  code,
                            guint            http_status,
                            const char      *api_code,
                            int              retry_after,
                            JsonObject      *details,
                            const char      *message)
{
  GError *error = g_error_new_literal (SC_PLATFORM_ERROR, code, message);
  ScPlatformErrorPrivate *priv = sc_platform_error_get_private (error);

  g_assert (priv != NULL);
  priv->http_status = http_status;
  priv->api_code = g_strdup (api_code);
  priv->retry_after = retry_after;
  priv->details = details != NULL ? json_object_ref (details) : NULL;

  return error;
}

static GError *
bad_data_error (guint       http_status,
                const char *field)
{
  g_autofree char *message = NULL;

  if (field != NULL)
    /* Translators: %s is the name of a member of the platform's JSON answer */
    message = g_strdup_printf (
      _("The platform sent an answer we cannot read (“%s” is missing or wrong)"), field);
  else
    message = g_strdup (_("The platform sent an answer we cannot read"));

  return platform_error_new_literal (SC_PLATFORM_ERROR_BAD_DATA, http_status,
                                     NULL, -1, NULL, message);
}

/* ------------------------------------------------------------------------ */
/* Type-checked JSON readers: a wrong type or a missing required member is  */
/* BAD_DATA naming the member, never a crash or a silent default.           */

static gboolean
set_bad_field (GError     **error,
               const char  *field)
{
  g_propagate_error (error, bad_data_error (200, field));
  return FALSE;
}

static gpointer
bad_field_null (GError     **error,
                const char  *field)
{
  set_bad_field (error, field);
  return NULL;
}

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             const char **out_value,
             GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out_value = NULL;
  if (node == NULL)
    return required ? set_bad_field (error, name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_bad_field (error, name);

  *out_value = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gboolean     required,
          gboolean    *out_present,
          gint64      *out_value,
          GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out_present = FALSE;
  if (node == NULL)
    return required ? set_bad_field (error, name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return set_bad_field (error, name);

  *out_present = TRUE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *name,
           gboolean    *out_value,
           GError     **error)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return set_bad_field (error, name);

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *name,
             gboolean     required,
             JsonObject **out_value,
             GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out_value = NULL;
  if (node == NULL)
    return required ? set_bad_field (error, name) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_bad_field (error, name);

  *out_value = json_node_get_object (node);
  return TRUE;
}

/* (transfer full) (nullable) */
static gboolean
read_time (JsonObject  *object,
           const char  *name,
           gboolean     required,
           GDateTime  **out_value,
           GError     **error)
{
  const char *str = NULL;

  *out_value = NULL;
  if (!read_string (object, name, required, &str, error))
    return FALSE;
  if (str == NULL)
    return TRUE;

  *out_value = sc_date_time_parse_rfc3339 (str);
  if (*out_value == NULL)
    return set_bad_field (error, name);
  return TRUE;
}

/*
 * json-glib's parser recurses once per nesting level, so "[[[[…" eight
 * megabytes deep would exhaust the stack. Refuse deep nesting before parsing.
 */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }

  return TRUE;
}

/*
 * json-glib reads a lone UTF-16 surrogate escape ("\ud800" without its
 * pair) as bytes that are not UTF-8. No such string (or member name) may go
 * on into a verdict, an error message, a label or the database.
 */
static gboolean
json_strings_are_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !json_strings_are_utf8 (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!json_strings_are_utf8 (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* (transfer full) (nullable): the top-level object of @bytes. Any thread:
 * the parser is private to the call and dropped before it returns, so the
 * tree it gives is referenced only by the caller (json-glib's reference
 * counts are not atomic: only one thread may hold a tree at a time). */
static JsonObject *
parse_json_object (GBytes  *bytes,
                   GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len = 0;
  JsonNode *root;

  data = g_bytes_get_data (bytes, &len);
  if (len == 0 || data == NULL || len > G_MAXSSIZE || !json_depth_ok (data, len))
    {
      g_propagate_error (error, bad_data_error (0, NULL));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_debug ("Platform answer is not JSON: %s", local_error->message);
      g_propagate_error (error, bad_data_error (0, NULL));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Platform answer is not a JSON object");
      g_propagate_error (error, bad_data_error (0, NULL));
      return NULL;
    }

  /* Nesting is bounded (json_depth_ok), and so is the recursion. */
  if (!json_strings_are_utf8 (root))
    {
      g_debug ("Platform answer holds a string that is not UTF-8");
      g_propagate_error (error, bad_data_error (0, NULL));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* ------------------------------------------------------------------------ */
/* The client object                                                         */

struct _ScPlatformClient
{
  GObject      parent_instance;

  char        *base_url;         /* (owned) without a trailing '/' */
  char        *token;            /* (owned) (nullable) */
  char        *platform_id;      /* (owned) (nullable) the last one the platform reported */
  guint        connect_timeout;  /* seconds; the SoupSession's I/O timeout */
  guint        request_timeout;  /* ms; bounds one whole request; 0: none */
  SoupSession *session;          /* (owned) */
};

G_DEFINE_FINAL_TYPE (ScPlatformClient, sc_platform_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_CONNECT_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_PLATFORM_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sc_platform_client_set_connect_timeout (ScPlatformClient *self,
                                        guint             timeout_s)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  if (self->connect_timeout == timeout_s)
    return;

  self->connect_timeout = timeout_s;
  soup_session_set_timeout (self->session, timeout_s);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

static void
sc_platform_client_set_base_url (ScPlatformClient *self,
                                 const char       *base_url)
{
  gsize len;

  if (base_url == NULL)
    base_url = "";

  len = strlen (base_url);
  while (len > 0 && base_url[len - 1] == '/')
    len--;

  g_free (self->base_url);
  self->base_url = g_strndup (base_url, len);
}

static void
sc_platform_client_dispose (GObject *object)
{
  ScPlatformClient *self = SC_PLATFORM_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sc_platform_client_parent_class)->dispose (object);
}

static void
sc_platform_client_finalize (GObject *object)
{
  ScPlatformClient *self = SC_PLATFORM_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->platform_id, g_free);

  G_OBJECT_CLASS (sc_platform_client_parent_class)->finalize (object);
}

static void
sc_platform_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScPlatformClient *self = SC_PLATFORM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_PLATFORM_ID:
      g_value_set_string (value, self->platform_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_platform_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ScPlatformClient *self = SC_PLATFORM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      sc_platform_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      sc_platform_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      sc_platform_client_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_REQUEST_TIMEOUT:
      sc_platform_client_set_request_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_platform_client_class_init (ScPlatformClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_platform_client_dispose;
  object_class->finalize = sc_platform_client_finalize;
  object_class->get_property = sc_platform_client_get_property;
  object_class->set_property = sc_platform_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_CONNECT_S,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_REQUEST_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PLATFORM_ID] =
    g_param_spec_string ("platform-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_platform_client_init (ScPlatformClient *self)
{
  self->base_url = g_strdup ("");
  self->connect_timeout = DEFAULT_CONNECT_S;
  self->request_timeout = DEFAULT_REQUEST_MS;
  self->session = soup_session_new_with_options ("timeout", self->connect_timeout,
                                                 "user-agent", "store-counter/" PACKAGE_VERSION,
                                                 "accept-language-auto", TRUE,
                                                 NULL);
  sc_platform_client_tls_setup_session (self->session);
}

ScPlatformClient *
sc_platform_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (SC_TYPE_PLATFORM_CLIENT, "base-url", base_url, NULL);
}

const char *
sc_platform_client_get_base_url (ScPlatformClient *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);

  return self->base_url;
}

const char *
sc_platform_client_get_token (ScPlatformClient *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);

  return self->token;
}

void
sc_platform_client_set_token (ScPlatformClient *self,
                              const char       *token)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

const char *
sc_platform_client_get_platform_id (ScPlatformClient *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  return self->platform_id;
}

/* What the platform says it is (health and session answers). */
static void
set_platform_id (ScPlatformClient *self,
                 const char       *platform_id)
{
  if (platform_id == NULL || g_strcmp0 (self->platform_id, platform_id) == 0)
    return;

  g_free (self->platform_id);
  self->platform_id = g_strdup (platform_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_ID]);
}

void
sc_platform_client_set_request_timeout (ScPlatformClient *self,
                                        guint             timeout_ms)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  if (self->request_timeout == timeout_ms)
    return;

  self->request_timeout = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT]);
}

/* ------------------------------------------------------------------------ */
/* The request pipeline                                                      */

typedef struct _Request Request;

/* Turns the top-level object of a 2xx answer into the call's result.
 * Returns: (transfer full) (nullable) */
typedef gpointer (*ParseFunc) (ScPlatformClient  *self,
                               Request           *req,
                               JsonObject        *root,
                               GError           **error);

struct _Request
{
  SoupMessage    *msg;                 /* (owned) (nullable) */
  GCancellable   *cancellable;         /* (owned) internal; the caller's or the timer cancels it */
  GCancellable   *caller_cancellable;  /* (owned) (nullable) */
  gulong          cancelled_id;
  GSource        *timeout_source;      /* (owned) (nullable) */
  gboolean        timed_out;
  ParseFunc       parse;
  GDestroyNotify  result_free;
  ScRedemption   *redemption;          /* (owned) (nullable) redeem: what was sent */
  char           *redemption_id;       /* (owned) (nullable) */
  gboolean        idempotent;          /* safe to send twice without an Idempotency-Key */
};

static void
request_stop_watching (Request *req)
{
  if (req->timeout_source != NULL)
    {
      g_source_destroy (req->timeout_source);
      g_clear_pointer (&req->timeout_source, g_source_unref);
    }
  if (req->cancelled_id != 0)
    {
      g_cancellable_disconnect (req->caller_cancellable, req->cancelled_id);
      req->cancelled_id = 0;
    }
}

static void
request_free (gpointer data)
{
  Request *req = data;

  request_stop_watching (req);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->caller_cancellable);
  g_clear_pointer (&req->redemption, sc_redemption_free);
  g_clear_pointer (&req->redemption_id, g_free);
  g_free (req);
}

static GTask *
request_task_new (ScPlatformClient    *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag,
                  ParseFunc            parse,
                  GDestroyNotify       result_free)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  req->parse = parse;
  req->result_free = result_free;
  req->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    req->caller_cancellable = g_object_ref (cancellable);
  g_task_set_task_data (task, req, request_free);

  return task;
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  request_stop_watching (g_task_get_task_data (task));
  g_task_return_error (task, error);
}

/* Transport failures (no HTTP answer) as SC_PLATFORM_ERROR. */
static GError *
map_transport_error (Request *req,
                     GError  *error)
{
  g_autoptr(GError) owned = error;
  GError *tls_error;

  if (req->caller_cancellable != NULL && g_cancellable_is_cancelled (req->caller_cancellable))
    {
      if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return g_steal_pointer (&owned);
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
    }

  g_debug ("Platform request failed: %s", owned->message);

  if (req->timed_out || g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return platform_error_new_literal (SC_PLATFORM_ERROR_TIMEOUT, 0, NULL, -1, NULL,
                                       _("The platform did not answer in time"));

  /* Cancelled by nobody we know of (the session was aborted): pass through. */
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (g_error_matches (owned, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (owned, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return bad_data_error (0, NULL);

  /* A certificate refused is not "offline" (DESIGN §13). */
  tls_error = sc_platform_client_tls_map_error (req->msg, owned);
  if (tls_error != NULL)
    return tls_error;

  {
    g_autofree char *message = NULL;
    GUri *uri = soup_message_get_uri (req->msg);

    message = sc_platform_describe_unreachable (uri != NULL ? g_uri_get_host (uri) : NULL);
    return platform_error_new_literal (SC_PLATFORM_ERROR_NETWORK, 0, NULL, -1, NULL, message);
  }
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     gpointer      user_data)
{
  GCancellable *internal = user_data;

  g_cancellable_cancel (internal);
}

static gboolean
on_request_timeout (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  g_clear_pointer (&req->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

/* The Retry-After header as seconds from now: delta-seconds or an HTTP
 * date; -1 when absent or unreadable. */
static int
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  if (g_ascii_isdigit (*trimmed))
    {
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, &n, NULL))
        return -1;
      return (int) MIN (n, (guint64) G_MAXINT);
    }

  when = soup_date_time_new_from_http_string (trimmed);
  if (when == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
  return (int) CLAMP (seconds, 0, G_MAXINT);
}

/* The error for a non-2xx answer; @root is the answer when it is a JSON
 * object. */
static GError *
error_from_status (guint               status,
                   SoupMessageHeaders *headers,
                   JsonObject         *root)
{
  JsonObject *error_object = NULL;
  JsonObject *details = NULL;
  const char *api_code = NULL;
  const char *server_message = NULL;
  g_autofree char *message = NULL;
  g_autofree char *words = NULL;
  ScPlatformError code;
  int retry_after;

  /* Take what is well-typed; an odd error body still maps by status. */
  if (root != NULL &&
      read_object (root, "error", FALSE, &error_object, NULL) &&
      error_object != NULL)
    {
      if (!read_string (error_object, "code", FALSE, &api_code, NULL))
        api_code = NULL;
      if (!read_string (error_object, "message", FALSE, &server_message, NULL))
        server_message = NULL;
      if (!read_object (error_object, "details", FALSE, &details, NULL))
        details = NULL;
      if (server_message != NULL && *server_message == '\0')
        server_message = NULL;
    }

  retry_after = (status == 429 || status == 503) ? parse_retry_after (headers) : -1;

  /* The counter's own words for the codes it knows; the platform's
   * English message only for the others (sc-verdict-words.h). */
  words = sc_verdict_words_refusal (api_code, details, NULL);

  if (status == 401)
    {
      code = SC_PLATFORM_ERROR_UNAUTHORIZED;
      if (g_strcmp0 (api_code, "bad_credentials") == 0)
        message = g_strdup (_("Wrong store, clerk or PIN"));
      else
        message = g_strdup (_("Session expired: log in again"));
    }
  else if (status == 403)
    {
      code = SC_PLATFORM_ERROR_FORBIDDEN;
      message = g_strdup (words != NULL ? words
                          : server_message != NULL
                          ? server_message
                          : _("The platform does not allow this for this store or clerk"));
    }
  else if (status == 404)
    {
      code = SC_PLATFORM_ERROR_NOT_FOUND;
      message = g_strdup (words != NULL ? words
                          : server_message != NULL ? server_message
                          : _("The platform has no record of this"));
    }
  else if (status == 408)
    {
      code = SC_PLATFORM_ERROR_TIMEOUT;
      message = g_strdup (_("The platform did not answer in time"));
    }
  else if (status == 409)
    {
      code = SC_PLATFORM_ERROR_CONFLICT;
      message = g_strdup (words != NULL ? words
                          : server_message != NULL ? server_message
                          : _("The platform has a different record of this"));
    }
  else if (status == 410)
    {
      code = SC_PLATFORM_ERROR_GONE;
      message = g_strdup (words != NULL ? words
                          : server_message != NULL ? server_message
                          : _("This is no longer valid"));
    }
  else if (status == 429)
    {
      code = SC_PLATFORM_ERROR_RATE_LIMITED;
      if (retry_after >= 0)
        message = g_strdup_printf (ngettext ("The platform is busy: try again in %d second",
                                             "The platform is busy: try again in %d seconds",
                                             retry_after),
                                   retry_after);
      else
        message = g_strdup (_("The platform is busy: try again in a moment"));
    }
  else if (status >= 400 && status < 500)
    {
      code = SC_PLATFORM_ERROR_REJECTED;
      message = g_strdup (words != NULL ? words
                          : server_message != NULL ? server_message
                          : _("The platform refused this request"));
    }
  else if (status >= 500 && status < 600)
    {
      code = SC_PLATFORM_ERROR_SERVER;
      if (words != NULL)
        message = g_steal_pointer (&words);
      else if (server_message != NULL)
        /* Translators: %s is the platform's own explanation */
        message = g_strdup_printf (_("The platform had a problem: %s"), server_message);
      else
        message = g_strdup (_("The platform had a problem: try again in a moment"));
    }
  else
    {
      code = SC_PLATFORM_ERROR_BAD_DATA;
      message = g_strdup (_("The platform sent an answer we cannot read"));
    }

  return platform_error_new_literal (code, status, api_code, retry_after, details, message);
}

static gboolean
content_type_is_json (SoupMessageHeaders *headers)
{
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  if (content_type == NULL)
    return FALSE;

  return g_ascii_strcasecmp (content_type, "application/json") == 0 ||
         (g_str_has_prefix (content_type, "application/") &&
          g_str_has_suffix (content_type, "+json"));
}

/* The answer's JSON is parsed (@root, or NULL with @parse_error): the
 * status decides what comes back. Takes @parse_error. */
static void
request_finish_answer (GTask      *task,
                       JsonObject *root,
                       GError     *parse_error)
{
  ScPlatformClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) owned_parse_error = parse_error;
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (req->msg);
  gpointer result;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* An odd error body still maps by status. */
      request_return_error (task, error_from_status (status,
                                                     soup_message_get_response_headers (req->msg),
                                                     root));
      return;
    }

  if (root == NULL)
    {
      request_return_error (task, g_steal_pointer (&owned_parse_error));
      return;
    }

  result = req->parse (self, req, root, &error);
  if (result == NULL)
    {
      g_assert (error != NULL);
      if (error->domain == SC_PLATFORM_ERROR)
        {
          ScPlatformErrorPrivate *priv = sc_platform_error_get_private (error);

          if (priv != NULL)
            priv->http_status = status;
        }
      request_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_stop_watching (req);
  g_task_return_pointer (task, result, req->result_free);
}

/* A GTask worker thread: parses the body (task data) alone. */
static void
parse_in_thread (GTask        *parse_task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  JsonObject *root = parse_json_object (task_data, &error);

  if (root == NULL)
    g_task_return_error (parse_task, error);
  else
    g_task_return_pointer (parse_task, root, (GDestroyNotify) json_object_unref);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) root = NULL;
  GError *error = NULL;

  root = g_task_propagate_pointer (G_TASK (result), &error);
  request_finish_answer (task, root, error);
}

static void
request_handle_answer (GTask  *task,
                       GBytes *body)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  guint status = soup_message_get_status (req->msg);
  g_autoptr(GTask) parse_task = NULL;

  /* No content (a logout): an empty object for the parse function. */
  if (status == SOUP_STATUS_NO_CONTENT)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      request_finish_answer (task, empty, NULL);
      return;
    }

  if (!content_type_is_json (headers))
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_debug ("Platform answered %u with content type %s", status,
                   soup_message_headers_get_content_type (headers, NULL));
          request_return_error (task, bad_data_error (status, NULL));
        }
      else
        {
          request_return_error (task, error_from_status (status, headers, NULL));
        }
      return;
    }

  if (g_bytes_get_size (body) <= INLINE_PARSE_MAX)
    {
      g_autoptr(JsonObject) root = NULL;
      GError *error = NULL;

      root = parse_json_object (body, &error);
      request_finish_answer (task, root, error);
      return;
    }

  /* The whole answer is here: what is left is ours, so the request timer
   * stops now, as it would for an answer parsed inline. The caller's
   * cancellable still wins when the task returns (the parse itself cannot
   * be interrupted). No cancellable here: the parse always reports back,
   * so the request always completes on the caller's thread. */
  request_stop_watching (req);
  parse_task = g_task_new (NULL, NULL, parsed_cb, g_object_ref (task));
  g_task_set_source_tag (parse_task, request_handle_answer);
  g_task_set_name (parse_task, "[sc-platform-client] parse answer");
  g_task_set_task_data (parse_task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (parse_task, parse_in_thread);
}

static gpointer
capped_realloc (gpointer data,
                gsize    size)
{
  /* GMemoryOutputStream grows to powers of two: refusing anything over the
   * cap makes the splice fail with G_IO_ERROR_NO_SPACE. */
  if (size > MAX_BODY_SIZE)
    return NULL;
  return g_realloc (data, size);
}

static void
splice_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  GOutputStream *ostream = G_OUTPUT_STREAM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  if (g_output_stream_splice_finish (ostream, result, &error) < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) &&
          !g_cancellable_is_cancelled (req->cancellable))
        {
          g_debug ("Platform answer is larger than %" G_GSIZE_FORMAT " bytes", MAX_BODY_SIZE);
          g_cancellable_cancel (req->cancellable);
          request_return_error (task, bad_data_error (soup_message_get_status (req->msg), NULL));
          return;
        }
      request_return_error (task, map_transport_error (req, g_steal_pointer (&error)));
      return;
    }

  body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (ostream));
  if (g_bytes_get_size (body) > MAX_BODY_SIZE)
    {
      request_return_error (task, bad_data_error (soup_message_get_status (req->msg), NULL));
      return;
    }

  request_handle_answer (task, body);
}

static void
close_too_large_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);

  /* The message was cancelled: closing fails or not, nothing to learn. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  request_return_error (task, bad_data_error (soup_message_get_status (req->msg), NULL));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) ostream = NULL;
  g_autoptr(GError) error = NULL;
  goffset content_length;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      request_return_error (task, map_transport_error (req, g_steal_pointer (&error)));
      return;
    }

  /* A declared body over the cap: stop before reading it. Cancelling the
   * message drops the connection; the close then finishes at once. */
  content_length =
    soup_message_headers_get_content_length (soup_message_get_response_headers (req->msg));
  if (content_length > (goffset) MAX_BODY_SIZE)
    {
      g_debug ("Platform announced a %" G_GOFFSET_FORMAT " byte answer", content_length);
      g_cancellable_cancel (req->cancellable);
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL,
                                  close_too_large_cb, g_steal_pointer (&task));
      return;
    }

  ostream = g_memory_output_stream_new (NULL, 0, capped_realloc, g_free);
  g_output_stream_splice_async (ostream, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT,
                                req->cancellable,
                                splice_cb,
                                g_steal_pointer (&task));
}

/* Sends @method @path with @body (a JSON object, nullable) for @task
 * (transfer full). */
static void
request_start (ScPlatformClient *self,
               GTask            *task,
               const char       *method,
               const char       *path,
               JsonNode         *body,
               const char       *idempotency_key)
{
  Request *req = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      GError *error = platform_error_new_literal (
        SC_PLATFORM_ERROR_NETWORK, 0, NULL, -1, NULL,
        _("The platform address is not valid: check the settings"));

      request_return_error (task, error);
      g_object_unref (task);
      return;
    }

  req->msg = soup_message_new_from_uri (method, uri);
  /* libsoup sends a POST on a new connection unless it may be sent twice:
   * a call that only reads, or a change with an Idempotency-Key (a replay
   * gets the first answer), may reuse a kept-alive one. That saves a TCP
   * and TLS handshake per scan and per redeem. */
  if (req->idempotent || idempotency_key != NULL)
    soup_message_add_flags (req->msg, SOUP_MESSAGE_IDEMPOTENT);
  sc_platform_client_tls_watch (req->msg);
  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL && *self->token != '\0')
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      char *text;
      gsize len = 0;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      /* Wiped when libsoup lets go of it: the login body holds the PIN. */
      bytes = g_bytes_new_with_free_func (text, len, (GDestroyNotify) sc_secret_free, text);
      soup_message_set_request_body_from_bytes (req->msg, "application/json", bytes);
    }

  if (req->caller_cancellable != NULL)
    req->cancelled_id = g_cancellable_connect (req->caller_cancellable,
                                               G_CALLBACK (on_caller_cancelled),
                                               req->cancellable, NULL);

  if (self->request_timeout > 0)
    {
      req->timeout_source = g_timeout_source_new (self->request_timeout);
      g_source_set_name (req->timeout_source, "[sc-platform-client] request timeout");
      g_source_set_callback (req->timeout_source, on_request_timeout, req, NULL);
      g_source_attach (req->timeout_source, g_task_get_context (task));
    }

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->cancellable, send_cb, task);
}

static JsonNode *
object_node_new (JsonBuilder *builder)
{
  return json_builder_get_root (builder);
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Login                                                                     */

static gpointer
parse_session (ScPlatformClient  *self,
               Request           *req,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(ScSession) session = sc_session_new ();
  JsonObject *store = NULL;
  JsonObject *clerk = NULL;
  const char *token = NULL;
  const char *store_id = NULL;
  const char *store_name = NULL;
  const char *store_timezone = NULL;
  const char *clerk_id = NULL;
  const char *clerk_name = NULL;
  const char *platform_id = NULL;
  const char *manifest_key = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  gboolean present = FALSE;
  gint64 undo_window_s = 0;

  if (!read_string (root, "token", TRUE, &token, error) ||
      !read_time (root, "expires_at", TRUE, &expires_at, error) ||
      !read_object (root, "store", TRUE, &store, error) ||
      !read_object (root, "clerk", TRUE, &clerk, error) ||
      !read_int (root, "undo_window_s", TRUE, &present, &undo_window_s, error) ||
      !read_string (root, "platform_id", FALSE, &platform_id, error))
    return NULL;

  if (*token == '\0')
    return bad_field_null (error, "token");
  if (undo_window_s < 0 || undo_window_s > G_MAXINT)
    return bad_field_null (error, "undo_window_s");

  if (!read_string (store, "id", TRUE, &store_id, error) ||
      !read_string (store, "name", TRUE, &store_name, error) ||
      !read_string (store, "timezone", TRUE, &store_timezone, error) ||
      !read_string (clerk, "id", TRUE, &clerk_id, error) ||
      !read_string (clerk, "name", TRUE, &clerk_name, error) ||
      !read_string (root, "manifest_key", FALSE, &manifest_key, error))
    return NULL;
  /* The store's key for offline checks (sc-store-key.h); a platform that
   * sends none leaves offline checks to say they cannot be made. */
  if (manifest_key != NULL && !sc_store_key_is_valid (manifest_key))
    return bad_field_null (error, "manifest_key");

  session->token = g_strdup (token);
  session->manifest_key = g_strdup (manifest_key);
  session->expires_at = g_steal_pointer (&expires_at);
  session->store_id = g_strdup (store_id);
  session->store_name = g_strdup (store_name);
  session->store_timezone = g_strdup (store_timezone);
  session->clerk_id = g_strdup (clerk_id);
  session->clerk_name = g_strdup (clerk_name);
  session->undo_window_s = (int) undo_window_s;
  if (platform_id != NULL && *platform_id != '\0')
    session->platform_id = g_strdup (platform_id);

  sc_platform_client_set_token (self, session->token);
  set_platform_id (self, session->platform_id);

  return g_steal_pointer (&session);
}

void
sc_platform_client_login_async (ScPlatformClient    *self,
                                const char          *store_id,
                                const char          *clerk_id,
                                const char          *pin,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  char *pin_copy;   /* (unowned) json-glib's */
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (clerk_id != NULL);
  g_return_if_fail (pin != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_login_async,
                           parse_session, (GDestroyNotify) sc_session_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "store_id");
  json_builder_add_string_value (builder, store_id);
  json_builder_set_member_name (builder, "clerk_id");
  json_builder_add_string_value (builder, clerk_id);
  json_builder_set_member_name (builder, "pin");
  json_builder_add_string_value (builder, pin);
  json_builder_end_object (builder);
  body = object_node_new (builder);

  request_start (self, task, "POST", "/v1/sessions", body, NULL);

  /* The body is serialized: wipe json-glib's copy of the PIN. */
  pin_copy = (char *) json_object_get_string_member (json_node_get_object (body), "pin");
  sc_secret_wipe (pin_copy, strlen (pin_copy));
}

ScSession *
sc_platform_client_login_finish (ScPlatformClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_login_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Logout                                                                    */

static gpointer
parse_logout (ScPlatformClient  *self,
              Request           *req,
              JsonObject        *root,
              GError           **error)
{
  return GINT_TO_POINTER (TRUE);
}

void
sc_platform_client_logout_async (ScPlatformClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_logout_async, parse_logout, NULL);
  /* The request carries the token; from now on the client has none. */
  request_start (self, task, "DELETE", "/v1/sessions/current", NULL, NULL);
  sc_platform_client_set_token (self, NULL);
}

gboolean
sc_platform_client_logout_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_logout_async),
                        FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* ------------------------------------------------------------------------ */
/* Health                                                                    */

static gpointer
parse_health (ScPlatformClient  *self,
              Request           *req,
              JsonObject        *root,
              GError           **error)
{
  const char *status = NULL;
  const char *platform_id = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!read_string (root, "status", TRUE, &status, error) ||
      !read_time (root, "time", TRUE, &time, error) ||
      !read_string (root, "platform_id", FALSE, &platform_id, error))
    return NULL;

  if (g_strcmp0 (status, "ok") != 0)
    {
      g_set_error_literal (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER,
                           _("The platform is not ready: try again in a moment"));
      return NULL;
    }

  if (platform_id != NULL && *platform_id != '\0')
    set_platform_id (self, platform_id);
  return g_steal_pointer (&time);
}

void
sc_platform_client_health_async (ScPlatformClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_health_async,
                           parse_health, (GDestroyNotify) g_date_time_unref);
  request_start (self, task, "GET", "/v1/health", NULL, NULL);
}

GDateTime *
sc_platform_client_health_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_health_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Lookup                                                                    */

static gpointer
parse_verdict (ScPlatformClient  *self,
               Request           *req,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  ScVerdict *verdict;

  verdict = sc_verdict_new_from_json (root, &local_error);
  if (verdict == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Cannot read the lookup answer: %s",
               local_error ? local_error->message : "(no error)");
      /* Translators: %s says which part of the answer is wrong */
      message = g_strdup_printf (_("The platform sent an answer we cannot read: %s"),
                                 local_error ? local_error->message : _("unknown reason"));
      g_propagate_error (error, platform_error_new_literal (SC_PLATFORM_ERROR_BAD_DATA, 200,
                                                           NULL, -1, NULL, message));
      return NULL;
    }

  return verdict;
}

void
sc_platform_client_lookup_async (ScPlatformClient    *self,
                                 const char          *payload,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (payload != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_lookup_async,
                           parse_verdict, g_object_unref);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, payload);
  json_builder_end_object (builder);
  body = object_node_new (builder);

  ((Request *) g_task_get_task_data (task))->idempotent = TRUE;  /* it only reads */
  request_start (self, task, "POST", "/v1/codes/lookup", body, NULL);
}

ScVerdict *
sc_platform_client_lookup_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_lookup_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Redeem                                                                    */

static gpointer
parse_redeemed (ScPlatformClient  *self,
                Request           *req,
                JsonObject        *root,
                GError           **error)
{
  g_autoptr(ScRedemption) copy = NULL;
  g_autoptr(GDateTime) redeemed_at = NULL;
  const char *redemption_id = NULL;
  const char *code = NULL;
  const char *kind = NULL;
  gboolean has_discount = FALSE;
  gboolean has_bill = FALSE;
  gint64 discount_fen = -1;
  gint64 bill_fen = -1;
  ScCodeKind code_kind = SC_CODE_KIND_UNKNOWN;

  if (!read_string (root, "redemption_id", TRUE, &redemption_id, error) ||
      !read_time (root, "redeemed_at", TRUE, &redeemed_at, error) ||
      !read_string (root, "code", FALSE, &code, error) ||
      !read_string (root, "kind", FALSE, &kind, error) ||
      !read_int (root, "discount_fen", FALSE, &has_discount, &discount_fen, error) ||
      !read_int (root, "bill_fen", FALSE, &has_bill, &bill_fen, error))
    return NULL;

  if (g_ascii_strcasecmp (redemption_id, req->redemption->id) != 0)
    return bad_field_null (error, "redemption_id");
  if (kind != NULL && !sc_code_kind_from_string (kind, &code_kind))
    return bad_field_null (error, "kind");
  if (has_discount && discount_fen < 0)
    return bad_field_null (error, "discount_fen");
  if (has_bill && bill_fen < 0)
    return bad_field_null (error, "bill_fen");

  copy = sc_redemption_copy (req->redemption);
  copy->state = SC_REDEMPTION_STATE_SYNCED;
  copy->redeemed_at = g_date_time_to_unix (redeemed_at);
  if (has_discount)
    copy->discount_fen = discount_fen;
  if (copy->code == NULL && code != NULL)
    copy->code = g_strdup (code);
  if (copy->kind == SC_CODE_KIND_UNKNOWN && kind != NULL)
    copy->kind = code_kind;
  g_clear_pointer (&copy->reason, g_free);
  copy->updated_at = sc_time_now_unix ();

  return g_steal_pointer (&copy);
}

void
sc_platform_client_redeem_async (ScPlatformClient    *self,
                                 const ScRedemption  *redemption,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GDateTime) scanned_at = NULL;
  g_autofree char *scanned_at_str = NULL;
  Request *req;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption != NULL);
  g_return_if_fail (redemption->id != NULL && *redemption->id != '\0');
  g_return_if_fail (redemption->payload != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_redeem_async,
                           parse_redeemed, (GDestroyNotify) sc_redemption_free);
  req = g_task_get_task_data (task);
  req->redemption = sc_redemption_copy (redemption);

  scanned_at = g_date_time_new_from_unix_utc (redemption->scanned_at);
  if (scanned_at != NULL)
    scanned_at_str = sc_date_time_format_rfc3339 (scanned_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "redemption_id");
  json_builder_add_string_value (builder, redemption->id);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, redemption->payload);
  /* Who made it: the platform refuses it from anyone else's session. */
  json_builder_set_member_name (builder, "store_id");
  json_builder_add_string_value (builder, redemption->store_id != NULL ? redemption->store_id : "");
  json_builder_set_member_name (builder, "clerk_id");
  json_builder_add_string_value (builder, redemption->clerk_id != NULL ? redemption->clerk_id : "");
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, redemption->source ? redemption->source : "keyboard");
  if (scanned_at_str != NULL)
    {
      json_builder_set_member_name (builder, "scanned_at");
      json_builder_add_string_value (builder, scanned_at_str);
    }
  json_builder_set_member_name (builder, "offline");
  json_builder_add_boolean_value (builder, redemption->offline);
  if (redemption->bill_fen >= 0)
    {
      json_builder_set_member_name (builder, "bill_fen");
      json_builder_add_int_value (builder, redemption->bill_fen);
    }
  json_builder_end_object (builder);
  body = object_node_new (builder);

  request_start (self, task, "POST", "/v1/redemptions", body, redemption->id);
}

ScRedemption *
sc_platform_client_redeem_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_redeem_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* The platform's record of a redemption                                     */

static gpointer
parse_redemption_record (ScPlatformClient  *self,
                         Request           *req,
                         JsonObject        *root,
                         GError           **error)
{
  g_autoptr(ScRedemption) record = NULL;
  g_autoptr(GDateTime) scanned_at = NULL;
  g_autoptr(GDateTime) redeemed_at = NULL;
  g_autoptr(GDateTime) reversed_at = NULL;
  const char *redemption_id = NULL;
  const char *code = NULL;
  const char *kind = NULL;
  const char *payload = NULL;
  const char *store_id = NULL;
  const char *clerk_id = NULL;
  const char *source = NULL;
  gboolean offline = FALSE;
  gboolean has_discount = FALSE;
  gboolean has_bill = FALSE;
  gint64 discount_fen = -1;
  gint64 bill_fen = -1;
  ScCodeKind code_kind = SC_CODE_KIND_UNKNOWN;

  if (!read_string (root, "redemption_id", TRUE, &redemption_id, error) ||
      !read_string (root, "code", TRUE, &code, error) ||
      !read_string (root, "kind", TRUE, &kind, error) ||
      !read_time (root, "redeemed_at", TRUE, &redeemed_at, error) ||
      !read_string (root, "payload", FALSE, &payload, error) ||
      !read_string (root, "store_id", FALSE, &store_id, error) ||
      !read_string (root, "clerk_id", FALSE, &clerk_id, error) ||
      !read_string (root, "source", FALSE, &source, error) ||
      !read_time (root, "scanned_at", FALSE, &scanned_at, error) ||
      !read_bool (root, "offline", &offline, error) ||
      !read_int (root, "bill_fen", FALSE, &has_bill, &bill_fen, error) ||
      !read_int (root, "discount_fen", FALSE, &has_discount, &discount_fen, error) ||
      !read_time (root, "reversed_at", FALSE, &reversed_at, error))
    return NULL;

  if (g_ascii_strcasecmp (redemption_id, req->redemption_id) != 0)
    return bad_field_null (error, "redemption_id");
  if (!sc_code_kind_from_string (kind, &code_kind))
    return bad_field_null (error, "kind");
  if (has_bill && bill_fen < 0)
    return bad_field_null (error, "bill_fen");
  if (has_discount && discount_fen < 0)
    return bad_field_null (error, "discount_fen");

  record = sc_redemption_new (payload != NULL ? payload : code, code, code_kind,
                              source != NULL ? source : "keyboard");
  g_free (record->id);
  record->id = g_strdup (redemption_id);
  g_free (record->store_id);
  record->store_id = g_strdup (store_id);
  g_free (record->clerk_id);
  record->clerk_id = g_strdup (clerk_id);
  if (scanned_at != NULL)
    record->scanned_at = g_date_time_to_unix (scanned_at);
  record->offline = offline;
  record->bill_fen = has_bill ? bill_fen : -1;
  record->discount_fen = has_discount ? discount_fen : -1;
  record->redeemed_at = g_date_time_to_unix (redeemed_at);
  record->state = reversed_at != NULL ? SC_REDEMPTION_STATE_REVERSED : SC_REDEMPTION_STATE_SYNCED;
  record->updated_at = reversed_at != NULL ? g_date_time_to_unix (reversed_at)
                                            : sc_time_now_unix ();

  return g_steal_pointer (&record);
}

void
sc_platform_client_get_redemption_async (ScPlatformClient    *self,
                                         const char          *redemption_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption_id != NULL && *redemption_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_get_redemption_async,
                           parse_redemption_record, (GDestroyNotify) sc_redemption_free);
  req = g_task_get_task_data (task);
  req->redemption_id = g_strdup (redemption_id);

  escaped = escape_segment (redemption_id);
  path = g_strconcat ("/v1/redemptions/", escaped, NULL);
  request_start (self, task, "GET", path, NULL, NULL);
}

ScRedemption *
sc_platform_client_get_redemption_finish (ScPlatformClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_get_redemption_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Reversal                                                                  */

static gpointer
parse_reversal (ScPlatformClient  *self,
                Request           *req,
                JsonObject        *root,
                GError           **error)
{
  g_autoptr(GDateTime) reversed_at = NULL;
  const char *redemption_id = NULL;
  gint64 *result;

  if (!read_string (root, "redemption_id", FALSE, &redemption_id, error) ||
      !read_time (root, "reversed_at", TRUE, &reversed_at, error))
    return NULL;

  if (redemption_id != NULL && g_ascii_strcasecmp (redemption_id, req->redemption_id) != 0)
    return bad_field_null (error, "redemption_id");

  result = g_new (gint64, 1);
  *result = g_date_time_to_unix (reversed_at);
  return result;
}

void
sc_platform_client_reverse_async (ScPlatformClient    *self,
                                  const char          *redemption_id,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption_id != NULL && *redemption_id != '\0');
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_reverse_async,
                           parse_reversal, g_free);
  req = g_task_get_task_data (task);
  req->redemption_id = g_strdup (redemption_id);

  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  body = object_node_new (builder);

  escaped = escape_segment (redemption_id);
  path = g_strconcat ("/v1/redemptions/", escaped, "/reversal", NULL);
  request_start (self, task, "POST", path, body, idempotency_key);
}

gboolean
sc_platform_client_reverse_finish (ScPlatformClient  *self,
                                   GAsyncResult      *result,
                                   gint64            *out_reversed_at,
                                   GError           **error)
{
  g_autofree gint64 *reversed_at = NULL;

  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_reverse_async),
                        FALSE);

  reversed_at = g_task_propagate_pointer (G_TASK (result), error);
  if (reversed_at == NULL)
    return FALSE;

  if (out_reversed_at != NULL)
    *out_reversed_at = *reversed_at;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Any GET returning an object                                               */

static gpointer
parse_any_object (ScPlatformClient  *self,
                  Request           *req,
                  JsonObject        *root,
                  GError           **error)
{
  return json_object_ref (root);
}

void
sc_platform_client_get_json_async (ScPlatformClient    *self,
                                   const char          *path_and_query,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, cancellable, callback, user_data,
                           sc_platform_client_get_json_async,
                           parse_any_object, (GDestroyNotify) json_object_unref);
  request_start (self, task, "GET", path_and_query, NULL, NULL);
}

JsonObject *
sc_platform_client_get_json_finish (ScPlatformClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sc_platform_client_get_json_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* The readers alone (sc-platform-client-private.h)                          */

JsonObject *
sc_platform_parse_answer (GBytes  *body,
                          GError **error)
{
  g_return_val_if_fail (body != NULL, NULL);

  return parse_json_object (body, error);
}

ScSession *
sc_platform_read_session (ScPlatformClient  *client,
                          JsonObject        *root,
                          GError           **error)
{
  Request req = { 0 };

  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (client), NULL);
  g_return_val_if_fail (root != NULL, NULL);

  return parse_session (client, &req, root, error);
}

GDateTime *
sc_platform_read_health (JsonObject  *root,
                         GError     **error)
{
  Request req = { 0 };

  g_return_val_if_fail (root != NULL, NULL);

  return parse_health (NULL, &req, root, error);
}

ScVerdict *
sc_platform_read_verdict (JsonObject  *root,
                          GError     **error)
{
  Request req = { 0 };

  g_return_val_if_fail (root != NULL, NULL);

  return parse_verdict (NULL, &req, root, error);
}

ScRedemption *
sc_platform_read_redeemed (const ScRedemption  *sent,
                           JsonObject          *root,
                           GError             **error)
{
  Request req = { 0 };

  g_return_val_if_fail (sent != NULL && sent->id != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  req.redemption = (ScRedemption *) sent;  /* read only */
  return parse_redeemed (NULL, &req, root, error);
}

ScRedemption *
sc_platform_read_redemption_record (const char  *redemption_id,
                                    JsonObject  *root,
                                    GError     **error)
{
  Request req = { 0 };

  g_return_val_if_fail (redemption_id != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  req.redemption_id = (char *) redemption_id;  /* read only */
  return parse_redemption_record (NULL, &req, root, error);
}

gboolean
sc_platform_read_reversal (const char  *redemption_id,
                           JsonObject  *root,
                           gint64      *out_reversed_at,
                           GError     **error)
{
  g_autofree gint64 *reversed_at = NULL;
  Request req = { 0 };

  g_return_val_if_fail (redemption_id != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  req.redemption_id = (char *) redemption_id;  /* read only */
  reversed_at = parse_reversal (NULL, &req, root, error);
  if (reversed_at == NULL)
    return FALSE;
  if (out_reversed_at != NULL)
    *out_reversed_at = *reversed_at;
  return TRUE;
}

GError *
sc_platform_error_new_from_answer (guint               status,
                                   SoupMessageHeaders *headers,
                                   JsonObject         *root)
{
  g_return_val_if_fail (headers != NULL, NULL);

  return error_from_status (status, headers, root);
}
