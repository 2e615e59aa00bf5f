/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-ui.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sc-login-page.h"

static ScApplication *app;
static char *system_data_dirs;  /* the real XDG_DATA_DIRS: icons, MIME data */

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

gboolean
sc_test_ui_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
sc_test_ui_init (int    *argc,
                 char ***argv)
{
  /* The real XDG_DATA_DIRS, also for subprocesses (g_test_trap_subprocess),
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
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
}

void
sc_test_ui_init_with_app (int    *argc,
                          char ***argv)
{
  sc_test_ui_init (argc, argv);
  app = sc_test_ui_app_new ();
}

ScApplication *
sc_test_ui_app_new (void)
{
  g_autoptr(GError) error = NULL;
  ScApplication *application = sc_application_new ();

  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  /* Xvfb has no window manager: a blinking cursor in a window without X
   * focus makes GTK warn, and warnings are fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  add_system_icon_dirs ();
  return application;
}

ScApplication *
sc_test_ui_get_app (void)
{
  g_assert_nonnull (app);
  return app;
}

int
sc_test_ui_run (void)
{
  int status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&system_data_dirs, g_free);
  return status;
}

void
sc_test_ui_restore_data_dirs (void)
{
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
}

const char *
sc_test_ui_get_system_data_dirs (void)
{
  return system_data_dirs;
}

GTestDBus *
sc_test_ui_private_bus_up (void)
{
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);  /* GTestDBus unsets it (X11 autolaunch) */
  g_setenv ("GTK_A11Y", "none", TRUE);
  return bus;
}

ScTestPlatform *
sc_test_ui_platform_start (const char * const *args)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  ScTestPlatform *platform;

  g_settings_set_boolean (settings, "sounds", FALSE);
  /* G_TEST_OPTION_ISOLATE_DIRS points XDG_DATA_DIRS at an empty folder. */
  sc_test_ui_restore_data_dirs ();
  platform = sc_test_platform_start (args, &error);
  g_assert_no_error (error);
  return platform;
}

ScWindow *
sc_test_ui_window_open (ScTestPlatform        *platform,
                        const ScTestUiOptions *options)
{
  static const ScTestUiOptions defaults = { NULL, };
  ScWindow *window;

  if (options == NULL)
    options = &defaults;
  window = sc_window_new (ADW_APPLICATION (sc_test_ui_get_app ()), platform->url, ":memory:",
                          options->no_admin_token ? NULL : platform->admin_token);
  if (options->width > 0 && options->height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), options->width, options->height);
  gtk_window_present (GTK_WINDOW (window));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "login") == 0);
  return window;
}

void
sc_test_ui_fixture_setup (ScTestUiFixture *fixture,
                          gconstpointer    options)
{
  const ScTestUiOptions *opts = options;

  fixture->platform = sc_test_ui_platform_start (opts != NULL ? opts->platform_args : NULL);
  fixture->window = sc_test_ui_window_open (fixture->platform, opts);
  fixture->scan = sc_window_get_scan_page (fixture->window);
  fixture->card = sc_test_ui_card (fixture->scan);
}

void
sc_test_ui_fixture_teardown (ScTestUiFixture *fixture,
                             gconstpointer    data)
{
  sc_test_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
}

const char *
sc_test_ui_status_text (ScVerdictCard *card)
{
  return sc_test_ui_child_text (card, "status_label");
}

gboolean
sc_test_ui_get_boolean (gpointer    object,
                        const char *property)
{
  gboolean value = FALSE;

  g_object_get (object, property, &value, NULL);
  return value;
}

const char *
sc_test_ui_get_string (gpointer    object,
                       const char *property)
{
  char *value = NULL;

  g_object_get (object, property, &value, NULL);
  /* Kept until the next call for the same property. */
  g_object_set_data_full (object, g_intern_string (property), value, g_free);
  return value;
}

GtkWidget *
sc_test_ui_child (gpointer    widget,
                  const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), G_OBJECT_TYPE (widget),
                                                  name);

  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

