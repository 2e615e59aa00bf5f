/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Preferences window and the feedback after a scan (DESIGN §9-10), in
 * the real window against a real store-counter-platform, under Xvfb: each
 * setting changes what the window does, at once; a bad platform address is
 * refused in words; a verdict flashes the card and, with sounds on, asks for
 * one sound for a redeemable code and another for a negative verdict. The
 * fixture and helpers follow test-window.c. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libglib-testing/signal-logger.h>

#include "sc-application.h"
#include "sc-camera.h"
#include "sc-counter.h"
#include "sc-login-page.h"
#include "sc-preferences-window.h"
#include "sc-scan-page-private.h"
#include "sc-sound-player.h"
#include "sc-test-frames.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

typedef struct
{
  ScTestPlatform *platform;
  GSettings      *settings;
  ScWindow       *window;
  ScScanPage     *scan;
  ScVerdictCard  *card;
  ScCameraView   *camera_view;
  char           *tmpdir;   /* (owned) camera frames */
} Fixture;

/* The keys these tests change; reset before each test (the memory backend
 * lives as long as the process). */
static const char *keys[] = {
  "platform-url", "auto-redeem-pickup", "sounds", "camera-enabled", "camera-device",
  "scanner-prefix", "scanner-suffix",
};

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static const ScTestUiOptions options = { .no_admin_token = TRUE };
  g_autoptr(GError) error = NULL;

  fixture->settings = g_settings_new (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);
  /* Also sounds off, until a test turns them on. */
  fixture->platform = sc_test_ui_platform_start (NULL);
  fixture->tmpdir = g_dir_make_tmp ("sc-test-preferences-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->window = sc_test_ui_window_open (fixture->platform, &options);
  fixture->scan = sc_window_get_scan_page (fixture->window);
  fixture->card = sc_test_ui_card (fixture->scan);
  fixture->camera_view = sc_test_ui_camera_view (fixture->scan);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
  g_clear_object (&fixture->settings);
  sc_test_ui_remove_dir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

/* A code as @source ("scanner", "camera", "keyboard") would submit it;
 * waits for the answer (and a redemption it starts, when @n_more is 1). */
static void
submit_from (Fixture    *fixture,
             const char *code,
             const char *source,
             guint       n_more)
{
  guint done = sc_test_ui_n_completed (fixture->scan);

  sc_scan_page_submit (fixture->scan, code, source);
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->scan) > done + n_more);
}

static ScPreferencesWindow *
open_preferences (Fixture *fixture)
{
  return sc_test_ui_open_preferences (fixture->window);
}

static void
close_preferences (Fixture *fixture)
{
  GtkWindow *preferences = sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW);

  gtk_window_destroy (preferences);
  g_assert_null (sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW));
}

/* Writes @count plain frames (no code) into the fixture's folder; returns
 * the camera spec that reads them. */
static char *
write_frames (Fixture *fixture,
              guint    count)
{
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(ScTestFrame) frame = sc_test_frame_new_empty (i, 320, 240);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("frame-%03u.png", i);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_true (sc_test_frame_save (frame, path, "png", &error));
      g_assert_no_error (error);
    }
  return g_strconcat ("files:", fixture->tmpdir, NULL);
}

/* The name of the action that @accelerator triggers in @widget's shortcut
 * controllers, or NULL. */
