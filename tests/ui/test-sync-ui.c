/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the clerk sees of offline-first sync (DESIGN §7, §9), in the real
 * window against a real store-counter-platform under Xvfb: conflicts made
 * for real (redeemed here offline from the codes list, redeemed at another
 * till meanwhile, refused when sync reaches the platform) in the banner,
 * the conflicts dialog and the cache; how old the codes list is; the chip's
 * words. Also saves screenshots of the banner and the dialog into
 * <builddir>/tests/ui/screenshots/. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-banner.h"
#include "sc-cache.h"
#include "sc-conflicts-dialog.h"
#include "sc-counter.h"
#include "sc-freshness.h"
#include "sc-login-page.h"
#include "sc-platform-client.h"
#include "sc-scan-page-private.h"
#include "sc-status-chip.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

typedef struct
{
  ScTestPlatform *platform;
  ScWindow       *window;
  ScScanPage     *scan;
  ScVerdictCard  *card;
  /* the header's template children */
  ScStatusChip   *chip;
  ScFreshness    *freshness;
  ScBanner       *banner;
} Fixture;

/* A second counter (another till of the same store), driven directly. */
typedef struct
{
  ScCache      *cache;
  ScCounter    *counter;
  GAsyncResult *result;
} OtherCounter;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static const ScTestUiOptions options = { .width = 1100, .height = 720 };

  fixture->platform = sc_test_ui_platform_start (NULL);
  fixture->window = sc_test_ui_window_open (fixture->platform, &options);
  fixture->scan = sc_window_get_scan_page (fixture->window);
  fixture->card = sc_test_ui_card (fixture->scan);
  fixture->chip = SC_STATUS_CHIP (sc_test_ui_child (fixture->window, "chip"));
  fixture->freshness = SC_FRESHNESS (sc_test_ui_child (fixture->window, "freshness"));
  fixture->banner = SC_BANNER (sc_test_ui_child (fixture->window, "banner"));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
}

/* @n bare (not live-token) redeemable pickup codes. */
static GPtrArray *
pickup_codes (Fixture *fixture,
              guint    n)
{
  return sc_test_ui_demo_codes (fixture->platform, "redeemable", "pickup", n);
}

static void
other_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OtherCounter *other = user_data;

  g_assert_null (other->result);
  other->result = g_object_ref (result);
}

static GAsyncResult *
other_wait (OtherCounter *other)
{
  SC_TEST_WAIT_FOR (other->result != NULL);
  return g_steal_pointer (&other->result);
}

