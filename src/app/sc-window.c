/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-banner.h"
#include "sc-cache.h"
#include "sc-conflicts-dialog.h"
#include "sc-counter.h"
#include "sc-demo-codes-dialog.h"
#include "sc-login-page.h"
#include "sc-platform-client.h"
#include "sc-preferences-window.h"
#include "sc-scan-page.h"
#include "sc-scan-router.h"
#include "sc-scanner-input.h"
#include "sc-secret.h"
#include "sc-session-store.h"
#include "sc-time.h"
#include "sc-window-private.h"

#define STALE_MANIFEST_S (24 * 60 * 60)
#define CONFLICTS_BANNER "conflicts"
#define CLOCK_BANNER "clock"

/* One banner asked for by sc_window_show_banner. */
typedef struct
{
  char *id;
  char *text;
  char *button_label;  /* (nullable) */
  char *action_name;   /* (nullable) */
} BannerEntry;

static void
banner_entry_free (BannerEntry *entry)
{
  g_free (entry->id);
  g_free (entry->text);
  g_free (entry->button_label);
  g_free (entry->action_name);
  g_free (entry);
}

struct _ScWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *session_label;
  GtkWidget            *chip;
  GtkImage             *chip_icon;
  GtkLabel             *chip_label;
  GtkWidget            *freshness;
  GtkWidget            *freshness_icon;
  GtkLabel             *freshness_label;
  ScBanner             *banner;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  ScLoginPage          *login_page;
  AdwViewStack         *view_stack;
  ScScanPage           *scan_page;

  /* construct-only */
  char                 *platform_url;   /* (owned) */
  char                 *db_path;        /* (owned) (nullable) */
  char                 *admin_token;    /* (owned) (nullable) */

  GSettings            *settings;       /* (owned) */
  GCancellable         *cancellable;    /* (owned) cancelled in dispose */
  ScCache              *cache;          /* (owned) (nullable) until open */
  ScCounter            *counter;        /* (owned) (nullable) until the cache is open */
  ScSessionStore       *session_store;  /* (owned) */
  ScScannerInput       *scanner;        /* (owned) */
  ScScanRouter         *router;         /* (owned) where the scanner's codes go */

  /* --login: credentials to use once the cache is open */
  char                 *pending_store;  /* (owned) (nullable) */
  char                 *pending_clerk;  /* (owned) (nullable) */
  char                 *pending_pin;    /* (owned) (nullable) */
  gboolean              scripted_login; /* logged in by sc_window_log_in (--login with the
                                         * PIN on stdin): that session is not saved */

  AdwMessageDialog     *reauth_dialog;  /* (unowned) (nullable) */
  GtkEditable          *reauth_entry;   /* (unowned) (nullable) */
  GtkWindow            *demo_dialog;    /* (unowned) (nullable) */
  GtkWindow            *conflicts_dialog; /* (unowned) (nullable) */

  GPtrArray            *banners;        /* (owned) (element-type BannerEntry) the newest
                                         * one is shown */
  guint                 freshness_timer_id;
  gint64                cached_manifest_at; /* unix s: the cache's manifest of the
                                             * session's store, from before this run */
  GtkWindow            *preferences;    /* (unowned) (nullable) while shown */

  /* The Scan page's camera (sc_window_start_camera). */
  gboolean              camera_started;
  char                 *camera_override;  /* (owned) (nullable) --camera, wins over settings */
  char                 *camera_spec;      /* (owned) (nullable) the spec in use; NULL: off */

  gboolean              keyring_warned;
  guint                 n_toasts;
  guint                 n_live_toasts;  /* added and not yet dismissed */
  char                 *last_toast;     /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (ScWindow, sc_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PLATFORM_URL,
  PROP_DB_PATH,
  PROP_ADMIN_TOKEN,
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
toast_dismissed_cb (AdwToast *toast,
                    ScWindow *self)
{
  if (self->n_live_toasts > 0 && --self->n_live_toasts == 0 && self->scan_page != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->scan_page), "toast-shown");
}

/* Takes @toast. While a toast is up, the Scan page keeps its bottom clear of
 * it (.toast-shown in style.css): no part of the card hides under it. */
