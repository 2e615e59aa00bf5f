/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Scan page's words at a real queue (issue 10, rows 8 to 11), in the real
 * window against a real store-counter-platform under Xvfb, in Chinese
 * (LANGUAGE=zh_CN): the undo toast steps aside when the next code is
 * checked while its undo stays in the history row and on Ctrl+Z; the card's
 * and the toast's words follow sync; the first Escape (a real key, through
 * XTest) clears the entry and the card; the platform's reasons and another
 * store's codes in the clerk's words; an unreachable platform on this
 * computer. Saves screenshots into <builddir>/tests/ui/screenshots/. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-counter.h"
#include "sc-login-page.h"
#include "sc-scan-page-private.h"
#include "sc-test-keys.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

typedef struct
{
  ScTestUiFixture ui;
  GPtrArray      *toasts;       /* (element-type AdwToast) every toast the page showed */
  guint           n_released;   /* key releases the window saw */
} Fixture;

static void
toast_cb (ScScanPage *scan,
          AdwToast   *toast,
          Fixture    *fixture)
{
  g_ptr_array_add (fixture->toasts, g_object_ref (toast));
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 Fixture               *fixture)
{
  fixture->n_released++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static const ScTestUiOptions options = { .width = 1100, .height = 720 };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkEventController *keys;

  g_settings_set_boolean (settings, "auto-redeem-pickup", FALSE);
  sc_test_ui_fixture_setup (&fixture->ui, &options);
  fixture->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->ui.scan, "show-toast", G_CALLBACK (toast_cb), fixture);
  /* Observes (capture phase, never claims) when a key has gone all the way
   * through the window. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-released", G_CALLBACK (key_released_cb), fixture);
  gtk_widget_add_controller (GTK_WIDGET (fixture->ui.window), keys);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->ui.scan, fixture);
  sc_test_ui_fixture_teardown (&fixture->ui, NULL);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
}

/* A real key press and release of @keyval, through the X server (XTest), to
 * the window: GTK's whole event path, its shortcut controllers and
 * bindings included. Waits until the window has seen the release. */
static void
press_key (Fixture *fixture,
           guint    keyval)
{
  guint released = fixture->n_released;

  sc_test_keys_focus_window (GTK_WIDGET (fixture->ui.window));
  sc_test_keys_press (keyval, 0, 0);
  SC_TEST_WAIT_FOR (fixture->n_released > released);
}

static gboolean
toast_dismissed (AdwToast *toast)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "test-dismissed")) != 0;
}

static void
dismissed_cb (AdwToast *toast)
{
  g_object_set_data (G_OBJECT (toast), "test-dismissed", GUINT_TO_POINTER (1));
}

/* The last toast shown, watched for its "dismissed". */
static AdwToast *
last_toast (Fixture *fixture)
{
  AdwToast *toast;

  g_assert_cmpuint (fixture->toasts->len, >, 0);
  toast = g_ptr_array_index (fixture->toasts, fixture->toasts->len - 1);
  if (g_object_get_data (G_OBJECT (toast), "test-watched") == NULL)
    {
      g_object_set_data (G_OBJECT (toast), "test-watched", GUINT_TO_POINTER (1));
      g_signal_connect (toast, "dismissed", G_CALLBACK (dismissed_cb), NULL);
    }
  return toast;
}

/* The words of @toast on screen (its widget in the window's toast overlay),
 * NULL while it is not shown. */
static const char *
toast_on_screen (Fixture  *fixture,
                 AdwToast *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (fixture->ui.scan),
                                                ADW_TYPE_TOAST_OVERLAY);

  g_assert_nonnull (overlay);
  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(AdwToast) shown = NULL;
      GtkWidget *label;

      /* The toast widgets (AdwToastWidget) have a "toast" property. */
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "toast") == NULL)
        continue;
      g_object_get (child, "toast", &shown, NULL);
      if (shown != toast || !gtk_widget_get_can_target (child))
        continue;
      label = sc_test_ui_find (child, GTK_TYPE_LABEL);
      return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : "";
    }
  return NULL;
}

/* Presses the card's Redeem button and waits for the answer. */
static void
redeem_shown (Fixture *fixture)
{
  GtkWidget *button = sc_test_ui_child (fixture->ui.card, "redeem_button");
  guint done = sc_test_ui_n_completed (fixture->ui.scan);

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_activate (button));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
}

