/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyring never puts a prompt in front of the queue (issue 10, row 4):
 * the real window against a real store-counter-platform and a real
 * gnome-keyring-daemon on a private bus, whose default collection does not
 * exist yet (a first login) or is locked. gnome-keyring asks its "choose a
 * password for the new keyring" and "unlock" prompts through the system
 * prompter on the bus; a fake one (sc-test-keyring) counts them and
 * dismisses each. Starting, logging in and scanning ask none: the session
 * and the store's key stay in memory and the window says so, quietly on
 * the login page and in Preferences; "Save in keyring…" there is the one
 * thing that asks.
 *
 * Each case runs in its own process: the app and libsecret hold the
 * process's session bus, which is the keyring's. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sc-keyring-row.h"
#include "sc-preferences-window.h"
#include "sc-session-store.h"
#include "sc-test-keyring.h"
#include "sc-test-ui.h"

/* The store's key yesterday's run kept. */
#define YESTERDAYS_KEY "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

typedef struct
{
  ScTestKeyring  *keyring;
  ScTestPlatform *platform;
  ScApplication  *app;
  ScWindow       *window;
  ScScanPage     *scan;
  GtSignalLogger *toasts;    /* the window's, from its start */
} Fixture;

/* Each test runs in a child process of its own (gettext keeps what it
 * loaded, the keyring daemon its state): in the parent, runs the test there
 * and returns FALSE. In the child, which speaks @language ("en", "zh_CN"),
 * brings up the keyring in @state and a platform, and returns TRUE. */
static gboolean
fixture_up (Fixture            *fixture,
            const char         *language,
            ScTestKeyringState  state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return FALSE;
    }
  g_setenv ("LANGUAGE", language, TRUE);
  sc_test_ui_bind_translations ();
  display = g_strdup (g_getenv ("DISPLAY"));

  /* The keyring's bus first: it becomes the session bus the app and
   * libsecret connect to. GTestDBus unsets DISPLAY: Xvfb's is wanted. */
  fixture->keyring = sc_test_keyring_up_with_prompter (state);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  /* The private bus has no accessibility bus to start. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  sc_test_ui_restore_data_dirs ();
  fixture->platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  fixture->app = sc_test_ui_app_new ();
  return TRUE;
}

static void
open_window (Fixture *fixture)
{
  fixture->window = sc_window_new (ADW_APPLICATION (fixture->app), fixture->platform->url,
                                   ":memory:", NULL);
  fixture->scan = sc_window_get_scan_page (fixture->window);
  fixture->toasts = sc_test_ui_log_toasts (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->window), "login") == 0);
}

static void
fixture_down (Fixture *fixture)
{
  g_clear_pointer (&fixture->toasts, gt_signal_logger_free);
  sc_test_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
  g_clear_object (&fixture->app);
  g_clear_pointer (&fixture->keyring, sc_test_keyring_down);
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sc_session_store_save_key_finish (SC_SESSION_STORE (object), result, &error));
  g_assert_no_error (error);
  *(guint *) user_data += 1;
}

static void
session_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sc_session_store_save_finish (SC_SESSION_STORE (object), result, &error));
  g_assert_no_error (error);
  *(guint *) user_data += 1;
}

/* The store's key and clerk 2's session, saved by yesterday's run while the
 * keyring was unlocked. */
static void
save_yesterdays_secrets (Fixture *fixture)
{
  g_autoptr(ScSessionStore) store = sc_session_store_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(ScSession) session = sc_session_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint done = 0;

  g_settings_set_string (settings, "store-id", "1001");
  sc_session_store_save_key_async (store, fixture->platform->url, "1001", YESTERDAYS_KEY, NULL,
                                   key_stored_cb, &done);
  session->token = g_strdup ("yesterdays-token");
  session->expires_at = g_date_time_add_hours (now, 8);
  session->store_id = g_strdup ("1001");
  session->store_name = g_strdup ("Yesterday");
  session->store_timezone = g_strdup ("Asia/Shanghai");
  session->clerk_id = g_strdup ("2");
  session->clerk_name = g_strdup ("Yesterday's clerk");
  session->undo_window_s = 60;
  sc_session_store_save_async (store, fixture->platform->url, session, NULL, session_stored_cb,
                               &done);
  SC_TEST_WAIT_FOR (done == 2);
  g_assert_true (sc_session_store_get_available (store));
}