static char *
shortcut_action (GtkWidget  *widget,
                 const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted) &&
              GTK_IS_NAMED_ACTION (action))
            return g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
        }
    }
  return NULL;
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  ScPreferencesWindow *preferences;
  g_autoptr(GBytes) overlay = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *action = NULL;

  g_test_summary ("Preferences opens from its action (Ctrl+comma, listed in the shortcuts "
                  "window) over the counter window, shows the settings as they are, writes "
                  "the scanner prefix and suffix back, and opens once");

  g_settings_set_boolean (fixture->settings, "auto-redeem-pickup", TRUE);
  g_settings_set_string (fixture->settings, "scanner-suffix", "#");

  preferences = open_preferences (fixture);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) ==
                 GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (preferences)));
  g_assert_true (sc_test_ui_get_boolean (sc_test_ui_child (preferences, "auto_redeem_switch"),
                                         "active"));
  g_assert_false (sc_test_ui_get_boolean (sc_test_ui_child (preferences, "sounds_switch"),
                                          "active"));
  g_assert_true (sc_test_ui_get_boolean (sc_test_ui_child (preferences, "camera_switch"),
                                         "active"));
  g_assert_cmpstr (sc_test_ui_get_string (sc_test_ui_child (preferences, "url_row"), "text"), ==,
                   "http://127.0.0.1:8080");
  g_assert_cmpstr (sc_test_ui_get_string (sc_test_ui_child (preferences, "suffix_row"), "text"),
                   ==, "#");
  g_assert_false (gtk_widget_get_visible (sc_test_ui_child (preferences, "url_error_label")));

  gtk_editable_set_text (GTK_EDITABLE (sc_test_ui_child (preferences, "prefix_row")), "]Q1");
  prefix = g_settings_get_string (fixture->settings, "scanner-prefix");
  g_assert_cmpstr (prefix, ==, "]Q1");

  /* Again: the same window comes forward. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.preferences",
                                             NULL));
  g_assert_true (sc_test_ui_dialog (fixture->window, SC_TYPE_PREFERENCES_WINDOW)
                 == GTK_WINDOW (preferences));
  close_preferences (fixture);

  action = shortcut_action (GTK_WIDGET (fixture->window), "<Control>comma");
  g_assert_cmpstr (action, ==, "window.preferences");
  overlay = g_resources_lookup_data (SC_RESOURCE_PATH "/gtk/help-overlay.ui",
                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (overlay);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (overlay, NULL), g_bytes_get_size (overlay),
                                  "&lt;Primary&gt;comma"));
}

static void
test_auto_redeem (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *status = NULL;
  ScPreferencesWindow *preferences;
  GtkSwitch *auto_redeem;

  g_test_summary ("Turning on Redeem pickup codes on scan in Preferences makes the next "
                  "scan of a valid pickup code redeem it without a press");

  sc_test_ui_log_in_ok (fixture->window);
  preferences = open_preferences (fixture);
  auto_redeem = GTK_SWITCH (sc_test_ui_child (preferences, "auto_redeem_switch"));
  g_assert_false (gtk_switch_get_active (auto_redeem));

  /* Off: the code is shown, not redeemed. */
  submit_from (fixture, code, "scanner", 0);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_null (sc_test_ui_get_string (fixture->scan, "last-redemption-id"));
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemable");
  g_clear_pointer (&status, g_free);

  /* On, through the switch: the same code again is redeemed at once. */
  gtk_switch_set_active (auto_redeem, TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "auto-redeem-pickup"));
  submit_from (fixture, code, "scanner", 1);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==, "Redeemed");
  g_assert_nonnull (sc_test_ui_get_string (fixture->scan, "last-redemption-id"));
  status = sc_test_ui_platform_status (fixture->platform, code);
  g_assert_cmpstr (status, ==, "redeemed");

  close_preferences (fixture);
}