/* @n redeemable bare pickup codes. */
static GPtrArray *
pickup_codes (Fixture *fixture,
              guint    n)
{
  return sc_test_ui_demo_codes (fixture->ui.platform, "redeemable", "pickup", n);
}

/* The history rows that offer an Undo button now, newest first. */
static GPtrArray *
visible_undo_buttons (Fixture *fixture)
{
  GtkListBox *list = sc_test_ui_recent_list (fixture->ui.scan);
  GPtrArray *buttons = g_ptr_array_new ();
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      GtkWidget *button = sc_test_ui_find (GTK_WIDGET (row), GTK_TYPE_BUTTON);

      if (button != NULL && gtk_widget_is_visible (button) && gtk_widget_is_sensitive (button))
        g_ptr_array_add (buttons, button);
    }
  return buttons;
}

static gboolean
recent_row_has (Fixture    *fixture,
                guint       index,
                const char *text)
{
  g_autofree char *row = sc_test_ui_dup_recent_text (fixture->ui.scan, index);

  return row != NULL && strstr (row, text) != NULL;
}

static void
test_toast_steps_aside (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = pickup_codes (fixture, 3);
  g_autoptr(GPtrArray) buttons = NULL;
  g_autofree char *status = NULL;
  g_autofree char *row = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint done;

  g_test_summary ("Redeem A, then check B: A's undo toast is gone, and A's history row offers "
                  "Undo, which undoes A on the platform; redeem C, check B: Ctrl+Z undoes C");

  sc_test_ui_log_in_ok (fixture->ui.window);
  sc_test_ui_submit (fixture->ui.scan, g_ptr_array_index (codes, 0));
  redeem_shown (fixture);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "核销成功");
  toast = last_toast (fixture);
  title = g_strdup_printf ("已核销 %s", (const char *) g_ptr_array_index (codes, 0));
  g_assert_cmpstr (adw_toast_get_title (toast), ==, title);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "撤销(_U)");
  g_assert_false (toast_dismissed (toast));
  /* On screen (after the login's notice, if any, has had its 5 s). */
  SC_TEST_WAIT_FOR (toast_on_screen (fixture, toast) != NULL);
  g_assert_cmpstr (toast_on_screen (fixture, toast), ==, title);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "undo-toast-zh", 20);

  /* The next customer: the toast steps aside. */
  sc_test_ui_submit (fixture->ui.scan, g_ptr_array_index (codes, 1));
  g_test_message ("after checking B: toast dismissed=%d", toast_dismissed (toast));
  /* At once, or once it has finished coming in (sc_scan_page_toast_dismiss). */
  SC_TEST_WAIT_FOR (toast_dismissed (toast));
  SC_TEST_WAIT_FOR (toast_on_screen (fixture, toast) == NULL);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "undo-toast-stepped-aside-zh", 20);

  /* A's row still offers Undo. */
  buttons = visible_undo_buttons (fixture);
  g_test_message ("history rows with Undo: %u", buttons->len);
  g_assert_cmpuint (buttons->len, ==, 1);
  done = sc_test_ui_n_completed (fixture->ui.scan);
  g_assert_true (gtk_widget_activate (g_ptr_array_index (buttons, 0)));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
  status = sc_test_ui_platform_status (fixture->ui.platform, g_ptr_array_index (codes, 0));
  g_assert_cmpstr (status, ==, "redeemable");
  row = sc_test_ui_dup_recent_text (fixture->ui.scan, 0);
  g_assert_nonnull (strstr (row, "已撤销"));
  g_clear_pointer (&buttons, g_ptr_array_unref);
  buttons = visible_undo_buttons (fixture);
  g_assert_cmpuint (buttons->len, ==, 0);
  /* B is still on the card. */
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "待核销");

  /* Ctrl+Z after the next code was checked. */
  sc_test_ui_submit (fixture->ui.scan, g_ptr_array_index (codes, 2));
  redeem_shown (fixture);
  toast = last_toast (fixture);
  sc_test_ui_submit (fixture->ui.scan, g_ptr_array_index (codes, 1));
  SC_TEST_WAIT_FOR (toast_dismissed (toast));
  done = sc_test_ui_n_completed (fixture->ui.scan);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->ui.window), "window.undo", NULL));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
  g_clear_pointer (&status, g_free);
  status = sc_test_ui_platform_status (fixture->ui.platform, g_ptr_array_index (codes, 2));
  g_assert_cmpstr (status, ==, "redeemable");
}