/* A scanner's burst, through the window's key path, on the Scan page. */
static void
scan_burst (Fixture    *fixture,
            const char *code)
{
  static guint32 t = 100000;
  guint done = sc_test_ui_n_completed (fixture->scan);

  for (const char *p = code; *p != '\0'; p++)
    g_assert_false (sc_window_handle_scanner_key (fixture->window, gdk_unicode_to_keyval (*p),
                                                  (gunichar) *p, t += 8));
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, '\r', t += 8));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* What the next start finds in the keyring: no session (the clerk logged
 * out), today's store key. */
static void
assert_saved_in_keyring (Fixture *fixture)
{
  g_autoptr(ScSessionStore) store = sc_session_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) key_result = NULL;
  g_autoptr(ScSession) session = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  sc_session_store_load_async (store, fixture->platform->url, NULL, result_cb, &result);
  SC_TEST_WAIT_FOR (result != NULL);
  session = sc_session_store_load_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_null (session);  /* not yesterday's either */

  sc_session_store_load_key_async (store, fixture->platform->url, "1001", NULL, result_cb,
                                   &key_result);
  SC_TEST_WAIT_FOR (key_result != NULL);
  key = sc_session_store_load_key_finish (store, key_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpstr (key, !=, YESTERDAYS_KEY);  /* today's, from the platform */
  g_assert_true (sc_session_store_get_available (store));
}

/* A PNG of @window for a person to look at, named after the language the
 * test runs in. */
static void
screenshot (GtkWindow  *window,
            const char *what)
{
  g_autofree char *name = g_strdup_printf ("keyring-%s-%s", what, g_getenv ("LANGUAGE"));

  /* Enough frames for the page and card transitions to end. */
  sc_test_ui_save_png (GTK_WIDGET (window), name, 20);
}

/* (nullable): the first widget of @type under @root, depth first */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* TRUE while the login page shows the quiet line that the login will be
 * kept in memory. */
static gboolean
login_note_shown (ScWindow *window)
{
  GtkWidget *note = sc_test_ui_find_label (GTK_WIDGET (sc_test_ui_login_page (window)),
                                          _("The keyring is locked: the login is kept in "
                                            "memory until you quit. To keep it, press Save "
                                            "in keyring in Preferences."));

  return note != NULL && gtk_widget_is_visible (note);
}

/* The Session row of Preferences, and its button. */
static ScKeyringRow *
keyring_row (ScPreferencesWindow *preferences,
             GtkWidget          **out_button)
{
  GtkWidget *row = find_widget (GTK_WIDGET (preferences), SC_TYPE_KEYRING_ROW);

  g_assert_nonnull (row);
  *out_button = find_widget (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (*out_button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (*out_button)), ==, _("_Save in keyring…"));
  return SC_KEYRING_ROW (row);
}

/* Logs in, scans, and checks that no prompt came up and that the window
 * says where the session is; then "Save in keyring…" asks, once. */