static void
test_camera_off (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *spec = write_frames (fixture, 4);
  g_autofree char *device = NULL;
  g_auto(GStrv) specs = NULL;
  ScPreferencesWindow *preferences;
  AdwComboRow *camera_row;
  GtkSwitch *camera_switch;
  ScCamera *camera;
  guint n_items;
  guint index = G_MAXUINT;

  g_test_summary ("The Scan page's camera follows the settings at once: turning the camera "
                  "off in Preferences stops it, on starts it again, another choice in the "
                  "camera list restarts it with that device; a --camera override wins");

  g_settings_set_string (fixture->settings, "camera-device", spec);
  sc_window_start_camera (fixture->window, NULL);
  sc_test_ui_log_in_ok (fixture->window);
  camera = sc_camera_view_get_camera (fixture->camera_view);
  g_assert_nonnull (camera);
  g_assert_cmpstr (sc_camera_get_spec (camera), ==, spec);
  SC_TEST_WAIT_FOR (sc_camera_is_running (camera) &&
                    sc_camera_view_get_status (fixture->camera_view) == NULL);

  preferences = open_preferences (fixture);
  camera_switch = GTK_SWITCH (sc_test_ui_child (preferences, "camera_switch"));
  camera_row = ADW_COMBO_ROW (sc_test_ui_child (preferences, "camera_row"));
  SC_TEST_WAIT_FOR (sc_test_ui_get_boolean (preferences, "devices-loaded"));

  /* The list: the first camera found, the devices there are, and the saved
   * folder, which is selected. */
  n_items = g_list_model_get_n_items (adw_combo_row_get_model (camera_row));
  g_assert_cmpuint (n_items, >=, 2);
  g_object_get (preferences, "camera-specs", &specs, NULL);
  g_assert_cmpuint (g_strv_length (specs), ==, n_items);
  g_assert_cmpstr (specs[0], ==, "");
  for (guint i = 0; i < n_items; i++)
    if (g_strcmp0 (specs[i], spec) == 0)
      index = i;
  g_assert_cmpuint (index, ==, n_items - 1);
  g_assert_cmpuint (adw_combo_row_get_selected (camera_row), ==, index);
  g_assert_null (specs[n_items]);
  {
    GtkStringObject *item = g_list_model_get_item (adw_combo_row_get_model (camera_row), index);

    g_assert_nonnull (strstr (gtk_string_object_get_string (item), fixture->tmpdir));
    g_object_unref (item);
  }

  /* Off: the camera stops and goes; the placeholder says so. */
  gtk_switch_set_active (camera_switch, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "camera-enabled"));
  g_assert_null (sc_camera_view_get_camera (fixture->camera_view));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->camera_view), "USB scanner"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (camera_row)));

  /* On again: the same folder. */
  gtk_switch_set_active (camera_switch, TRUE);
  camera = sc_camera_view_get_camera (fixture->camera_view);
  g_assert_nonnull (camera);
  g_assert_cmpstr (sc_camera_get_spec (camera), ==, spec);
  SC_TEST_WAIT_FOR (sc_camera_is_running (camera) &&
                    sc_camera_view_get_status (fixture->camera_view) == NULL);

  /* "First camera found": the setting and the page's camera follow. */
  adw_combo_row_set_selected (camera_row, 0);
  device = g_settings_get_string (fixture->settings, "camera-device");
  g_assert_cmpstr (device, ==, "");
  camera = sc_camera_view_get_camera (fixture->camera_view);
  g_assert_nonnull (camera);
  g_assert_cmpstr (sc_camera_get_spec (camera), ==, "");

  /* A change made elsewhere shows in the row, and the camera follows. */
  g_settings_set_string (fixture->settings, "camera-device", spec);
  g_clear_pointer (&specs, g_strfreev);
  g_object_get (preferences, "camera-specs", &specs, NULL);
  g_assert_cmpstr (specs[adw_combo_row_get_selected (camera_row)], ==, spec);
  g_assert_cmpstr (sc_camera_get_spec (sc_camera_view_get_camera (fixture->camera_view)), ==, spec);
  close_preferences (fixture);

  /* --camera=off wins over the settings for the window's life. */
  sc_window_start_camera (fixture->window, "off");
  g_assert_null (sc_camera_view_get_camera (fixture->camera_view));
  g_settings_set_string (fixture->settings, "camera-device", spec);
  g_settings_set_boolean (fixture->settings, "camera-enabled", FALSE);
  g_settings_set_boolean (fixture->settings, "camera-enabled", TRUE);
  g_assert_null (sc_camera_view_get_camera (fixture->camera_view));
}

