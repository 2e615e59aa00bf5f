/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client.c: the platform API v1 (DESIGN §6) over libsoup 3.
 *
 * The object and the request pipeline every call runs. The calls are
 * grouped by area like the cache: sc-platform-client-session.c (login,
 * logout, health), sc-platform-client-codes.c (lookup, redeem, a
 * redemption's record, reversal), sc-platform-client-manifest.c (manifest
 * pages, admin calls); SC_PLATFORM_ERROR is in sc-platform-client-error.c.
 *
 * Every call runs one request through the same pipeline:
 *
 *   sc_platform_client_request_new()  a GTask with the call's parse
 *                    function and its own data (and that data's destroy
 *                    function)
 *   sc_platform_client_request_start()  builds the SoupMessage (headers,
 *                    a body of JSON or of bytes with a content type), chains an
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

#include "sc-json-reader.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-platform-client-tls.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-verdict.h"

#define MAX_BODY_SIZE       ((gsize) 8 * 1024 * 1024)
#define MAX_JSON_DEPTH      64
#define DEFAULT_CONNECT_S   5
#define DEFAULT_REQUEST_MS  10000

/* Answers up to this size are parsed where they arrive, which costs well
 * under a millisecond; larger ones (a manifest page of 250 orders is about
 * 100 KiB and takes several ms) are parsed on a worker thread (DESIGN §11). */
#define INLINE_PARSE_MAX    ((gsize) 16 * 1024)

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
void
sc_platform_client_set_platform_id (ScPlatformClient *self,
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

typedef struct
{
  SoupMessage    *msg;                 /* (owned) (nullable) */
  GCancellable   *cancellable;         /* (owned) internal; the caller's or the timer cancels it */
  GCancellable   *caller_cancellable;  /* (owned) (nullable) */
  gulong          cancelled_id;
  GSource        *timeout_source;      /* (owned) (nullable) */
  gboolean        timed_out;
  ScPlatformParseFunc parse;
  GDestroyNotify  result_free;
  gpointer        call_data;           /* (owned) (nullable) the call's own, for parse */
  GDestroyNotify  call_data_free;
  gboolean        idempotent;          /* safe to send twice without an Idempotency-Key */
} Request;

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
  if (req->call_data_free != NULL)
    g_clear_pointer (&req->call_data, req->call_data_free);
  g_free (req);
}

GTask *
sc_platform_client_request_new (ScPlatformClient    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data,
                                gpointer             source_tag,
                                ScPlatformParseFunc  parse,
                                GDestroyNotify       result_free)
{
  GTask *task;
  Request *req;

  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  req->parse = parse;
  req->result_free = result_free;
  req->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    req->caller_cancellable = g_object_ref (cancellable);
  g_task_set_task_data (task, req, request_free);

  return task;
}

void
sc_platform_client_request_set_call_data (GTask          *task,
                                          gpointer        call_data,
                                          GDestroyNotify  call_data_free)
{
  Request *req = g_task_get_task_data (task);

  g_return_if_fail (req->call_data == NULL);
  req->call_data = call_data;
  req->call_data_free = call_data_free;
}

void
sc_platform_client_request_set_idempotent (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  req->idempotent = TRUE;
}

