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
#include "sc-login-page.h"
#include "sc-reauth-dialog.h"
#include "sc-scan-page-private.h"
#include "sc-scan-target.h"
#include "sc-status-chip.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

/* A pane that takes scanned codes (as Orders and Prize claims will). */
#define TEST_TYPE_TARGET (test_target_get_type ())
G_DECLARE_FINAL_TYPE (TestTarget, test_target, TEST, TARGET, GtkWidget)

struct _TestTarget
{
  GtkWidget  parent_instance;
  GPtrArray *codes;    /* (owned) (element-type utf8) "source:code" */
};

static void test_target_scan_target_init (ScScanTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTarget, test_target, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_SCAN_TARGET,
                                                      test_target_scan_target_init))

static gboolean
test_target_take_code (ScScanTarget *target,
                       const char   *code,
                       const char   *source)
{
  g_ptr_array_add (TEST_TARGET (target)->codes, g_strdup_printf ("%s:%s", source, code));
  return TRUE;
}

static void
test_target_scan_target_init (ScScanTargetInterface *iface)
{
  iface->take_code = test_target_take_code;
}

static void
test_target_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_TARGET (object)->codes);
  G_OBJECT_CLASS (test_target_parent_class)->finalize (object);
}

static void
test_target_class_init (TestTargetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_target_finalize;
}

static void
test_target_init (TestTarget *self)
{
  self->codes = g_ptr_array_new_with_free_func (g_free);
}

typedef ScTestUiFixture Fixture;

/* What the header shows: the chip's words, "store · clerk", the pane. */
static const char *
chip_text (ScWindow *window)
{
  return sc_status_chip_get_text (SC_STATUS_CHIP (sc_test_ui_child (window, "chip")));
}

static const char *
session_text (ScWindow *window)
{
  return sc_test_ui_child_text (window, "session_label");
}

static const char *
visible_pane (ScWindow *window)
{
  GtkWidget *stack = sc_test_ui_child (window, "view_stack");

  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack));
}

static void
log_in_ok (Fixture *fixture)
{
  sc_test_ui_log_in (fixture->window, "1234");
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->window), "main") == 0);
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  ScLoginPage *login = sc_test_ui_login_page (fixture->window);

  g_test_summary ("A wrong PIN says so in words and stays on the login page; the right "
                  "one opens the scan page with the store and clerk in the header");

  sc_test_ui_log_in (fixture->window, "9999");
  g_assert_cmpstr (sc_window_get_visible_page (fixture->window), ==, "login");
  g_assert_nonnull (sc_test_ui_login_error (login));
  g_assert_nonnull (strstr (sc_test_ui_login_error (login), "PIN"));
  g_assert_null (strstr (sc_test_ui_login_error (login), "sc-platform"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sc_test_ui_child (login, "pin_row"))),
                   ==, "");

  log_in_ok (fixture);
  g_assert_cmpstr (visible_pane (fixture->window), ==, "scan");
  g_assert_nonnull (strstr (session_text (fixture->window), "示范自提点"));
  g_assert_cmpstr (chip_text (fixture->window), ==, "Online");
  g_assert_true (gtk_widget_has_focus (sc_scan_page_get_entry (fixture->scan)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         sc_scan_page_get_entry (fixture->scan)));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n_notify)
{
  (*n_notify)++;
}

