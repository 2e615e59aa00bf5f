/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real counter window (ScWindow in an ScApplication) against a real
 * store-counter-platform, under Xvfb. Drives it as a clerk would: the entry's
 * "activate" (what Enter or a USB scanner does), the Redeem button, the
 * window's actions (its shortcuts), the scanner key path. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-counter.h"
#include "sc-demo-codes-dialog.h"
#include "sc-login-page-private.h"
#include "sc-scan-page-private.h"
#include "sc-test-platform.h"
#include "sc-verdict-card-private.h"
#include "sc-window-private.h"

#define WAIT_SECONDS 30

static ScApplication *app;
static char *system_data_dirs;  /* the real XDG_DATA_DIRS: icons, MIME data */

typedef struct
{
  ScTestPlatform *platform;
  ScWindow       *window;
  ScScanPage     *scan;
  ScVerdictCard  *card;
} Fixture;

/* G_TEST_OPTION_ISOLATE_DIRS hides the system's data folders from GLib;
 * GTK needs the icon themes in them. */
static void
add_system_icon_dirs (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_auto(GStrv) dirs = g_strsplit (system_data_dirs, ":", -1);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "icons", NULL);

      gtk_icon_theme_add_search_path (theme, path);
    }
}

/* GTK 4.8 sometimes warns about allocating a box with height -1 while the
 * window first lays out under Xvfb (timing dependent, no effect on what is
 * drawn). GTK logs through the structured API, where a fatal-log handler has
 * no say, so warnings are made fatal here by the writer instead: every one
 * aborts the test except that one. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_default (log_level, fields, n_fields, user_data);

  if ((log_level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) != 0)
    {
      const char *message = NULL;
      const char *domain = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
            message = fields[i].value;
          else if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
            domain = fields[i].value;
        }
      if ((log_level & G_LOG_LEVEL_CRITICAL) != 0 || g_strcmp0 (domain, "Gtk") != 0 ||
          message == NULL ||
          strstr (message, "gtk_widget_size_allocate(): attempt to allocate") == NULL)
        g_error ("Unexpected warning: %s", message != NULL ? message : "");
    }
  return out;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @cond holds; fails the test after
 * WAIT_SECONDS. */
#define WAIT_FOR(cond)                                                        \
  G_STMT_START {                                                              \
    gboolean timed_out_ = FALSE;                                              \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                            \
      g_main_context_iteration (NULL, TRUE);                                  \
    if (timed_out_)                                                           \
      g_error ("Timed out waiting for: %s", #cond);                           \
    g_source_remove (id_);                                                    \
  } G_STMT_END

static const char *
status_text (Fixture *fixture)
{
  return gtk_label_get_text (sc_verdict_card_get_status_label (fixture->card));
}

static const char *
entry_text (Fixture *fixture)
{
  return gtk_editable_get_text (GTK_EDITABLE (sc_scan_page_get_entry (fixture->scan)));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Quiet: test-preferences checks the sounds. */
  g_settings_set_boolean (settings, "sounds", FALSE);

  /* G_TEST_OPTION_ISOLATE_DIRS points XDG_DATA_DIRS at an empty folder;
   * GTK needs the system's icon theme and MIME data. */
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);

  fixture->platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);

  fixture->window = sc_window_new (ADW_APPLICATION (app), fixture->platform->url, ":memory:",
                                   fixture->platform->admin_token);
  fixture->scan = sc_window_get_scan_page (fixture->window);
  fixture->card = sc_scan_page_get_card (fixture->scan);
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* No saved session (no keyring on the test bus): the login page. */
  WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->window), "login") == 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  WAIT_FOR (window == NULL);
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
}