/* Clerk 2 (李强) at another till of store 1001, online. */
static void
other_counter_start (Fixture      *fixture,
                     OtherCounter *other)
{
  g_autoptr(ScPlatformClient) client = sc_platform_client_new (fixture->platform->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  other->cache = sc_cache_new (":memory:");
  sc_cache_open_async (other->cache, NULL, other_result_cb, other);
  result = other_wait (other);
  g_assert_true (sc_cache_open_finish (other->cache, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  other->counter = sc_counter_new (other->cache, client);
  sc_counter_login_async (other->counter, "1001", "2", "1234", NULL, other_result_cb, other);
  result = other_wait (other);
  g_assert_true (sc_counter_login_finish (other->counter, result, &error));
  g_assert_no_error (error);
}

static char *
other_counter_redeem (OtherCounter *other,
                      const char   *code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScRedemption) redemption = NULL;

  sc_counter_lookup_async (other->counter, code, NULL, other_result_cb, other);
  result = other_wait (other);
  verdict = sc_counter_lookup_finish (other->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_false (sc_verdict_get_offline (verdict));
  g_clear_object (&result);

  sc_counter_redeem_async (other->counter, verdict, -1, "scanner", NULL, other_result_cb,
                           other);
  result = other_wait (other);
  redemption = sc_counter_redeem_finish (other->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (redemption->state, ==, SC_REDEMPTION_STATE_SYNCED);
  return g_strdup (redemption->id);
}

static void
other_counter_stop (OtherCounter *other)
{
  SC_TEST_WAIT_FOR (sc_counter_is_idle (other->counter));
  g_assert_finalize_object (g_steal_pointer (&other->counter));
  g_assert_finalize_object (g_steal_pointer (&other->cache));
}

static char *
format_code (const char *code)
{
  return g_strdup_printf ("%.4s %.4s %.4s", code, code + 4, code + 8);
}

/* The dialog's rows, read from its list ("list_box"). */
static GtkWidget *
conflict_row (ScConflictsDialog *dialog,
              guint              index)
{
  GtkListBox *list = GTK_LIST_BOX (sc_test_ui_child (dialog, "list_box"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) index);

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

/* The text of every label shown in @widget but in its buttons, a line each. */
static void
collect_shown_labels (GtkWidget *widget,
                      GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_BUTTON (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      collect_shown_labels (child, out);
}

static char *
dup_conflict_text (ScConflictsDialog *dialog,
                   guint              index)
{
  GString *out = g_string_new (NULL);

  collect_shown_labels (conflict_row (dialog, index), out);
  return g_string_free (out, FALSE);
}

/* Row @index's "Acknowledge" button (hidden once acknowledged). */
static GtkWidget *
acknowledge_button (ScConflictsDialog *dialog,
                    guint              index)
{
  GtkWidget *button = sc_test_ui_find (conflict_row (dialog, index), GTK_TYPE_BUTTON);

  g_assert_nonnull (button);
  return button;
}

/* Row @index shows "Acknowledged …". */
static gboolean
conflict_acknowledged (ScConflictsDialog *dialog,
                       guint              index)
{
  g_autofree char *text = dup_conflict_text (dialog, index);

  return g_str_has_prefix (text, "Acknowledged") || strstr (text, "\nAcknowledged") != NULL;
}

static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = pickup_codes (fixture, 2);
  g_autoptr(GPtrArray) other_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OtherCounter other = { NULL, NULL, NULL };
  ScCounter *counter;
  ScBanner *banner;
  ScConflictsDialog *dialog;
  GtkWidget *redeem;
  const char *tooltip;

  g_test_summary ("Two codes redeemed here offline from the codes list, redeemed at another "
                  "till meanwhile: once sync reaches the platform the banner counts 2, Review "
                  "lists each with the platform's where, when and who, acknowledging them "
                  "hides the banner, and the cache keeps both with the time acknowledged");

  sc_test_ui_log_in_ok (fixture->window);
  counter = sc_test_ui_counter (fixture->window);
  banner = fixture->banner;
  SC_TEST_WAIT_FOR (sc_counter_get_manifest_fetched_at (counter) > 0);
  g_assert_false (sc_banner_get_revealed (banner));
  g_assert_cmpuint (sc_counter_get_conflicts (counter), ==, 0);

  /* The other till redeems both codes; this counter's codes list was
   * fetched at login and does not know yet. */
  other_counter_start (fixture, &other);
  for (guint i = 0; i < codes->len; i++)
    g_ptr_array_add (other_ids, other_counter_redeem (&other, g_ptr_array_index (codes, i)));
  other_counter_stop (&other);

  /* The network goes; this counter decides from its codes list. */
  sc_test_platform_kill (fixture->platform);
  redeem = sc_test_ui_child (fixture->card, "redeem_button");
  for (guint i = 0; i < codes->len; i++)
    {
      guint done;

      sc_test_ui_submit (fixture->scan, g_ptr_array_index (codes, i));
      g_assert_true (sc_verdict_get_offline (sc_verdict_card_get_verdict (fixture->card)));
      g_assert_cmpint (sc_verdict_get_status (sc_verdict_card_get_verdict (fixture->card)), ==,
                       SC_VERDICT_STATUS_REDEEMABLE);
      done = sc_test_ui_n_completed (fixture->scan);
      g_assert_true (gtk_widget_activate (redeem));
      SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
    }
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 2);
  g_assert_true (g_str_has_prefix (sc_status_chip_get_text (fixture->chip), "Offline"));
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->chip));
  g_assert_nonnull (strstr (tooltip, "Offline: the platform cannot be reached"));
  g_assert_nonnull (strstr (tooltip, "2 redemptions are saved here but not sent yet"));
  g_assert_false (sc_banner_get_revealed (banner));

  /* The platform is back; sync runs and is refused twice. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  sc_counter_sync_async (counter, NULL, other_result_cb, &other);
  result = other_wait (&other);
  g_assert_cmpuint (sc_counter_sync_finish (counter, result, &error), ==, 2);
  g_assert_no_error (error);
  SC_TEST_WAIT_FOR (sc_counter_get_conflicts (counter) == 2);
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 0);

  g_assert_true (sc_banner_get_revealed (banner));
  g_assert_cmpstr (sc_banner_get_title (banner), ==,
                   "2 codes redeemed here had already been redeemed elsewhere");
  g_assert_cmpstr (sc_banner_get_button_label (banner), ==, "_Review");
  g_assert_cmpstr (sc_status_chip_get_text (fixture->chip), ==, "Online");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.clear",
                                             NULL));
  sc_test_ui_save_png (GTK_WIDGET (fixture->window), "conflicts-banner-en", 20);

  /* Review */
  g_assert_true (gtk_widget_activate (sc_banner_get_button (banner)));
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_CONFLICTS_DIALOG) != NULL);
  dialog = SC_CONFLICTS_DIALOG (sc_test_ui_dialog (fixture->window, SC_TYPE_CONFLICTS_DIALOG));
  SC_TEST_WAIT_FOR (sc_test_ui_get_boolean (dialog, "loaded"));
  g_assert_cmpuint (sc_test_ui_n_rows (GTK_LIST_BOX (sc_test_ui_child (dialog, "list_box"))),
                    ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      /* Newest first: the second code redeemed here is on top. */
      const char *code = g_ptr_array_index (codes, 1 - i);
      g_autofree char *text = dup_conflict_text (dialog, i);
      g_autofree char *spaced = format_code (code);

      g_test_message ("Row %u:\n%s", i, text);
      g_assert_nonnull (strstr (text, spaced));
      g_assert_nonnull (strstr (text, "Pickup"));
      /* What this counter did */
      g_assert_nonnull (strstr (text, "This counter"));
      g_assert_true (g_regex_match_simple ("Redeemed [0-2][0-9]:[0-5][0-9] by 王芳, offline",
                                           text, 0, 0));
      /* The platform's record: where, when (HH:MM), by whom */
      g_assert_nonnull (strstr (text, "Platform"));
      g_assert_nonnull (strstr (text, "at 示范自提点 by 李强"));
      g_assert_true (g_regex_match_simple ("Redeemed [0-2][0-9]:[0-5][0-9] at 示范自提点",
                                           text, 0, 0));
      g_assert_false (conflict_acknowledged (dialog, i));
    }
  sc_test_ui_save_png (GTK_WIDGET (dialog), "conflicts-dialog-en", 20);

  /* Acknowledge one: the banner counts the other. */
  g_assert_true (gtk_widget_activate (acknowledge_button (dialog, 0)));
  SC_TEST_WAIT_FOR (conflict_acknowledged (dialog, 0));
  SC_TEST_WAIT_FOR (sc_counter_get_conflicts (counter) == 1);
  g_assert_false (gtk_widget_get_visible (acknowledge_button (dialog, 0)));
  g_assert_true (sc_banner_get_revealed (banner));
  g_assert_cmpstr (sc_banner_get_title (banner), ==,
                   "1 code redeemed here had already been redeemed elsewhere");

  g_assert_true (gtk_widget_activate (acknowledge_button (dialog, 1)));
  SC_TEST_WAIT_FOR (sc_counter_get_conflicts (counter) == 0);
  SC_TEST_WAIT_FOR (conflict_acknowledged (dialog, 1));
  g_assert_false (sc_banner_get_revealed (banner));
  {
    g_autofree char *text = dup_conflict_text (dialog, 1);

    g_assert_nonnull (strstr (text, "Acknowledged "));
  }
  sc_test_ui_save_png (GTK_WIDGET (dialog), "conflicts-dialog-acknowledged-en", 20);
  gtk_window_close (GTK_WINDOW (dialog));
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->window, SC_TYPE_CONFLICTS_DIALOG) == NULL);

  /* The cache keeps both, acknowledged, with the platform's record. */
  g_clear_object (&result);
  sc_cache_list_conflicts_async (sc_counter_get_cache (counter), "1001", 0, NULL,
                                 other_result_cb, &other);
  result = other_wait (&other);
  kept = sc_cache_list_conflicts_finish (sc_counter_get_cache (counter), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 2);
  for (guint i = 0; i < kept->len; i++)
    {
      const ScConflict *conflict = g_ptr_array_index (kept, i);
      const ScRedeemedInfo *winner;

      g_assert_cmpint (conflict->redemption->state, ==, SC_REDEMPTION_STATE_CONFLICT);
      g_assert_cmpstr (conflict->redemption->code, ==, g_ptr_array_index (codes, 1 - i));
      g_assert_true (conflict->redemption->offline);
      g_assert_cmpint (conflict->acknowledged_at, >, 0);
      g_assert_cmpint (conflict->conflict_at, >, 0);
      g_assert_nonnull (conflict->platform);
      winner = sc_verdict_get_redeemed (conflict->platform);
      g_assert_nonnull (winner);
      g_assert_cmpstr (winner->redemption_id, ==, g_ptr_array_index (other_ids, 1 - i));
      g_assert_cmpstr (winner->store_name, ==, "示范自提点");
      g_assert_cmpstr (winner->clerk_id, ==, "2");
      g_assert_cmpstr (winner->clerk_name, ==, "李强");
      g_assert_nonnull (winner->at);
    }
}

