/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-application.h"
#include "sc-banner.h"
#include "sc-counter.h"
#include "sc-counter-queries.h"
#include "sc-freshness.h"
#include "sc-login-page.h"
#include "sc-scan-page.h"
#include "sc-scan-router.h"
#include "sc-scanner-input.h"
#include "sc-secret.h"
#include "sc-session-store.h"
#include "sc-time.h"
#include "sc-window-private.h"

#define CONFLICTS_BANNER "conflicts"
#define CLOCK_BANNER "clock"

G_DEFINE_FINAL_TYPE (ScWindow, sc_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PLATFORM_URL,
  PROP_DB_PATH,
  PROP_ADMIN_TOKEN,
  PROP_TOASTER,
  PROP_COUNTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The callbacks of our async calls get the window's cancellable, tagged with
 * the window; once dispose cancelled it they return without touching it. */
static GCancellable *
call_ref (ScWindow *self)
{
  return g_object_ref (self->cancellable);
}

static ScWindow *
call_window (GCancellable *cancellable)
{
  return g_object_get_data (G_OBJECT (cancellable), "sc-window");
}

static void
toaster_shown_cb (ScWindow *self)
{
  if (sc_toaster_get_shown (self->toaster))
    gtk_widget_add_css_class (GTK_WIDGET (self->scan_page), "toast-shown");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->scan_page), "toast-shown");
}

/* The Scan page's toasts. */
static void
show_toast_cb (ScWindow *self,
               AdwToast *toast)
{
  sc_toaster_add (self->toaster, toast);
}

static void
warn_keyring_once (ScWindow *self)
{
  gboolean locked = sc_session_store_get_locked (self->session_store);

  /* Locked: a quiet line on the login page, where nobody is scanning (a
   * toast would sit in front of the undo toasts), and Preferences. */
  sc_login_page_set_note (self->login_page,
                          locked ? _("The keyring is locked: the login is kept in memory until "
                                     "you quit. To keep it, press Save in keyring in "
                                     "Preferences.") : NULL);
  if (self->keyring_warned || locked || sc_session_store_get_available (self->session_store))
    return;
  self->keyring_warned = TRUE;
  sc_toaster_add_text (self->toaster,
                       _("No keyring found: after a restart you will need to log in again, "
                         "and pickup codes and PINs cannot be checked offline until the "
                         "platform answers once"));
}

/* ---- header ---- */

static void
update_session_header (ScWindow *self)
{
  const ScSession *session = self->counter ? sc_counter_get_session (self->counter) : NULL;
  g_autofree char *text = NULL;

  if (session != NULL)
    /* Translators: header, "<store name> · <clerk name>" */
    text = g_strdup_printf (_("%s · %s"),
                            session->store_name ? session->store_name : session->store_id,
                            session->clerk_name ? session->clerk_name : session->clerk_id);
  gtk_label_set_text (GTK_LABEL (self->session_label), text != NULL ? text : "");
  /* Once: not also as the title's subtitle in narrow windows. */
  gtk_widget_set_visible (self->session_label, session != NULL);
}

/* The tabs at the bottom (narrow windows) come with the panes they switch,
 * never on the login page. */
static void
update_switcher_bar (ScWindow *self)
{
  gboolean on_main = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
  gboolean narrow = adw_view_switcher_title_get_title_visible (self->switcher_title);

  adw_view_switcher_bar_set_reveal (self->switcher_bar, on_main && narrow);
}

/* ---- clock ---- */

/* Validity windows are judged by this computer's clock, offline too: a clock
 * far from the platform's makes codes look expired or not yet valid. */
static void
update_clock_banner (ScWindow *self)
{
  gint64 skew = self->counter != NULL ? sc_counter_get_clock_skew (self->counter) : 0;
  gint64 minutes = (ABS (skew) + 30) / 60;
  g_autofree char *text = NULL;

  if (ABS (skew) <= SC_COUNTER_CLOCK_SKEW_WARN_S)
    {
      sc_banner_hide (self->banner, CLOCK_BANNER);
      return;
    }

  if (skew > 0)
    /* Translators: banner; the computer's clock is behind the platform's */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This computer’s clock is %d minute slow. Codes may "
                                         "be judged by the wrong time: set the clock right.",
                                         "This computer’s clock is %d minutes slow. Codes may "
                                         "be judged by the wrong time: set the clock right.",
                                         (gulong) minutes),
                            (int) minutes);
  else
    /* Translators: banner; the computer's clock is ahead of the platform's */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This computer’s clock is %d minute fast. Codes may "
                                         "be judged by the wrong time: set the clock right.",
                                         "This computer’s clock is %d minutes fast. Codes may "
                                         "be judged by the wrong time: set the clock right.",
                                         (gulong) minutes),
                            (int) minutes);
  sc_banner_show (self->banner, CLOCK_BANNER, text, NULL, NULL);
}