static void
log_in (Fixture    *fixture,
        const char *pin)
{
  ScLoginPage *login = sc_window_get_login_page (fixture->window);

  gtk_editable_set_text (sc_login_page_get_store_row (login), "1001");
  gtk_editable_set_text (sc_login_page_get_clerk_row (login), "1");
  gtk_editable_set_text (sc_login_page_get_pin_row (login), pin);
  g_assert_true (gtk_widget_is_sensitive (sc_login_page_get_button (login)));
  /* A button's "activate" clicks it after a short visual press. */
  g_assert_true (gtk_widget_activate (sc_login_page_get_button (login)));
  WAIT_FOR (sc_login_page_get_busy (login));
  WAIT_FOR (!sc_login_page_get_busy (login));
}

static void
log_in_ok (Fixture *fixture)
{
  log_in (fixture, "1234");
  WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->window), "main") == 0);
}

static char *
demo_code (Fixture    *fixture,
           const char *status,
           const char *kind)
{
  g_autoptr(GPtrArray) codes = sc_test_platform_demo_codes (fixture->platform, status, kind);

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);

      /* Bare codes only: live tokens go stale. */
      if (g_ascii_isdigit (code[0]))
        return g_strdup (code);
    }
  g_error ("The demo seed has no %s %s code", status, kind);
  return NULL;
}

/* What a scanner or Enter does: text into the entry, then "activate". */
static void
submit (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
  guint done = sc_scan_page_get_n_completed (fixture->scan);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
}

static char *
platform_status (Fixture    *fixture,
                 const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (fixture->platform, "1001", "1", &error);
  g_autofree char *body = g_strdup_printf ("{\"payload\":\"%s\"}", code);
  g_autoptr(JsonObject) answer = NULL;
  guint http = 0;

  g_assert_no_error (error);
  answer = sc_test_platform_request (fixture->platform, "POST", "/v1/codes/lookup", token,
                                     body, NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);
  return g_strdup (json_object_get_string_member (answer, "status"));
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  ScLoginPage *login = sc_window_get_login_page (fixture->window);

  g_test_summary ("A wrong PIN says so in words and stays on the login page; the right "
                  "one opens the scan page with the store and clerk in the header");

  log_in (fixture, "9999");
  g_assert_cmpstr (sc_window_get_visible_page (fixture->window), ==, "login");
  g_assert_nonnull (sc_login_page_get_error (login));
  g_assert_nonnull (strstr (sc_login_page_get_error (login), "PIN"));
  g_assert_null (strstr (sc_login_page_get_error (login), "sc-platform"));
  g_assert_cmpstr (gtk_editable_get_text (sc_login_page_get_pin_row (login)), ==, "");

  log_in_ok (fixture);
  g_assert_cmpstr (sc_window_get_visible_pane (fixture->window), ==, "scan");
  g_assert_nonnull (strstr (sc_window_get_session_text (fixture->window), "示范自提点"));
  g_assert_cmpstr (sc_window_get_chip_text (fixture->window), ==, "Online");
  g_assert_true (gtk_widget_has_focus (sc_scan_page_get_entry (fixture->scan)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         sc_scan_page_get_entry (fixture->scan)));
}

