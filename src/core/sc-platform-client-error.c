/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-error.c: SC_PLATFORM_ERROR, the one error vocabulary
 * of the platform client: its extended data (the API's code, details, HTTP
 * status, Retry-After), the words for an unreachable platform, and the
 * error for a non-2xx answer or an answer that cannot be read.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sc-json-reader.h"
#include "sc-net.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-verdict-words.h"

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

char *
sc_platform_describe_unreachable (const char *host)
{
  if (sc_net_host_is_loopback (host))
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

GError *
sc_platform_error_new_literal (ScPlatformError  code,
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

GError *
sc_platform_error_new_bad_data (guint       http_status,
                                const char *field)
{
  g_autofree char *message = NULL;

  if (field != NULL)
    /* Translators: %s is the name of a member of the platform's JSON answer */
    message = g_strdup_printf (
      _("The platform sent an answer we cannot read (“%s” is missing or wrong)"), field);
  else
    message = g_strdup (_("The platform sent an answer we cannot read"));

  return sc_platform_error_new_literal (SC_PLATFORM_ERROR_BAD_DATA, http_status,
                                        NULL, -1, NULL, message);
}


void
sc_platform_error_set_http_status (GError *error,
                                   guint   http_status)
{
  ScPlatformErrorPrivate *priv = lookup_private (error);

  if (priv != NULL)
    priv->http_status = http_status;
}

GError *
sc_platform_error_new_from_reader (GError *reader_error,
                                   guint   http_status)
{
  g_autoptr(GError) owned = reader_error;

  if (owned->domain != SC_JSON_READER_ERROR)
    {
      sc_platform_error_set_http_status (owned, http_status);
      return g_steal_pointer (&owned);
    }

  g_debug ("Cannot read the platform's answer: %s", owned->message);
  if (owned->code == SC_JSON_READER_ERROR_SYNTAX)
    return sc_platform_error_new_bad_data (http_status, NULL);
  return sc_platform_error_new_bad_data (http_status, sc_json_reader_error_get_path (owned));
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
GError *
sc_platform_error_new_from_answer (guint               status,
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

  g_return_val_if_fail (headers != NULL, NULL);

  /* Take what is well-typed; an odd error body still maps by status. */
  if (root != NULL &&
      sc_json_read_object (root, "", "error", SC_JSON_OPTIONAL, &error_object, NULL) &&
      error_object != NULL)
    {
      /* Each reader leaves its output NULL when it fails. */
      sc_json_read_string (error_object, "error", "code", SC_JSON_OPTIONAL, &api_code, NULL);
      sc_json_read_string (error_object, "error", "message", SC_JSON_OPTIONAL, &server_message,
                           NULL);
      sc_json_read_object (error_object, "error", "details", SC_JSON_OPTIONAL, &details, NULL);
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

  return sc_platform_error_new_literal (code, status, api_code, retry_after, details, message);
}