static void
test_freshness (Fixture       *fixture,
                gconstpointer  data)
{
  ScCounter *counter;
  gint64 fetched_at;
  const char *tooltip;

  g_test_summary ("After login the codes list says updated just now; 5 minutes on it says "
                  "so; 25 hours on it warns (style, icon and words); the chip's tooltip "
                  "explains online");

  sc_test_ui_log_in_ok (fixture->window);
  counter = sc_test_ui_counter (fixture->window);
  SC_TEST_WAIT_FOR (sc_counter_get_manifest_fetched_at (counter) > 0);
  fetched_at = sc_counter_get_manifest_fetched_at (counter);

  SC_TEST_WAIT_FOR (g_strcmp0 (sc_freshness_get_text (fixture->freshness),
                               "Codes list: just now") == 0);
  g_assert_false (sc_freshness_get_warning (fixture->freshness));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->freshness)),
                                   "Codes list updated just now."));

  sc_freshness_update (fixture->freshness, fetched_at + 5 * 60 + 10);
  g_assert_cmpstr (sc_freshness_get_text (fixture->freshness), ==,
                   "Codes list: 5 min ago");
  g_assert_false (sc_freshness_get_warning (fixture->freshness));

  sc_freshness_update (fixture->freshness, fetched_at + 3 * 3600 + 10);
  g_assert_cmpstr (sc_freshness_get_text (fixture->freshness), ==,
                   "Codes list: 3 h ago");
  g_assert_false (sc_freshness_get_warning (fixture->freshness));

  sc_freshness_update (fixture->freshness, fetched_at + 25 * 3600);
  g_assert_cmpstr (sc_freshness_get_text (fixture->freshness), ==,
                   "Codes list 25 h old");
  g_assert_true (sc_freshness_get_warning (fixture->freshness));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->freshness)),
                                   "Codes list is 25 hours old: connect to update."));
  sc_test_ui_save_png (GTK_WIDGET (fixture->window), "freshness-stale-en", 20);
  /* Narrow: the view switcher moves to the bottom, the chip stays. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 560);
  sc_banner_show (fixture->banner, "test",
                  "A long banner that has to wrap onto a second line in a narrow window",
                  "_Open", "window.about");
  sc_test_ui_save_png (GTK_WIDGET (fixture->window), "freshness-stale-narrow-en", 20);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <, 800);
  sc_banner_hide (fixture->banner, "test");

  /* Back to the real clock. */
  sc_freshness_update (fixture->freshness, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_false (sc_freshness_get_warning (fixture->freshness));

  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->chip));
  g_assert_cmpstr (tooltip, ==, "Online: codes are checked with the platform.");
}

