/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScToaster: every toast of the window goes through it with libadwaita
 * 1.2's guards: normal priority, and no dismissal within 600 ms of a toast
 * coming on screen. Under Xvfb, no platform. */
#include "config.h"

#include <adwaita.h>
#include <libglib-testing/signal-logger.h>

#include "sc-test-ui.h"
#include "sc-toaster.h"

typedef struct
{
  GtkWindow       *window;
  AdwToastOverlay *overlay;
  ScToaster       *toaster;
  guint            n_shown_notifies;
} Fixture;

static void
shown_cb (Fixture *fixture)
{
  fixture->n_shown_notifies++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (fixture->overlay, gtk_label_new ("Page"));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_set_default_size (fixture->window, 600, 400);
  gtk_window_present (fixture->window);
  fixture->toaster = sc_toaster_new (fixture->overlay);
  g_signal_connect_swapped (fixture->toaster, "notify::shown", G_CALLBACK (shown_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->toaster);
  sc_test_ui_destroy_window (fixture->window);
}

static void
dismissed_cb (AdwToast *toast,
              gint64   *at)
{
  *at = g_get_monotonic_time ();
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The main loop runs meanwhile: the overlay shows its toasts. */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  SC_TEST_WAIT_FOR (done);
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(AdwToast) toast = adw_toast_new ("Saved, will sync");
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(AdwToast) added = NULL;
  g_autoptr(AdwToast) added_text = NULL;
  gint64 dismissed_at = 0;

  g_test_summary ("A toast goes on the overlay with normal priority (libadwaita 1.2 aborts "
                  "when a high-priority one is dismissed while the one it pushed aside "
                  "hides); the toaster says it was added (\"added\") and one is shown "
                  "until it is dismissed");

  g_assert_false (sc_toaster_get_shown (fixture->toaster));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "dismissed", G_CALLBACK (dismissed_cb), &dismissed_at);
  gt_signal_logger_connect (logger, fixture->toaster, "added");
  sc_toaster_add (fixture->toaster, toast);
  g_assert_cmpint (adw_toast_get_priority (toast), ==, ADW_TOAST_PRIORITY_NORMAL);
  gt_signal_logger_assert_emission_pop (logger, fixture->toaster, "added", &added);
  g_assert_true (added == toast);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_true (sc_toaster_get_shown (fixture->toaster));
  g_assert_cmpuint (fixture->n_shown_notifies, ==, 1);

  sc_toaster_add_text (fixture->toaster, "No keyring found");
  gt_signal_logger_assert_emission_pop (logger, fixture->toaster, "added", &added_text);
  g_assert_cmpstr (adw_toast_get_title (added_text), ==, "No keyring found");
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (fixture->n_shown_notifies, ==, 1);

  adw_toast_dismiss (toast);
  SC_TEST_WAIT_FOR (dismissed_at != 0);
  /* The second is still up. */
  g_assert_true (sc_toaster_get_shown (fixture->toaster));
}

static void
test_dismiss_guard (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(AdwToast) first = adw_toast_new ("Redeemed 102643690401");
  g_autoptr(AdwToast) old = adw_toast_new ("Old");
  gint64 first_dismissed = 0;
  gint64 old_dismissed = 0;
  gint64 asked;

  g_test_summary ("A toast dismissed within 600 ms of coming on screen goes only once they "
                  "have passed (libadwaita 1.2 crashes otherwise); one on screen longer "
                  "goes at once; the toaster says when none is shown");

  g_signal_connect (first, "dismissed", G_CALLBACK (dismissed_cb), &first_dismissed);
  adw_toast_set_timeout (first, 0);
  sc_toaster_add (fixture->toaster, first);
  asked = g_get_monotonic_time ();
  sc_toaster_dismiss (first);
  sc_toaster_dismiss (first);  /* asked twice: still one dismissal, later */
  g_assert_cmpint (first_dismissed, ==, 0);
  SC_TEST_WAIT_FOR (first_dismissed != 0);
  g_assert_cmpint ((first_dismissed - asked) / 1000, >=, 500);
  g_assert_false (sc_toaster_get_shown (fixture->toaster));
  g_assert_cmpuint (fixture->n_shown_notifies, ==, 2);

  g_signal_connect (old, "dismissed", G_CALLBACK (dismissed_cb), &old_dismissed);
  adw_toast_set_timeout (old, 0);
  sc_toaster_add (fixture->toaster, old);
  wait_ms (700);
  asked = g_get_monotonic_time ();
  sc_toaster_dismiss (old);
  SC_TEST_WAIT_FOR (old_dismissed != 0);
  g_assert_cmpint ((old_dismissed - asked) / 1000, <, 300);
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  g_test_add ("/ui/toaster/add", Fixture, NULL, fixture_setup, test_add, fixture_teardown);
  g_test_add ("/ui/toaster/dismiss-guard", Fixture, NULL, fixture_setup, test_dismiss_guard,
              fixture_teardown);

  return sc_test_ui_run ();
}
