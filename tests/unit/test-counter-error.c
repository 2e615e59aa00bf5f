/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the counter's errors mean for the app (sc-counter-error): one
 * definition of "the platform is away". */
#include "config.h"

#include <libsoup/soup.h>

#include "sc-counter-error.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"

/* The platform's answer @status with {"error": {"code": @api_code}}. */
static GError *
answer_error (guint       status,
              const char *api_code)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", api_code);
  json_object_set_string_member (error, "message", "words");
  json_object_set_object_member (root, "error", error);
  return sc_platform_error_new_from_answer (status, headers, root);
}

static void
test_unreachable (void)
{
  g_autoptr(GError) network = g_error_new_literal (SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK,
                                                   "no route");
  g_autoptr(GError) timeout = g_error_new_literal (SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT,
                                                   "slow");
  g_autoptr(GError) server = answer_error (503, "unavailable");
  g_autoptr(GError) refused = answer_error (409, "already_redeemed");
  g_autoptr(GError) expired = answer_error (401, "unauthorized");
  g_autoptr(GError) certificate = g_error_new_literal (SC_PLATFORM_ERROR,
                                                       SC_PLATFORM_ERROR_CERTIFICATE, "tls");
  g_autoptr(GError) local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");

  g_test_summary ("Unreachable is no connection, no answer in time or a 5xx (DESIGN §7), "
                  "for the counter's offline state and the app's words alike; a refusal, an "
                  "expired session, a refused certificate or a local error is not");

  g_assert_true (sc_counter_error_is_unreachable (network));
  g_assert_true (sc_counter_error_is_unreachable (timeout));
  g_assert_true (sc_counter_error_is_unreachable (server));
  g_assert_false (sc_counter_error_is_unreachable (refused));
  g_assert_false (sc_counter_error_is_unreachable (expired));
  g_assert_false (sc_counter_error_is_unreachable (certificate));
  g_assert_false (sc_counter_error_is_unreachable (local));

  g_assert_true (sc_counter_error_is_certificate (certificate));
  g_assert_false (sc_counter_error_is_certificate (network));
  g_assert_true (sc_counter_error_is_session_expired (expired));
  g_assert_false (sc_counter_error_is_session_expired (refused));
  g_assert_false (sc_counter_error_is_session_expired (local));
}

static void
test_api_code (void)
{
  g_autoptr(GError) refused = answer_error (409, "already_redeemed");
  g_autoptr(GError) local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");

  g_test_summary ("The platform's code of a refusal rides along; other errors have none");

  g_assert_cmpstr (sc_counter_error_get_api_code (refused), ==, "already_redeemed");
  g_assert_null (sc_counter_error_get_api_code (local));
  g_assert_null (sc_counter_error_get_api_code (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/counter-error/unreachable", test_unreachable);
  g_test_add_func ("/counter-error/api-code", test_api_code);

  return g_test_run ();
}
