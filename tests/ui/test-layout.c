/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Large text and small screens (issue 10, rows 6, 7 and 11): the real
 * window against a real platform, measured as laid out under Xvfb.
 *
 * - 150 % text (GNOME's "Large text": gtk-xft-dpi 1.5 × 96 × 1024): the
 *   verdict headline, code line, entry and Redeem button grow with the text
 *   and the headline stays larger than the body; history rows show their
 *   code in full, in monospace, at 1024 px.
 * - 800x600: the Log In button is on screen, centred and not under the
 *   view switcher (which is not shown before login), the header names store
 *   and clerk once, a long order scrolls to its last item, the undo toast
 *   leaves the card's headline alone, every control of the Scan page can be
 *   reached; in Chinese, 扫码枪 is never broken across lines.
 *
 * Each language runs in its own subprocess so that gettext starts clean; the
 * screenshots go to <builddir>/tests/ui/screenshots/layout-*.png. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-login-page.h"
#include "sc-scan-page-private.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

#define DPI_100 (96 * 1024)
#define DPI_150 (96 * 1024 * 3 / 2)

/* g_test_fail_printf(), also on stderr (which the parent shows). */
#define fail_printf(...)                                                      \
  G_STMT_START {                                                              \
    g_autofree char *message_ = g_strdup_printf (__VA_ARGS__);                \
    g_printerr ("**\nFAILED: %s\n", message_);                                \
    g_test_fail_printf ("%s", message_);                                      \
  } G_STMT_END

typedef struct
{
  ScTestPlatform *platform;
  ScApplication  *app;
  ScWindow       *window;
  const char     *language;
} Fixture;

static void
fixture_open (Fixture    *fixture,
              const char *language,
              int         width,
              int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;

  sc_test_ui_set_language (language);
  fixture->language = language;
  fixture->platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  /* One application per process (it is exported on the bus). */
  if (fixture->app == NULL)
    fixture->app = sc_test_ui_app_new ();
  settings = g_settings_new (APP_ID);
  g_settings_set_boolean (settings, "sounds", FALSE);
  g_settings_set_boolean (settings, "auto-redeem-pickup", FALSE);
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-xft-dpi", DPI_100,
                NULL);

  fixture->window = sc_window_new (ADW_APPLICATION (fixture->app), fixture->platform->url,
                                   ":memory:", fixture->platform->admin_token);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->window), "login") == 0);
  sc_test_ui_wait_frames (GTK_WIDGET (fixture->window), 3);
}

static void
fixture_close (Fixture *fixture)
{
  sc_test_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
}

/* The redeemable pickup code (store 1001) whose order has the most items. */
static char *
longest_order_code (ScTestPlatform *platform)
{
  g_autoptr(GPtrArray) codes = sc_test_platform_demo_codes (platform, "redeemable", "pickup");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (platform, "1001", "1", &error);
  char *best = NULL;
  guint best_items = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      g_autofree char *body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      JsonObject *order;
      guint n;

      if (!g_ascii_isdigit (code[0]))
        continue;
      body = g_strdup_printf ("{\"payload\":\"%s\"}", code);
      answer = sc_test_platform_call (platform, "POST", "/v1/codes/lookup", token, body,
                                      NULL, 200);
      order = json_object_get_object_member (answer, "order");
      if (order == NULL || !json_object_has_member (order, "items"))
        continue;
      n = json_array_get_length (json_object_get_array_member (order, "items"));
      if (n > best_items)
        {
          g_free (best);
          best = g_strdup (code);
          best_items = n;
        }
    }
  g_assert_nonnull (best);
  g_assert_cmpuint (best_items, >=, 3);
  return best;
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *target)
{
  graphene_rect_t rect;

  g_assert_true (gtk_widget_compute_bounds (widget, target, &rect));
  return rect;
}

/* Whether @rect lies within the window, with half a pixel of slack. */
static gboolean
inside_window (ScWindow              *window,
               const graphene_rect_t *rect)
{
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  return rect->origin.x >= -0.5 && rect->origin.y >= -0.5 &&
         rect->origin.x + rect->size.width <= width + 0.5 &&
         rect->origin.y + rect->size.height <= height + 0.5;
}

