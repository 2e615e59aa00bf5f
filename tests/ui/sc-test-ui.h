/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the UI tests (tests/ui/) share: the process set-up under Xvfb, the
 * wait loop, and the clerk's gestures on the real window. */
#pragma once

#include <adwaita.h>
#include <libglib-testing/signal-logger.h>

#include "sc-application.h"
#include "sc-preferences-window.h"
#include "sc-scan-page-private.h"
#include "sc-test-platform.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

G_BEGIN_DECLS

/* How long SC_TEST_WAIT_FOR waits before it fails the test. */
#define SC_TEST_UI_WAIT_SECONDS 30

gboolean       sc_test_ui_timeout_cb          (gpointer data);

/* Iterates the main context until @cond holds; fails the test after
 * SC_TEST_UI_WAIT_SECONDS. */
#define SC_TEST_WAIT_FOR(cond)                                                \
  G_STMT_START {                                                              \
    gboolean timed_out_ = FALSE;                                              \
    guint id_ = g_timeout_add_seconds (SC_TEST_UI_WAIT_SECONDS,               \
                                       sc_test_ui_timeout_cb, &timed_out_);   \
    while (!(cond) && !timed_out_)                                            \
      g_main_context_iteration (NULL, TRUE);                                  \
    if (timed_out_)                                                           \
      g_error ("Timed out waiting for: %s", #cond);                           \
    g_source_remove (id_);                                                    \
  } G_STMT_END

/* Remembers the real XDG_DATA_DIRS (also for subprocesses, through
 * SC_TEST_SYSTEM_DATA_DIRS), keeps GDK off GL, calls g_test_init() with
 * G_TEST_OPTION_ISOLATE_DIRS and makes every warning fatal but GTK 4.8's
 * harmless allocation one. */
void           sc_test_ui_init                (int          *argc,
                                               char       ***argv);
/* sc_test_ui_init(), then the shared application (sc_test_ui_get_app()). */
void           sc_test_ui_init_with_app       (int          *argc,
                                               char       ***argv);
/* A new registered application, with the cursor blink off (Xvfb has no
 * window manager) and the system's icon themes found. */
ScApplication *sc_test_ui_app_new             (void);
ScApplication *sc_test_ui_get_app             (void);
/* g_test_run(), then frees what sc_test_ui_init*() set up. */
int            sc_test_ui_run                 (void);
/* Adds the test @func at @path with the test file's Fixture, fixture_setup
 * and fixture_teardown: the names a UI test's own fixture goes by. */
#define SC_TEST_UI_ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* Points XDG_DATA_DIRS back at the system's (icons, MIME data). */
void           sc_test_ui_restore_data_dirs   (void);
const char    *sc_test_ui_get_system_data_dirs (void);
/* A session bus of the test's own, with no Secret Service (the app keeps
 * the session in memory: gnome-keyring's prompter would grab the X
 * keyboard) nor an accessibility bus; DISPLAY kept (GTestDBus unsets it).
 * Stop it with g_test_dbus_stop() after sc_test_ui_run(): not
 * g_test_dbus_down() nor the last unref, which wait for the bus connection
 * GtkApplication keeps. */
GTestDBus     *sc_test_ui_private_bus_up      (void);

/* What a window test opens its window with; all zero (or %NULL options):
 * a platform with no extra arguments, the platform's admin token (Demo
 * codes), the window's own size. */
typedef struct
{
  const char * const *platform_args;  /* (nullable) store-counter-platform's */
  gboolean            no_admin_token;
  int                 width;          /* the default size; 0: the window's own */
  int                 height;
} ScTestUiOptions;

/* The set-up every window test starts with: sounds off (test-preferences
 * checks them), the system's data folders back (GTK needs the icon theme
 * and MIME data) and a platform of its own, started with @args. */
ScTestPlatform *sc_test_ui_platform_start     (const char * const *args);
/* A new window of the shared application on @platform, presented, once
 * it shows its login page (no saved session: no keyring on the test bus).
 * @options: (nullable). */
ScWindow      *sc_test_ui_window_open         (ScTestPlatform        *platform,
                                               const ScTestUiOptions *options);

/* The fixture of the tests of the whole window: a platform, the window on
 * it, on its login page, and the window's scan page and verdict card. A
 * test's own fixture starts with it when it needs more. */
typedef struct
{
  ScTestPlatform *platform;  /* (owned) */
  ScWindow       *window;    /* (owned) destroyed by the teardown */
  ScScanPage     *scan;      /* (unowned) the window's */
  ScVerdictCard  *card;      /* (unowned) the scan page's */
} ScTestUiFixture;

/* @options: (nullable) a const ScTestUiOptions *: a GTestFixtureFunc. */
void           sc_test_ui_fixture_setup       (ScTestUiFixture *fixture,
                                               gconstpointer    options);
void           sc_test_ui_fixture_teardown    (ScTestUiFixture *fixture,
                                               gconstpointer    data);

/* The text of the card's "status_label". */
const char    *sc_test_ui_status_text         (ScVerdictCard *card);
/* The value of @object's boolean / string @property; the string stays
 * valid until the next call for the same property of @object. */
gboolean       sc_test_ui_get_boolean         (gpointer       object,
                                               const char    *property);
const char    *sc_test_ui_get_string          (gpointer       object,
                                               const char    *property);
/* The page's "completed" emissions since the first call for @scan (count
 * from there: done = sc_test_ui_n_completed (); … > done). */
guint          sc_test_ui_n_completed         (ScScanPage    *scan);
/* The page's verdict card and its history ("card", "recent_list"); the
 * rows shown, and the text of row @index (0 = newest: time, code, status),
 * NULL if there is none. */
ScVerdictCard *sc_test_ui_card                (ScScanPage    *scan);
GtkListBox    *sc_test_ui_recent_list         (ScScanPage    *scan);
guint          sc_test_ui_n_recent            (ScScanPage    *scan);
char          *sc_test_ui_dup_recent_text     (ScScanPage    *scan,
                                               guint          index);
/* The "status-*" CSS class of the card, NULL when empty; TRUE while it
 * flashes (sc_verdict_card_flash()). */
const char    *sc_test_ui_card_css_class      (ScVerdictCard *card);
gboolean       sc_test_ui_card_flashing       (ScVerdictCard *card);
/* The template child @name of @widget, an instance of a final type that
 * has a template (gtk_widget_get_template_child): what a clerk reads and
 * uses, by its id in the .ui: the card's "status_label", "redeem_button",
 * the window's "chip", "login_page", the login page's "pin_row"… */
GtkWidget     *sc_test_ui_child               (gpointer       widget,
                                               const char    *name);
/* The text of @widget's template child @name, a GtkLabel (the card's
 * "reason_label", the window's "session_label"…). */
const char    *sc_test_ui_child_text          (gpointer       widget,
                                               const char    *name);
ScCameraView  *sc_test_ui_camera_view         (ScScanPage    *scan);
/* The text of every label in the card's details area, joined by newlines. */
char          *sc_test_ui_card_details_text   (ScVerdictCard *card);
const char    *sc_test_ui_entry_text          (ScScanPage    *scan);

/* Fills in store 1001, clerk @clerk and @pin on the login page and
 * presses Log In (a button's "activate" clicks it after a short visual
 * press). */
void           sc_test_ui_press_log_in        (ScWindow      *window,
                                               const char    *clerk,
                                               const char    *pin);
/* Logs clerk 1 in with @pin and waits until the login has been answered
 * (whatever the answer). */
void           sc_test_ui_log_in              (ScWindow      *window,
                                               const char    *pin);
/* Logs clerk 1 in with the right PIN and waits for the main page. */
void           sc_test_ui_log_in_ok           (ScWindow      *window);
/* (transfer none) (nullable): the window's "counter", NULL until the
 * cache is open; its login page (template child "login_page"). */
ScCounter     *sc_test_ui_counter             (ScWindow      *window);
ScLoginPage   *sc_test_ui_login_page          (ScWindow      *window);
/* The error the login page shows (NULL when none). */
const char    *sc_test_ui_login_error         (ScLoginPage   *login);
/* (nullable): the window of @type (a dialog, the Preferences) that is
 * transient for @window, from its creation until it is destroyed. */
GtkWindow     *sc_test_ui_dialog              (ScWindow      *window,
                                               GType          type);
/* Opens @window's Preferences (its action "window.preferences") and
 * waits until they are mapped. */
ScPreferencesWindow *sc_test_ui_open_preferences (ScWindow    *window);
/* Logs the toasts of @window from now on ("added" of its "toaster"). */
GtSignalLogger *sc_test_ui_log_toasts         (ScWindow      *window);
/* Pops the toasts @logger logged; returns how many, and in @title the
 * title of the last one (nullable). */
guint          sc_test_ui_pop_toasts          (GtSignalLogger *logger,
                                               char         **title);
/* What a scanner or Enter does: @text into the entry, then "activate";
 * waits for the answer. */
void           sc_test_ui_submit              (ScScanPage    *scan,
                                               const char    *text);
/* Destroys @window and waits until it is finalized. */
void           sc_test_ui_destroy_window      (GtkWindow     *window);

/* A bare (not live-token) demo code of @status and @kind. */
char          *sc_test_ui_demo_code           (ScTestPlatform *platform,
                                               const char     *status,
                                               const char     *kind);
/* @n of them, in the seed's order (the test fails when there are fewer).
 * Returns: (transfer full) (element-type utf8). */
GPtrArray     *sc_test_ui_demo_codes          (ScTestPlatform *platform,
                                               const char     *status,
                                               const char     *kind,
                                               guint           n);
/* The platform's status of @code, looked up as clerk 1 of store 1001. */
char          *sc_test_ui_platform_status     (ScTestPlatform *platform,
                                               const char     *code);
/* Removes @path and the files in it; %NULL does nothing. */
void           sc_test_ui_remove_dir          (const char    *path);

/* <builddir>/tests/ui/screenshots/@name.png, its folder made. */
char          *sc_test_ui_screenshot_path     (const char    *name);
/* Lets @window paint @n_frames frames, then renders it into
 * sc_test_ui_screenshot_path (@name). */
void           sc_test_ui_save_png            (GtkWidget     *window,
                                               const char    *name,
                                               guint          n_frames);

/* setlocale() and gettext bound to the build's translations
 * (STORE_COUNTER_LOCALEDIR), in the language $LANGUAGE names. */
void           sc_test_ui_bind_translations   (void);
/* LANGUAGE=@language, the system's data folders back and
 * sc_test_ui_bind_translations(); for a test subprocess of its own
 * (gettext keeps what it loaded). */
void           sc_test_ui_set_language        (const char    *language);
/* Lets @widget's window paint @n_frames frames. */
void           sc_test_ui_wait_frames         (GtkWidget     *widget,
                                               guint          n_frames);
/* @root and its descendants of @type, depth first.
 * Returns: (transfer container) (element-type GtkWidget). */
GPtrArray     *sc_test_ui_find_all            (GtkWidget     *root,
                                               GType          type);
/* (nullable): the first of them. */
GtkWidget     *sc_test_ui_find                (GtkWidget     *root,
                                               GType          type);
/* (nullable): the first widget under @root with that CSS class / name;
 * the first GtkLabel whose "label" is @text (plain text: no markup nor
 * mnemonic); the first GtkButton labelled @label. */
GtkWidget     *sc_test_ui_find_by_css_class   (GtkWidget     *root,
                                               const char    *css_class);
GtkWidget     *sc_test_ui_find_by_css_name    (GtkWidget     *root,
                                               const char    *css_name);
GtkWidget     *sc_test_ui_find_label          (GtkWidget     *root,
                                               const char    *text);
GtkWidget     *sc_test_ui_find_button         (GtkWidget     *root,
                                               const char    *label);

/* How many rows @list has. */
guint          sc_test_ui_n_rows              (GtkListBox    *list);

G_END_DECLS