const char *
sc_test_ui_child_text (gpointer    widget,
                       const char *name)
{
  return gtk_label_get_text (GTK_LABEL (sc_test_ui_child (widget, name)));
}

static void
completed_cb (ScScanPage *scan,
              guint      *n_completed)
{
  (*n_completed)++;
}

guint
sc_test_ui_n_completed (ScScanPage *scan)
{
  guint *n_completed = g_object_get_data (G_OBJECT (scan), "sc-test-ui-n-completed");

  if (n_completed == NULL)
    {
      n_completed = g_new0 (guint, 1);
      g_object_set_data_full (G_OBJECT (scan), "sc-test-ui-n-completed", n_completed, g_free);
      g_signal_connect (scan, "completed", G_CALLBACK (completed_cb), n_completed);
    }
  return *n_completed;
}

ScCameraView *
sc_test_ui_camera_view (ScScanPage *scan)
{
  return SC_CAMERA_VIEW (sc_test_ui_child (scan, "camera_view"));
}

ScVerdictCard *
sc_test_ui_card (ScScanPage *scan)
{
  return SC_VERDICT_CARD (sc_test_ui_child (scan, "card"));
}

GtkListBox *
sc_test_ui_recent_list (ScScanPage *scan)
{
  return GTK_LIST_BOX (sc_test_ui_child (scan, "recent_list"));
}

guint
sc_test_ui_n_recent (ScScanPage *scan)
{
  return sc_test_ui_n_rows (sc_test_ui_recent_list (scan));
}

/* The text of every label under @widget, depth first, @separator between. */
static void
collect_labels (GtkWidget *widget,
                char       separator,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      if (out->len > 0)
        g_string_append_c (out, separator);
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, separator, out);
}

static char *
dup_labels_text (GtkWidget *widget,
                 char       separator)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, separator, out);
  return g_string_free (out, FALSE);
}

char *
sc_test_ui_dup_recent_text (ScScanPage *scan,
                            guint       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (sc_test_ui_recent_list (scan), (int) index);

  return row != NULL ? dup_labels_text (GTK_WIDGET (row), ' ') : NULL;
}

const char *
sc_test_ui_card_css_class (ScVerdictCard *card)
{
  g_auto(GStrv) classes = gtk_widget_get_css_classes (sc_test_ui_child (card, "box"));

  for (guint i = 0; classes[i] != NULL; i++)
    if (g_str_has_prefix (classes[i], "status-"))
      return g_intern_string (classes[i]);
  return NULL;
}

gboolean
sc_test_ui_card_flashing (ScVerdictCard *card)
{
  GtkWidget *box = sc_test_ui_child (card, "box");

  return gtk_widget_has_css_class (box, "flash") || gtk_widget_has_css_class (box, "flash-again");
}

char *
sc_test_ui_card_details_text (ScVerdictCard *card)
{
  return dup_labels_text (sc_test_ui_child (card, "details_box"), '\n');
}

const char *
sc_test_ui_entry_text (ScScanPage *scan)
{
  return gtk_editable_get_text (GTK_EDITABLE (sc_scan_page_get_entry (scan)));
}

void
sc_test_ui_press_log_in (ScWindow   *window,
                         const char *clerk,
                         const char *pin)
{
  ScLoginPage *login = sc_test_ui_login_page (window);
  GtkWidget *button = sc_test_ui_child (login, "button");

  gtk_editable_set_text (GTK_EDITABLE (sc_test_ui_child (login, "store_row")), "1001");
  gtk_editable_set_text (GTK_EDITABLE (sc_test_ui_child (login, "clerk_row")), clerk);
  gtk_editable_set_text (GTK_EDITABLE (sc_test_ui_child (login, "pin_row")), pin);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

void
sc_test_ui_log_in (ScWindow   *window,
                   const char *pin)
{
  GtkSpinner *spinner = GTK_SPINNER (sc_test_ui_child (sc_test_ui_login_page (window),
                                                       "spinner"));

  sc_test_ui_press_log_in (window, "1", pin);
  /* Busy (the spinner spins) while the login is under way. */
  SC_TEST_WAIT_FOR (gtk_spinner_get_spinning (spinner));
  SC_TEST_WAIT_FOR (!gtk_spinner_get_spinning (spinner));
}

void
sc_test_ui_log_in_ok (ScWindow *window)
{
  sc_test_ui_press_log_in (window, "1", "1234");
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "main") == 0);
}

