/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a screen reader gets from the real window, read over AT-SPI as Orca
 * reads it: GTK's accessibility backend publishes the window on the
 * accessibility bus, and this process reads it back over D-Bus (the calls
 * are asynchronous and the main context turns while they wait, so that GTK
 * can answer). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sc-application.h"
#include "sc-demo-codes-dialog.h"
#include "sc-test-atspi.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"

typedef struct
{
  ScTestUiFixture ui;
  ScTestAtspi    *atspi;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->atspi = sc_test_atspi_new ();
  sc_test_ui_fixture_setup (&fixture->ui, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_ui_fixture_teardown (&fixture->ui, NULL);
  g_clear_pointer (&fixture->atspi, sc_test_atspi_free);
}

/* GTK's names of the roles a user operates (GtkAccessibleRole, as
 * GetRoleName reports them): each needs a name of its own. */
static const char * const control_roles[] = {
  "button", "checkbox", "combo box", "link", "list item", "menu item",
  "menu item checkbox", "menu item radio", "option", "radio", "search box",
  "slider", "spin button", "switch", "tab", "text box", "toggle button", "tree item",
  /* the announcements of the verdict card */
  "status",
};

/* Why @name is no name for a control, or %NULL if it is one. */
static const char *
bad_name_reason (const char *name)
{
  g_auto(GStrv) words = NULL;
  guint n;

  if (name == NULL || *name == '\0')
    return "no name";
  /* GTK 4.8 falls back to the widget's type name: "GtkImage". */
  if (g_type_from_name (name) != 0)
    return "a type name";
  if (strchr (name, '_') != NULL)
    return "a mnemonic underscore";
  /* "Log In Log In": a label read twice. */
  words = g_strsplit (name, " ", -1);
  n = g_strv_length (words);
  if (n % 2 == 0)
    {
      gboolean doubled = TRUE;

      for (guint i = 0; i < n / 2 && doubled; i++)
        doubled = g_strcmp0 (words[i], words[n / 2 + i]) == 0;
      if (doubled)
        return "a doubled label";
    }
  return NULL;
}

/* Walks the whole tree under @node (GTK 4.8 reports no "showing" state,
 * so hidden pages are walked too: they are shown some other time) and adds
 * a line for every control without a proper name to @offenders. */
static void
collect_unnamed (ScTestAtspi      *atspi,
                 ScTestAccessible *node,
                 const char       *where,
                 GString          *offenders,
                 guint            *n_controls)
{
  g_autofree char *role = sc_test_atspi_get_role_name (atspi, node);
  g_autoptr(GPtrArray) children = NULL;

  if (g_strv_contains (control_roles, role))
    {
      g_autofree char *name = sc_test_atspi_get_name (atspi, node);
      const char *reason = bad_name_reason (name);

      (*n_controls)++;
      if (reason != NULL)
        {
          g_autofree char *description = sc_test_atspi_get_description (atspi, node);

          g_string_append_printf (offenders, "  %s: [%s] \"%s\" (%s)%s%s%s\n", where, role, name,
                                  reason, *description != '\0' ? ", description \"" : "",
                                  description, *description != '\0' ? "\"" : "");
        }
    }

  children = sc_test_atspi_get_children (atspi, node);
  for (guint i = 0; i < children->len; i++)
    collect_unnamed (atspi, g_ptr_array_index (children, i), where, offenders, n_controls);
}

static void
check_names (Fixture    *fixture,
             const char *where,
             GString    *offenders)
{
  g_autoptr(ScTestAccessible) app = sc_test_atspi_get_app (fixture->atspi);
  guint n_controls = 0;

  collect_unnamed (fixture->atspi, app, where, offenders, &n_controls);
  g_test_message ("%s: %u controls", where, n_controls);
  /* The walk reached the window's controls at all. */
  g_assert_cmpuint (n_controls, >=, 5);
}

/* (transfer full): the first accessible under @node with @role whose name
 * holds @text. */
static ScTestAccessible *
find_named (ScTestAtspi      *atspi,
            ScTestAccessible *node,
            const char       *role,
            const char       *text)
{
  g_autofree char *node_role = sc_test_atspi_get_role_name (atspi, node);
  g_autoptr(GPtrArray) children = NULL;

  if (g_strcmp0 (node_role, role) == 0)
    {
      g_autofree char *name = sc_test_atspi_get_name (atspi, node);

      if (strstr (name, text) != NULL)
        return sc_test_accessible_copy (node);
    }
  children = sc_test_atspi_get_children (atspi, node);
  for (guint i = 0; i < children->len; i++)
    {
      ScTestAccessible *found = find_named (atspi, g_ptr_array_index (children, i), role, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
redeem_shown (Fixture *fixture)
{
  guint done = sc_test_ui_n_completed (fixture->ui.scan);

  g_assert_true (gtk_widget_activate (sc_test_ui_child (fixture->ui.card, "redeem_button")));
  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
}

static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->ui.platform, "redeemable", "pickup");
  g_autoptr(GString) offenders = g_string_new (NULL);
  g_autoptr(ScTestAccessible) app = NULL;
  g_autoptr(ScTestAccessible) row = NULL;
  g_autoptr(GtSignalLogger) toasts = NULL;
  g_autofree char *toast = NULL;

  g_test_summary ("Every control of the window, on the login page and on the Scan page "
                  "with a verdict, history rows and the undo toast, has a name of its "
                  "own over AT-SPI: not empty, not a type name, no mnemonic underscore, "
                  "not doubled");

  check_names (fixture, "login page", offenders);

  sc_test_ui_log_in_ok (fixture->ui.window);
  toasts = sc_test_ui_log_toasts (fixture->ui.window);
  sc_test_ui_submit (fixture->ui.scan, code);
  /* The Redeem button is shown (GTK leaves hidden widgets out). */
  g_assert_true (gtk_widget_get_visible (sc_test_ui_child (fixture->ui.card, "redeem_button")));
  check_names (fixture, "scan page, verdict", offenders);
  redeem_shown (fixture);
  /* The undo toast is up. */
  g_assert_cmpuint (sc_test_ui_pop_toasts (toasts, &toast), >, 0);
  g_assert_nonnull (strstr (toast, code));
  check_names (fixture, "scan page, redeemed", offenders);

  /* The demo codes dialog (test platforms): a Try button per row. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->ui.window), "window.demo-codes",
                                             NULL));
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->ui.window, SC_TYPE_DEMO_CODES_DIALOG) != NULL);
  SC_TEST_WAIT_FOR (sc_demo_codes_dialog_get_loaded (SC_DEMO_CODES_DIALOG (
                      sc_test_ui_dialog (fixture->ui.window, SC_TYPE_DEMO_CODES_DIALOG))));
  check_names (fixture, "demo codes", offenders);
  gtk_window_destroy (sc_test_ui_dialog (fixture->ui.window, SC_TYPE_DEMO_CODES_DIALOG));
  SC_TEST_WAIT_FOR (sc_test_ui_dialog (fixture->ui.window, SC_TYPE_DEMO_CODES_DIALOG) == NULL);

  if (offenders->len > 0)
    g_test_message ("Controls without a proper accessible name:\n%s", offenders->str);
  g_assert_cmpstr (offenders->str, ==, "");

  /* A history row says what it shows: "<code>: <state>, <time>". */
  app = sc_test_atspi_get_app (fixture->atspi);
  row = find_named (fixture->atspi, app, "list item", code);
  g_assert_nonnull (row);
  {
    g_autofree char *name = sc_test_atspi_get_name (fixture->atspi, row);
    g_autofree char *shown = sc_test_ui_dup_recent_text (fixture->ui.scan, 0);
    g_auto(GStrv) parts = g_strsplit (shown, " ", 3);  /* time, code, state */
    g_autofree char *expected = NULL;

    g_assert_cmpuint (g_strv_length (parts), ==, 3);
    expected = g_strdup_printf ("%s: %s, %s", parts[1], parts[2], parts[0]);
    g_test_message ("history row: %s", name);
    g_assert_cmpstr (name, ==, expected);
  }
}

/* The new values of the PropertyChange @property events ("accessible-name",
 * "accessible-description") seen since the last call, from sources of
 * @role, one a line; empty values (a value cleared to be set again) are
 * left out, as a screen reader has nothing to say for them. @name
 * (nullable): the name every source must have. */
static char *
changes_keep (Fixture          *fixture,
              ScTestAccessible *app,
              const char       *property,
              const char       *role,
              const char       *name)
{
  GPtrArray *events;
  GString *out = g_string_new (NULL);

  sc_test_atspi_flush (fixture->atspi, app);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  events = sc_test_atspi_get_events (fixture->atspi);
  for (guint i = 0; i < events->len; i++)
    {
      ScTestAtspiEvent *event = g_ptr_array_index (events, i);
      ScTestAccessible source = { event->bus_name, event->path };
      g_autofree char *source_role = NULL;

      if (g_strcmp0 (event->member, "PropertyChange") != 0 ||
          g_strcmp0 (event->kind, property) != 0 ||
          !g_variant_is_of_type (event->value, G_VARIANT_TYPE_STRING) ||
          *g_variant_get_string (event->value, NULL) == '\0')
        continue;
      source_role = sc_test_atspi_get_role_name (fixture->atspi, &source);
      if (g_strcmp0 (source_role, role) != 0)
        continue;
      g_string_append_printf (out, "%s\n", g_variant_get_string (event->value, NULL));
      if (name != NULL)
        {
          g_autofree char *source_name = sc_test_atspi_get_name (fixture->atspi, &source);

          g_assert_cmpstr (source_name, ==, name);
        }
    }
  return g_string_free (out, FALSE);
}

/* changes_keep(), then forgets the events seen. */
static char *
changes (Fixture          *fixture,
         ScTestAccessible *app,
         const char       *property,
         const char       *role,
         const char       *name)
{
  char *out = changes_keep (fixture, app, property, role, name);

  sc_test_atspi_clear_events (fixture->atspi);
  return out;
}

static char *
expected_words (ScVerdictStatus  status,
                const char      *code)
{
  return g_strdup_printf ("%s: Pickup code %s\n", sc_verdict_status_get_label (status), code);
}

static void
test_announce (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->ui.platform, "redeemable", "pickup");
  g_autofree char *expired = sc_test_ui_demo_code (fixture->ui.platform, "expired", "pickup");
  g_autoptr(ScTestAccessible) app = sc_test_atspi_get_app (fixture->atspi);
  g_autoptr(GString) unused = g_string_new (NULL);
  g_autofree char *said = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("Each verdict is announced over AT-SPI while the focus stays in the "
                  "entry: the focused entry's description becomes the status words and "
                  "the code (a PropertyChange event, also when the same answer comes "
                  "twice), and once a screen reader has explored the window, the card's "
                  "status-role banner takes the same words as its name");

  sc_test_ui_log_in_ok (fixture->ui.window);
  sc_test_atspi_flush (fixture->atspi, app);
  sc_test_atspi_clear_events (fixture->atspi);

  /* The first verdict after the login, before anyone explored the window:
   * said by the code entry, which keeps the focus. (GTK 4.8 does not always
   * report the "focused" state over AT-SPI: it was missing for the second
   * window of a run under Xvfb, so GTK's own focus is checked.) */
  sc_test_ui_submit (fixture->ui.scan, code);
  said = changes (fixture, app, "accessible-description", "text box", "Code");
  expected = expected_words (SC_VERDICT_STATUS_REDEEMABLE, code);
  g_test_message ("said: %s", said);
  g_assert_cmpstr (said, ==, expected);
  g_assert_true (gtk_widget_has_focus (sc_scan_page_get_entry (fixture->ui.scan)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->ui.window)),
                                         sc_scan_page_get_entry (fixture->ui.scan)));

  /* The same code again: the same words, said again. */
  g_clear_pointer (&said, g_free);
  sc_test_ui_submit (fixture->ui.scan, code);
  said = changes (fixture, app, "accessible-description", "text box", "Code");
  g_assert_cmpstr (said, ==, expected);

  /* A screen reader explores the window (and sees the card's banner). */
  check_names (fixture, "explored", unused);
  sc_test_atspi_clear_events (fixture->atspi);

  /* Redeemed with the button: said, and the status changes its name. */
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&expected, g_free);
  redeem_shown (fixture);
  shown = changes_keep (fixture, app, "accessible-name", "status", NULL);
  said = changes (fixture, app, "accessible-description", "text box", "Code");
  /* The card's headline after a redemption ("Redeemed"), not a status. */
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==, "Redeemed");
  expected = g_strdup_printf ("Redeemed: Pickup code %s\n", code);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpstr (said, ==, expected);

  /* A negative verdict. */
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&expected, g_free);
  sc_test_ui_submit (fixture->ui.scan, expired);
  shown = changes_keep (fixture, app, "accessible-name", "status", NULL);
  said = changes (fixture, app, "accessible-description", "text box", "Code");
  expected = expected_words (SC_VERDICT_STATUS_EXPIRED, expired);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpstr (said, ==, expected);

  /* What a screen reader finds when it looks: the status, by its role,
   * and the entry described by the last answer. */
  {
    g_autoptr(ScTestAccessible) status = find_named (fixture->atspi, app, "status", expired);
    g_autoptr(ScTestAccessible) entry = find_named (fixture->atspi, app, "text box", "Code");
    g_autofree char *description = NULL;

    g_assert_nonnull (status);
    g_assert_nonnull (entry);
    description = sc_test_atspi_get_description (fixture->atspi, entry);
    g_assert_true (g_str_has_suffix (expected, "\n"));
    expected[strlen (expected) - 1] = '\0';
    g_assert_cmpstr (description, ==, expected);

    /* Esc: the card empties, and the entry tells no stale answer. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->ui.scan), "scan.clear", NULL));
    g_clear_pointer (&description, g_free);
    description = sc_test_atspi_get_description (fixture->atspi, entry);
    g_assert_cmpstr (description, ==, "");
  }
}

/* In Chinese (in a subprocess, so that gettext starts clean): the names
 * and the announcement are translated. */
static void
test_subprocess_zh (void)
{
  g_autofree char *code = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *said = NULL;
  g_autoptr(GString) offenders = g_string_new (NULL);
  g_autoptr(ScTestAccessible) app = NULL;
  g_autoptr(ScTestAccessible) row = NULL;
  Fixture fixture = { { NULL, }, };

  if (!g_test_subprocess ())
    return;

  sc_test_ui_bind_translations ();
  fixture_setup (&fixture, NULL);
  app = sc_test_atspi_get_app (fixture.atspi);
  code = sc_test_ui_demo_code (fixture.ui.platform, "redeemable", "pickup");
  check_names (&fixture, "登录页", offenders);
  sc_test_ui_log_in_ok (fixture.ui.window);
  sc_test_atspi_flush (fixture.atspi, app);
  sc_test_atspi_clear_events (fixture.atspi);

  sc_test_ui_submit (fixture.ui.scan, code);
  said = changes (&fixture, app, "accessible-description", "text box", "码");
  expected = g_strdup_printf ("待核销：提货码 %s\n", code);
  g_assert_cmpstr (said, ==, expected);

  check_names (&fixture, "扫码页", offenders);
  g_assert_cmpstr (offenders->str, ==, "");
  row = find_named (fixture.atspi, app, "list item", code);
  g_assert_nonnull (row);
  {
    g_autofree char *name = sc_test_atspi_get_name (fixture.atspi, row);
    g_autofree char *start = g_strdup_printf ("%s：待核销，", code);

    g_test_message ("历史行: %s", name);
    g_assert_true (g_str_has_prefix (name, start));
  }
  fixture_teardown (&fixture, NULL);
}

static void
test_zh (void)
{
  g_test_summary ("In Chinese, every control is named and a verdict is announced as "
                  "\"待核销：提货码 …\"");

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess ("/ui/a11y/subprocess/zh", 240 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  sc_test_atspi_prepare ();
  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/a11y/names", test_names);
  SC_TEST_UI_ADD ("/ui/a11y/announce", test_announce);
  g_test_add_func ("/ui/a11y/zh_CN", test_zh);
  g_test_add_func ("/ui/a11y/subprocess/zh", test_subprocess_zh);
  return sc_test_ui_run ();
}
