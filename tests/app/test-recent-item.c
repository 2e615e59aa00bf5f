/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScRecentItem, one entry of the Scan page's last verifications: its state
 * properties notify only when they change, and its undo window ends by
 * itself or when the state says so. */
#include "config.h"

#include <glib.h>

#include "sc-recent-item.h"

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_ptr_array_add (user_data, (gpointer) g_param_spec_get_name (pspec));
}

static gboolean
has_name (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

static void
test_state (void)
{
  g_autoptr(ScRecentItem) item = sc_recent_item_new ("123456789012", "10:42:07", "r-1");
  g_autoptr(GPtrArray) notified = g_ptr_array_new ();

  g_test_summary ("An item keeps its code, time and redemption id; sc_recent_item_set_state "
                  "notifies the label, icon and class that change, and only those");

  g_assert_cmpstr (sc_recent_item_get_code (item), ==, "123456789012");
  g_assert_cmpstr (sc_recent_item_get_time (item), ==, "10:42:07");
  g_assert_cmpstr (sc_recent_item_get_redemption_id (item), ==, "r-1");
  g_assert_null (sc_recent_item_get_label (item));
  g_assert_false (sc_recent_item_get_undoable (item));

  g_signal_connect (item, "notify", G_CALLBACK (count_notify_cb), notified);
  sc_recent_item_set_state (item, "Saved, will sync", "document-save-symbolic", "status-neutral");
  g_assert_cmpuint (notified->len, ==, 3);
  g_assert_cmpstr (sc_recent_item_get_label (item), ==, "Saved, will sync");
  g_assert_cmpstr (sc_recent_item_get_icon_name (item), ==, "document-save-symbolic");
  g_assert_cmpstr (sc_recent_item_get_css_class (item), ==, "status-neutral");

  /* The same state again: nothing to notify. */
  g_ptr_array_set_size (notified, 0);
  sc_recent_item_set_state (item, "Saved, will sync", "document-save-symbolic", "status-neutral");
  g_assert_cmpuint (notified->len, ==, 0);

  /* Synced: the words, icon and class change. */
  sc_recent_item_set_state (item, "Redeemed", "emblem-ok-symbolic", "status-success");
  g_assert_cmpuint (notified->len, ==, 3);
  g_assert_true (has_name (notified, "label"));
  g_assert_true (has_name (notified, "icon-name"));
  g_assert_true (has_name (notified, "css-class"));

  /* A lookup has no redemption. */
  {
    g_autoptr(ScRecentItem) lookup = sc_recent_item_new ("512345678900", "10:43:00", NULL);

    g_assert_null (sc_recent_item_get_redemption_id (lookup));
  }
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_undo_window (void)
{
  g_autoptr(ScRecentItem) item = sc_recent_item_new ("123456789012", "10:42:07", "r-1");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) notified = g_ptr_array_new ();
  guint quit_id;

  g_test_summary ("sc_recent_item_allow_undo makes the item undoable for the window, which "
                  "then ends by itself; no window (0 s) allows nothing; set_undoable FALSE "
                  "ends it at once");

  sc_recent_item_allow_undo (item, 0);
  g_assert_false (sc_recent_item_get_undoable (item));

  g_signal_connect (item, "notify::undoable", G_CALLBACK (count_notify_cb), notified);
  sc_recent_item_allow_undo (item, 1);
  g_assert_true (sc_recent_item_get_undoable (item));
  g_assert_cmpuint (notified->len, ==, 1);

  /* The window (1 s) ends while the loop runs. */
  quit_id = g_timeout_add (3000, quit_cb, loop);
  g_signal_connect_swapped (item, "notify::undoable", G_CALLBACK (g_main_loop_quit), loop);
  g_main_loop_run (loop);
  g_source_remove (quit_id);
  g_assert_false (sc_recent_item_get_undoable (item));
  g_assert_cmpuint (notified->len, ==, 2);

  /* Undone (or refused) inside the window: not undoable, and no timer
   * left to fire later. */
  sc_recent_item_allow_undo (item, 60);
  g_assert_true (sc_recent_item_get_undoable (item));
  sc_recent_item_set_undoable (item, FALSE);
  g_assert_false (sc_recent_item_get_undoable (item));
  g_assert_cmpuint (notified->len, ==, 4);
  g_assert_finalize_object (g_steal_pointer (&item));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recent-item/state", test_state);
  g_test_add_func ("/recent-item/undo-window", test_undo_window);

  return g_test_run ();
}