/* ---- conflicts ---- */

static void
update_conflicts_banner (ScWindow *self)
{
  guint conflicts = self->counter != NULL ? sc_counter_get_conflicts (self->counter) : 0;
  g_autofree char *text = NULL;

  if (conflicts == 0)
    {
      sc_banner_hide (self->banner, CONFLICTS_BANNER);
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u code redeemed here had already been redeemed "
                                       "elsewhere",
                                       "%u codes redeemed here had already been redeemed "
                                       "elsewhere",
                                       conflicts),
                          conflicts);
  /* Translators: banner button, opens the list of conflicts */
  sc_banner_show (self->banner, CONFLICTS_BANNER, text, _("_Review"),
                  "window.review-conflicts");
}

typedef struct
{
  GCancellable *cancellable;  /* (owned) the window's */
  char         *store_id;     /* (owned) the session's store when asked */
} ManifestStateCall;

static void
manifest_state_call_free (ManifestStateCall *call)
{
  g_clear_object (&call->cancellable);
  g_free (call->store_id);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManifestStateCall, manifest_state_call_free)

static void
manifest_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ManifestStateCall) call = user_data;
  g_autoptr(GError) error = NULL;
  ScWindow *self;
  const ScSession *session;
  gint64 fetched_at = 0;
  gboolean ok;

  ok = sc_counter_get_manifest_state_finish (SC_COUNTER (object), result, &fetched_at, &error);
  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  self = call_window (call->cancellable);
  if (!ok)
    {
      g_warning ("Cannot read how old the codes list is: %s", error->message);
      return;
    }
  session = self->counter != NULL ? sc_counter_get_session (self->counter) : NULL;
  if (session == NULL || g_strcmp0 (session->store_id, call->store_id) != 0)
    return;  /* another session since */
  sc_freshness_set_cached_at (self->freshness, fetched_at);
}

/* A new session: how old is the codes list this counter already holds? */
static void
save_store_key_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;

  sc_session_store_save_key_finish (SC_SESSION_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  if (error != NULL)
    g_debug ("Cannot keep the store's key: %s", error->message);
  warn_keyring_once (call_window (cancellable));
}

static void
session_changed_cb (ScWindow *self)
{
  const ScSession *session = sc_counter_get_session (self->counter);
  ManifestStateCall *call;

  sc_freshness_set_cached_at (self->freshness, 0);
  update_conflicts_banner (self);
  if (session == NULL)
    return;

  call = g_new0 (ManifestStateCall, 1);
  call->cancellable = call_ref (self);
  call->store_id = g_strdup (session->store_id);
  sc_counter_get_manifest_state_async (self->counter, call->store_id, self->cancellable,
                                       manifest_state_cb, call);

  /* The store's key, for offline checks after a restart (DESIGN §13). */
  if (session->token != NULL && session->manifest_key != NULL)
    sc_session_store_save_key_async (self->session_store, self->platform_url,
                                     session->store_id, session->manifest_key,
                                     self->cancellable, save_store_key_cb, call_ref (self));
}

/* ---- pages ---- */

static void
show_main (ScWindow *self)
{
  update_session_header (self);
  sc_freshness_update (self->freshness, sc_time_now_unix ());
  gtk_widget_set_visible (GTK_WIDGET (self->chip), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->freshness), TRUE);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.logout", TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_focus_entry (self->scan_page);
}

void
sc_window_show_login (ScWindow *self)
{
  g_autofree char *store_id = g_settings_get_string (self->settings, "store-id");
  g_autofree char *clerk_id = g_settings_get_string (self->settings, "clerk-id");

  update_session_header (self);
  gtk_widget_set_visible (GTK_WIDGET (self->chip), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->freshness), FALSE);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.logout", FALSE);
  sc_login_page_set_ids (self->login_page, store_id, clerk_id);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
  sc_login_page_focus (self->login_page);
}

