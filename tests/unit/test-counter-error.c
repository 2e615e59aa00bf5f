/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the counter's errors mean for the app (sc-counter-error): one
 * definition of "the platform is away". */
#include "config.h"

#include <libsoup/soup.h>

#include "sc-counter.h"
#include "sc-counter-error.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"

/* The platform's answer @status with {"error": {"code": @api_code}} and
 * @retry_after (nullable) as its Retry-After. */
static GError *
answer_error_retry (guint       status,
                    const char *api_code,
                    const char *retry_after)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", api_code);
  json_object_set_string_member (error, "message", "words");
  json_object_set_object_member (root, "error", error);
  if (retry_after != NULL)
    soup_message_headers_append (headers, "Retry-After", retry_after);
  return sc_platform_error_new_from_answer (status, headers, root);
}

/* The platform's answer @status with {"error": {"code": @api_code}}. */
static GError *
answer_error (guint       status,
              const char *api_code)
{
  return answer_error_retry (status, api_code, NULL);
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
  g_autoptr(GError) bad_data = g_error_new_literal (SC_PLATFORM_ERROR,
                                                    SC_PLATFORM_ERROR_BAD_DATA, "unreadable");

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
  g_assert_true (sc_counter_error_is_bad_data (bad_data));
  g_assert_false (sc_counter_error_is_bad_data (server));
  g_assert_false (sc_counter_error_is_bad_data (local));
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

static void
assert_described (const GError *error,
                  gboolean      during_login,
                  const char   *expected)
{
  g_autofree char *words = sc_counter_error_describe (error, during_login);

  g_assert_cmpstr (words, ==, expected);
}

static void
test_describe (void)
{
  g_autoptr(GError) network = g_error_new_literal (SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK,
                                                   "Cannot reach the platform.");
  g_autoptr(GError) timeout = g_error_new_literal (SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT,
                                                   "slow");
  g_autoptr(GError) expired = answer_error (401, "unauthorized");
  g_autoptr(GError) busy = answer_error_retry (429, "rate_limited", "1");
  g_autoptr(GError) busy_long = answer_error_retry (429, "rate_limited", "30");
  g_autoptr(GError) busy_now = answer_error (429, "rate_limited");
  g_autoptr(GError) refused = answer_error (409, "already_redeemed");
  g_autoptr(GError) counter = g_error_new_literal (SC_COUNTER_ERROR,
                                                   SC_COUNTER_ERROR_NOTHING_TO_UNDO,
                                                   "Nothing to undo.");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such file");
  g_autoptr(GError) local = g_error_new_literal (g_quark_from_static_string ("sc-db-error-quark"),
                                                 1, "disk I/O error");

  g_test_summary ("One sentence per error for the clerk: the platform's words by kind, a 401 "
                  "a wrong PIN at login and an expired session elsewhere, the wait of a 429, "
                  "the counter's own message, and anything else this computer's data");

  assert_described (network, FALSE, "Cannot reach the platform.");
  assert_described (timeout, FALSE, "The platform did not answer in time. Try again.");
  assert_described (expired, TRUE, "Wrong store, clerk or PIN. Check them and try again.");
  assert_described (expired, FALSE, "The login has expired. Enter the PIN again.");
  assert_described (busy, FALSE, "The platform is busy. Try again in 1 second.");
  assert_described (busy_long, FALSE, "The platform is busy. Try again in 30 seconds.");
  assert_described (busy_now, FALSE, "The platform is busy. Try again in a moment.");
  assert_described (refused, FALSE, refused->message);
  assert_described (counter, TRUE, "Nothing to undo.");
  assert_described (io, FALSE, "No such file");
  assert_described (local, FALSE, "This counter could not save or read its data: disk I/O error");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/counter-error/unreachable", test_unreachable);
  g_test_add_func ("/counter-error/api-code", test_api_code);
  g_test_add_func ("/counter-error/describe", test_describe);

  return g_test_run ();
}