static void
test_redeem_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *details = NULL;
  g_autofree char *row = NULL;
  g_autofree char *status = NULL;
  g_autofree char *toast = NULL;
  g_autoptr(GtSignalLogger) toasts = NULL;
  GtkWidget *button;
  GtkImage *icon;
  guint n_busy_notify = 0;
  guint n_last_id_notify = 0;

  g_test_summary ("A redeemable pickup code shows green, its order, and redeems with the "
                  "button; the recent list grows; Ctrl+Z undoes it on the platform");

  log_in_ok (fixture);
  toasts = sc_test_ui_log_toasts (fixture->window);
  g_signal_connect (fixture->scan, "notify::busy", G_CALLBACK (count_notify_cb), &n_busy_notify);
  g_signal_connect (fixture->scan, "notify::last-redemption-id", G_CALLBACK (count_notify_cb),
                    &n_last_id_notify);
  sc_test_ui_submit (fixture->scan, code);
  /* Busy while the lookup ran, and no more. */
  g_assert_cmpuint (n_busy_notify, ==, 2);
  g_assert_false (sc_test_ui_get_boolean (fixture->scan, "busy"));

  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-success");
  icon = GTK_IMAGE (sc_test_ui_child (fixture->card, "status_icon"));
  g_assert_cmpstr (gtk_image_get_icon_name (icon), ==,
                   "object-select-symbolic");
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");
  details = sc_test_ui_card_details_text (fixture->card);
  g_assert_nonnull (strstr (details, "Total ¥"));
  g_assert_nonnull (strstr (details, "phone tail"));
  g_assert_cmpuint (sc_test_ui_n_recent (fixture->scan), ==, 1);
  row = sc_test_ui_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, code));

  button = sc_test_ui_child (fixture->card, "redeem_button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  {
    guint done = sc_test_ui_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate (button));
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Redeemed");
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-success");
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_cmpuint (sc_test_ui_n_recent (fixture->scan), ==, 2);
  g_assert_nonnull (sc_test_ui_get_string (fixture->scan, "last-redemption-id"));
  g_assert_cmpuint (n_last_id_notify, ==, 1);
  /* The unsynced count is recounted from the cache after the send. */
  SC_TEST_WAIT_FOR (g_strcmp0 (chip_text (fixture->window), "Online") == 0);
  g_assert_cmpuint (sc_test_ui_pop_toasts (toasts, &toast), >, 0);
  g_assert_nonnull (strstr (toast, code));
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemed");
  g_clear_pointer (&status, g_free);

  /* The same code again: already redeemed, amber, with when and who. */
  sc_test_ui_submit (fixture->scan, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMED));
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-warning");
  g_clear_pointer (&details, g_free);
  details = sc_test_ui_card_details_text (fixture->card);
  g_assert_nonnull (strstr (details, "Redeemed "));
  g_assert_false (gtk_widget_get_visible (button));

  /* Ctrl+Z */
  {
    guint done = sc_test_ui_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.undo", NULL));
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  }
  g_assert_null (sc_test_ui_get_string (fixture->scan, "last-redemption-id"));
  g_assert_cmpuint (n_last_id_notify, ==, 2);
  g_assert_cmpuint (sc_test_ui_n_recent (fixture->scan), ==, 4);
  g_clear_pointer (&row, g_free);
  row = sc_test_ui_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Undone"));
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemable");

  /* And Enter on an empty entry redeems what the card shows. */
  sc_test_ui_submit (fixture->scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-success");
  {
    GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
    guint done = sc_test_ui_n_completed (fixture->scan);

    g_signal_emit_by_name (entry, "activate");
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Redeemed");
  g_assert_cmpuint (n_last_id_notify, ==, 3);
  g_signal_handlers_disconnect_by_func (fixture->scan, count_notify_cb, &n_busy_notify);
  g_signal_handlers_disconnect_by_func (fixture->scan, count_notify_cb, &n_last_id_notify);
}

static void
test_negative_verdicts (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *expired = sc_test_ui_demo_code (fixture->platform, "expired", "pickup");
  g_autofree char *reason = NULL;
  GtkImage *icon;

  g_test_summary ("Negative verdicts are red with an error icon and no Redeem button; a "
                  "mistyped code says why; a phone tail explains itself");

  log_in_ok (fixture);
  sc_test_ui_submit (fixture->scan, expired);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_EXPIRED));
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-error");
  icon = GTK_IMAGE (sc_test_ui_child (fixture->card, "status_icon"));
  g_assert_cmpstr (gtk_image_get_icon_name (icon), ==,
                   "dialog-error-symbolic");
  g_assert_false (gtk_widget_get_visible (sc_test_ui_child (fixture->card, "redeem_button")));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->scan), "scan.redeem", NULL) &&
                  sc_test_ui_get_boolean (fixture->scan, "busy"));

  sc_test_ui_submit (fixture->scan, "123456789012");
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_MALFORMED));
  reason = g_strdup (sc_test_ui_child_text (fixture->card, "reason_label"));
  g_assert_cmpstr (reason, !=, "");

  sc_test_ui_submit (fixture->scan, "5678");
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Phone tail");
  g_assert_nonnull (strstr (sc_test_ui_child_text (fixture->card, "reason_label"),
                            "5678"));
}