static void
show_error (ScWindow   *self,
            const char *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

/* ---- session ---- */

static void
save_session_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  ScWindow *self;

  sc_session_store_save_finish (SC_SESSION_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);
  if (error != NULL)
    g_warning ("Cannot save the session: %s", error->message);
  warn_keyring_once (self);
}

static void
save_session (ScWindow *self)
{
  const ScSession *session = sc_counter_get_session (self->counter);

  if (session == NULL)
    return;
  g_settings_set_string (self->settings, "store-id", session->store_id);
  g_settings_set_string (self->settings, "clerk-id", session->clerk_id);
  sc_session_store_save_async (self->session_store, self->platform_url, session,
                               self->cancellable, save_session_cb, call_ref (self));
}

static void
logged_in_cb (ScWindow *self)
{
  /* A scripted login (a demo, a kiosk script) lasts as long as the window;
   * only a clerk's own login goes to the keyring. */
  if (!self->scripted_login)
    save_session (self);
  self->scripted_login = FALSE;
  show_main (self);
}

static void
load_session_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSession) session = NULL;
  ScWindow *self;

  session = sc_session_store_load_finish (SC_SESSION_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);
  if (error != NULL)
    g_warning ("Cannot load the saved session: %s", error->message);
  warn_keyring_once (self);

  if (session != NULL)
    {
      sc_counter_set_session (self->counter, session);
      show_main (self);
    }
  else
    sc_window_show_login (self);
}

/* The counter's "session-expired": ask for the PIN (below). */
static void session_expired_cb (ScWindow *self);
static void load_store_key_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data);

/* The store whose key to read at start: a scripted login's, else the last
 * store logged in to (settings). */
static char *
start_store_id (ScWindow *self)
{
  if (self->pending_store != NULL)
    return g_strdup (self->pending_store);
  return g_settings_get_string (self->settings, "store-id");
}

static void
services_open_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScCounter) counter = NULL;
  g_autofree char *store = NULL;
  ScWindow *self;

  counter = sc_application_open_finish (SC_APPLICATION (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);

  if (counter == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the local database could not be opened */
      message = g_strdup_printf (_("The local data of this counter cannot be opened: %s"),
                                 error->message);
      show_error (self, message);
      return;
    }

  self->counter = g_steal_pointer (&counter);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
  g_signal_connect_object (self->counter, "notify::conflicts",
                           G_CALLBACK (update_conflicts_banner), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::clock-skew",
                           G_CALLBACK (update_clock_banner), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::session",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "session-expired",
                           G_CALLBACK (session_expired_cb), self, G_CONNECT_SWAPPED);
  sc_scan_page_set_counter (self->scan_page, self->counter);
  sc_status_chip_set_counter (self->chip, self->counter);
  sc_freshness_set_counter (self->freshness, self->counter);
  sc_login_page_set_counter (self->login_page, self->counter);
  /* Before a login, too, the chip says whether the platform answers. */
  sc_counter_check_online (self->counter);

  /* The last store's key from the keyring first: offline logins and
   * offline lookups need it. */
  store = start_store_id (self);
  sc_session_store_load_key_async (self->session_store, self->platform_url, store,
                                   self->cancellable, load_store_key_cb, call_ref (self));
}

static void
load_store_key_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) key = NULL;
  g_autofree char *key_store = NULL;
  ScWindow *self;

  key = sc_session_store_load_key_finish (SC_SESSION_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);
  if (error != NULL)
    g_debug ("Cannot read the store's key: %s", error->message);
  key_store = start_store_id (self);
  if (key != NULL && *key_store != '\0')
    sc_counter_set_store_key (self->counter, key_store, key);

  if (self->pending_pin != NULL)
    {
      g_autofree char *store = g_steal_pointer (&self->pending_store);
      g_autofree char *clerk = g_steal_pointer (&self->pending_clerk);
      g_autoptr(ScSecretText) pin = g_steal_pointer (&self->pending_pin);

      sc_window_show_login (self);
      sc_login_page_log_in (self->login_page, store, clerk, pin);
      return;
    }

  sc_session_store_load_async (self->session_store, self->platform_url, self->cancellable,
                               load_session_cb, call_ref (self));
}