static void
apply_url (ScPreferencesWindow *preferences,
           const char          *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (sc_test_ui_child (preferences, "url_row"));

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static void
assert_url_refused (Fixture             *fixture,
                    ScPreferencesWindow *preferences,
                    const char          *text,
                    const char          *words)
{
  GtkLabel *error = GTK_LABEL (sc_test_ui_child (preferences, "url_error_label"));
  g_autofree char *saved = NULL;

  apply_url (preferences, text);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (error), words));
  g_assert_true (gtk_widget_has_css_class (sc_test_ui_child (preferences, "url_row"), "error"));
  saved = g_settings_get_string (fixture->settings, "platform-url");
  g_assert_cmpstr (saved, ==, "http://127.0.0.1:8080");
}

static void
test_platform_url (Fixture       *fixture,
                   gconstpointer  data)
{
  ScPreferencesWindow *preferences;
  GtkLabel *error;
  g_autofree char *saved = NULL;

  g_test_summary ("A platform address that is not http or https is refused with words that "
                  "say what to enter, and not saved; editing clears the message; a good "
                  "address is saved for the next start");

  preferences = open_preferences (fixture);
  error = GTK_LABEL (sc_test_ui_child (preferences, "url_error_label"));

  assert_url_refused (fixture, preferences, "ftp://platform.example.com", "https://");
  assert_url_refused (fixture, preferences, "ftp://platform.example.com", "ftp://");
  assert_url_refused (fixture, preferences, "platform.example.com", "https://");
  assert_url_refused (fixture, preferences, "http://", "https://");
  assert_url_refused (fixture, preferences, "  ", "example.com");
  assert_url_refused (fixture, preferences, "https://platform.example.com/?store=1", "?");

  /* Typing again takes the message away. */
  gtk_editable_set_text (GTK_EDITABLE (sc_test_ui_child (preferences, "url_row")),
                         "https://platform.example");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  apply_url (preferences, " https://platform.example.com/ ");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_false (gtk_widget_has_css_class (sc_test_ui_child (preferences, "url_row"), "error"));
  saved = g_settings_get_string (fixture->settings, "platform-url");
  g_assert_cmpstr (saved, ==, "https://platform.example.com/");
  close_preferences (fixture);
}

/* The message dialog over @preferences, if one is open. */
static AdwMessageDialog *
find_message_dialog (ScPreferencesWindow *preferences)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (preferences) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* What a click on the dialog's button @label does. */
static void
click (AdwMessageDialog *dialog,
       const char       *label)
{
  GtkWidget *button = sc_test_ui_find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_saved_url (Fixture    *fixture,
                  const char *expected)
{
  g_autofree char *saved = g_settings_get_string (fixture->settings, "platform-url");

  g_assert_cmpstr (saved, ==, expected);
}

static void
test_insecure_url (Fixture       *fixture,
                   gconstpointer  data)
{
  ScPreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  GtkLabel *error;

  g_test_summary ("A plain http:// address of another computer is kept only once the clerk "
                  "confirms it in a dialog that says PINs and codes would cross the network "
                  "readable by anyone; https:// and loopback http:// are kept at once");

  preferences = open_preferences (fixture);
  error = GTK_LABEL (sc_test_ui_child (preferences, "url_error_label"));

  /* Cancel: nothing kept, the address stays in the row with a word why. */
  apply_url (preferences, "http://192.0.2.1:8080");
  assert_saved_url (fixture, "http://127.0.0.1:8080");
  dialog = find_message_dialog (preferences);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "unencrypted"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "readable by anyone"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "insecure"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  click (dialog, "_Cancel");
  SC_TEST_WAIT_FOR (find_message_dialog (preferences) == NULL);
  assert_saved_url (fixture, "http://127.0.0.1:8080");
  g_assert_cmpstr (sc_test_ui_get_string (sc_test_ui_child (preferences, "url_row"), "text"), ==,
                   "http://192.0.2.1:8080");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (error), "https://"));

  /* Confirmed: kept. */
  apply_url (preferences, "http://192.0.2.1:8080");
  dialog = find_message_dialog (preferences);
  g_assert_nonnull (dialog);
  assert_saved_url (fixture, "http://127.0.0.1:8080");
  click (dialog, "_Use Unencrypted");
  SC_TEST_WAIT_FOR (find_message_dialog (preferences) == NULL);
  assert_saved_url (fixture, "http://192.0.2.1:8080");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  /* https:// and loopback http:// without a question. */
  apply_url (preferences, "https://192.0.2.1:8443");
  g_assert_null (find_message_dialog (preferences));
  assert_saved_url (fixture, "https://192.0.2.1:8443");
  apply_url (preferences, "http://127.0.0.1:9");
  g_assert_null (find_message_dialog (preferences));
  assert_saved_url (fixture, "http://127.0.0.1:9");
  apply_url (preferences, "http://localhost:9");
  g_assert_null (find_message_dialog (preferences));
  assert_saved_url (fixture, "http://localhost:9");
  close_preferences (fixture);
}

