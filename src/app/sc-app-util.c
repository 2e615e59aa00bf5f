/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sc-app-util.h"
#include "sc-code.h"
#include "sc-net.h"
#include "sc-redemption.h"
#include "sc-resources.h"
#include "sc-time.h"

void
sc_app_ensure_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      sc_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

gboolean
sc_app_platform_url_is_insecure (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return FALSE;
  return !sc_net_host_is_loopback (host);
}

/* Folds full-width digits (and letters, which no amount has) and the
 * full-width or ideographic full stop to ASCII. */
static char *
fold_amount (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = sc_code_fold_width (g_utf8_get_char (p));

      if (c == 0xFF0E || c == 0x3002)
        g_string_append_c (out, '.');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

gboolean
sc_app_parse_yuan (const char *text,
                   gint64     *out_fen)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 yuan = 0;
  guint64 fen = 0;
  gsize frac_len;

  g_return_val_if_fail (out_fen != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  folded = fold_amount (text);
  g_strstrip (folded);
  if (*folded == '\0')
    return FALSE;

  parts = g_strsplit (folded, ".", -1);
  if (g_strv_length (parts) > 2 || *parts[0] == '\0')
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 100000000, &yuan, NULL))
    return FALSE;
  if (parts[1] != NULL)
    {
      frac_len = strlen (parts[1]);
      if (frac_len == 0 || frac_len > 2 ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 99, &fen, NULL))
        return FALSE;
      if (frac_len == 1)
        fen *= 10;
    }

  *out_fen = (gint64) (yuan * 100 + fen);
  return TRUE;
}

/* How the UI shows a verdict status: its icon and the card's colour. */
typedef struct
{
  const char *icon_name;
  const char *css_class;
} StatusLook;

static const StatusLook status_looks[SC_VERDICT_STATUS_LAST] = {
  [SC_VERDICT_STATUS_REDEEMABLE] = { "object-select-symbolic", "status-success" },
  [SC_VERDICT_STATUS_REDEEMED] = { "document-open-recent-symbolic", "status-warning" },
  [SC_VERDICT_STATUS_NOT_YET_VALID] = { "alarm-symbolic", "status-warning" },
  [SC_VERDICT_STATUS_NEEDS_NETWORK] = { "network-offline-symbolic", "status-neutral" },
};

/* Every other status (expired, invalidated, gifting, deleted, wrong store,
 * not found, malformed, stale QR, threshold not met, not eligible) is a
 * refusal. */
static const StatusLook refused_look = { "dialog-error-symbolic", "status-error" };

static const StatusLook *
status_look (ScVerdictStatus status)
{
  if ((guint) status < G_N_ELEMENTS (status_looks) && status_looks[status].icon_name != NULL)
    return &status_looks[status];
  return &refused_look;
}

const char *
sc_app_status_icon_name (ScVerdictStatus status)
{
  return status_look (status)->icon_name;
}

const char *
sc_app_status_css_class (ScVerdictStatus status)
{
  return status_look (status)->css_class;
}

char *
sc_app_format_time (GDateTime *dt,
                    GTimeZone *tz,
                    gboolean   time_only)
{
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = tz != NULL ? g_date_time_to_timezone (dt, tz) : g_date_time_to_local (dt);
  return g_date_time_format (local, time_only ? "%H:%M:%S" : "%Y-%m-%d %H:%M");
}

GTimeZone *
sc_app_session_time_zone (const ScSession *session)
{
  return sc_time_zone_new (session != NULL ? session->store_timezone : NULL);
}