void
sc_window_log_in (ScWindow   *self,
                  const char *store_id,
                  const char *clerk_id,
                  const char *pin)
{
  g_return_if_fail (SC_IS_WINDOW (self));

  self->scripted_login = TRUE;
  if (self->counter != NULL)
    {
      sc_window_show_login (self);
      sc_login_page_log_in (self->login_page, store_id, clerk_id, pin);
      return;
    }
  g_free (self->pending_store);
  g_free (self->pending_clerk);
  sc_secret_free (self->pending_pin);
  self->pending_store = g_strdup (store_id);
  self->pending_clerk = g_strdup (clerk_id);
  self->pending_pin = g_strdup (pin);
}

/* ---- log in again ---- */

static void show_reauth_dialog (ScWindow   *self,
                                const char *error_text);

/* Whichever way the dialog ends, a code scanned meanwhile goes on. */
static void
reauth_cancelled_cb (ScWindow *self)
{
  sc_scan_page_focus_entry (self->scan_page);
  sc_scan_router_release (self->router);
}

static void
reauth_retry_cb (ScWindow   *self,
                 const char *reason)
{
  show_reauth_dialog (self, reason);
  sc_scan_router_release (self->router);
}

static void
reauth_logged_in_cb (ScWindow *self)
{
  save_session (self);
  update_session_header (self);
  sc_scan_page_retry (self->scan_page);
  sc_scan_router_release (self->router);
}

/* The dialog closes on its first response. */
static void
reauth_response_cb (ScReauthDialog *dialog,
                    const char     *response,
                    ScWindow       *self)
{
  if (self->reauth_dialog == dialog)
    self->reauth_dialog = NULL;
}

static void
show_reauth_dialog (ScWindow   *self,
                    const char *error_text)
{
  g_autofree char *store_id = NULL;
  g_autofree char *clerk_id = NULL;
  ScReauthDialog *dialog;

  if (self->reauth_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->reauth_dialog));
      return;
    }

  store_id = g_settings_get_string (self->settings, "store-id");
  clerk_id = g_settings_get_string (self->settings, "clerk-id");
  dialog = sc_reauth_dialog_new (GTK_WINDOW (self), self->counter, store_id, clerk_id,
                                 error_text, self->cancellable);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reauth_response_cb), self, 0);
  g_signal_connect_object (dialog, "cancelled", G_CALLBACK (reauth_cancelled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "retry", G_CALLBACK (reauth_retry_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "logged-in", G_CALLBACK (reauth_logged_in_cb), self,
                           G_CONNECT_SWAPPED);
  /* A code scanned from now on waits for the new session (or the cancel). */
  sc_scan_router_hold (self->router);
  self->reauth_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (sc_reauth_dialog_get_entry (dialog)));
}

static void
session_expired_cb (ScWindow *self)
{
  show_reauth_dialog (self, NULL);
}

/* ---- private accessors ---- */


ScScanPage *
sc_window_get_scan_page (ScWindow *self)
{
  return self->scan_page;
}


const char *
sc_window_get_visible_page (ScWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}
















GtkWidget *
sc_window_get_pane (ScWindow *self)
{
  return adw_view_stack_get_visible_child (self->view_stack);
}

/* ---- GObject ---- */

ScWindow *
sc_window_new (AdwApplication *application,
               const char     *platform_url,
               const char     *db_path,
               const char     *admin_token)
{
  ScWindow *self;
  ScApplication *app;

  g_return_val_if_fail (SC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (platform_url != NULL, NULL);

  self = g_object_new (SC_TYPE_WINDOW,
                       "application", application,
                       "platform-url", platform_url,
                       "db-path", db_path,
                       "admin-token", admin_token,
                       NULL);

  /* The application builds the services; the window uses them. */
  app = SC_APPLICATION (application);
  self->session_store = g_object_ref (sc_application_get_session_store (app));
  g_signal_connect_object (self->session_store, "notify::available",
                           G_CALLBACK (warn_keyring_once), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_store, "notify::locked",
                           G_CALLBACK (warn_keyring_once), self, G_CONNECT_SWAPPED);
  sc_application_open_async (app, self->platform_url, self->db_path, self->cancellable,
                             services_open_cb, call_ref (self));
  return self;
}

static gboolean
sc_window_close_request (GtkWindow *window)
{
  ScWindow *self = SC_WINDOW (window);
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (sc_window_parent_class)->close_request (window);
}

static void
sc_window_constructed (GObject *object)
{
  ScWindow *self = SC_WINDOW (object);

  G_OBJECT_CLASS (sc_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.demo-codes",
                                 self->admin_token != NULL);
}

static void
sc_window_dispose (GObject *object)
{
  ScWindow *self = SC_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->reauth_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reauth_dialog));
  self->reauth_dialog = NULL;
  sc_window_close_dialogs (self);

  G_OBJECT_CLASS (sc_window_parent_class)->dispose (object);

  g_clear_object (&self->counter);
  g_clear_object (&self->session_store);
  g_clear_object (&self->router);
  g_clear_object (&self->toaster);
  g_clear_object (&self->scanner);
  g_clear_object (&self->settings);
}

