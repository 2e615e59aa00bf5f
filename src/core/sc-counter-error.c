/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

const char *
sc_counter_error_get_api_code (const GError *error)
{
  if (error == NULL || error->domain != SC_PLATFORM_ERROR)
    return NULL;
  return sc_platform_error_get_api_code (error);
}