static gboolean
overlaps (const graphene_rect_t *a,
          const graphene_rect_t *b)
{
  graphene_rect_t out;

  return a->size.width > 0.5 && a->size.height > 0.5 && b->size.width > 0.5 &&
         b->size.height > 0.5 && graphene_rect_intersection (a, b, &out) &&
         out.size.width > 0.5 && out.size.height > 0.5;
}

/* Whether a view switcher (the tabs, in the header or in the bottom bar)
 * is on screen. */
static gboolean
switcher_shown (ScWindow *window)
{
  g_autoptr(GPtrArray) switchers = sc_test_ui_find_all (GTK_WIDGET (window),
                                                         ADW_TYPE_VIEW_SWITCHER);

  for (guint i = 0; i < switchers->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (switchers, i);

      if (gtk_widget_get_mapped (w) && gtk_widget_get_width (w) > 0 &&
          gtk_widget_get_height (w) > 0)
        return TRUE;
    }
  return FALSE;
}

/* The bottom view switcher bar's bounds in the window; empty when hidden. */
static graphene_rect_t
bottom_bar_bounds (ScWindow *window)
{
  GtkWidget *bar = sc_test_ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);
  GtkWidget *switcher = sc_test_ui_find (bar, ADW_TYPE_VIEW_SWITCHER);

  if (switcher == NULL || !gtk_widget_get_mapped (switcher) ||
      gtk_widget_get_height (switcher) == 0)
    return GRAPHENE_RECT_INIT (0, 0, 0, 0);
  return bounds_in (bar, GTK_WIDGET (window));
}

/* The part of the window a clerk sees of @widget's area: inside the window
 * and not under the bottom bar. */
static void
assert_on_screen (ScWindow   *window,
                  GtkWidget  *widget,
                  const char *what)
{
  graphene_rect_t rect = bounds_in (widget, GTK_WIDGET (window));
  graphene_rect_t bar = bottom_bar_bounds (window);

  if (!inside_window (window, &rect) || overlaps (&rect, &bar))
    fail_printf ("%s is not on screen: %gx%g at %g,%g in a %dx%d window (bottom bar at %g,%g "
             "%gx%g)", what, rect.size.width, rect.size.height, rect.origin.x, rect.origin.y,
             gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)), bar.origin.x, bar.origin.y,
             bar.size.width, bar.size.height);
}

/* A control is reachable when it is on screen, or inside a scrolled window
 * that is (the clerk scrolls to it). */
static void
assert_reachable (ScWindow   *window,
                  GtkWidget  *widget,
                  GtkWidget  *page)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  g_autofree char *what = g_strdup_printf ("%s “%s”", G_OBJECT_TYPE_NAME (widget),
                                           gtk_widget_get_name (widget));

  if (scrolled != NULL && gtk_widget_is_ancestor (scrolled, page))
    assert_on_screen (window, scrolled, what);
  else
    assert_on_screen (window, widget, what);
}

static void
assert_controls_reachable (ScWindow  *window,
                           GtkWidget *page)
{
  g_autoptr(GPtrArray) all = sc_test_ui_find_all (page, GTK_TYPE_WIDGET);
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (all, i);

      if (!gtk_widget_get_mapped (w))
        continue;
      if (GTK_IS_BUTTON (w) || GTK_IS_ENTRY (w) || GTK_IS_LIST_BOX_ROW (w))
        {
          assert_reachable (window, w, page);
          n++;
        }
    }
  g_assert_cmpuint (n, >=, 2);
}

/* How many labels shown in the header bar carry @text. */
static guint
count_header_labels (ScWindow   *window,
                     const char *text)
{
  GtkWidget *header = sc_test_ui_find (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  g_autoptr(GPtrArray) labels = sc_test_ui_find_all (header, GTK_TYPE_LABEL);
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && gtk_widget_get_width (label) > 0 &&
          strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        n++;
    }
  return n;
}

/* No line of @label's layout starts inside @word. */
static void
assert_word_whole (GtkLabel   *label,
                   const char *word)
{
  const char *text = pango_layout_get_text (gtk_label_get_layout (label));
  GSList *lines = pango_layout_get_lines_readonly (gtk_label_get_layout (label));
  gsize len = strlen (word);
  guint n_found = 0;

  for (const char *at = strstr (text, word); at != NULL; at = strstr (at + len, word))
    {
      int start = (int) (at - text);

      n_found++;
      for (GSList *l = lines; l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;

          if (line->start_index > start && line->start_index < start + (int) len)
            fail_printf ("“%s” breaks inside “%s”: a line starts at “%s”", text, word,
                     text + line->start_index);
        }
    }
  g_assert_cmpuint (n_found, >, 0);
}