static void
test_coupon_bill (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  GtkEditable *bill;
  GtkWidget *button;

  g_test_summary ("A coupon needs a valid bill before it can be redeemed; the discount and "
                  "amount to pay are shown live and recorded");

  log_in_ok (fixture);
  sc_test_ui_submit (fixture->scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-success");
  bill = GTK_EDITABLE (sc_test_ui_child (fixture->card, "bill_entry"));
  button = sc_test_ui_child (fixture->card, "redeem_button");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (bill)));
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  g_assert_false (gtk_widget_is_sensitive (button));

  gtk_editable_set_text (bill, "12.345");
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  gtk_editable_set_text (bill, "abc");
  g_assert_false (sc_verdict_card_get_can_redeem (fixture->card));
  /* Whatever the coupon, a bill of one fen either meets no minimum
   * (cash / discount) or falls short; 5000 yuan meets any seeded one. */
  gtk_editable_set_text (bill, "0.01");
  {
    ScVerdict *verdict = sc_verdict_card_get_verdict (fixture->card);
    const ScCouponInfo *coupon = sc_verdict_get_coupon (verdict);
    GtkWidget *bill_label = sc_test_ui_child (fixture->card, "bill_label");
    gboolean short_of_minimum;

    g_assert_nonnull (coupon);
    short_of_minimum = coupon->min_spend_fen > 1;
    g_assert_cmpint (sc_verdict_card_get_can_redeem (fixture->card), ==, !short_of_minimum);
    g_assert_cmpint (sc_verdict_card_get_bill_fen (fixture->card), ==, (short_of_minimum ? -1 : 1));
    g_assert_cmpint (gtk_widget_has_css_class (bill_label, "error"), ==, short_of_minimum);
  }
  gtk_editable_set_text (bill, "5000");
  g_assert_true (sc_verdict_card_get_can_redeem (fixture->card));
  g_assert_cmpint (sc_verdict_card_get_bill_fen (fixture->card), ==, 500000);
  g_assert_true (gtk_widget_is_sensitive (button));

  {
    guint done = sc_test_ui_n_completed (fixture->scan);

    g_assert_true (gtk_widget_activate (button));
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  }
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Redeemed");
  g_assert_nonnull (strstr (sc_test_ui_child_text (fixture->card, "outcome_label"),
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
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  g_autofree char *pickup = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  GtkEditable *bill;
  GtkWidget *focus;
  guint32 t = 100000;
  guint done;

  g_test_summary ("A scanner burst while another field has the focus is taken back out of "
                  "that field and submitted on the Scan page; slow typing stays typing");

  log_in_ok (fixture);
  sc_test_ui_submit (fixture->scan, coupon);
  bill = GTK_EDITABLE (sc_test_ui_child (fixture->card, "bill_entry"));
  gtk_widget_grab_focus (GTK_WIDGET (bill));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_EDITABLE (focus));

  /* A person types "12" slowly, then presses Enter: not a scan. */
  type_key (fixture, focus, '1', t += 400);
  type_key (fixture, focus, '2', t += 400);
  g_assert_false (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, 0, t += 400));
  g_assert_cmpstr (gtk_editable_get_text (bill), ==, "12");

  done = sc_test_ui_n_completed (fixture->scan);
  for (const char *p = pickup; *p != '\0'; p++)
    type_key (fixture, focus, (gunichar) *p, t += 8);
  g_assert_cmpstr (gtk_editable_get_text (bill), !=, "12");  /* it landed there... */
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, '\r', t += 8));

  /* ... and was taken back out; the code was checked on the Scan page. */
  g_assert_cmpstr (gtk_editable_get_text (bill), ==, "12");
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  {
    GtkWidget *status = sc_test_ui_child (fixture->card, "status_label");
    GtkWidget *code_label = gtk_widget_get_next_sibling (status);

    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (code_label)), pickup));
  }

  /* On another pane (nothing to type into) a burst brings the Scan page back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.pane", "i", 3));
  g_assert_cmpstr (visible_pane (fixture->window), ==, "orders");
  done = sc_test_ui_n_completed (fixture->scan);
  for (const char *p = coupon; *p != '\0'; p++)
    g_assert_false (sc_window_handle_scanner_key (fixture->window, gdk_unicode_to_keyval (*p),
                                                  (gunichar) *p, t += 8));
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_KP_Enter, '\r', t += 8));
  g_assert_cmpstr (visible_pane (fixture->window), ==, "scan");
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_nonnull (sc_verdict_get_coupon (sc_verdict_card_get_verdict (fixture->card)));
}

static void
test_scan_target (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *pickup = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *expected = g_strdup_printf ("scanner:%s", pickup);
  AdwViewStack *stack;
  TestTarget *target;
  guint32 t = 100000;
  guint done;

  g_test_summary ("A scanner burst goes to the visible pane when it is an ScScanTarget, and "
                  "stays there; the Scan page does not check it");

  log_in_ok (fixture);
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (fixture->scan),
                                                   ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (stack);
  target = g_object_new (TEST_TYPE_TARGET, NULL);
  adw_view_stack_add_titled (stack, GTK_WIDGET (target), "test", "Test");
  adw_view_stack_set_visible_child_name (stack, "test");
  g_assert_true (sc_window_get_pane (fixture->window) == GTK_WIDGET (target));

  done = sc_test_ui_n_completed (fixture->scan);
  for (const char *p = pickup; *p != '\0'; p++)
    g_assert_false (sc_window_handle_scanner_key (fixture->window, gdk_unicode_to_keyval (*p),
                                                  (gunichar) *p, t += 8));
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, '\r', t += 8));

  g_assert_cmpuint (target->codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (target->codes, 0), ==, expected);
  g_assert_cmpstr (visible_pane (fixture->window), ==, "test");
  g_assert_cmpuint (sc_test_ui_n_completed (fixture->scan), ==, done);
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");

  /* The Scan page is a target too: visible, it checks the code itself. */
  g_assert_true (SC_IS_SCAN_TARGET (fixture->scan));
  adw_view_stack_set_visible_child_name (stack, "scan");
  for (const char *p = pickup; *p != '\0'; p++)
    sc_window_handle_scanner_key (fixture->window, gdk_unicode_to_keyval (*p), (gunichar) *p,
                                  t += 8);
  g_assert_true (sc_window_handle_scanner_key (fixture->window, GDK_KEY_Return, '\r', t += 8));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_cmpuint (target->codes->len, ==, 1);
  adw_view_stack_remove (stack, GTK_WIDGET (target));
}