static void
test_redeem_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = demo_code (fixture, "redeemable", "pickup");
  g_autofree char *details = NULL;
  g_autofree char *row = NULL;
  g_autofree char *status = NULL;
  GtkWidget *button;

  g_test_summary ("A redeemable pickup code shows green, its order, and redeems with the "
                  "button; the recent list grows; Ctrl+Z undoes it on the platform");

  log_in_ok (fixture);
  submit (fixture, code);

  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-success");
  g_assert_cmpstr (gtk_image_get_icon_name (sc_verdict_card_get_status_icon (fixture->card)), ==,
                   "object-select-symbolic");
  g_assert_cmpstr (entry_text (fixture), ==, "");
  details = sc_verdict_card_dup_details_text (fixture->card);
  g_assert_nonnull (strstr (details, "Total ¥"));
  g_assert_nonnull (strstr (details, "phone tail"));
  g_assert_cmpuint (sc_scan_page_get_n_recent (fixture->scan), ==, 1);
  row = sc_scan_page_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, code));

  button = sc_verdict_card_get_redeem_button (fixture->card);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  {
    guint done = sc_scan_page_get_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate (button));
    WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (status_text (fixture), ==, "Redeemed");
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-success");
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_cmpuint (sc_scan_page_get_n_recent (fixture->scan), ==, 2);
  g_assert_nonnull (sc_scan_page_get_last_redemption_id (fixture->scan));
  /* The unsynced count is recounted from the cache after the send. */
  WAIT_FOR (g_strcmp0 (sc_window_get_chip_text (fixture->window), "Online") == 0);
  g_assert_nonnull (strstr (sc_window_get_last_toast (fixture->window), code));
  status = platform_status (fixture, code);
  g_assert_cmpstr (status, ==, "redeemed");
  g_clear_pointer (&status, g_free);

  /* The same code again: already redeemed, amber, with when and who. */
  submit (fixture, code);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMED));
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-warning");
  g_clear_pointer (&details, g_free);
  details = sc_verdict_card_dup_details_text (fixture->card);
  g_assert_nonnull (strstr (details, "Redeemed "));
  g_assert_false (gtk_widget_get_visible (button));

  /* Ctrl+Z */
  {
    guint done = sc_scan_page_get_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.undo", NULL));
    WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  }
  g_assert_null (sc_scan_page_get_last_redemption_id (fixture->scan));
  g_assert_cmpuint (sc_scan_page_get_n_recent (fixture->scan), ==, 4);
  g_clear_pointer (&row, g_free);
  row = sc_scan_page_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Undone"));
  status = platform_status (fixture, code);
  g_assert_cmpstr (status, ==, "redeemable");

  /* And Enter on an empty entry redeems what the card shows. */
  submit (fixture, code);
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-success");
  {
    GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
    guint done = sc_scan_page_get_n_completed (fixture->scan);

    g_signal_emit_by_name (entry, "activate");
    WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (status_text (fixture), ==, "Redeemed");
}

static void
test_negative_verdicts (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *expired = demo_code (fixture, "expired", "pickup");
  g_autofree char *reason = NULL;

  g_test_summary ("Negative verdicts are red with an error icon and no Redeem button; a "
                  "mistyped code says why; a phone tail explains itself");

  log_in_ok (fixture);
  submit (fixture, expired);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_EXPIRED));
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-error");
  g_assert_cmpstr (gtk_image_get_icon_name (sc_verdict_card_get_status_icon (fixture->card)), ==,
                   "dialog-error-symbolic");
  g_assert_false (gtk_widget_get_visible (sc_verdict_card_get_redeem_button (fixture->card)));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->scan), "scan.redeem", NULL) &&
                  sc_scan_page_get_busy (fixture->scan));

  submit (fixture, "123456789012");
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_MALFORMED));
  reason = g_strdup (gtk_label_get_text (sc_verdict_card_get_reason_label (fixture->card)));
  g_assert_cmpstr (reason, !=, "");

  submit (fixture, "5678");
  g_assert_cmpstr (status_text (fixture), ==, "Phone tail");
  g_assert_nonnull (strstr (gtk_label_get_text (sc_verdict_card_get_reason_label (fixture->card)),
                            "5678"));
}