/* Every shown label of @root that holds @word keeps it on one line. */
static guint
assert_words_whole (GtkWidget  *root,
                    const char *word)
{
  g_autoptr(GPtrArray) labels = sc_test_ui_find_all (root, GTK_TYPE_LABEL);
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (label)) &&
          strstr (gtk_label_get_text (label), word) != NULL)
        {
          assert_word_whole (label, word);
          n++;
        }
    }
  return n;
}

/* ---- 800x600 ---- */

/* The window fits 800x600: its minimum size does, and it is that size
 * (the CSD frame takes a few pixels of the default size). Without a window
 * manager (Xvfb), GTK sometimes gives a window more than its default size
 * after a relayout; a window manager keeps it on the screen: so does this. */
static void
assert_small (ScWindow *window)
{
  int min_width;
  int min_height;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, min_width, &min_height,
                      NULL, NULL, NULL);
  g_test_message ("Window: %dx%d, at least %dx%d", width, height, min_width, min_height);
  g_assert_cmpint (min_width, <=, 800);
  g_assert_cmpint (min_height, <=, 600);
  if (width > 800 || height > 600)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
      SC_TEST_WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) <= 800 &&
                        gtk_widget_get_height (GTK_WIDGET (window)) <= 600);
      sc_test_ui_wait_frames (GTK_WIDGET (window), 3);
      width = gtk_widget_get_width (GTK_WIDGET (window));
      height = gtk_widget_get_height (GTK_WIDGET (window));
    }
  g_assert_cmpint (width, >=, 760);
  g_assert_cmpint (height, >=, 560);
}

static void
assert_login_page (ScWindow *window)
{
  GtkWidget *button = sc_test_ui_child (sc_test_ui_login_page (window), "button");
  GtkWidget *column = button;
  graphene_rect_t rect;
  graphene_rect_t col;
  double left;
  double right;

  g_assert_false (switcher_shown (window));
  assert_on_screen (window, button, "the Log In button");
  while (column != NULL && !ADW_IS_CLAMP (gtk_widget_get_parent (column)))
    column = gtk_widget_get_parent (column);
  g_assert_nonnull (column);
  rect = bounds_in (button, column);
  col = bounds_in (column, column);
  left = rect.origin.x;
  right = col.size.width - (rect.origin.x + rect.size.width);
  g_test_message ("Log In button: %g px from the left of its column, %g from the right",
                  left, right);
  g_assert_cmpfloat (ABS (left - right), <=, 2.0);
}

static void assert_small (ScWindow *window);

/* The longest order in the window as it is: its last item and the Redeem
 * button can be scrolled to; once redeemed, the undo toast leaves the
 * card's headline and outcome alone. Screenshots layout-@tag-order-* and
 * layout-@tag-toast-*. */
