/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-counter.h"
#include "sc-counter-error.h"
#include "sc-platform-client.h"

gboolean
sc_counter_error_is_unreachable (const GError *error)
{
  return g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK) ||
         g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT) ||
         g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER);
}

gboolean
sc_counter_error_is_certificate (const GError *error)
{
  return g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CERTIFICATE);
}

gboolean
sc_counter_error_is_session_expired (const GError *error)
{
  return g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED);
}

gboolean
sc_counter_error_is_bad_data (const GError *error)
{
  return g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA);
}

const char *
sc_counter_error_get_api_code (const GError *error)
{
  if (error == NULL || error->domain != SC_PLATFORM_ERROR)
    return NULL;
  return sc_platform_error_get_api_code (error);
}

char *
sc_counter_error_describe (const GError *error,
                           gboolean      during_login)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == SC_PLATFORM_ERROR)
    {
      switch ((ScPlatformError) error->code)
        {
        case SC_PLATFORM_ERROR_NETWORK:
          /* The client words it by the address (sc_platform_describe_unreachable). */
          return g_strdup (error->message);
        case SC_PLATFORM_ERROR_TIMEOUT:
          return g_strdup (_("The platform did not answer in time. Try again."));
        case SC_PLATFORM_ERROR_UNAUTHORIZED:
          if (during_login)
            return g_strdup (_("Wrong store, clerk or PIN. Check them and try again."));
          return g_strdup (_("The login has expired. Enter the PIN again."));
        case SC_PLATFORM_ERROR_RATE_LIMITED:
          {
            int seconds = sc_platform_error_get_retry_after (error);

            if (seconds > 0)
              return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The platform is busy. Try again in %d second.",
                                                   "The platform is busy. Try again in %d seconds.",
                                                   seconds),
                                      seconds);
            return g_strdup (_("The platform is busy. Try again in a moment."));
          }
        case SC_PLATFORM_ERROR_SERVER:
        case SC_PLATFORM_ERROR_BAD_DATA:
        case SC_PLATFORM_ERROR_FORBIDDEN:
        case SC_PLATFORM_ERROR_NOT_FOUND:
        case SC_PLATFORM_ERROR_CONFLICT:
        case SC_PLATFORM_ERROR_GONE:
        case SC_PLATFORM_ERROR_REJECTED:
        default:
          /* The client already words these (with the server's message). */
          return g_strdup (error->message);
        }
    }

  if (error->domain == SC_COUNTER_ERROR)
    return g_strdup (error->message);

  if (error->domain == G_IO_ERROR || error->domain == G_OPTION_ERROR)
    return g_strdup (error->message);

  /* Cache, database and anything else: say it is this computer. */
  return g_strdup_printf (_("This counter could not save or read its data: %s"),
                          error->message);
}