ScCounter *
sc_test_ui_counter (ScWindow *window)
{
  g_autoptr(ScCounter) counter = NULL;

  g_object_get (window, "counter", &counter, NULL);
  /* The window keeps its own reference. */
  return counter;
}

ScLoginPage *
sc_test_ui_login_page (ScWindow *window)
{
  return SC_LOGIN_PAGE (sc_test_ui_child (window, "login_page"));
}

const char *
sc_test_ui_login_error (ScLoginPage *login)
{
  GtkWidget *label = sc_test_ui_child (login, "error_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

GtkWindow *
sc_test_ui_dialog (ScWindow *window,
                   GType     type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return toplevel;
    }
  return NULL;
}

ScPreferencesWindow *
sc_test_ui_open_preferences (ScWindow *window)
{
  GtkWindow *preferences;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.preferences", NULL));
  preferences = sc_test_ui_dialog (window, SC_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (SC_IS_PREFERENCES_WINDOW (preferences));
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  return SC_PREFERENCES_WINDOW (preferences);
}

GtSignalLogger *
sc_test_ui_log_toasts (ScWindow *window)
{
  GtSignalLogger *logger = gt_signal_logger_new ();
  g_autoptr(ScToaster) toaster = NULL;

  g_object_get (window, "toaster", &toaster, NULL);
  g_assert_nonnull (toaster);
  gt_signal_logger_connect (logger, toaster, "added");
  return logger;
}

guint
sc_test_ui_pop_toasts (GtSignalLogger  *logger,
                       char           **title)
{
  guint n = 0;
  gpointer obj;
  g_autofree char *type_name = NULL;
  g_autofree char *signal_name = NULL;
  GtSignalLoggerEmission *emission = NULL;

  while (gt_signal_logger_pop_emission (logger, &obj, &type_name, &signal_name, &emission))
    {
      g_autoptr(AdwToast) toast = NULL;

      g_assert_cmpstr (signal_name, ==, "added");
      gt_signal_logger_emission_get_params (emission, &toast);
      if (title != NULL)
        {
          g_free (*title);
          *title = g_strdup (adw_toast_get_title (toast));
        }
      g_clear_pointer (&emission, gt_signal_logger_emission_free);
      g_clear_pointer (&type_name, g_free);
      g_clear_pointer (&signal_name, g_free);
      n++;
    }
  return n;
}

void
sc_test_ui_submit (ScScanPage *scan,
                   const char *text)
{
  GtkWidget *entry = sc_scan_page_get_entry (scan);
  guint done = sc_test_ui_n_completed (scan);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (scan) > done);
}

void
sc_test_ui_destroy_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  SC_TEST_WAIT_FOR (window == NULL);
}

GPtrArray *
sc_test_ui_demo_codes (ScTestPlatform *platform,
                       const char     *status,
                       const char     *kind,
                       guint           n)
{
  g_autoptr(GPtrArray) codes = sc_test_platform_demo_codes (platform, status, kind);
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < codes->len && chosen->len < n; i++)
    {
      const char *code = g_ptr_array_index (codes, i);

      /* Bare codes only: live tokens go stale. */
      if (g_ascii_isdigit (code[0]))
        g_ptr_array_add (chosen, g_strdup (code));
    }
  if (chosen->len < n)
    g_error ("The demo seed has %u bare %s %s codes, not %u", chosen->len, status, kind, n);
  return chosen;
}