static void
check_long_order (Fixture    *fixture,
                  const char *tag)
{
  ScWindow *window = fixture->window;
  ScScanPage *scan = sc_window_get_scan_page (window);
  ScVerdictCard *card = sc_test_ui_card (scan);
  GtkWidget *redeem = sc_test_ui_child (card, "redeem_button");
  GtkLabel *outcome = GTK_LABEL (sc_test_ui_child (card, "outcome_label"));
  g_autofree char *code = longest_order_code (fixture->platform);
  g_autofree char *name = NULL;
  GtkWidget *grid;
  GtkWidget *last_item;
  GtkWidget *scrolled;
  GtkWidget *toast;
  GtkAdjustment *adj;
  graphene_rect_t rect;
  graphene_rect_t other;
  guint done;
  g_autoptr(GtSignalLogger) toasts = NULL;

  sc_test_ui_submit (scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (card), ==, "status-success");
  sc_test_ui_wait_frames (GTK_WIDGET (window), 3);
  assert_small (window);
  name = g_strdup_printf ("layout-%s-order-%s", tag, fixture->language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 3);
  if (g_str_has_prefix (fixture->language, "zh"))
    g_assert_cmpuint (assert_words_whole (GTK_WIDGET (scan), "扫码枪"), >=, 1);

  assert_on_screen (window, sc_test_ui_child (card, "status_label"),
                    "the verdict headline");
  assert_controls_reachable (window, GTK_WIDGET (scan));
  grid = sc_test_ui_find_by_css_class (GTK_WIDGET (card), "order-items");
  g_assert_nonnull (grid);
  last_item = gtk_widget_get_last_child (grid);
  scrolled = gtk_widget_get_ancestor (last_item, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scrolled);
  assert_on_screen (window, scrolled, "the verdict card's scrolled window");
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  sc_test_ui_wait_frames (GTK_WIDGET (window), 3);
  /* Scrolled to the end: the last item and the Redeem button show. */
  rect = bounds_in (last_item, scrolled);
  g_test_message ("Last item at y %g (%g high) in a %d px high scrolled card",
                  rect.origin.y, rect.size.height, gtk_widget_get_height (scrolled));
  g_assert_cmpfloat (rect.origin.y, >=, -0.5);
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=, gtk_widget_get_height (scrolled) + 0.5);
  rect = bounds_in (redeem, scrolled);
  g_assert_cmpfloat (rect.origin.y, >=, -0.5);
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=, gtk_widget_get_height (scrolled) + 0.5);
  assert_on_screen (window, redeem, "the Redeem button");
  gtk_adjustment_set_value (adj, 0);

  /* Redeem: the undo toast shows and leaves the card's headline and
   * outcome alone. */
  done = sc_test_ui_n_completed (scan);
  toasts = sc_test_ui_log_toasts (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scan), "scan.redeem", NULL));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (scan) > done);
  SC_TEST_WAIT_FOR (gt_signal_logger_get_n_emissions (toasts) > 0);
  sc_test_ui_wait_frames (GTK_WIDGET (window), 5);
  assert_small (window);
  toast = sc_test_ui_find_by_css_name (GTK_WIDGET (window), "toast");
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_get_mapped (toast));
  rect = bounds_in (toast, GTK_WIDGET (window));
  g_free (name);
  name = g_strdup_printf ("layout-%s-toast-%s", tag, fixture->language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 3);
  other = bounds_in (sc_test_ui_child (card, "status_label"), GTK_WIDGET (window));
  g_assert_false (overlaps (&rect, &other));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (outcome)));
  other = bounds_in (GTK_WIDGET (outcome), GTK_WIDGET (window));
  g_test_message ("Toast %gx%g at %g,%g; outcome %gx%g at %g,%g", rect.size.width,
                  rect.size.height, rect.origin.x, rect.origin.y, other.size.width,
                  other.size.height, other.origin.x, other.origin.y);
  g_assert_false (overlaps (&rect, &other));
  /* Nothing of the page (the rest of the card, the history) under it. */
  other = bounds_in (GTK_WIDGET (scan), GTK_WIDGET (window));
  g_test_message ("Scan page %gx%g at %g,%g", other.size.width, other.size.height,
                  other.origin.x, other.origin.y);
  g_assert_false (overlaps (&rect, &other));
  assert_controls_reachable (window, GTK_WIDGET (scan));
}