static void
add_toast (ScWindow *self,
           AdwToast *toast)
{
  self->n_live_toasts++;
  gtk_widget_add_css_class (GTK_WIDGET (self->scan_page), "toast-shown");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
add_toast_text (ScWindow   *self,
                const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  self->n_toasts++;
  add_toast (self, toast);
}

static void
scan_page_toast_cb (ScWindow *self,
                    AdwToast *toast)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));
  self->n_toasts++;
  add_toast (self, g_object_ref (toast));
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
  add_toast_text (self, _("No keyring found: after a restart you will need to log in again, "
                          "and pickup codes and PINs cannot be checked offline until the "
                          "platform answers once"));
}

/* ---- header ---- */

/* One line per clerk whose redemptions wait here for them to log in. */
static void
append_waiting_tooltip (ScWindow *self,
                        GString  *tooltip)
{
  GPtrArray *owners = sc_counter_get_waiting_owners (self->counter);
  const ScSession *session = sc_counter_get_session (self->counter);

  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const ScOutboxOwner *owner = g_ptr_array_index (owners, i);
      const char *store = owner->store_id != NULL ? owner->store_id : "?";
      const char *clerk = owner->clerk_id != NULL ? owner->clerk_id : "?";

      g_string_append_c (tooltip, '\n');
      if (owner->platform_id == NULL || session == NULL || session->platform_id == NULL ||
          g_strcmp0 (owner->platform_id, session->platform_id) == 0)
        g_string_append_printf (tooltip,
                                /* Translators: a count, a clerk's id, a store's id */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u redemption by clerk %s of store %s waits for "
                                             "them to log in here: only they can send it.",
                                             "%u redemptions by clerk %s of store %s wait for "
                                             "them to log in here: only they can send them.",
                                             owner->count),
                                owner->count, clerk, store);
      else
        g_string_append_printf (tooltip,
                                /* Translators: a count, a clerk's id, a store's id */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u redemption by clerk %s of store %s was made "
                                             "with another platform: it waits for them to log "
                                             "in here with that platform.",
                                             "%u redemptions by clerk %s of store %s were made "
                                             "with another platform: they wait for them to log "
                                             "in here with that platform.",
                                             owner->count),
                                owner->count, clerk, store);
    }
}

static void
update_chip (ScWindow *self)
{
  gboolean online;
  guint unsynced;
  guint waiting;
  g_autofree char *text = NULL;

  if (self->counter == NULL)
    return;

  online = sc_counter_get_online (self->counter);
  /* The outbox: this clerk's own, and what waits for another clerk, store
   * or platform (never sent by this session). */
  waiting = sc_counter_get_waiting (self->counter);
  unsynced = sc_counter_get_unsynced (self->counter);
  unsynced = unsynced > waiting ? unsynced - waiting : 0;

  text = g_strdup (online ? _("Online") : _("Offline"));
  if (unsynced > 0)
    {
      g_autofree char *count = NULL;
      g_autofree char *chip = g_steal_pointer (&text);

      /* Translators: redemptions saved at the counter, not yet sent */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unsynced", "%u unsynced",
                                            unsynced),
                               unsynced);
      /* Translators: header chip, "Online · 3 unsynced" */
      text = g_strdup_printf (_("%s · %s"), chip, count);
    }
  if (waiting > 0)
    {
      g_autofree char *count = NULL;
      g_autofree char *chip = g_steal_pointer (&text);

      /* Translators: redemptions saved at the counter by another clerk (or
       * store, or with another platform): only they can send them */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting for another clerk",
                                            "%u waiting for another clerk", waiting),
                               waiting);
      /* Translators: header chip, "Online · 2 waiting for another clerk" */
      text = g_strdup_printf (_("%s · %s"), chip, count);
    }

  gtk_label_set_text (self->chip_label, text);
  {
    g_autoptr(GString) tooltip = g_string_new (NULL);

    if (online)
      g_string_append (tooltip, _("Online: codes are checked with the platform."));
    else
      g_string_append (tooltip, _("Offline: the platform cannot be reached. Pickup codes are "
                                  "checked against this counter’s codes list; coupons and "
                                  "prize vouchers need the network."));
    if (unsynced > 0)
      {
        g_string_append_c (tooltip, '\n');
        g_string_append_printf (tooltip,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u redemption is saved here but not sent yet: "
                                             "it is sent by itself when the platform answers.",
                                             "%u redemptions are saved here but not sent yet: "
                                             "they are sent by themselves when the platform "
                                             "answers.",
                                             unsynced),
                                unsynced);
      }
    append_waiting_tooltip (self, tooltip);
    gtk_widget_set_tooltip_text (self->chip, tooltip->str);
  }
  gtk_image_set_from_icon_name (self->chip_icon, online ? "network-transmit-receive-symbolic"
                                                        : "network-offline-symbolic");
  gtk_widget_remove_css_class (self->chip, online ? "offline" : "online");
  gtk_widget_add_css_class (self->chip, online ? "online" : "offline");
}

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