char *
sc_test_ui_demo_code (ScTestPlatform *platform,
                      const char     *status,
                      const char     *kind)
{
  g_autoptr(GPtrArray) codes = sc_test_ui_demo_codes (platform, status, kind, 1);

  return g_strdup (g_ptr_array_index (codes, 0));
}

char *
sc_test_ui_platform_status (ScTestPlatform *platform,
                            const char     *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (platform, "1001", "1", &error);
  g_autofree char *body = g_strdup_printf ("{\"payload\":\"%s\"}", code);
  g_autoptr(JsonObject) answer = NULL;
  guint http = 0;

  g_assert_no_error (error);
  answer = sc_test_platform_request (platform, "POST", "/v1/codes/lookup", token,
                                     body, NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);
  return g_strdup (json_object_get_string_member (answer, "status"));
}

void
sc_test_ui_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = path != NULL ? g_dir_open (path, 0, NULL) : NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  if (path != NULL)
    g_rmdir (path);
}

char *
sc_test_ui_screenshot_path (const char *name)
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

void
sc_test_ui_wait_frames (GtkWidget *widget,
                        guint      n_frames)
{
  guint ticks = 0;
  guint id;

  id = gtk_widget_add_tick_callback (widget, tick_cb, &ticks, NULL);
  SC_TEST_WAIT_FOR (ticks >= n_frames);
  gtk_widget_remove_tick_callback (widget, id);
}

void
sc_test_ui_save_png (GtkWidget  *window,
                     const char *name,
                     guint       n_frames)
{
  int width;
  int height;
  g_autofree char *path = sc_test_ui_screenshot_path (name);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;

  sc_test_ui_wait_frames (window, n_frames);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

void
sc_test_ui_set_language (const char *language)
{
  sc_test_ui_restore_data_dirs ();
  g_setenv ("LANGUAGE", language, TRUE);
  sc_test_ui_bind_translations ();
}

void
sc_test_ui_bind_translations (void)
{
  const char *localedir = g_getenv ("STORE_COUNTER_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, type, out);
}

GPtrArray *
sc_test_ui_find_all (GtkWidget *root,
                     GType      type)
{
  GPtrArray *out = g_ptr_array_new ();

  if (root != NULL)
    find_all (root, type, out);
  return out;
}

GtkWidget *
sc_test_ui_find (GtkWidget *root,
                 GType      type)
{
  g_autoptr(GPtrArray) all = sc_test_ui_find_all (root, type);

  return all->len > 0 ? g_ptr_array_index (all, 0) : NULL;
}

GtkWidget *
sc_test_ui_find_by_css_class (GtkWidget  *root,
                              const char *css_class)
{
  g_autoptr(GPtrArray) all = sc_test_ui_find_all (root, GTK_TYPE_WIDGET);

  for (guint i = 0; i < all->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (all, i), css_class))
      return g_ptr_array_index (all, i);
  return NULL;
}

/* The first of @root and its descendants of @type whose string @property
 * is @value. */
static GtkWidget *
find_by_property (GtkWidget  *root,
                  GType       type,
                  const char *property,
                  const char *value)
{
  g_autoptr(GPtrArray) all = sc_test_ui_find_all (root, type);

  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *string = NULL;

      g_object_get (g_ptr_array_index (all, i), property, &string, NULL);
      if (g_strcmp0 (string, value) == 0)
        return g_ptr_array_index (all, i);
    }
  return NULL;
}

GtkWidget *
sc_test_ui_find_by_css_name (GtkWidget  *root,
                             const char *css_name)
{
  return find_by_property (root, GTK_TYPE_WIDGET, "css-name", css_name);
}

GtkWidget *
sc_test_ui_find_label (GtkWidget  *root,
                       const char *text)
{
  /* "label" is the text where there is no markup nor mnemonic. */
  return find_by_property (root, GTK_TYPE_LABEL, "label", text);
}

GtkWidget *
sc_test_ui_find_button (GtkWidget  *root,
                        const char *label)
{
  return find_by_property (root, GTK_TYPE_BUTTON, "label", label);
}

guint
sc_test_ui_n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}