static void
sc_window_finalize (GObject *object)
{
  ScWindow *self = SC_WINDOW (object);

  g_free (self->platform_url);
  g_free (self->db_path);
  g_free (self->admin_token);
  g_free (self->pending_store);
  g_free (self->pending_clerk);
  sc_secret_free (self->pending_pin);
  g_free (self->camera_override);
  g_free (self->camera_spec);

  G_OBJECT_CLASS (sc_window_parent_class)->finalize (object);
}

static void
sc_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ScWindow *self = SC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLATFORM_URL:
      g_value_set_string (value, self->platform_url);
      break;
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;
    case PROP_ADMIN_TOKEN:
      g_value_set_string (value, self->admin_token);
      break;
    case PROP_TOASTER:
      g_value_set_object (value, self->toaster);
      break;
    case PROP_COUNTER:
      g_value_set_object (value, self->counter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ScWindow *self = SC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLATFORM_URL:
      self->platform_url = g_value_dup_string (value);
      break;
    case PROP_DB_PATH:
      self->db_path = g_value_dup_string (value);
      break;
    case PROP_ADMIN_TOKEN:
      self->admin_token = g_value_dup_string (value);
      if (self->admin_token != NULL && *self->admin_token == '\0')
        g_clear_pointer (&self->admin_token, g_free);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_window_class_init (ScWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sc_window_constructed;
  object_class->dispose = sc_window_dispose;
  object_class->finalize = sc_window_finalize;
  object_class->get_property = sc_window_get_property;
  object_class->set_property = sc_window_set_property;
  window_class->close_request = sc_window_close_request;

  properties[PROP_PLATFORM_URL] =
    g_param_spec_string ("platform-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADMIN_TOKEN] =
    g_param_spec_string ("admin-token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Every toast of the window goes through it ("added"). */
  properties[PROP_TOASTER] =
    g_param_spec_object ("toaster", NULL, NULL, SC_TYPE_TOASTER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* (nullable) until the application opened it. */
  properties[PROP_COUNTER] =
    g_param_spec_object ("counter", NULL, NULL, SC_TYPE_COUNTER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SC_TYPE_BANNER);
  g_type_ensure (SC_TYPE_LOGIN_PAGE);
  g_type_ensure (SC_TYPE_SCAN_PAGE);
  g_type_ensure (SC_TYPE_STATUS_CHIP);
  g_type_ensure (SC_TYPE_FRESHNESS);
  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScWindow, session_label);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, chip);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, freshness);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, scan_page);
  gtk_widget_class_bind_template_callback (widget_class, logged_in_cb);

  sc_window_class_add_actions (widget_class);
}

static void
sc_window_init (ScWindow *self)
{
  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "sc-window", self);
  self->settings = g_settings_new (APP_ID);
  self->scanner = sc_scanner_input_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  sc_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
  sc_a11y_watch_toasts (self->toast_overlay);
  self->toaster = sc_toaster_new (self->toast_overlay);
  /* While a toast is up, the Scan page keeps its bottom clear of it
   * (.toast-shown in style.css): no part of the card hides under it. */
  g_signal_connect_object (self->toaster, "notify::shown", G_CALLBACK (toaster_shown_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "auto-redeem-pickup", self->scan_page, "auto-redeem-pickup",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "sounds", self->scan_page, "sounds", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->scan_page, "show-toast", G_CALLBACK (show_toast_cb), self,
                           G_CONNECT_SWAPPED);

  sc_window_add_inputs (self);
  sc_window_add_shortcuts (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.logout", FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}