static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
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
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG) != NULL);
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, code);
  dialog = ADW_MESSAGE_DIALOG (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* A wrong PIN asks again, with the reason. */
  gtk_editable_set_text (sc_reauth_dialog_get_entry (SC_REAUTH_DIALOG (dialog)), "0000");
  adw_message_dialog_response (dialog, "login");
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG) != NULL);
  dialog = ADW_MESSAGE_DIALOG (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG));

  done = sc_test_ui_n_completed (fixture->scan);
  gtk_editable_set_text (sc_reauth_dialog_get_entry (SC_REAUTH_DIALOG (dialog)), "1234");
  adw_message_dialog_response (dialog, "login");
  g_assert_null (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");
}

static void
test_platform_killed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *counter;
  guint done;

  g_test_summary ("With the platform gone a pickup code is still decided, from this "
                  "counter's copy of today's orders, a coupon says it needs the network, "
                  "and the chip says Offline; a pickup redeemed offline is sent when the "
                  "platform is back, by itself, and its row in the list follows");

  log_in_ok (fixture);
  counter = sc_test_ui_counter (fixture->window);
  SC_TEST_WAIT_FOR (sc_counter_get_manifest_fetched_at (counter) > 0);
  sc_test_platform_kill (fixture->platform);

  sc_test_ui_submit (fixture->scan, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_true (gtk_widget_get_visible (sc_test_ui_child (fixture->card, "redeem_button")));
  g_assert_true (g_str_has_prefix (chip_text (fixture->window), "Offline"));

  sc_test_ui_submit (fixture->scan, coupon);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_NEEDS_NETWORK));
  g_assert_false (gtk_widget_get_visible (sc_test_ui_child (fixture->card, "redeem_button")));

  /* Redeemed offline: saved here, shown as waiting. */
  sc_test_ui_submit (fixture->scan, code);
  done = sc_test_ui_n_completed (fixture->scan);
  g_assert_true (gtk_widget_activate (sc_test_ui_child (fixture->card, "redeem_button")));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 1);
  row = sc_test_ui_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Saved, will sync"));
  g_clear_pointer (&row, g_free);

  /* The platform comes back: the health probe finds it by itself, the
   * redemption goes, and its row in the list says so. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 0);
  SC_TEST_WAIT_FOR (g_strcmp0 (chip_text (fixture->window), "Online") == 0);
  row = sc_test_ui_dup_recent_text (fixture->scan, 0);
  g_assert_nonnull (strstr (row, "Redeemed"));
  g_assert_null (strstr (row, "Saved"));
  g_clear_pointer (&row, g_free);

  sc_test_ui_submit (fixture->scan, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMED));
}

static void
test_shortcuts_and_logout (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
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
      g_assert_cmpstr (visible_pane (fixture->window), ==, names[i]);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.pane", "i", 2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.focus-entry",
                                             NULL));
  g_assert_cmpstr (visible_pane (fixture->window), ==, "scan");

  sc_test_ui_submit (fixture->scan, code);
  gtk_editable_set_text (GTK_EDITABLE (entry), "12");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.clear", NULL));
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");
  g_assert_null (sc_test_ui_card_css_class (fixture->card));
  g_assert_null (sc_verdict_card_get_verdict (fixture->card));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.logout", NULL));
  g_assert_cmpstr (sc_window_get_visible_page (fixture->window), ==, "login");
  g_assert_null (sc_counter_get_session (sc_test_ui_counter (fixture->window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sc_test_ui_child (
                     sc_test_ui_login_page (fixture->window), "store_row"))), ==, "1001");
  g_assert_cmpuint (sc_test_ui_n_recent (fixture->scan), ==, 0);
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
  dialog = SC_DEMO_CODES_DIALOG (sc_test_ui_dialog (fixture->window, SC_TYPE_DEMO_CODES_DIALOG));
  g_assert_nonnull (dialog);
  SC_TEST_WAIT_FOR (sc_demo_codes_dialog_get_loaded (dialog));
  g_assert_cmpuint (sc_demo_codes_dialog_get_n_rows (dialog), >=, 10);

  done = sc_test_ui_n_completed (fixture->scan);
  sc_demo_codes_dialog_choose (dialog, 0);
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_DEMO_CODES_DIALOG) == NULL);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_nonnull (sc_verdict_card_get_verdict (fixture->card));
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sc_test_ui_fixture_setup, func, sc_test_ui_fixture_teardown)
  ADD ("/ui/window/login", test_login);
  ADD ("/ui/window/redeem-undo", test_redeem_undo);
  ADD ("/ui/window/negative-verdicts", test_negative_verdicts);
  ADD ("/ui/window/coupon-bill", test_coupon_bill);
  ADD ("/ui/window/scanner-burst", test_scanner_burst);
  ADD ("/ui/window/scan-target", test_scan_target);
  ADD ("/ui/window/session-expired", test_session_expired);
  ADD ("/ui/window/platform-killed", test_platform_killed);
  ADD ("/ui/window/shortcuts-logout", test_shortcuts_and_logout);
  ADD ("/ui/window/demo-codes", test_demo_codes);
#undef ADD

  return sc_test_ui_run ();
}
