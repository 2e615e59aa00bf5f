/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Scan page at a real queue, from the keyboard and a USB scanner (issue
 * 10, rows 1, 2, 3 and 11): the real window against a real platform under
 * Xvfb, driven with real key events sent through the X server
 * (sc-test-keys.h), so that every key takes GTK's whole path — the focused
 * entry's own key handling, open menus, other windows. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-demo-codes-dialog.h"
#include "sc-preferences-window.h"
#include "sc-reauth-dialog.h"
#include "sc-scan-page-private.h"
#include "sc-test-keys.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

typedef ScTestUiFixture Fixture;

/* The window, logged in, with the X focus. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static const ScTestUiOptions options = { .width = 1280, .height = 800 };

  sc_test_ui_fixture_setup (fixture, &options);
  sc_test_ui_log_in_ok (fixture->window);
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->scan)));
  sc_test_keys_focus_window (GTK_WIDGET (fixture->window));
}

/* Whether the keyboard focus of @widget's window is @widget or inside it. */
static gboolean
has_focus_in (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static const char *
card_code (Fixture *fixture)
{
  GtkWidget *status = sc_test_ui_child (fixture->card, "status_label");

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (status)));
}

/* A USB scanner reads @code; waits for the verdict. */
static void
scan_code (Fixture    *fixture,
           const char *code)
{
  guint done = sc_test_ui_n_completed (fixture->scan);

  sc_test_keys_scan (code);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_nonnull (strstr (card_code (fixture), code));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static const char *
held_code (Fixture *fixture)
{
  return sc_scan_router_get_held_code (sc_window_get_scan_router (fixture->window));
}

/* The window as a clerk sees it, in the language of $LANGUAGE, for a
 * person to look at (<builddir>/tests/ui/screenshots/). */
static void
save_png (GtkWidget  *window,
          const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s-%s", name,
                                           language != NULL && *language != '\0' ? language
                                                                                 : "en");

  sc_test_ui_save_png (window, file, 3);
}

/* Row 1 */
static void
test_undo_from_entry (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *status = NULL;
  GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
  guint done;

  g_test_summary ("Ctrl+Z pressed while the code entry has the focus (where it is after "
                  "every lookup and redemption) undoes the last redemption");

  scan_code (fixture, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));

  /* Enter in the empty entry redeems the card. */
  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_press (GDK_KEY_Return, 0, 0);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, _("Redeemed"));
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemed");
  g_clear_pointer (&status, g_free);
  g_assert_true (has_focus_in (entry));

  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_press (GDK_KEY_z, GDK_CONTROL_MASK, 0);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemable");
  g_assert_true (has_focus_in (entry));

  /* A later lookup says so too. */
  scan_code (fixture, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
}

/* Row 2 */
static void
test_coupon_bill_keys (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  g_autofree char *pickup = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *bill_text = NULL;
  GtkEditable *bill = GTK_EDITABLE (sc_test_ui_child (fixture->card, "bill_entry"));
  GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
  const ScCouponInfo *info;
  gint64 bill_fen;
  guint done;

  g_test_summary ("After a coupon's verdict the bill field has the focus and says to type "
                  "the bill, then Enter; typed digits go there and Enter redeems; a "
                  "scanner burst still goes to the code entry");

  scan_code (fixture, coupon);
  info = sc_verdict_get_coupon (sc_verdict_card_get_verdict (fixture->card));
  g_assert_nonnull (info);
  g_assert_true (has_focus_in (GTK_WIDGET (bill)));
  g_assert_cmpstr (sc_test_ui_child_text (fixture->card, "bill_label"), ==,
                   _("Type the bill, then Enter"));
  save_png (GTK_WIDGET (fixture->window), "keyboard-coupon-bill");

  /* A scanner burst while the bill field has the focus: a new code. */
  scan_code (fixture, pickup);
  g_assert_cmpstr (gtk_editable_get_text (bill), ==, "");
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");
  g_assert_true (has_focus_in (entry));

  /* The coupon again: the clerk types the bill, slowly, then Enter. */
  scan_code (fixture, coupon);
  info = sc_verdict_get_coupon (sc_verdict_card_get_verdict (fixture->card));
  bill_fen = MAX (info->min_spend_fen, 100) + 800;
  bill_fen -= bill_fen % 100;
  bill_text = g_strdup_printf ("%" G_GINT64_FORMAT, bill_fen / 100);
  sc_test_keys_type (bill_text, SC_TEST_KEYS_TYPING_MS);
  SC_TEST_WAIT_FOR (g_strcmp0 (gtk_editable_get_text (bill), bill_text) == 0);
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->scan), ==, "");
  g_assert_nonnull (strstr (card_code (fixture), coupon));
  g_assert_true (sc_verdict_card_get_can_redeem (fixture->card));

  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_press (GDK_KEY_Return, 0, SC_TEST_KEYS_TYPING_MS);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, _("Redeemed"));
  g_assert_true (has_focus_in (entry));
}