static void
test_coupon_bill (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = demo_code (fixture, "redeemable", "coupon");
  GtkEditable *bill;
  GtkWidget *button;

  g_test_summary ("A coupon needs a valid bill before it can be redeemed; the discount and "
                  "amount to pay are shown live and recorded");

  log_in_ok (fixture);
  submit (fixture, code);
  g_assert_cmpstr (sc_verdict_card_get_css_class (fixture->card), ==, "status-success");
  bill = sc_verdict_card_get_bill_entry (fixture->card);
  button = sc_verdict_card_get_redeem_button (fixture->card);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (bill)));
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  g_assert_false (gtk_widget_is_sensitive (button));

  gtk_editable_set_text (bill, "12.345");
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  gtk_editable_set_text (bill, "abc");
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  gtk_editable_set_text (bill, "0.01");
  /* Whatever the coupon, a bill of one fen either meets no minimum
   * (cash / discount) or falls short; 5000 yuan meets any seeded one. */
  gtk_editable_set_text (bill, "5000");
  g_assert_true (sc_verdict_card_get_can_redeem (fixture->card));
  g_assert_cmpint (sc_verdict_card_get_bill_fen (fixture->card), ==, 500000);
  g_assert_true (gtk_widget_is_sensitive (button));

  {
    guint done = sc_scan_page_get_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate (button));
    WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (status_text (fixture), ==, "Redeemed");
  g_assert_nonnull (strstr (gtk_label_get_text (sc_verdict_card_get_outcome_label (fixture->card)),
                            "¥5000.00"));
}

static void
type_key (Fixture   *fixture,
          GtkWidget *focus,
          gunichar   ch,
          guint32    time)
{
  guint keyval = gdk_unicode_to_keyval (ch);

  if (!sc_window_handle_scanner_key (fixture->window, keyval, ch, time))
    {
      /* Not consumed: the key lands in the focused field, as GTK would do. */
      char buf[8] = { 0 };
      int pos = gtk_editable_get_position (GTK_EDITABLE (focus));

      g_unichar_to_utf8 (ch, buf);
      gtk_editable_insert_text (GTK_EDITABLE (focus), buf, -1, &pos);
      gtk_editable_set_position (GTK_EDITABLE (focus), pos);
    }
}

static void
test_scanner_burst (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *coupon = demo_code (fixture, "redeemable", "coupon");
  g_autofree char *pickup = demo_code (fixture, "redeemable", "pickup");
  GtkEditable *bill;
  GtkWidget *focus;
  guint32 t = 100000;
  guint done;

  g_test_summary ("A scanner burst while another field has the focus is taken back out of "
                  "that field and submitted on the Scan page; slow typing stays typing");

  log_in_ok (fixture);
  submit (fixture, coupon);
  bill = sc_verdict_card_get_bill_entry (fixture->card);
  gtk_widget_grab_focus (GTK_WIDGET (bill));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_EDITABLE (focus));

  /* A person types "12" slowly, then presses Enter: not a scan. */
  type_key (fixture, focus, '1', t += 400);
  type_key (fixture, focus, '2', t += 400);
  g_assert_false (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, 0, t += 400));
  g_assert_cmpstr (gtk_editable_get_text (bill), ==, "12");

  done = sc_scan_page_get_n_completed (fixture->scan);
  for (const char *p = pickup; *p != '\0'; p++)
    type_key (fixture, focus, (gunichar) *p, t += 8);
  g_assert_cmpstr (gtk_editable_get_text (bill), !=, "12");  /* it landed there... */
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, '\r', t += 8));

  /* ... and was taken back out; the code was checked on the Scan page. */
  g_assert_cmpstr (gtk_editable_get_text (bill), ==, "12");
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  {
    GtkWidget *status = GTK_WIDGET (sc_verdict_card_get_status_label (fixture->card));
    GtkWidget *code_label = gtk_widget_get_next_sibling (status);

    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (code_label)), pickup));
  }

  /* On another pane (nothing to type into) a burst brings the Scan page back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.pane", "i", 3));
  g_assert_cmpstr (sc_window_get_visible_pane (fixture->window), ==, "orders");
  done = sc_scan_page_get_n_completed (fixture->scan);
  for (const char *p = coupon; *p != '\0'; p++)
    g_assert_false (sc_window_handle_scanner_key (fixture->window, gdk_unicode_to_keyval (*p),
                                                  (gunichar) *p, t += 8));
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_KP_Enter, '\r', t += 8));
  g_assert_cmpstr (sc_window_get_visible_pane (fixture->window), ==, "scan");
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  g_assert_nonnull (sc_verdict_get_coupon (sc_verdict_card_get_verdict (fixture->card)));
}

static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = demo_code (fixture, "redeemable", "pickup");
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  guint http = 0;
  guint done;

  g_test_summary ("When the session expires, a dialog asks for the PIN again, keeps the "
                  "typed code, and the lookup completes after logging in");

  log_in_ok (fixture);
  answer = sc_test_platform_request (fixture->platform, "POST", "/v1/admin/clock",
                                     fixture->platform->admin_token, "{\"offset_s\":172800}",
                                     NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);

  entry = sc_scan_page_get_entry (fixture->scan);
  gtk_editable_set_text (GTK_EDITABLE (entry), code);
  g_signal_emit_by_name (entry, "activate");
  WAIT_FOR (sc_window_get_reauth_dialog (fixture->window) != NULL);
  g_assert_cmpstr (entry_text (fixture), ==, code);
  dialog = sc_window_get_reauth_dialog (fixture->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* A wrong PIN asks again, with the reason. */
  gtk_editable_set_text (sc_window_get_reauth_entry (fixture->window), "0000");
  adw_message_dialog_response (dialog, "login");
  WAIT_FOR (sc_window_get_reauth_dialog (fixture->window) != NULL);
  dialog = sc_window_get_reauth_dialog (fixture->window);

  done = sc_scan_page_get_n_completed (fixture->scan);
  gtk_editable_set_text (sc_window_get_reauth_entry (fixture->window), "1234");
  adw_message_dialog_response (dialog, "login");
  g_assert_null (sc_window_get_reauth_dialog (fixture->window));
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (entry_text (fixture), ==, "");
}