/* ---- banners ---- */

static void
show_top_banner (ScWindow *self)
{
  const BannerEntry *entry;

  if (self->banners->len == 0)
    {
      sc_banner_set_revealed (self->banner, FALSE);
      return;
    }
  entry = g_ptr_array_index (self->banners, self->banners->len - 1);
  sc_banner_set_title (self->banner, entry->text);
  sc_banner_set_button_label (self->banner, entry->button_label);
  sc_banner_set_action_name (self->banner, entry->action_name);
  sc_banner_set_revealed (self->banner, TRUE);
}

static guint
find_banner (ScWindow   *self,
             const char *id)
{
  for (guint i = 0; i < self->banners->len; i++)
    {
      const BannerEntry *entry = g_ptr_array_index (self->banners, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return i;
    }
  return G_MAXUINT;
}

void
sc_window_show_banner (ScWindow   *self,
                       const char *id,
                       const char *text,
                       const char *button_label,
                       const char *action_name)
{
  BannerEntry *entry;
  guint index;

  g_return_if_fail (SC_IS_WINDOW (self));
  g_return_if_fail (id != NULL && text != NULL);

  index = find_banner (self, id);
  if (index != G_MAXUINT)
    {
      /* Updated in place: it keeps its turn. */
      entry = g_ptr_array_index (self->banners, index);
      g_free (entry->text);
      g_free (entry->button_label);
      g_free (entry->action_name);
    }
  else
    {
      entry = g_new0 (BannerEntry, 1);
      entry->id = g_strdup (id);
      g_ptr_array_add (self->banners, entry);
    }
  entry->text = g_strdup (text);
  entry->button_label = g_strdup (button_label);
  entry->action_name = g_strdup (action_name);
  show_top_banner (self);
}

void
sc_window_hide_banner (ScWindow   *self,
                       const char *id)
{
  guint index;

  g_return_if_fail (SC_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  index = find_banner (self, id);
  if (index == G_MAXUINT)
    return;
  g_ptr_array_remove_index (self->banners, index);
  show_top_banner (self);
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
      sc_window_hide_banner (self, CLOCK_BANNER);
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
  sc_window_show_banner (self, CLOCK_BANNER, text, NULL, NULL);
}

/* ---- conflicts ---- */

static void
update_conflicts_banner (ScWindow *self)
{
  guint conflicts = self->counter != NULL ? sc_counter_get_conflicts (self->counter) : 0;
  g_autofree char *text = NULL;

  if (conflicts == 0)
    {
      sc_window_hide_banner (self, CONFLICTS_BANNER);
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
  sc_window_show_banner (self, CONFLICTS_BANNER, text, _("_Review"),
                         "window.review-conflicts");
}

static void
conflicts_dialog_destroyed_cb (ScWindow *self)
{
  self->conflicts_dialog = NULL;
}

static void
review_conflicts_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  GtkWidget *dialog;

  if (self->counter == NULL || sc_counter_get_session (self->counter) == NULL)
    return;
  if (self->conflicts_dialog != NULL)
    {
      gtk_window_present (self->conflicts_dialog);
      return;
    }

  dialog = sc_conflicts_dialog_new (GTK_WINDOW (self), self->counter);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (conflicts_dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->conflicts_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- how old the codes list is ---- */

void
sc_window_update_freshness (ScWindow *self,
                            gint64    now)
{
  gint64 fetched_at;
  gint64 age;
  gboolean stale;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (SC_IS_WINDOW (self));

  if (self->counter == NULL)
    return;

  fetched_at = MAX (sc_counter_get_manifest_fetched_at (self->counter), self->cached_manifest_at);
  age = MAX (now - fetched_at, 0);
  stale = fetched_at <= 0 || age >= STALE_MANIFEST_S;

  /* Short words under the chip; the whole story in the tooltip. */
  if (fetched_at <= 0)
    {
      /* Translators: under the online chip: the list of today's pickup
       * orders (for offline checks) was never downloaded */
      text = g_strdup (_("No codes list"));
      tooltip = g_strdup (_("This counter has no list of today’s orders yet: connect to "
                            "update. Without it, pickup codes cannot be checked offline."));
    }
  else if (stale)
    {
      guint hours = (guint) MIN (age / 3600, G_MAXUINT);

      /* Translators: under the online chip, "Codes list 26 h old" */
      text = g_strdup_printf (_("Codes list %u h old"), hours);
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Codes list is %u hour old: connect to update. "
                                              "Without the network, pickup codes are checked "
                                              "against this list of today’s orders; codes "
                                              "redeemed elsewhere since may still pass here.",
                                              "Codes list is %u hours old: connect to update. "
                                              "Without the network, pickup codes are checked "
                                              "against this list of today’s orders; codes "
                                              "redeemed elsewhere since may still pass here.",
                                              hours),
                                 hours);
    }
  else
    {
      g_autofree char *when = NULL;

      if (age < 60)
        /* Translators: how long ago the codes list was updated */
        when = g_strdup (_("just now"));
      else if (age < 3600)
        /* Translators: how long ago the codes list was updated, "3 min ago" */
        when = g_strdup_printf (_("%u min ago"), (guint) (age / 60));
      else
        /* Translators: how long ago the codes list was updated, "3 h ago" */
        when = g_strdup_printf (_("%u h ago"), (guint) (age / 3600));

      /* Translators: under the online chip, "Codes list: 3 min ago" */
      text = g_strdup_printf (_("Codes list: %s"), when);
      /* Translators: tooltip; %s is "just now", "3 min ago", "3 h ago" */
      tooltip = g_strdup_printf (_("Codes list updated %s. Without the network, pickup codes "
                                   "are checked against this list of today’s orders; it is "
                                   "updated every 5 minutes while online."),
                                 when);
    }

  gtk_label_set_text (self->freshness_label, text);
  gtk_widget_set_tooltip_text (self->freshness, tooltip);
  gtk_widget_set_visible (self->freshness_icon, stale);
  if (stale)
    gtk_widget_add_css_class (self->freshness, "warning");
  else
    gtk_widget_remove_css_class (self->freshness, "warning");
}

static void
update_freshness (ScWindow *self)
{
  sc_window_update_freshness (self, sc_time_now_unix ());
}

static gboolean
freshness_timer_cb (gpointer user_data)
{
  update_freshness (SC_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
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

  ok = sc_cache_get_manifest_state_finish (SC_CACHE (object), result, NULL, &fetched_at,
                                           &error);
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
  self->cached_manifest_at = fetched_at;
  update_freshness (self);
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

  self->cached_manifest_at = 0;
  update_freshness (self);
  update_conflicts_banner (self);
  if (session == NULL)
    return;

  call = g_new0 (ManifestStateCall, 1);
  call->cancellable = call_ref (self);
  call->store_id = g_strdup (session->store_id);
  sc_cache_get_manifest_state_async (self->cache, call->store_id, self->cancellable,
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
  update_chip (self);
  update_freshness (self);
  gtk_widget_set_visible (self->chip, TRUE);
  gtk_widget_set_visible (self->freshness, TRUE);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.logout", TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_focus_entry (self->scan_page);
}

static void
show_login (ScWindow *self)
{
  g_autofree char *store_id = g_settings_get_string (self->settings, "store-id");
  g_autofree char *clerk_id = g_settings_get_string (self->settings, "clerk-id");

  update_session_header (self);
  gtk_widget_set_visible (self->chip, FALSE);
  gtk_widget_set_visible (self->freshness, FALSE);
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
    show_login (self);
}

static void load_store_key_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
cache_open_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autofree char *store = NULL;
  ScWindow *self;
  gboolean ok;

  ok = sc_cache_open_finish (SC_CACHE (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);

  if (!ok)
    {
      g_autofree char *message = NULL;

      /* Translators: the local database could not be opened */
      message = g_strdup_printf (_("The local data of this counter cannot be opened: %s"),
                                 error->message);
      show_error (self, message);
      return;
    }

  client = sc_platform_client_new (self->platform_url);
  self->counter = sc_counter_new (self->cache, client);
  g_signal_connect_object (self->counter, "notify::online", G_CALLBACK (update_chip),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::waiting", G_CALLBACK (update_chip),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::unsynced", G_CALLBACK (update_chip),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::conflicts",
                           G_CALLBACK (update_conflicts_banner), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::clock-skew",
                           G_CALLBACK (update_clock_banner), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::manifest-fetched-at",
                           G_CALLBACK (update_freshness), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::session",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  sc_scan_page_set_counter (self->scan_page, self->counter);
  sc_login_page_set_counter (self->login_page, self->counter);
  /* Before a login, too, the chip says whether the platform answers. */
  sc_counter_check_online (self->counter);

  /* The last store's key from the keyring first: offline logins and
   * offline lookups need it. */
  store = self->pending_store != NULL ? g_strdup (self->pending_store)
                                      : g_settings_get_string (self->settings, "store-id");
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
  key_store = self->pending_store != NULL ? g_strdup (self->pending_store)
                                          : g_settings_get_string (self->settings, "store-id");
  if (key != NULL && *key_store != '\0')
    sc_counter_set_store_key (self->counter, key_store, key);

  if (self->pending_pin != NULL)
    {
      g_autofree char *store = g_steal_pointer (&self->pending_store);
      g_autofree char *clerk = g_steal_pointer (&self->pending_clerk);
      g_autoptr(ScSecretText) pin = g_steal_pointer (&self->pending_pin);

      show_login (self);
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
      show_login (self);
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

static void
reauth_login_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  ScWindow *self;
  gboolean ok;

  ok = sc_counter_login_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_window (cancellable);

  if (!ok)
    {
      g_autofree char *message = sc_app_describe_error (error, TRUE);

      show_reauth_dialog (self, message);
      sc_scan_router_release (self->router);
      return;
    }

  save_session (self);
  update_session_header (self);
  sc_scan_page_retry (self->scan_page);
  sc_scan_router_release (self->router);
}

static void
reauth_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ScWindow         *self)
{
  const ScSession *session = sc_counter_get_session (self->counter);
  g_autoptr(ScSecretText) pin = NULL;
  g_autofree char *store_id = NULL;
  g_autofree char *clerk_id = NULL;

  if (self->reauth_entry != NULL)
    pin = g_strdup (gtk_editable_get_text (self->reauth_entry));
  self->reauth_dialog = NULL;
  self->reauth_entry = NULL;

  /* A response from the PIN entry (or a test) leaves the dialog open. */
  g_signal_handlers_disconnect_by_func (dialog, reauth_response_cb, self);
  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_destroy (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "login") != 0)
    {
      sc_scan_page_focus_entry (self->scan_page);
      return;
    }

  if (session != NULL)
    {
      store_id = g_strdup (session->store_id);
      clerk_id = g_strdup (session->clerk_id);
    }
  else
    {
      store_id = g_settings_get_string (self->settings, "store-id");
      clerk_id = g_settings_get_string (self->settings, "clerk-id");
    }

  if (pin == NULL || *pin == '\0')
    {
      show_reauth_dialog (self, _("Type the PIN."));
      return;
    }
  /* A code scanned meanwhile waits for the answer. */
  sc_scan_router_hold (self->router);
  sc_counter_login_async (self->counter, store_id, clerk_id, pin, self->cancellable,
                          reauth_login_cb, call_ref (self));
}

static void
reauth_entry_activate_cb (GtkEditable      *entry,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "login");
}

static void
show_reauth_dialog (ScWindow   *self,
                    const char *error_text)
{
  const ScSession *session = sc_counter_get_session (self->counter);
  /* GTK's password buffer: secure memory, wiped when freed. */
  g_autoptr(GtkEntryBuffer) buffer = gtk_password_entry_buffer_new ();
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;

  if (self->reauth_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->reauth_dialog));
      return;
    }

  /* Translators: dialog title when the platform session has expired */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Log In Again"), NULL);
  if (session != NULL)
    /* Translators: store name, clerk name */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The login to %s has expired. Enter the PIN of %s "
                                      "to go on: the code on screen stays."),
                                    session->store_name ? session->store_name : session->store_id,
                                    session->clerk_name ? session->clerk_name : session->clerk_id);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("The login has expired. Enter the PIN to go on."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* A plain hidden GtkEntry: GTK 4.8's GtkPasswordEntry keeps a keyboard
   * handler that outlives it when its dialog is destroyed from "response". */
  entry = gtk_entry_new_with_buffer (buffer);
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("PIN"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  if (error_text != NULL)
    {
      GtkWidget *label = gtk_label_new (error_text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_box_append (GTK_BOX (box), label);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "login", _("_Log In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "login",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "login");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "activate", G_CALLBACK (reauth_entry_activate_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reauth_response_cb), self, 0);

  self->reauth_dialog = ADW_MESSAGE_DIALOG (dialog);
  self->reauth_entry = GTK_EDITABLE (entry);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
session_expired_cb (ScWindow *self)
{
  show_reauth_dialog (self, NULL);
}

/* ---- actions ---- */

static void
clear_session_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sc_session_store_clear_finish (SC_SESSION_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot forget the saved session: %s", error->message);
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (self->counter == NULL)
    return;
  sc_session_store_clear_async (self->session_store, self->platform_url, NULL,
                                clear_session_cb, NULL);
  sc_counter_logout (self->counter);
  sc_scan_page_reset (self->scan_page);
  show_login (self);
}

static void
about_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  static const char *developers[] = { "Store Counter contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Store Counter"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Check and redeem pickup codes, coupons and prize "
                                      "vouchers at the counter."),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
demo_code_chosen_cb (ScWindow   *self,
                     const char *payload)
{
  if (self->demo_dialog != NULL)
    gtk_window_close (self->demo_dialog);
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_submit (self->scan_page, payload, "keyboard");
}

static void
demo_dialog_destroyed_cb (ScWindow *self)
{
  self->demo_dialog = NULL;
}

static void
demo_codes_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  GtkWidget *dialog;

  if (self->admin_token == NULL)
    return;
  if (self->demo_dialog != NULL)
    {
      gtk_window_present (self->demo_dialog);
      return;
    }

  dialog = sc_demo_codes_dialog_new (GTK_WINDOW (self), self->platform_url, self->admin_token);
  g_signal_connect_object (dialog, "code-chosen", G_CALLBACK (demo_code_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (demo_dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->demo_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_destroyed_cb (ScWindow *self)
{
  self->preferences = NULL;
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  GtkWidget *preferences;

  if (self->preferences != NULL)
    {
      gtk_window_present (self->preferences);
      return;
    }

  preferences = sc_preferences_window_new (GTK_WINDOW (self), self->platform_url,
                                           self->camera_override);
  sc_preferences_window_set_session_store (SC_PREFERENCES_WINDOW (preferences),
                                           self->session_store);
  g_signal_connect_object (preferences, "destroy", G_CALLBACK (preferences_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->preferences = GTK_WINDOW (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  /* Not the address field, whose text a stray key would replace: Tab
   * starts from the top. */
  gtk_window_set_focus (GTK_WINDOW (preferences), NULL);
}

static gboolean
logged_in (ScWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (logged_in (self))
    sc_scan_page_undo (self->scan_page, NULL);
}

static void
focus_entry_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (!logged_in (self))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_focus_entry (self->scan_page);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (!logged_in (self))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_clear (self->scan_page);
}

static void
pane_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  static const char *panes[] = { "scan", "claims", "orders", "report" };
  ScWindow *self = SC_WINDOW (widget);
  int index = g_variant_get_int32 (parameter);

  if (!logged_in (self) || index < 1 || index > (int) G_N_ELEMENTS (panes))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, panes[index - 1]);
  if (index == 1)
    sc_scan_page_focus_entry (self->scan_page);
}

/* ---- USB scanner ---- */

gboolean
sc_window_handle_scanner_key (ScWindow *self,
                              guint     keyval,
                              gunichar  ch,
                              guint32   time_ms)
{
  g_return_val_if_fail (SC_IS_WINDOW (self), FALSE);

  return sc_scan_router_key (self->router, gtk_root_get_focus (GTK_ROOT (self)), keyval, ch,
                             time_ms);
}

ScScanRouter *
sc_window_get_scan_router (ScWindow *self)
{
  g_return_val_if_fail (SC_IS_WINDOW (self), NULL);

  return self->router;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ScWindow              *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  return sc_window_handle_scanner_key (self, keyval, gdk_keyval_to_unicode (keyval),
                                       gtk_event_controller_get_current_event_time (
                                         GTK_EVENT_CONTROLLER (controller)));
}

static void
apply_scanner_settings (ScWindow *self)
{
  g_autofree char *prefix = g_settings_get_string (self->settings, "scanner-prefix");
  g_autofree char *suffix = g_settings_get_string (self->settings, "scanner-suffix");

  sc_scanner_input_set_prefix (self->scanner, prefix);
  sc_scanner_input_set_suffix (self->scanner, suffix);
  sc_scanner_input_set_max_interval (self->scanner,
                                     g_settings_get_uint (self->settings,
                                                          "scanner-max-interval-ms"));
}

/* ---- camera ---- */

/* The camera spec from the settings: NULL when off, "" for the first
 * /dev/video*. */
static char *
dup_settings_camera_spec (ScWindow *self)
{
  if (!g_settings_get_boolean (self->settings, "camera-enabled"))
    return NULL;
  return g_settings_get_string (self->settings, "camera-device");
}

static void
apply_camera_settings (ScWindow *self)
{
  g_autofree char *spec = NULL;

  if (!self->camera_started || self->camera_override != NULL)
    return;
  spec = dup_settings_camera_spec (self);
  if (g_strcmp0 (spec, self->camera_spec) == 0)
    return;
  g_free (self->camera_spec);
  self->camera_spec = g_steal_pointer (&spec);
  sc_scan_page_set_camera_spec (self->scan_page, self->camera_spec);
}

void
sc_window_start_camera (ScWindow   *self,
                        const char *override)
{
  g_return_if_fail (SC_IS_WINDOW (self));

  self->camera_started = TRUE;
  g_clear_pointer (&self->camera_override, g_free);
  g_clear_pointer (&self->camera_spec, g_free);
  if (override != NULL)
    {
      self->camera_override = g_strdup (override);
      self->camera_spec = g_str_equal (override, "off") ? NULL : g_strdup (override);
    }
  else
    self->camera_spec = dup_settings_camera_spec (self);
  sc_scan_page_set_camera_spec (self->scan_page, self->camera_spec);
}

/* ---- private accessors ---- */

ScCounter *
sc_window_get_counter (ScWindow *self)
{
  return self->counter;
}

ScScanPage *
sc_window_get_scan_page (ScWindow *self)
{
  return self->scan_page;
}

ScLoginPage *
sc_window_get_login_page (ScWindow *self)
{
  return self->login_page;
}

const char *
sc_window_get_visible_page (ScWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
sc_window_get_visible_pane (ScWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

const char *
sc_window_get_chip_text (ScWindow *self)
{
  return gtk_label_get_text (self->chip_label);
}

const char *
sc_window_get_session_text (ScWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->session_label));
}

AdwMessageDialog *
sc_window_get_reauth_dialog (ScWindow *self)
{
  return self->reauth_dialog;
}

GtkEditable *
sc_window_get_reauth_entry (ScWindow *self)
{
  return self->reauth_entry;
}

GtkWindow *
sc_window_get_demo_dialog (ScWindow *self)
{
  return self->demo_dialog;
}

ScBanner *
sc_window_get_banner (ScWindow *self)
{
  return self->banner;
}

GtkWindow *
sc_window_get_conflicts_dialog (ScWindow *self)
{
  return self->conflicts_dialog;
}

const char *
sc_window_get_freshness_text (ScWindow *self)
{
  return gtk_label_get_text (self->freshness_label);
}

const char *
sc_window_get_freshness_tooltip (ScWindow *self)
{
  return gtk_widget_get_tooltip_text (self->freshness);
}

gboolean
sc_window_get_freshness_warning (ScWindow *self)
{
  return gtk_widget_has_css_class (self->freshness, "warning");
}

const char *
sc_window_get_chip_tooltip (ScWindow *self)
{
  return gtk_widget_get_tooltip_text (self->chip);
}

GtkWindow *
sc_window_get_preferences (ScWindow *self)
{
  return self->preferences;
}

guint
sc_window_get_n_toasts (ScWindow *self)
{
  return self->n_toasts;
}

const char *
sc_window_get_last_toast (ScWindow *self)
{
  return self->last_toast;
}

/* ---- GObject ---- */

ScWindow *
sc_window_new (AdwApplication *application,
               const char     *platform_url,
               const char     *db_path,
               const char     *admin_token)
{
  g_return_val_if_fail (platform_url != NULL, NULL);

  return g_object_new (SC_TYPE_WINDOW,
                       "application", application,
                       "platform-url", platform_url,
                       "db-path", db_path,
                       "admin-token", admin_token,
                       NULL);
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

  self->cache = sc_cache_new (self->db_path);
  sc_cache_open_async (self->cache, self->cancellable, cache_open_cb, call_ref (self));
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
  self->reauth_entry = NULL;
  if (self->demo_dialog != NULL)
    gtk_window_destroy (self->demo_dialog);
  self->demo_dialog = NULL;
  if (self->conflicts_dialog != NULL)
    gtk_window_destroy (self->conflicts_dialog);
  self->conflicts_dialog = NULL;
  g_clear_handle_id (&self->freshness_timer_id, g_source_remove);
  if (self->preferences != NULL)
    gtk_window_destroy (self->preferences);
  self->preferences = NULL;

  G_OBJECT_CLASS (sc_window_parent_class)->dispose (object);

  g_clear_object (&self->counter);
  g_clear_object (&self->cache);
  g_clear_object (&self->session_store);
  g_clear_object (&self->router);
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
  g_free (self->last_toast);
  g_clear_pointer (&self->banners, g_ptr_array_unref);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SC_TYPE_BANNER);
  g_type_ensure (SC_TYPE_LOGIN_PAGE);
  g_type_ensure (SC_TYPE_SCAN_PAGE);
  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScWindow, session_label);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, chip);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, chip_icon);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, chip_label);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, freshness);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, freshness_icon);
  gtk_widget_class_bind_template_child (widget_class, ScWindow, freshness_label);
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
  gtk_widget_class_bind_template_callback (widget_class, session_expired_cb);

  gtk_widget_class_install_action (widget_class, "window.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "window.about", NULL, about_action);
  gtk_widget_class_install_action (widget_class, "window.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "window.demo-codes", NULL, demo_codes_action);
  gtk_widget_class_install_action (widget_class, "window.review-conflicts", NULL,
                                   review_conflicts_action);
  gtk_widget_class_install_action (widget_class, "window.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "window.focus-entry", NULL, focus_entry_action);
  gtk_widget_class_install_action (widget_class, "window.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "window.pane", "i", pane_action);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action,
              GVariant              *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_named_action_new (action));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
sc_window_init (ScWindow *self)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "sc-window", self);
  self->settings = g_settings_new (APP_ID);
  self->session_store = sc_session_store_new ();
  self->scanner = sc_scanner_input_new ();
  self->banners = g_ptr_array_new_with_free_func ((GDestroyNotify) banner_entry_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  sc_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
  sc_a11y_watch_toasts (self->toast_overlay);
  /* "Updated 3 min ago" stays true. The timer holds no reference: dispose
   * removes it. */
  self->freshness_timer_id = g_timeout_add_seconds (60, freshness_timer_cb, self);

  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "auto-redeem-pickup", self->scan_page, "auto-redeem-pickup",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "sounds", self->scan_page, "sounds", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::camera-enabled",
                           G_CALLBACK (apply_camera_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::camera-device",
                           G_CALLBACK (apply_camera_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scan_page, "show-toast", G_CALLBACK (scan_page_toast_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_store, "notify::available",
                           G_CALLBACK (warn_keyring_once), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_store, "notify::locked",
                           G_CALLBACK (warn_keyring_once), self, G_CONNECT_SWAPPED);

  /* The codes of a scanner, whichever menu or dialog has the keyboard. */
  self->router = sc_scan_router_new (GTK_WINDOW (self), self->scanner);
  g_signal_connect_object (self->router, "show-toast", G_CALLBACK (scan_page_toast_cb), self,
                           G_CONNECT_SWAPPED);
  apply_scanner_settings (self);
  g_signal_connect_object (self->settings, "changed::scanner-prefix",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::scanner-suffix",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::scanner-max-interval-ms",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_LOCAL);
  add_shortcut (shortcuts, "F2", "window.focus-entry", NULL);
  add_shortcut (shortcuts, "<Primary>z", "window.undo", NULL);
  add_shortcut (shortcuts, "Escape", "window.clear", NULL);
  add_shortcut (shortcuts, "<Primary>comma", "window.preferences", NULL);
  add_shortcut (shortcuts, "<Primary>1", "window.pane", g_variant_new_int32 (1));
  add_shortcut (shortcuts, "<Primary>2", "window.pane", g_variant_new_int32 (2));
  add_shortcut (shortcuts, "<Primary>3", "window.pane", g_variant_new_int32 (3));
  add_shortcut (shortcuts, "<Primary>4", "window.pane", g_variant_new_int32 (4));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.logout", FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}
