/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders the scan page of the real window (1100x720) with a redeemable
 * pickup verdict and with an already-redeemed one, and the "log in again"
 * dialog over it, in English and in Chinese, into
 * <builddir>/tests/ui/screenshots/ as PNG files. Each language runs in its
 * own subprocess so that gettext starts clean. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sc-application.h"
#include "sc-login-page.h"
#include "sc-reauth-dialog.h"
#include "sc-scan-page-private.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

static void
render_language (const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(ScApplication) app = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  ScWindow *window;
  ScScanPage *scan;
  ScVerdictCard *card;
  ScLoginPage *login;

  sc_test_ui_set_language (language);
  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  code = sc_test_ui_demo_code (platform, "redeemable", "pickup");

  app = sc_test_ui_app_new ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  window = sc_window_new (ADW_APPLICATION (app), platform->url, ":memory:", NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "login") == 0);

  login = sc_test_ui_login_page (window);
  sc_login_page_log_in (login, "1001", "1", "1234");
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "main") == 0);

  scan = sc_window_get_scan_page (window);
  card = sc_test_ui_card (scan);
  sc_test_ui_submit (scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (card), ==, "status-success");
  /* The core's verdict labels are translated already. */
  if (g_str_has_prefix (language, "zh"))
    g_assert_cmpstr (sc_test_ui_child_text (card, "status_label"), ==, "待核销");

  name = g_strdup_printf ("scan-redeemable-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 5);

  /* Redeem it, then scan it again: already redeemed. */
  {
    guint done = sc_test_ui_n_completed (scan);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scan), "scan.redeem", NULL));
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (scan) > done);
  }
  sc_test_ui_submit (scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (card), ==, "status-warning");
  g_free (name);
  name = g_strdup_printf ("scan-redeemed-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 5);

  /* Two days on, the session has expired: the "log in again" dialog. */
  {
    g_autoptr(JsonObject) answer = NULL;
    AdwMessageDialog *dialog;
    guint http = 0;

    answer = sc_test_platform_request (platform, "POST", "/v1/admin/clock",
                                       platform->admin_token, "{\"offset_s\":172800}", NULL,
                                       &http, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (http, ==, 200);
    gtk_editable_set_text (GTK_EDITABLE (sc_scan_page_get_entry (scan)), code);
    g_signal_emit_by_name (sc_scan_page_get_entry (scan), "activate");
    SC_TEST_WAIT_FOR (sc_test_ui_dialog (window, SC_TYPE_REAUTH_DIALOG) != NULL);
    dialog = ADW_MESSAGE_DIALOG (sc_test_ui_dialog (window, SC_TYPE_REAUTH_DIALOG));
    SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
    g_free (name);
    name = g_strdup_printf ("reauth-%s", language);
    sc_test_ui_save_png (GTK_WIDGET (dialog), name, 5);
    g_free (name);
    name = g_strdup_printf ("reauth-window-%s", language);
    sc_test_ui_save_png (GTK_WIDGET (window), name, 5);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  SC_TEST_WAIT_FOR (window == NULL);
}

/* The file exists, is not tiny and is not one flat colour. */
static void
assert_screenshot (const char *name)
{
  g_autofree char *path = sc_test_ui_screenshot_path (name);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = NULL;
  GStatBuf st;
  int width;
  int height;
  guint32 first;
  gsize n_different = 0;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10 * 1024);

  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, >=, 1000);
  g_assert_cmpint (height, >=, 600);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  memcpy (&first, pixels, 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 px;

      memcpy (&px, pixels + i * 4, 4);
      if (px != first)
        n_different++;
    }
  /* Text, a coloured card and icons: far from a blank frame. */
  g_assert_cmpuint (n_different, >, (gsize) width * height / 20);
}

static void
test_screenshots (gconstpointer data)
{
  const char *language = data;
  g_autofree char *redeemable = g_strdup_printf ("scan-redeemable-%s", language);
  g_autofree char *redeemed = g_strdup_printf ("scan-redeemed-%s", language);
  g_autofree char *path = sc_test_ui_screenshot_path (redeemable);
  g_autofree char *redeemed_path = sc_test_ui_screenshot_path (redeemed);

  /* Each language renders in a subprocess of its own, so gettext starts
   * clean: this same test, rerun with --GTestSubprocess. */
  if (g_test_subprocess ())
    {
      render_language (language);
      return;
    }

  g_test_summary ("The scan page renders a redeemable and an already-redeemed pickup code "
                  "into PNG screenshots that are not blank");

  /* No file of an earlier run may stand in for this one's. */
  g_unlink (path);
  g_unlink (redeemed_path);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  assert_screenshot (redeemable);
  assert_screenshot (redeemed);
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init (&argc, &argv);

  g_test_add_data_func ("/ui/screenshots/en", "en", test_screenshots);
  g_test_add_data_func ("/ui/screenshots/zh_CN", "zh_CN", test_screenshots);

  return sc_test_ui_run ();
}