static void
set_faults (Fixture    *fixture,
            const char *json)
{
  g_autoptr(JsonObject) answer = sc_test_platform_admin (fixture->ui.platform, "POST",
                                                         "/v1/admin/faults", json, 200);
}

static void
test_words_follow_sync (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = pickup_codes (fixture, 1);
  const char *code = g_ptr_array_index (codes, 0);
  g_autofree char *saved = g_strdup_printf ("已保存 %s，待同步", code);
  g_autofree char *redeemed = g_strdup_printf ("已核销 %s", code);
  ScCounter *counter;
  AdwToast *toast;

  g_test_summary ("A redemption the platform could not take at once says Saved, will sync on "
                  "the card and in the toast; once the outbox syncs both say Redeemed");

  sc_test_ui_log_in_ok (fixture->ui.window);
  counter = sc_test_ui_counter (fixture->ui.window);
  sc_test_ui_submit (fixture->ui.scan, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "待核销");

  /* The platform refuses every call for a while (503): saved here. */
  set_faults (fixture, "{\"fail_rate\": 1.0, \"fail_status\": 503}");
  redeem_shown (fixture);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "已保存，待同步");
  toast = last_toast (fixture);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, saved);
  g_assert_cmpuint (sc_counter_get_unsynced (counter), ==, 1);
  SC_TEST_WAIT_FOR (toast_on_screen (fixture, toast) != NULL);
  g_assert_cmpstr (toast_on_screen (fixture, toast), ==, saved);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "saved-will-sync-zh", 20);

  /* The platform is back: the outbox drains on its own. */
  set_faults (fixture, "{}");
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 0);
  /* The history row learns it (it did before this issue too). */
  SC_TEST_WAIT_FOR (recent_row_has (fixture, 0, "核销成功"));
  g_test_message ("card: %s; toast: %s", sc_test_ui_status_text (fixture->ui.card),
                  adw_toast_get_title (toast));
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "核销成功");
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->ui.card), ==, "status-success");
  g_assert_cmpstr (adw_toast_get_title (toast), ==, redeemed);
  g_assert_cmpstr (toast_on_screen (fixture, toast), ==, redeemed);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "synced-words-zh", 20);
}

static void
test_escape (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = pickup_codes (fixture, 1);
  GtkWidget *entry = sc_scan_page_get_entry (fixture->ui.scan);
  AdwToast *toast;

  g_test_summary ("Right after a redemption, with its undo toast up and something typed, the "
                  "first Escape (a real key) clears the entry and the card; the toast steps "
                  "aside, the undo stays in the history row");

  sc_test_ui_log_in_ok (fixture->ui.window);
  sc_test_ui_submit (fixture->ui.scan, g_ptr_array_index (codes, 0));
  redeem_shown (fixture);
  toast = last_toast (fixture);
  g_assert_false (toast_dismissed (toast));

  gtk_editable_set_text (GTK_EDITABLE (entry), "12");
  sc_scan_page_focus_entry (fixture->ui.scan);
  press_key (fixture, GDK_KEY_Escape);
  g_test_message ("after one Escape: entry '%s', card '%s', toast dismissed=%d",
                  sc_test_ui_entry_text (fixture->ui.scan),
                  sc_test_ui_card_css_class (fixture->ui.card) != NULL
                    ? sc_test_ui_status_text (fixture->ui.card) : "(empty)",
                  toast_dismissed (toast));
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->ui.scan), ==, "");
  g_assert_null (sc_test_ui_card_css_class (fixture->ui.card));
  SC_TEST_WAIT_FOR (toast_dismissed (toast));
  {
    g_autoptr(GPtrArray) buttons = visible_undo_buttons (fixture);

    g_assert_cmpuint (buttons->len, ==, 1);
  }
  g_assert_true (gtk_widget_has_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->ui.window)),
                                         entry));
}

static void
test_platform_reasons (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *prize = sc_test_ui_demo_code (fixture->ui.platform, "not_eligible", "prize");
  g_autofree char *coupon = sc_test_ui_demo_code (fixture->ui.platform, "qr_stale", "coupon");
  const char *reason;

  g_test_summary ("The platform's reasons (a prize out of its claim window or already "
                  "claimed, a live coupon scanned by its number) show in Chinese");

  sc_test_ui_log_in_ok (fixture->ui.window);
  sc_test_ui_submit (fixture->ui.scan, prize);
  reason = sc_test_ui_child_text (fixture->ui.card, "reason_label");
  g_test_message ("prize: %s — %s", sc_test_ui_status_text (fixture->ui.card), reason);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "不符合兑奖条件");
  g_assert_true (g_strcmp0 (reason, "此奖品的兑奖期已结束。") == 0 ||
                 g_strcmp0 (reason, "该中奖者已在本次抽奖中兑过奖。") == 0);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "reason-not-eligible-zh", 20);

  sc_test_ui_submit (fixture->ui.scan, coupon);
  reason = sc_test_ui_child_text (fixture->ui.card, "reason_label");
  g_test_message ("coupon: %s — %s", sc_test_ui_status_text (fixture->ui.card), reason);
  g_assert_cmpstr (reason, ==, "此优惠券需要顾客出示 App 中的动态码。");
}

