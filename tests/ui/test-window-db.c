/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window on a local database it cannot use (issue 9): it shows the
 * error, naming the file, instead of waiting forever. Under Xvfb. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-application.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-window-private.h"

/* The first AdwStatusPage under @widget with a description, or NULL. */
static AdwStatusPage *
find_described_status_page (GtkWidget *widget)
{
  if (ADW_IS_STATUS_PAGE (widget) &&
      adw_status_page_get_description (ADW_STATUS_PAGE (widget)) != NULL)
    return ADW_STATUS_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwStatusPage *found = find_described_status_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_negative_version (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sc-test-window-db-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "counter.db", NULL);
  AdwStatusPage *page;
  ScWindow *window;
  sqlite3 *raw = NULL;

  g_test_summary ("A database with a negative user_version: the window shows the error "
                  "page naming the file (it used to stay on the start page forever)");

  /* GTK needs the system's icon theme and MIME data. */
  sc_test_ui_restore_data_dirs ();

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE x (y); PRAGMA user_version = -1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  window = sc_window_new (ADW_APPLICATION (sc_test_ui_get_app ()), "http://127.0.0.1:1", path,
                          NULL);
  gtk_window_present (GTK_WINDOW (window));

  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "error") == 0);
  page = find_described_status_page (GTK_WIDGET (window));
  g_assert_nonnull (page);
  g_test_message ("%s", adw_status_page_get_description (page));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), path));
  g_assert_null (sc_test_ui_counter (window));

  sc_test_ui_destroy_window (GTK_WINDOW (window));
  sc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  g_test_add_func ("/ui/window-db/negative-version", test_negative_version);

  return sc_test_ui_run ();
}