static void
check_small_screen (const char *language)
{
  Fixture fixture = { 0, };
  ScWindow *window;
  GtkWidget *session;
  g_autofree char *name = NULL;
  g_autofree char *store = NULL;

  fixture_open (&fixture, language, 800, 600);
  window = fixture.window;
  assert_small (window);

  name = g_strdup_printf ("layout-800x600-login-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 3);

  assert_login_page (window);

  sc_test_ui_log_in_ok (window);
  sc_test_ui_wait_frames (GTK_WIDGET (window), 3);
  assert_small (window);
  g_assert_true (switcher_shown (window));

  /* The header names the store and the clerk once. */
  session = sc_test_ui_child (window, "session_label");
  store = g_strdup (gtk_label_get_text (GTK_LABEL (session)));
  g_assert_nonnull (strstr (store, " · "));
  *strstr (store, " · ") = '\0';
  g_assert_cmpuint (count_header_labels (window, store), ==, 1);

  check_long_order (&fixture, "800x600");

  /* Logged out: the login page again, as at the start. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.logout", NULL));
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (window), "login") == 0);
  sc_test_ui_wait_frames (GTK_WIDGET (window), 5);
  g_free (name);
  name = g_strdup_printf ("layout-800x600-logged-out-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (window), name, 3);
  assert_login_page (window);

  fixture_close (&fixture);
  g_clear_object (&fixture.app);
}

/* ---- 150 % text ---- */

/* The pixel height of a line of text in @widget's font. */
static int
line_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag 0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

typedef struct
{
  const char *what;
  GtkWidget  *widget;
  int         at_100;
  int         at_150;
} Measure;

static GtkWidget *
entry_text (GtkWidget *entry)
{
  GtkWidget *text = sc_test_ui_find (entry, GTK_TYPE_TEXT);

  g_assert_nonnull (text);
  return text;
}

static GtkLabel *
recent_code_label (ScScanPage *scan)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (sc_test_ui_recent_list (scan), 0);
  GtkWidget *label = sc_test_ui_find_by_css_class (GTK_WIDGET (row), "monospace");

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_LABEL (label);
}

static void
set_dpi (ScWindow *window,
         int       dpi)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", dpi, NULL);
  sc_test_ui_wait_frames (GTK_WIDGET (window), 5);
}

static void
check_large_text (const char *language)
{
  Fixture fixture = { 0, };
  ScScanPage *scan;
  ScVerdictCard *card;
  GtkLabel *code_label;
  PangoLayout *layout;
  PangoFontDescription *font;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  GtkWidget *body;
  GtkWidget *redeem;
  Measure m[5];

  fixture_open (&fixture, language, 1024, 768);
  sc_test_ui_log_in_ok (fixture.window);
  scan = sc_window_get_scan_page (fixture.window);
  card = sc_test_ui_card (scan);
  code = sc_test_ui_demo_code (fixture.platform, "redeemable", "pickup");
  sc_test_ui_submit (scan, code);
  g_assert_cmpstr (sc_test_ui_card_css_class (card), ==, "status-success");
  sc_test_ui_wait_frames (GTK_WIDGET (fixture.window), 3);

  body = gtk_widget_get_first_child (sc_test_ui_find_by_css_class (GTK_WIDGET (card),
                                                                   "verdict-details"));
  g_assert_true (GTK_IS_LABEL (body));
  /* The customer line has a type class of its own; the body is the order
   * number's line, the normal text size. */
  body = gtk_widget_get_next_sibling (body);
  g_assert_true (GTK_IS_LABEL (body));

  m[0] = (Measure) { "headline", sc_test_ui_child (card, "status_label"), 0, 0 };
  m[1] = (Measure) { "code line", GTK_WIDGET (gtk_widget_get_next_sibling (m[0].widget)), 0, 0 };
  m[2] = (Measure) { "entry", entry_text (sc_scan_page_get_entry (scan)), 0, 0 };
  redeem = sc_test_ui_child (card, "redeem_button");
  m[3] = (Measure) { "Redeem button", gtk_button_get_child (GTK_BUTTON (redeem)), 0, 0 };
  m[4] = (Measure) { "body text", body, 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (m); i++)
    m[i].at_100 = line_height (m[i].widget);
  set_dpi (fixture.window, DPI_150);
  for (guint i = 0; i < G_N_ELEMENTS (m); i++)
    {
      m[i].at_150 = line_height (m[i].widget);
      g_test_message ("%s: %d px high at 100 %%, %d px at 150 %%", m[i].what, m[i].at_100,
                      m[i].at_150);
    }
  name = g_strdup_printf ("layout-1024x768-150-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (fixture.window), name, 3);

  /* Everything grows with the text, by about half. */
  for (guint i = 0; i < G_N_ELEMENTS (m); i++)
    {
      double ratio = (double) m[i].at_150 / m[i].at_100;

      if (ratio < 1.35 || ratio > 1.65)
        fail_printf ("The %s does not scale with the text: %d px at 100 %%, %d px at 150 %%",
                 m[i].what, m[i].at_100, m[i].at_150);
    }
  /* The headline stays larger than the body. */
  g_assert_cmpint (m[0].at_100, >, m[4].at_100 * 5 / 4);
  g_assert_cmpint (m[0].at_150, >, m[4].at_150 * 5 / 4);

  /* The history row shows the whole code, in monospace, on one line. */
  code_label = recent_code_label (scan);
  g_assert_cmpstr (gtk_label_get_text (code_label), ==, code);
  layout = gtk_label_get_layout (code_label);
  g_assert_false (pango_layout_is_ellipsized (layout));
  g_assert_cmpint (pango_layout_get_line_count (layout), ==, 1);
  font = pango_context_get_font_description (pango_layout_get_context (layout));
  g_test_message ("History code font: %s", pango_font_description_get_family (font));
  g_assert_nonnull (strstr (pango_font_description_get_family (font), "onospace"));
  if (g_str_has_prefix (language, "zh"))
    g_assert_cmpuint (assert_words_whole (GTK_WIDGET (scan), "扫码枪"), >=, 1);

  /* Once in dark style, at 150 %. */
  if (!g_str_has_prefix (language, "zh"))
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
      g_free (name);
      name = g_strdup_printf ("layout-1024x768-150-dark-%s", language);
      sc_test_ui_save_png (GTK_WIDGET (fixture.window), name, 5);
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_DEFAULT);
    }

  set_dpi (fixture.window, DPI_100);
  fixture_close (&fixture);

  /* 800x600 at 150 %: still reachable. A window of that size from the
   * start (one resized from 1024x768 without a window manager sometimes
   * takes another size). */
  fixture_open (&fixture, language, 800, 600);
  set_dpi (fixture.window, DPI_150);
  sc_test_ui_log_in_ok (fixture.window);
  scan = sc_window_get_scan_page (fixture.window);
  g_free (code);
  code = sc_test_ui_demo_code (fixture.platform, "redeemable", "pickup");
  sc_test_ui_submit (scan, code);
  sc_test_ui_wait_frames (GTK_WIDGET (fixture.window), 3);
  g_free (name);
  name = g_strdup_printf ("layout-800x600-150-%s", language);
  sc_test_ui_save_png (GTK_WIDGET (fixture.window), name, 3);
  assert_small (fixture.window);
  assert_controls_reachable (fixture.window, GTK_WIDGET (scan));
  if (g_str_has_prefix (language, "zh"))
    g_assert_cmpuint (assert_words_whole (GTK_WIDGET (scan), "扫码枪"), >=, 1);
  check_long_order (&fixture, "800x600-150");

  set_dpi (fixture.window, DPI_100);
  fixture_close (&fixture);
  g_clear_object (&fixture.app);
}