static void
test_wrong_store (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct
  {
    const char *kind;
    const char *label;
    const char *reason;
  } kinds[] = {
    { "pickup", "非本店提货码", "此提货码属于东门自提点：请到该店提货。" },
    { "coupon", "非本店券", "此优惠券属于东门自提点：不能在本店使用。" },
    { "prize", "非本店兑奖券", "此兑奖券属于东门自提点：请到该店兑奖。" },
  };

  g_test_summary ("Another store's pickup code, coupon and prize voucher say so by their "
                  "kind (非本店提货码 / 非本店券 / 非本店兑奖券) and name "
                  "the store that owns them");

  sc_test_ui_log_in_ok (fixture->ui.window);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *code = sc_test_ui_demo_code (fixture->ui.platform, "wrong_store",
                                                    kinds[i].kind);
      g_autofree char *row = NULL;
      g_autofree char *name = NULL;
      const char *reason;

      sc_test_ui_submit (fixture->ui.scan, code);
      reason = sc_test_ui_child_text (fixture->ui.card, "reason_label");
      g_test_message ("%s: %s — %s", kinds[i].kind, sc_test_ui_status_text (fixture->ui.card),
                      reason);
      g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, kinds[i].label);
      g_assert_cmpstr (reason, ==, kinds[i].reason);
      /* The history keeps the short words, so that the code stays readable. */
      row = sc_test_ui_dup_recent_text (fixture->ui.scan, 0);
      g_assert_nonnull (strstr (row, "非本店的码"));
      g_assert_nonnull (strstr (row, code));
      name = g_strdup_printf ("wrong-store-%s-zh", kinds[i].kind);
      if (i == 0)
        sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), name, 20);
    }
}

static void
test_unreachable_here (Fixture       *fixture,
                       gconstpointer  data)
{
  ScLoginPage *login = sc_test_ui_login_page (fixture->ui.window);

  g_test_summary ("With the platform on this computer stopped, the login says its program is "
                  "not running, not to check the network cable");

  sc_test_platform_kill (fixture->ui.platform);
  sc_test_ui_log_in (fixture->ui.window, "1234");
  g_test_message ("login error: %s", sc_test_ui_login_error (login));
  g_assert_cmpstr (sc_window_get_visible_page (fixture->ui.window), ==, "login");
  g_assert_cmpstr (sc_test_ui_login_error (login), ==,
                   "本机上的平台程序没有运行。请先启动它，然后重试。");
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "unreachable-here-zh", 20);
}

/* The session bus of this test (see main); kept to the end. */
static GTestDBus *test_bus;

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The clerk reads Chinese (LANGUAGE under C.UTF-8, DESIGN §11). */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  sc_test_ui_bind_translations ();
  /* A session bus of its own without a Secret Service (the session stays
   * in memory): the keyring's unlock prompt would take the keyboard from
   * the window, and the keys this test presses with it. These rows are
   * about words, not AT-SPI. */
  test_bus = sc_test_ui_private_bus_up ();

  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/verdict-words/undo-toast/steps-aside", test_toast_steps_aside);
  SC_TEST_UI_ADD ("/ui/verdict-words/undo-toast/follows-sync", test_words_follow_sync);
  SC_TEST_UI_ADD ("/ui/verdict-words/undo-toast/escape", test_escape);
  SC_TEST_UI_ADD ("/ui/verdict-words/platform-reasons", test_platform_reasons);
  SC_TEST_UI_ADD ("/ui/verdict-words/wrong-store", test_wrong_store);
  SC_TEST_UI_ADD ("/ui/verdict-words/unreachable-here", test_unreachable_here);

  status = sc_test_ui_run ();
  g_test_dbus_stop (test_bus);  /* see sc_test_ui_private_bus_up() */
  return status;
}