static void
relogin (Fixture *fixture)
{
  ScCounter *counter = sc_test_ui_counter (fixture->window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OtherCounter wait = { 0 };

  sc_counter_login_async (counter, "1001", "1", "1234", NULL, other_result_cb, &wait);
  result = other_wait (&wait);
  g_assert_true (sc_counter_login_finish (counter, result, &error));
  g_assert_no_error (error);
}

static void
test_clock (Fixture       *fixture,
            gconstpointer  data)
{
  ScBanner *banner = fixture->banner;

  g_test_summary ("A clock more than 2 min off the platform's shows a banner saying how far "
                  "and which way; a right clock hides it");

  sc_test_platform_set_clock (fixture->platform, 300);
  sc_test_ui_log_in_ok (fixture->window);
  SC_TEST_WAIT_FOR (sc_banner_get_revealed (banner));
  g_assert_nonnull (strstr (sc_banner_get_title (banner), "5 minutes slow"));
  g_assert_null (sc_banner_get_button_label (banner));
  sc_test_ui_save_png (GTK_WIDGET (fixture->window), "clock-banner-en", 20);

  sc_test_platform_set_clock (fixture->platform, -420);
  relogin (fixture);
  SC_TEST_WAIT_FOR (strstr (sc_banner_get_title (banner), "7 minutes fast") != NULL);

  sc_test_platform_set_clock (fixture->platform, 60);
  relogin (fixture);
  SC_TEST_WAIT_FOR (!sc_banner_get_revealed (banner));
}

/* Logs clerk @clerk of store 1001 in through the login page. */
static void
log_in_as (ScWindow   *window,
           const char *clerk)
{
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "login") == 0);
  sc_test_ui_press_log_in (window, clerk, "1234");
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "main") == 0);
}