/* Zero crossings per second of a 16-bit mono WAV resource: its pitch,
 * roughly. */
static double
crossings_per_second (const char *name)
{
  g_autofree char *path = g_strconcat (SC_RESOURCE_PATH "/sounds/", name, ".wav", NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const guint8 *data;
  gsize size;
  guint32 rate;
  gsize n_samples;
  guint crossings = 0;
  gint16 previous = 0;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, >, 44 + 2000);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpmem (data + 36, 4, "data", 4);
  rate = data[24] | data[25] << 8 | data[26] << 16 | (guint32) data[27] << 24;
  g_assert_cmpuint (rate, >=, 8000);
  n_samples = (size - 44) / 2;
  for (gsize i = 0; i < n_samples; i++)
    {
      gint16 sample = (gint16) (data[44 + 2 * i] | data[45 + 2 * i] << 8);

      if ((previous < 0 && sample >= 0) || (previous >= 0 && sample < 0))
        crossings++;
      if (sample != 0)
        previous = sample;
    }
  return crossings * (double) rate / n_samples;
}

/* What the page's "feedback" signal told so far: every flash of the card,
 * the sounds asked for, and the last one (SC_SOUND_*, NULL before the
 * first). */
typedef struct
{
  guint       n_feedback;
  guint       n_sounds;
  const char *last_sound;  /* interned */
} Feedback;

/* Adds the "feedback" emissions @logger saw on the page to @feedback. */
static void
count_feedback (Fixture        *fixture,
                GtSignalLogger *logger,
                Feedback       *feedback)
{
  while (gt_signal_logger_get_n_emissions (logger) > 0)
    {
      g_autofree char *sound = NULL;

      gt_signal_logger_assert_emission_pop (logger, fixture->scan, "feedback", &sound);
      feedback->n_feedback++;
      if (sound != NULL)
        {
          feedback->n_sounds++;
          feedback->last_sound = g_intern_string (sound);
        }
    }
}