static void
log_in_and_scan (Fixture *fixture)
{
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  g_autofree char *pickup = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  ScPreferencesWindow *preferences;
  ScKeyringRow *row;
  GtkWidget *button;

  /* Before logging in, a quiet line on the login page: no prompt, no toast. */
  g_assert_true (login_note_shown (fixture->window));
  screenshot (GTK_WINDOW (fixture->window), "login");
  sc_test_ui_log_in_ok (fixture->window);

  /* Saving the session and the store's key asks nothing; the next scans
   * (platform round trips: a prompt would have come by then) reach the
   * Scan page. Nothing was put in front of them. */
  scan_burst (fixture, coupon);
  g_assert_nonnull (sc_verdict_get_coupon (
    sc_verdict_card_get_verdict (sc_test_ui_card (fixture->scan))));
  scan_burst (fixture, pickup);
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture->keyring), ==, 0);
  g_assert_cmpuint (sc_test_ui_pop_toasts (fixture->toasts, NULL), ==, 0);
  g_assert_false (sc_test_keyring_get_ready (fixture->keyring));

  /* Preferences says where the session is, and offers to save it. */
  preferences = sc_test_ui_open_preferences (fixture->window);
  row = keyring_row (preferences, &button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   _("Session"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   _("Kept in memory until you quit — the keyring is locked"));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture->keyring), ==, 0);
  screenshot (GTK_WINDOW (preferences), "locked");

  /* The one path that asks. The fake prompter dismisses it: the session
   * stays in memory, and the row says that it was not saved. */
  g_assert_true (gtk_widget_activate (button));
  SC_TEST_WAIT_FOR (sc_test_keyring_get_n_prompts (fixture->keyring) == 1);
  SC_TEST_WAIT_FOR (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   _("Not saved: the keyring was not unlocked. Kept in memory until you quit."));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture->keyring), ==, 1);
  screenshot (GTK_WINDOW (preferences), "not-saved");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Still at work. */
  scan_burst (fixture, coupon);
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture->keyring), ==, 1);
}

static void
test_first_login (gconstpointer data)
{
  Fixture fixture = { 0 };

  g_test_summary ("On a first login (no keyring yet) logging in and scanning bring up no "
                  "\"choose a password for the new keyring\" prompt; Preferences says the "
                  "session is in memory and its Save in keyring button asks, once");
  if (!fixture_up (&fixture, data, SC_TEST_KEYRING_NO_DEFAULT))
    return;
  open_window (&fixture);
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture.keyring), ==, 0);
  log_in_and_scan (&fixture);
  fixture_down (&fixture);
}

static void
test_locked (gconstpointer data)
{
  Fixture fixture = { 0 };
  ScPreferencesWindow *preferences;
  ScKeyringRow *row;
  GtkWidget *button;

  g_test_summary ("With the keyring locked (it holds yesterday's store key and session), "
                  "starting, logging in and scanning bring up no unlock prompt; Preferences "
                  "says the session is in memory and its Save in keyring button asks, once; "
                  "once the keyring is unlocked, the button writes the store's key to it, and "
                  "a logout is not undone");
  if (!fixture_up (&fixture, data, SC_TEST_KEYRING_UNLOCKED))
    return;
  save_yesterdays_secrets (&fixture);
  sc_test_keyring_lock (fixture.keyring);

  /* Starting reads the store's key and the session: no prompt. */
  open_window (&fixture);
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture.keyring), ==, 0);
  log_in_and_scan (&fixture);

  /* The clerk logs out: the session is forgotten, in memory only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "window.logout",
                                             NULL));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture.window), "login") == 0);
  g_assert_true (login_note_shown (fixture.window));

  /* The keyring unlocked another way (as in Seahorse): Save in keyring
   * writes this run's store key and removes yesterday's session (the clerk
   * logged out), asking nothing. */
  sc_test_keyring_unlock (fixture.keyring);
  preferences = sc_test_ui_open_preferences (fixture.window);
  row = keyring_row (preferences, &button);
  g_assert_true (gtk_widget_activate (button));
  SC_TEST_WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                               _("Kept in the keyring: you stay logged in after a "
                                 "restart")) == 0);
  g_assert_false (gtk_widget_get_visible (button));
  screenshot (GTK_WINDOW (preferences), "saved");
  assert_saved_in_keyring (&fixture);
  g_assert_cmpuint (sc_test_keyring_get_n_prompts (fixture.keyring), ==, 1);
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_false (login_note_shown (fixture.window));
  fixture_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init (&argc, &argv);

  g_test_add_data_func ("/ui/keyring/first-login/en", "en", test_first_login);
  g_test_add_data_func ("/ui/keyring/first-login/zh_CN", "zh_CN", test_first_login);
  g_test_add_data_func ("/ui/keyring/locked/en", "en", test_locked);
  g_test_add_data_func ("/ui/keyring/locked/zh_CN", "zh_CN", test_locked);

  return sc_test_ui_run ();
}