/* Row 3: the main menu */
static void
test_scan_with_menu_open (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  GtkWidget *button = find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON);
  GtkPopover *popover;
  guint done;

  g_test_summary ("A scan while the main menu is open closes the menu and is checked on "
                  "the Scan page; its Enter activates no menu item");

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));

  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_scan (code);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done ||
                    sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW) != NULL);
  g_assert_null (sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (strstr (card_code (fixture), code));
  SC_TEST_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (has_focus_in (sc_scan_page_get_entry (fixture->scan)));
  save_png (GTK_WIDGET (fixture->window), "keyboard-menu-scan");
}

/* Row 3: Preferences */
static void
test_scan_with_preferences_open (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *address = NULL;
  GtkWindow *preferences;
  AdwEntryRow *url_row;
  guint done;

  g_test_summary ("A scan while Preferences is open is not typed into its fields: it is "
                  "held, the window says so, and it is checked when Preferences closes");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "window.preferences", NULL));
  preferences = sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  url_row = ADW_ENTRY_ROW (sc_test_ui_child (preferences, "url_row"));
  address = g_strdup (gtk_editable_get_text (GTK_EDITABLE (url_row)));
  /* The clerk is editing the platform address. */
  gtk_widget_grab_focus (GTK_WIDGET (url_row));
  g_assert_true (has_focus_in (GTK_WIDGET (url_row)));
  sc_test_keys_focus_window (GTK_WIDGET (preferences));

  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_scan (code);
  SC_TEST_WAIT_FOR (held_code (fixture) != NULL);
  g_assert_cmpstr (held_code (fixture), ==, code);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, address);
  g_assert_cmpstr (sc_scan_router_get_notice (sc_window_get_scan_router (fixture->window)), ==,
                   _("Code scanned: it will be checked when you close Preferences"));
  save_png (GTK_WIDGET (preferences), "keyboard-preferences-held");
  g_assert_cmpuint (sc_test_ui_n_completed (fixture->scan), ==, done);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preferences)));

  gtk_window_close (preferences);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  g_assert_nonnull (strstr (card_code (fixture), code));
  g_assert_null (held_code (fixture));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, address);
}

/* Row 3: the PIN dialog */
static void
test_scan_with_pin_dialog (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *first = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->platform, "redeemable", "coupon");
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *pin;
  guint http = 0;
  guint done;

  g_test_summary ("A scan while the PIN dialog is open never stays in the PIN field nor "
                  "answers the dialog: it is checked after logging in again");

  answer = sc_test_platform_request (fixture->platform, "POST", "/v1/admin/clock",
                                     fixture->platform->admin_token, "{\"offset_s\":172800}",
                                     NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);

  sc_test_keys_scan (first);
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG) != NULL);
  dialog = ADW_MESSAGE_DIALOG (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG));
  pin = sc_reauth_dialog_get_entry (SC_REAUTH_DIALOG (dialog));
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (has_focus_in (GTK_WIDGET (pin)));
  sc_test_keys_focus_window (GTK_WIDGET (dialog));

  sc_test_keys_type ("12", SC_TEST_KEYS_TYPING_MS);
  SC_TEST_WAIT_FOR (g_strcmp0 (gtk_editable_get_text (pin), "12") == 0);
  sc_test_keys_scan (coupon);
  SC_TEST_WAIT_FOR (held_code (fixture) != NULL);
  g_assert_cmpstr (held_code (fixture), ==, coupon);
  /* Not typed into the PIN, and its Enter did not log in with "12<code>". */
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, "12");
  g_assert_true (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG) == GTK_WINDOW (dialog));

  sc_test_keys_type ("34", SC_TEST_KEYS_TYPING_MS);
  SC_TEST_WAIT_FOR (g_strcmp0 (gtk_editable_get_text (pin), "1234") == 0);
  done = sc_test_ui_n_completed (fixture->scan);
  sc_test_keys_press (GDK_KEY_Return, 0, SC_TEST_KEYS_TYPING_MS);
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_REAUTH_DIALOG) == NULL);
  /* Logged in again: the code scanned meanwhile is checked. */
  SC_TEST_WAIT_FOR (held_code (fixture) == NULL &&
                    sc_test_ui_n_completed (fixture->scan) > done &&
                    strstr (card_code (fixture), coupon) != NULL);
  g_assert_nonnull (sc_verdict_get_coupon (sc_verdict_card_get_verdict (fixture->card)));
}