static void
test_subprocess (gconstpointer data)
{
  const char *which = data;

  if (!g_test_subprocess ())
    return;
  /* Every check is reported, the test fails at its end. */
  g_test_set_nonfatal_assertions ();
  if (g_str_has_prefix (which, "small-screen/"))
    check_small_screen (which + strlen ("small-screen/"));
  else if (g_str_has_prefix (which, "large-text/"))
    check_large_text (which + strlen ("large-text/"));
  else
    g_assert_not_reached ();
}

static void
test_layout (gconstpointer data)
{
  const char *which = data;
  g_autofree char *subprocess = g_strdup_printf ("/ui/layout/subprocess/%s", which);

  if (g_str_has_prefix (which, "small-screen/"))
    g_test_summary ("At 800x600 the login button and every Scan page control are on screen "
                    "or scrollable to, no tabs before login, store and clerk once in the "
                    "header, a long order scrolls to its end, the toast leaves the verdict "
                    "alone; the Chinese word for the scanner stays whole");
  else
    g_test_summary ("At 150 % text the verdict headline, code line, entry and Redeem button "
                    "grow with the text, the headline stays above the body size, history "
                    "codes are shown in full in monospace");
  g_test_trap_subprocess (subprocess, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  static const char *cases[] = {
    "small-screen/en", "small-screen/zh_CN", "large-text/en", "large-text/zh_CN",
  };

  sc_test_ui_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/layout/%s", cases[i]);
      g_autofree char *sub = g_strdup_printf ("/ui/layout/subprocess/%s", cases[i]);

      g_test_add_data_func (path, cases[i], test_layout);
      g_test_add_data_func (sub, cases[i], test_subprocess);
    }

  return sc_test_ui_run ();
}