/* The platform's record of redemption @id: HTTP status, and its clerk. */
static guint
platform_record (Fixture     *fixture,
                 const char  *id,
                 char       **out_clerk)
{
  g_autofree char *path = g_strconcat ("/v1/redemptions/", id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (fixture->platform, "1001", "1", &error);
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  g_assert_no_error (error);
  answer = sc_test_platform_request (fixture->platform, "GET", path, token, NULL, NULL, &status,
                                     &error);
  g_assert_no_error (error);
  *out_clerk = status == 200 ? g_strdup (json_object_get_string_member (answer, "clerk_id"))
                             : NULL;
  return status;
}

static void
test_waiting_for_clerk (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = pickup_codes (fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *clerk = NULL;
  ScCounter *counter;
  GtkWidget *redeem;
  const char *tooltip;
  guint done;

  g_test_summary ("A redemption clerk 1 made offline waits for clerk 1: after clerk 2 logs "
                  "in on this counter nothing is sent, the chip says 1 waits for another "
                  "clerk and the tooltip names store and clerk; once clerk 1 is back it goes, "
                  "credited to clerk 1");

  sc_test_ui_log_in_ok (fixture->window);
  counter = sc_test_ui_counter (fixture->window);
  SC_TEST_WAIT_FOR (sc_counter_get_manifest_fetched_at (counter) > 0);

  sc_test_platform_kill (fixture->platform);
  sc_test_ui_submit (fixture->scan, g_ptr_array_index (codes, 0));
  g_assert_true (sc_verdict_get_offline (sc_verdict_card_get_verdict (fixture->card)));
  redeem = sc_test_ui_child (fixture->card, "redeem_button");
  done = sc_test_ui_n_completed (fixture->scan);
  g_assert_true (gtk_widget_activate (redeem));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done);
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 1);
  id = g_strdup (sc_test_ui_get_string (fixture->scan, "last-redemption-id"));
  g_assert_nonnull (id);

  /* The platform is back; clerk 2 takes over this counter. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.logout",
                                             NULL));
  log_in_as (fixture->window, "2");
  SC_TEST_WAIT_FOR (sc_counter_get_online (counter) && sc_counter_is_idle (counter));
  g_assert_cmpuint (platform_record (fixture, id, &clerk), ==, 404);
  SC_TEST_WAIT_FOR (sc_counter_get_waiting (counter) == 1);
  g_assert_cmpuint (sc_counter_get_unsynced (counter), ==, 1);
  g_test_message ("chip: %s", sc_status_chip_get_text (fixture->chip));
  g_assert_cmpstr (sc_status_chip_get_text (fixture->chip), ==,
                   "Online · 1 waiting for another clerk");
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->chip));
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (strstr (tooltip, "1 redemption by clerk 1 of store 1001 waits for them to "
                                     "log in here"));
  g_assert_null (strstr (tooltip, "saved here but not sent yet"));

  /* Clerk 1 again: it goes, as clerk 1's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.logout",
                                             NULL));
  log_in_as (fixture->window, "1");
  SC_TEST_WAIT_FOR (sc_counter_get_unsynced (counter) == 0);
  SC_TEST_WAIT_FOR (sc_counter_get_waiting (counter) == 0);
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_status_chip_get_text (fixture->chip), "Online") == 0);
  g_assert_cmpuint (platform_record (fixture, id, &clerk), ==, 200);
  g_assert_cmpstr (clerk, ==, "1");
}

static void
test_banner_stack (Fixture       *fixture,
                   gconstpointer  data)
{
  ScBanner *banner = fixture->banner;

  g_test_summary ("Banners by id: the newest shown is on screen, showing an id again "
                  "updates it in place, hiding one brings back the one before");

  g_assert_false (sc_banner_get_revealed (banner));
  sc_banner_show (banner, "a", "First", "_Open", "window.about");
  g_assert_true (sc_banner_get_revealed (banner));
  g_assert_cmpstr (sc_banner_get_title (banner), ==, "First");
  g_assert_cmpstr (sc_banner_get_action_name (banner), ==, "window.about");
  sc_banner_show (banner, "b", "Second", NULL, NULL);
  g_assert_cmpstr (sc_banner_get_title (banner), ==, "Second");
  g_assert_null (sc_banner_get_button_label (banner));
  g_assert_false (gtk_widget_get_visible (sc_banner_get_button (banner)));
  sc_banner_show (banner, "a", "First again", "_Open", "window.about");
  g_assert_cmpstr (sc_banner_get_title (banner), ==, "Second");
  sc_banner_hide (banner, "b");
  g_assert_cmpstr (sc_banner_get_title (banner), ==, "First again");
  g_assert_cmpstr (sc_banner_get_button_label (banner), ==, "_Open");
  g_assert_true (gtk_widget_get_visible (sc_banner_get_button (banner)));
  sc_banner_hide (banner, "nothing");
  g_assert_true (sc_banner_get_revealed (banner));
  sc_banner_hide (banner, "a");
  g_assert_false (sc_banner_get_revealed (banner));
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/sync/conflicts", test_conflicts);
  SC_TEST_UI_ADD ("/ui/sync/freshness", test_freshness);
  SC_TEST_UI_ADD ("/ui/sync/banner-stack", test_banner_stack);
  SC_TEST_UI_ADD ("/ui/sync/clock", test_clock);
  SC_TEST_UI_ADD ("/ui/sync/waiting-for-clerk", test_waiting_for_clerk);

  return sc_test_ui_run ();
}