static void
test_feedback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *redeemable = sc_test_ui_demo_code (fixture->platform, "redeemable", "pickup");
  g_autofree char *expired = sc_test_ui_demo_code (fixture->platform, "expired", "pickup");
  double ok_pitch;
  double error_pitch;
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  Feedback feedback = { 0, };
  g_autoptr(ScSoundPlayer) player = NULL;
  guint n_feedback;

  g_test_summary ("A verdict flashes the card; with sounds on, a scanned or camera code asks "
                  "for one sound when redeemable and another when not (a typed one for "
                  "none); with sounds off no sound is asked for and no media stream made; "
                  "the two sounds are real WAV tones of different pitch");

  /* The two tones differ: a high chime, a low buzz. */
  ok_pitch = crossings_per_second (SC_SOUND_SCAN_OK);
  error_pitch = crossings_per_second (SC_SOUND_SCAN_ERROR);
  g_assert_cmpfloat (ok_pitch, >, 2 * error_pitch);

  sc_test_ui_log_in_ok (fixture->window);
  g_settings_set_boolean (fixture->settings, "sounds", TRUE);
  gt_signal_logger_connect (logger, fixture->scan, "feedback");
  g_object_get (fixture->scan, "sound-player", &player, NULL);
  g_assert_cmpuint (gt_signal_logger_get_n_emissions (logger), ==, 0);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 0);

  submit_from (fixture, redeemable, "scanner", 0);
  count_feedback (fixture, logger, &feedback);
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-success");
  g_assert_true (sc_test_ui_card_flashing (fixture->card));
  g_assert_cmpuint (feedback.n_feedback, ==, 1);
  g_assert_cmpuint (feedback.n_sounds, ==, 1);
  g_assert_cmpstr (feedback.last_sound, ==, SC_SOUND_SCAN_OK);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 1);

  /* The flash is brief. */
  SC_TEST_WAIT_FOR (!sc_test_ui_card_flashing (fixture->card));

  submit_from (fixture, expired, "camera", 0);
  count_feedback (fixture, logger, &feedback);
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->card), ==, "status-error");
  g_assert_true (sc_test_ui_card_flashing (fixture->card));
  g_assert_cmpuint (feedback.n_sounds, ==, 2);
  g_assert_cmpstr (feedback.last_sound, ==, SC_SOUND_SCAN_ERROR);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 2);

  /* The same sound again reuses its stream. */
  submit_from (fixture, "123456789012", "scanner", 0);
  count_feedback (fixture, logger, &feedback);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_MALFORMED));
  g_assert_cmpuint (feedback.n_sounds, ==, 3);
  g_assert_cmpstr (feedback.last_sound, ==, SC_SOUND_SCAN_ERROR);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 2);

  /* Typed at the keyboard: a flash, no sound. */
  n_feedback = feedback.n_feedback;
  submit_from (fixture, redeemable, "keyboard", 0);
  count_feedback (fixture, logger, &feedback);
  g_assert_cmpuint (feedback.n_feedback, ==, n_feedback + 1);
  g_assert_cmpuint (feedback.n_sounds, ==, 3);

  /* Sounds off: the streams go, and none is made or asked for. */
  g_settings_set_boolean (fixture->settings, "sounds", FALSE);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 0);
  n_feedback = feedback.n_feedback;
  submit_from (fixture, redeemable, "scanner", 0);
  submit_from (fixture, expired, "camera", 0);
  count_feedback (fixture, logger, &feedback);
  g_assert_cmpuint (feedback.n_feedback, ==, n_feedback + 2);
  g_assert_true (sc_test_ui_card_flashing (fixture->card));
  g_assert_cmpuint (feedback.n_sounds, ==, 3);
  g_assert_cmpuint (sc_sound_player_get_n_streams (player), ==, 0);

  /* Esc clears the card and its flash. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.clear", NULL));
  g_assert_false (sc_test_ui_card_flashing (fixture->card));
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/preferences/open", test_open);
  SC_TEST_UI_ADD ("/ui/preferences/auto-redeem", test_auto_redeem);
  SC_TEST_UI_ADD ("/ui/preferences/camera-off", test_camera_off);
  SC_TEST_UI_ADD ("/ui/preferences/platform-url", test_platform_url);
  SC_TEST_UI_ADD ("/ui/preferences/insecure-url", test_insecure_url);
  SC_TEST_UI_ADD ("/ui/feedback/flash-and-sounds", test_feedback);

  return sc_test_ui_run ();
}
