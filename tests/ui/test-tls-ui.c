/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window over HTTPS (DESIGN §13): a certificate the counter refuses is
 * shown as such, on the login page and on the scan page's card, and the
 * counter does not go offline. The real window against a real
 * store-counter-platform with --tls-cert, under Xvfb; certificates made at
 * test time (sc-test-tls.h), the test CA trusted through
 * SC_TEST_TLS_CA_FILE. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sc-counter.h"
#include "sc-login-page.h"
#include "sc-scan-page-private.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-test-tls.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

/* Made once, before any thread: SC_TEST_TLS_CA_FILE is set once. */
static ScTestTls *tls;

typedef ScTestUiFixture Fixture;

/* The window on a platform over HTTPS with the good certificate. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const args[] = { "--tls-cert", tls->good, "--tls-key", tls->key, NULL };

  sc_test_ui_fixture_setup (fixture, &(ScTestUiOptions) { .platform_args = args,
                                                          .no_admin_token = TRUE });
  g_assert_true (g_str_has_prefix (fixture->platform->url, "https://"));
}

static void
restart_with (Fixture    *fixture,
              const char *cert,
              const char *key)
{
  g_autofree char *url = g_strdup (fixture->platform->url);

  g_assert_true (sc_test_platform_restart_with (fixture->platform, (const char * const[]) {
                                                  "--tls-cert", cert, "--tls-key", key, NULL },
                                                NULL));
  g_assert_cmpstr (fixture->platform->url, ==, url);
}

static void
test_login_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  ScLoginPage *login = sc_test_ui_login_page (fixture->window);
  const char *message;

  g_test_summary ("Logging in to a platform whose certificate is not trusted says so on "
                  "the login page, not that the platform cannot be reached");

  restart_with (fixture, tls->self_signed, tls->self_key);
  sc_test_ui_log_in (fixture->window, "1234");
  message = sc_test_ui_login_error (login);
  g_test_message ("login page: %s", message != NULL ? message : "(no error)");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "not trusted"));
  g_assert_null (strstr (message, "Cannot reach"));
  g_assert_cmpstr (sc_window_get_visible_page (fixture->window), ==, "login");
}

static void
test_lookup_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  ScCounter *counter = sc_test_ui_counter (fixture->window);
  const char *reason;

  g_test_summary ("A lookup refused for an expired certificate shows “Not a safe "
                  "connection” and why on the card; the counter stays online, with no "
                  "answer from its offline copy");

  sc_test_ui_log_in_ok (fixture->window);
  sc_test_counter_idle (counter);
  restart_with (fixture, tls->expired, tls->key);

  sc_test_ui_submit (fixture->scan, code);
  reason = sc_test_ui_child_text (fixture->card, "reason_label");
  g_test_message ("card: %s — %s", sc_test_ui_status_text (fixture->card), reason);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Not a safe connection");
  g_assert_nonnull (strstr (reason, "has expired"));
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-error");
  g_assert_true (sc_counter_get_online (counter));
  g_assert_cmpuint (sc_counter_get_unsynced (counter), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tls = sc_test_tls_new ();
  g_setenv ("SC_TEST_TLS_CA_FILE", tls->ca, TRUE);
  sc_test_ui_init_with_app (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, sc_test_ui_fixture_teardown)
  ADD ("/ui/tls/login-refused", test_login_refused);
  ADD ("/ui/tls/lookup-refused", test_lookup_refused);
#undef ADD

  status = sc_test_ui_run ();
  g_clear_pointer (&tls, sc_test_tls_free);
  return status;
}