gpointer
sc_platform_client_request_finish (ScPlatformClient  *self,
                                   GAsyncResult      *result,
                                   gpointer           source_tag,
                                   GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
sc_platform_client_run_parse (ScPlatformClient     *self,
                              ScPlatformParseFunc   parse,
                              gpointer              call_data,
                              JsonObject           *root,
                              guint                 http_status,
                              GError              **error)
{
  GError *local_error = NULL;
  gpointer result = parse (self, call_data, root, &local_error);

  if (result != NULL)
    return result;

  g_assert (local_error != NULL);
  g_propagate_error (error, sc_platform_error_new_from_reader (local_error, http_status));
  return NULL;
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  request_stop_watching (g_task_get_task_data (task));
  g_task_return_error (task, error);
}

/* An answer too large (or otherwise unreadable) for its status. */
static void
request_return_bad_data (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  request_return_error (task,
                        sc_platform_error_new_bad_data (soup_message_get_status (req->msg), NULL));
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
    return sc_platform_error_new_literal (SC_PLATFORM_ERROR_TIMEOUT, 0, NULL, -1, NULL,
                                       _("The platform did not answer in time"));

  /* Cancelled by nobody we know of (the session was aborted): pass through. */
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (g_error_matches (owned, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (owned, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return sc_platform_error_new_bad_data (0, NULL);

  /* A certificate refused is not "offline" (DESIGN §13). */
  tls_error = sc_platform_client_tls_map_error (req->msg, owned);
  if (tls_error != NULL)
    return tls_error;

  {
    g_autofree char *message = NULL;
    GUri *uri = soup_message_get_uri (req->msg);

    message = sc_platform_describe_unreachable (uri != NULL ? g_uri_get_host (uri) : NULL);
    return sc_platform_error_new_literal (SC_PLATFORM_ERROR_NETWORK, 0, NULL, -1, NULL, message);
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

/* (transfer full) (nullable): the top-level object of @bytes, or BAD_DATA.
 * Any thread (sc_json_parse_object). */
static JsonObject *
parse_answer_bytes (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len = 0;
  JsonObject *root;

  data = g_bytes_get_data (bytes, &len);
  root = sc_json_parse_object (data, len, MAX_JSON_DEPTH, &local_error);
  if (root == NULL)
    {
      g_debug ("Platform answer refused: %s", local_error->message);
      g_propagate_error (error, sc_platform_error_new_bad_data (0, NULL));
    }
  return root;
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
      request_return_error (task, sc_platform_error_new_from_answer (status,
                                                     soup_message_get_response_headers (req->msg),
                                                     root));
      return;
    }

  if (root == NULL)
    {
      request_return_error (task, g_steal_pointer (&owned_parse_error));
      return;
    }

  result = sc_platform_client_run_parse (self, req->parse, req->call_data, root, status, &error);
  if (result == NULL)
    {
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
  JsonObject *root = parse_answer_bytes (task_data, &error);

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
          request_return_error (task, sc_platform_error_new_bad_data (status, NULL));
        }
      else
        {
          request_return_error (task, sc_platform_error_new_from_answer (status, headers, NULL));
        }
      return;
    }

  if (g_bytes_get_size (body) <= INLINE_PARSE_MAX)
    {
      g_autoptr(JsonObject) root = NULL;
      GError *error = NULL;

      root = parse_answer_bytes (body, &error);
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
          request_return_bad_data (task);
          return;
        }
      request_return_error (task, map_transport_error (req, g_steal_pointer (&error)));
      return;
    }

  body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (ostream));
  if (g_bytes_get_size (body) > MAX_BODY_SIZE)
    {
      request_return_bad_data (task);
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

  /* The message was cancelled: closing fails or not, nothing to learn. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  request_return_bad_data (task);
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

void
sc_platform_client_request_start (ScPlatformClient *self,
                                  GTask            *task,
                                  const char       *method,
                                  const char       *path,
                                  GBytes           *body,
                                  const char       *content_type,
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
      GError *error = sc_platform_error_new_literal (
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
    soup_message_set_request_body_from_bytes (req->msg, content_type, body);

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

void
sc_platform_client_request_start_json (ScPlatformClient *self,
                                       GTask            *task,
                                       const char       *method,
                                       const char       *path,
                                       JsonObject       *body,
                                       const char       *idempotency_key)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), body);
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize len = 0;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  /* Wiped when libsoup lets go of it: the login body holds the PIN. */
  bytes = g_bytes_new_with_free_func (text, len, (GDestroyNotify) sc_secret_free, text);
  sc_platform_client_request_start (self, task, method, path, bytes, "application/json",
                                    idempotency_key);
}

void
sc_platform_client_send_async (ScPlatformClient    *self,
                               const char          *method,
                               const char          *path,
                               gpointer             source_tag,
                               ScPlatformParseFunc  parse,
                               GDestroyNotify       result_free,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                                source_tag, parse, result_free);

  sc_platform_client_request_start (self, task, method, path, NULL, NULL, NULL);
}

char *
sc_platform_escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* ------------------------------------------------------------------------ */
/* The readers alone (sc-platform-client-private.h)                          */

JsonObject *
sc_platform_parse_answer (GBytes  *body,
                          GError **error)
{
  g_return_val_if_fail (body != NULL, NULL);

  return parse_answer_bytes (body, error);
}
