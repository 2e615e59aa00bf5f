/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders the scan page of the real window (1100x720) with a redeemable
 * pickup verdict and with an already-redeemed one, in English and in
 * Chinese, into <builddir>/tests/ui/screenshots/ as PNG files. Each language runs in
 * its own subprocess so that gettext starts clean. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sc-application.h"
#include "sc-login-page-private.h"
#include "sc-scan-page-private.h"
#include "sc-test-platform.h"
#include "sc-verdict-card-private.h"
#include "sc-window-private.h"

#define WAIT_SECONDS 30

static char *system_data_dirs;

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

static char *
screenshot_path (const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);

  g_mkdir_with_parents (dir, 0755);
  return g_strdup_printf ("%s/%s.png", dir, name);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  guint *ticks = data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

/* Lets the window lay out and paint a few frames, then renders it. */
static void
save_png (GtkWidget  *window,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  guint ticks = 0;
  guint id;
  int width;
  int height;

  id = gtk_widget_add_tick_callback (window, tick_cb, &ticks, NULL);
  WAIT_FOR (ticks >= 5);
  gtk_widget_remove_tick_callback (window, id);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
submit (ScScanPage *scan,
        const char *code)
{
  GtkWidget *entry = sc_scan_page_get_entry (scan);
  guint done = sc_scan_page_get_n_completed (scan);

  gtk_editable_set_text (GTK_EDITABLE (entry), code);
  g_signal_emit_by_name (entry, "activate");
  WAIT_FOR (sc_scan_page_get_n_completed (scan) > done);
}

static void
render_language (const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(ScApplication) app = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *redeemable_path = NULL;
  g_autofree char *redeemed_path = NULL;
  g_autofree char *name = NULL;
  const char *localedir = g_getenv ("STORE_COUNTER_LOCALEDIR");
  const char *code = NULL;
  ScWindow *window;
  ScScanPage *scan;
  ScVerdictCard *card;
  ScLoginPage *login;

  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  codes = sc_test_platform_demo_codes (platform, "redeemable", "pickup");
  for (guint i = 0; i < codes->len && code == NULL; i++)
    if (g_ascii_isdigit (*(char *) g_ptr_array_index (codes, i)))
      code = g_ptr_array_index (codes, i);
  g_assert_nonnull (code);

  app = sc_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE, NULL);
  add_system_icon_dirs ();

  window = sc_window_new (ADW_APPLICATION (app), platform->url, ":memory:", NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "login") == 0);

  login = sc_window_get_login_page (window);
  sc_login_page_log_in (login, "1001", "1", "1234");
  WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "main") == 0);

  scan = sc_window_get_scan_page (window);
  card = sc_scan_page_get_card (scan);
  submit (scan, code);
  g_assert_cmpstr (sc_verdict_card_get_css_class (card), ==, "status-success");
  /* The core's verdict labels are translated already. */
  if (g_str_has_prefix (language, "zh"))
    g_assert_cmpstr (gtk_label_get_text (sc_verdict_card_get_status_label (card)), ==, "待核销");

  name = g_strdup_printf ("scan-redeemable-%s", language);
  redeemable_path = screenshot_path (name);
  save_png (GTK_WIDGET (window), redeemable_path);

  /* Redeem it, then scan it again: already redeemed. */
  {
    guint done = sc_scan_page_get_n_completed (scan);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scan), "scan.redeem", NULL));
    WAIT_FOR (sc_scan_page_get_n_completed (scan) > done);
  }
  submit (scan, code);
  g_assert_cmpstr (sc_verdict_card_get_css_class (card), ==, "status-warning");
  g_free (name);
  name = g_strdup_printf ("scan-redeemed-%s", language);
  redeemed_path = screenshot_path (name);
  save_png (GTK_WIDGET (window), redeemed_path);

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
}

/* The file exists, is not tiny and is not one flat colour. */
static void
assert_screenshot (const char *name)
{
  g_autofree char *path = screenshot_path (name);
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
test_subprocess_en (void)
{
  if (g_test_subprocess ())
    render_language ("en");
}

static void
test_subprocess_zh (void)
{
  if (g_test_subprocess ())
    render_language ("zh_CN");
}

static void
test_screenshots (gconstpointer data)
{
  const char *language = data;
  g_autofree char *subprocess = g_strdup_printf ("/ui/screenshots/subprocess/%s",
                                                 g_str_has_prefix (language, "zh") ? "zh" : "en");
  g_autofree char *redeemable = g_strdup_printf ("scan-redeemable-%s", language);
  g_autofree char *redeemed = g_strdup_printf ("scan-redeemed-%s", language);
  g_autofree char *path = screenshot_path (redeemable);

  g_test_summary ("The scan page renders a redeemable and an already-redeemed pickup code "
                  "into PNG screenshots that are not blank");

  g_unlink (path);
  g_test_trap_subprocess (subprocess, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  assert_screenshot (redeemable);
  assert_screenshot (redeemed);
}

int
main (int   argc,
      char *argv[])
{
  /* The real XDG_DATA_DIRS (icons, MIME data), also for the subprocesses,
   * which inherit the isolated one. */
  if (g_getenv ("SC_TEST_SYSTEM_DATA_DIRS") != NULL)
    system_data_dirs = g_strdup (g_getenv ("SC_TEST_SYSTEM_DATA_DIRS"));
  else if (g_getenv ("XDG_DATA_DIRS") != NULL)
    system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  else
    system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
  g_setenv ("SC_TEST_SYSTEM_DATA_DIRS", system_data_dirs, TRUE);
  /* Cairo renders (GSK_RENDERER=cairo); keep GDK from loading Mesa's GL
   * drivers, whose one-time allocations LeakSanitizer cannot name. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  g_test_add_data_func ("/ui/screenshots/en", "en", test_screenshots);
  g_test_add_data_func ("/ui/screenshots/zh_CN", "zh_CN", test_screenshots);
  g_test_add_func ("/ui/screenshots/subprocess/en", test_subprocess_en);
  g_test_add_func ("/ui/screenshots/subprocess/zh", test_subprocess_zh);

  {
    int status = g_test_run ();

    g_free (system_data_dirs);
    return status;
  }
}