static void
test_platform_killed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = demo_code (fixture, "redeemable", "pickup");
  g_autofree char *coupon = demo_code (fixture, "redeemable", "coupon");
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *counter;
  guint done;

  g_test_summary ("With the platform gone a pickup code is still decided, from this "
                  "counter's copy of today's orders, a coupon says it needs the network, "
                  "and the chip says Offline; a pickup redeemed offline is sent when the "
                  "platform is back, by itself, and its row in the list follows");

  log_in_ok (fixture);
  counter = sc_window_get_counter (fixture->window);
  WAIT_FOR (sc_counter_get_manifest_fetched_at (counter) > 0);
  sc_test_platform_kill (fixture->platform);

  submit (fixture, code);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_true (gtk_widget_get_visible (sc_verdict_card_get_redeem_button (fixture->card)));
  g_assert_true (g_str_has_prefix (sc_window_get_chip_text (fixture->window), "Offline"));

  submit (fixture, coupon);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_NEEDS_NETWORK));
  g_assert_false (gtk_widget_get_visible (sc_verdict_card_get_redeem_button (fixture->card)));

  /* Redeemed offline: saved here, shown as waiting. */
  submit (fixture, code);
  done = sc_scan_page_get_n_completed (fixture->scan);
  g_assert_true (gtk_widget_activate (sc_verdict_card_get_redeem_button (fixture->card)));
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  WAIT_FOR (sc_counter_get_unsynced (counter) == 1);
  row = sc_scan_page_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Saved, will sync"));
  g_clear_pointer (&row, g_free);

  /* The platform comes back: the health probe finds it by itself, the
   * redemption goes, and its row in the list says so. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  WAIT_FOR (sc_counter_get_unsynced (counter) == 0);
  WAIT_FOR (g_strcmp0 (sc_window_get_chip_text (fixture->window), "Online") == 0);
  row = sc_scan_page_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Redeemed"));
  g_assert_null (strstr (row, "Saved"));
  g_clear_pointer (&row, g_free);

  submit (fixture, code);
  g_assert_cmpstr (status_text (fixture), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMED));
}

static void
test_shortcuts_and_logout (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *code = demo_code (fixture, "redeemable", "pickup");
  GtkWidget *entry;

  g_test_summary ("Ctrl+1..4 switch panes, F2 returns to the entry, Esc clears entry and "
                  "card, Log Out returns to a prefilled login page");

  log_in_ok (fixture);
  entry = sc_scan_page_get_entry (fixture->scan);
  for (int i = 4; i >= 1; i--)
    {
      static const char *names[] = { NULL, "scan", "claims", "orders", "report" };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.pane",
                                                 "i", i));
      g_assert_cmpstr (sc_window_get_visible_pane (fixture->window), ==, names[i]);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.pane", "i", 2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.focus-entry",
                                             NULL));
  g_assert_cmpstr (sc_window_get_visible_pane (fixture->window), ==, "scan");

  submit (fixture, code);
  gtk_editable_set_text (GTK_EDITABLE (entry), "12");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.clear", NULL));
  g_assert_cmpstr (entry_text (fixture), ==, "");
  g_assert_null (sc_verdict_card_get_css_class (fixture->card));
  g_assert_null (sc_verdict_card_get_verdict (fixture->card));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.logout", NULL));
  g_assert_cmpstr (sc_window_get_visible_page (fixture->window), ==, "login");
  g_assert_null (sc_counter_get_session (sc_window_get_counter (fixture->window)));
  g_assert_cmpstr (gtk_editable_get_text (sc_login_page_get_store_row (
                     sc_window_get_login_page (fixture->window))), ==, "1001");
  g_assert_cmpuint (sc_scan_page_get_n_recent (fixture->scan), ==, 0);
}

static void
test_demo_codes (Fixture       *fixture,
                 gconstpointer  data)
{
  ScDemoCodesDialog *dialog;
  guint done;

  g_test_summary ("With an admin token, Demo codes lists one row per status and kind, and "
                  "Try checks that code on the Scan page");

  log_in_ok (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.demo-codes",
                                             NULL));
  dialog = SC_DEMO_CODES_DIALOG (sc_window_get_demo_dialog (fixture->window));
  g_assert_nonnull (dialog);
  WAIT_FOR (sc_demo_codes_dialog_get_loaded (dialog));
  g_assert_cmpuint (sc_demo_codes_dialog_get_n_rows (dialog), >=, 10);

  done = sc_scan_page_get_n_completed (fixture->scan);
  sc_demo_codes_dialog_choose (dialog, 0);
  WAIT_FOR (sc_window_get_demo_dialog (fixture->window) == NULL);
  WAIT_FOR (sc_scan_page_get_n_completed (fixture->scan) > done);
  g_assert_nonnull (sc_verdict_card_get_verdict (fixture->card));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS") != NULL ? g_getenv ("XDG_DATA_DIRS")
                                                                  : "/usr/local/share:/usr/share");
  /* Cairo renders (GSK_RENDERER=cairo); keep GDK from loading Mesa's GL
   * drivers, whose one-time allocations LeakSanitizer cannot name. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  app = sc_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* Xvfb has no window manager: a blinking cursor in a window without X
   * focus makes GTK warn, and warnings are fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  add_system_icon_dirs ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/ui/window/login", test_login);
  ADD ("/ui/window/redeem-undo", test_redeem_undo);
  ADD ("/ui/window/negative-verdicts", test_negative_verdicts);
  ADD ("/ui/window/coupon-bill", test_coupon_bill);
  ADD ("/ui/window/scanner-burst", test_scanner_burst);
  ADD ("/ui/window/session-expired", test_session_expired);
  ADD ("/ui/window/platform-killed", test_platform_killed);
  ADD ("/ui/window/shortcuts-logout", test_shortcuts_and_logout);
  ADD ("/ui/window/demo-codes", test_demo_codes);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  g_free (system_data_dirs);
  return status;
}