/* Row 3: the other dialogs */
static void
test_scan_with_dialogs_open (Fixture       *fixture,
                             gconstpointer  data)
{
  static const struct {
    const char *action;
  } dialogs[] = {
    { "window.demo-codes" },
    { "win.show-help-overlay" },   /* the keyboard shortcuts */
  };
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");

  g_test_summary ("A scan while the demo codes or the shortcuts window is open answers "
                  "nothing in it: it is held and checked when the window closes");

  for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
    {
      GtkWindow *dialog = NULL;
      guint done;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                                 dialogs[i].action, NULL));
      if (i == 0)
        dialog = sc_test_ui_dialog (fixture->window, SC_TYPE_DEMO_CODES_DIALOG);
      else
        dialog = GTK_WINDOW (gtk_application_window_get_help_overlay (
                               GTK_APPLICATION_WINDOW (fixture->window)));
      g_assert_nonnull (dialog);
      SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
      sc_test_keys_focus_window (GTK_WIDGET (dialog));

      done = sc_test_ui_n_completed (fixture->scan);
      sc_test_keys_scan (code);
      SC_TEST_WAIT_FOR (held_code (fixture) != NULL);
      g_assert_cmpstr (held_code (fixture), ==, code);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
      g_assert_cmpuint (sc_test_ui_n_completed (fixture->scan), ==, done);
      /* Nor typed into its search field. */
      {
        GtkWidget *search = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY);

        if (search != NULL)
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
      }

      gtk_window_close (dialog);
      SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
      g_assert_null (held_code (fixture));
      g_assert_nonnull (strstr (card_code (fixture), code));
      sc_test_keys_focus_window (GTK_WIDGET (fixture->window));
    }
}

/* Row 11 */
static void
test_typing_goes_to_entry (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  GtkWidget *entry = sc_scan_page_get_entry (fixture->scan);
  GtkWidget *code_label;
  GtkWidget *targets[3];

  g_test_summary ("Keys typed while the focus is on a label of the card, a row of the "
                  "history or a button of the Scan page go to the code entry, none lost");

  scan_code (fixture, code);
  code_label = gtk_widget_get_next_sibling (
    sc_test_ui_child (fixture->card, "status_label"));
  targets[0] = code_label;
  targets[1] = GTK_WIDGET (gtk_list_box_get_row_at_index (
                             sc_test_ui_recent_list (fixture->scan), 0));
  targets[2] = sc_test_ui_child (fixture->card, "redeem_button");

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *typed = g_strdup_printf ("8%u5", i);

      g_assert_nonnull (targets[i]);
      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      g_assert_true (gtk_widget_grab_focus (targets[i]));
      g_assert_true (has_focus_in (targets[i]));
      sc_test_keys_type (typed, SC_TEST_KEYS_TYPING_MS);
      SC_TEST_WAIT_FOR (g_strcmp0 (sc_test_ui_entry_text (fixture->scan), typed) == 0);
      g_assert_true (has_focus_in (entry));
      /* The card still shows the code: nothing was looked up. */
      g_assert_nonnull (strstr (card_code (fixture), code));
    }
}

int
main (int   argc,
      char *argv[])
{
  /* A session bus of our own, with no Secret Service: gnome-keyring,
   * activated on the shared one when the login is saved, starts its
   * prompter, which grabs the X keyboard for a moment and takes the keys
   * this test sends. (The AT-SPI tree is tested elsewhere.) */
  GTestDBus *bus = sc_test_ui_private_bus_up ();
  int status;

  /* English unless $LANGUAGE says otherwise (the screenshots). */
  sc_test_ui_bind_translations ();
  sc_test_ui_init_with_app (&argc, &argv);
  /* libadwaita 1.2 aborts when a high-priority toast (the undo toast) is
   * dismissed while the toast it pushed aside (here: "No keyring found") is
   * still animating out; these tests press Ctrl+Z within milliseconds. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, sc_test_ui_fixture_teardown)
  ADD ("/ui/keyboard/undo-from-entry", test_undo_from_entry);
  ADD ("/ui/keyboard/coupon-bill", test_coupon_bill_keys);
  ADD ("/ui/keyboard/scan-with-menu-open", test_scan_with_menu_open);
  ADD ("/ui/keyboard/scan-with-preferences-open", test_scan_with_preferences_open);
  ADD ("/ui/keyboard/scan-with-pin-dialog", test_scan_with_pin_dialog);
  ADD ("/ui/keyboard/scan-with-dialogs-open", test_scan_with_dialogs_open);
  ADD ("/ui/keyboard/typing-goes-to-entry", test_typing_goes_to_entry);
#undef ADD

  status = sc_test_ui_run ();
  g_test_dbus_stop (bus);  /* see sc_test_ui_private_bus_up() */
  return status;
}
