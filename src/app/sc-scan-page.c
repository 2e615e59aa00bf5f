/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-camera-view.h"
#include "sc-counter.h"
#include "sc-recent-item.h"
#include "sc-recent-row.h"
#include "sc-scan-page-keys-private.h"
#include "sc-scan-page-private.h"
#include "sc-scan-page-undo-private.h"
#include "sc-scan-target.h"
#include "sc-sound-player.h"
#include "sc-toaster.h"
#include "sc-verdict-card.h"

#define MAX_RECENT 20

static void sc_scan_page_scan_target_init (ScScanTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScScanPage, sc_scan_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_SCAN_TARGET,
                                                      sc_scan_page_scan_target_init))

enum {
  PROP_0,
  PROP_COUNTER,
  PROP_AUTO_REDEEM_PICKUP,
  PROP_SOUNDS,
  PROP_BUSY,
  PROP_LAST_REDEMPTION_ID,
  PROP_SOUND_PLAYER,
  N_PROPS
};

enum {
  SHOW_TOAST,
  COMPLETED,
  FEEDBACK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GTimeZone *
sc_scan_page_store_time_zone (ScScanPage *self)
{
  return sc_app_session_time_zone (self->counter != NULL ? sc_counter_get_session (self->counter)
                                                         : NULL);
}

void
sc_scan_page_update_busy (ScScanPage *self)
{
  gboolean busy = self->n_busy > 0;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.redeem",
                                 !self->redeeming && sc_verdict_card_get_can_redeem (self->card));
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

void
sc_scan_page_set_last_redemption_id (ScScanPage *self,
                                     const char *redemption_id)
{
  if (g_strcmp0 (self->last_redemption_id, redemption_id) == 0)
    return;
  g_free (self->last_redemption_id);
  self->last_redemption_id = g_strdup (redemption_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REDEMPTION_ID]);
}

static void
can_redeem_changed_cb (ScScanPage *self)
{
  sc_scan_page_update_busy (self);
}

/* The entry keeps the focus (a scanner types into it): a screen reader
 * hears each answer as the entry's new description. */
static void
card_announce_cb (ScScanPage *self,
                  const char *text)
{
  sc_a11y_describe (GTK_WIDGET (self->entry), text);
}

/* The window's ScToaster shows it (and guards its dismissal). */
void
sc_scan_page_add_toast (ScScanPage *self,
                        AdwToast   *toast)
{
  g_signal_emit (self, signals[SHOW_TOAST], 0, toast);
}

void
sc_scan_page_show_toast (ScScanPage *self,
                         const char *text)
{
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  g_set_weak_pointer (&self->notice_toast, toast);
  sc_scan_page_add_toast (self, toast);
}

/* The undo toast steps aside (the next code, Escape, an undo); the undo
 * stays in the history row and on Ctrl+Z. */
void
sc_scan_page_dismiss_undo_toast (ScScanPage *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->undo_toast);

  if (toast != NULL)
    sc_toaster_dismiss (toast);
}

static void
clear_retry (ScScanPage *self)
{
  self->retry_kind = RETRY_NONE;
  g_clear_pointer (&self->retry_input, g_free);
  g_clear_pointer (&self->retry_source, g_free);
  g_clear_object (&self->retry_verdict);
  self->retry_bill_fen = -1;
}

void
sc_scan_page_keep_retry (ScScanPage *self,
                         RetryKind   kind,
                         const char *input,
                         const char *source,
                         ScVerdict  *verdict,
                         gint64      bill_fen)
{
  clear_retry (self);
  self->retry_kind = kind;
  self->retry_input = g_strdup (input);
  self->retry_source = g_strdup (source);
  self->retry_verdict = verdict != NULL ? g_object_ref (verdict) : NULL;
  self->retry_bill_fen = bill_fen;
}

/* A new entry at the top of the last verifications (MAX_RECENT at most),
 * at the store's time of now. Returns: (transfer none) its item. */
ScRecentItem *
sc_scan_page_add_recent (ScScanPage *self,
                         const char *code,
                         const char *redemption_id,
                         const char *label,
                         const char *icon_name,
                         const char *css_class)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = sc_scan_page_store_time_zone (self);
  g_autofree char *time = sc_app_format_time (now, tz, TRUE);
  g_autoptr(ScRecentItem) item = sc_recent_item_new (code != NULL ? code : "", time,
                                                     redemption_id);
  guint n;

  sc_recent_item_set_state (item, label, icon_name, css_class);
  g_list_store_insert (self->recent, 0, item);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));
  if (n > MAX_RECENT)
    g_list_store_splice (self->recent, MAX_RECENT, n - MAX_RECENT, NULL, 0);
  return item;
}

static GtkWidget *
create_recent_row (gpointer item,
                   gpointer user_data)
{
  return sc_recent_row_new (SC_RECENT_ITEM (item));
}

static void
redeem_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScScanPage *self = SC_SCAN_PAGE (widget);
  ScVerdict *verdict = sc_verdict_card_get_verdict (self->card);
  gint64 bill_fen = -1;

  if (verdict == NULL || !sc_verdict_card_get_can_redeem (self->card))
    return;
  if (sc_verdict_get_coupon (verdict) != NULL)
    bill_fen = sc_verdict_card_get_bill_fen (self->card);
  sc_scan_page_start_redeem (self, verdict, bill_fen, self->last_source);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sc_scan_page_undo (SC_SCAN_PAGE (widget), NULL);
}

/* The Undo button of a history row (ScRecentRow). */
static void
undo_redemption_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sc_scan_page_undo (SC_SCAN_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  sc_scan_page_clear (SC_SCAN_PAGE (widget));
}

/* ---- entry ---- */

static void
entry_activate_cb (ScScanPage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autofree char *source = g_steal_pointer (&self->next_source);

  if (*text == '\0')
    {
      if (sc_verdict_card_get_can_redeem (self->card))
        gtk_widget_activate_action (GTK_WIDGET (self), "scan.redeem", NULL);
      return;
    }
  sc_scan_page_start_lookup (self, text, source != NULL ? source : "keyboard");
}

void
sc_scan_page_submit (ScScanPage *self,
                     const char *text,
                     const char *source)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  g_free (self->next_source);
  self->next_source = g_strdup (source);
  entry_activate_cb (self);
}

void
sc_scan_page_focus_entry (ScScanPage *self)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  gtk_entry_grab_focus_without_selecting (GTK_ENTRY (self->entry));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

/* ScScanTarget: a code scanned anywhere in the window, the entry focused. */
static gboolean
sc_scan_page_take_code (ScScanTarget *target,
                        const char   *code,
                        const char   *source)
{
  ScScanPage *self = SC_SCAN_PAGE (target);

  sc_scan_page_focus_entry (self);
  sc_scan_page_submit (self, code, source);
  return TRUE;
}

static void
sc_scan_page_target_focus_entry (ScScanTarget *target)
{
  sc_scan_page_focus_entry (SC_SCAN_PAGE (target));
}

static void
sc_scan_page_scan_target_init (ScScanTargetInterface *iface)
{
  iface->take_code = sc_scan_page_take_code;
  iface->focus_entry = sc_scan_page_target_focus_entry;
}

void
sc_scan_page_clear (ScScanPage *self)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  self->lookup_seq++;  /* an answer still on its way is not wanted now */
  sc_scan_page_dismiss_undo_toast (self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  sc_verdict_card_clear (self->card);
  sc_a11y_describe (self->entry, NULL);  /* no stale answer for a screen reader */
  sc_scan_page_focus_entry (self);
}

void
sc_scan_page_retry (ScScanPage *self)
{
  RetryKind kind;
  g_autofree char *input = NULL;
  g_autofree char *source = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  gint64 bill_fen;

  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  kind = self->retry_kind;
  input = g_steal_pointer (&self->retry_input);
  source = g_steal_pointer (&self->retry_source);
  verdict = g_steal_pointer (&self->retry_verdict);
  bill_fen = self->retry_bill_fen;
  clear_retry (self);

  switch (kind)
    {
    case RETRY_LOOKUP:
      sc_scan_page_start_lookup (self, input, source);
      break;
    case RETRY_REDEEM:
      sc_scan_page_start_redeem (self, verdict, bill_fen, source);
      break;
    case RETRY_UNDO:
      sc_scan_page_undo (self, input);
      break;
    case RETRY_NONE:
    default:
      break;
    }
}

void
sc_scan_page_reset (ScScanPage *self)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->n_busy = 0;
  self->redeeming = FALSE;
  clear_retry (self);
  sc_scan_page_set_last_redemption_id (self, NULL);
  sc_scan_page_dismiss_undo_toast (self);
  g_list_store_remove_all (self->recent);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  sc_verdict_card_clear (self->card);
  sc_a11y_describe (self->entry, NULL);  /* no stale answer for a screen reader */
  sc_scan_page_update_busy (self);
}

GtkWidget *
sc_scan_page_get_entry (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return self->entry;
}

void
sc_scan_page_set_counter (ScScanPage *self,
                          ScCounter  *counter)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));
  g_return_if_fail (counter == NULL || SC_IS_COUNTER (counter));

  if (self->counter == counter)
    return;
  sc_scan_page_reset (self);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_func (self->counter, sc_scan_page_redemption_changed_cb,
                                          self);
  g_set_object (&self->counter, counter);
  if (counter != NULL)
    g_signal_connect_object (counter, "redemption-changed",
                             G_CALLBACK (sc_scan_page_redemption_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
}

/* ---- camera ---- */

static void
camera_detected_cb (ScScanPage *self,
                    const char *payload)
{
  /* Exactly like a USB scanner's code. */
  sc_scan_page_submit (self, payload, "camera");
}

void
sc_scan_page_set_camera_spec (ScScanPage *self,
                              const char *spec)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));
  sc_camera_view_set_spec (self->camera_view, spec);
}






/* ---- GObject ---- */

GtkWidget *
sc_scan_page_new (void)
{
  return g_object_new (SC_TYPE_SCAN_PAGE, NULL);
}

static void
sc_scan_page_map (GtkWidget *widget)
{
  ScScanPage *self = SC_SCAN_PAGE (widget);

  GTK_WIDGET_CLASS (sc_scan_page_parent_class)->map (widget);
  sc_scan_page_focus_entry (self);
}

static void
sc_scan_page_dispose (GObject *object)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_retry (self);
  g_clear_object (&self->undo_toast);
  g_clear_weak_pointer (&self->notice_toast);
  g_clear_object (&self->counter);
  g_clear_object (&self->sound_player);
  g_clear_object (&self->recent);

  G_OBJECT_CLASS (sc_scan_page_parent_class)->dispose (object);
}

static void
sc_scan_page_finalize (GObject *object)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  g_free (self->last_source);
  g_free (self->next_source);
  g_free (self->last_redemption_id);

  G_OBJECT_CLASS (sc_scan_page_parent_class)->finalize (object);
}

static void
sc_scan_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      g_value_set_object (value, self->counter);
      break;
    case PROP_AUTO_REDEEM_PICKUP:
      g_value_set_boolean (value, self->auto_redeem_pickup);
      break;
    case PROP_SOUNDS:
      g_value_set_boolean (value, self->sounds);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_LAST_REDEMPTION_ID:
      g_value_set_string (value, self->last_redemption_id);
      break;
    case PROP_SOUND_PLAYER:
      g_value_set_object (value, self->sound_player);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_scan_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      sc_scan_page_set_counter (self, g_value_get_object (value));
      break;
    case PROP_AUTO_REDEEM_PICKUP:
      if (self->auto_redeem_pickup != g_value_get_boolean (value))
        {
          self->auto_redeem_pickup = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SOUNDS:
      if (self->sounds != g_value_get_boolean (value))
        {
          self->sounds = g_value_get_boolean (value);
          /* Off: no media stream is kept. */
          if (!self->sounds && self->sound_player != NULL)
            sc_sound_player_release (self->sound_player);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_scan_page_class_init (ScScanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_scan_page_dispose;
  object_class->finalize = sc_scan_page_finalize;
  object_class->get_property = sc_scan_page_get_property;
  object_class->set_property = sc_scan_page_set_property;
  widget_class->map = sc_scan_page_map;

  properties[PROP_COUNTER] =
    g_param_spec_object ("counter", NULL, NULL, SC_TYPE_COUNTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_REDEEM_PICKUP] =
    g_param_spec_boolean ("auto-redeem-pickup", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOUNDS] =
    g_param_spec_boolean ("sounds", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_REDEMPTION_ID] =
    g_param_spec_string ("last-redemption-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOUND_PLAYER] =
    g_param_spec_object ("sound-player", NULL, NULL, SC_TYPE_SOUND_PLAYER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[COMPLETED] =
    g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FEEDBACK] =
    g_signal_new ("feedback", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (SC_TYPE_VERDICT_CARD);
  g_type_ensure (SC_TYPE_CAMERA_VIEW);
  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, entry);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, card);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, camera_view);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, camera_detected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sc_scan_page_focus_entry);

  gtk_widget_class_install_action (widget_class, "scan.redeem", NULL, redeem_action);
  gtk_widget_class_install_action (widget_class, "scan.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "scan.undo-redemption", "s",
                                   undo_redemption_action);
  gtk_widget_class_install_action (widget_class, "scan.clear", NULL, clear_action);
  /* Escape clears, also right after a redemption: here, before the toast
   * overlay above the page would only dismiss the undo toast. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "scan.clear", NULL);
}

static void
sc_scan_page_init (ScScanPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->retry_bill_fen = -1;
  self->last_source = g_strdup ("keyboard");
  self->sound_player = sc_sound_player_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->card, "notify::can-redeem",
                           G_CALLBACK (can_redeem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->card, "announce", G_CALLBACK (card_announce_cb), self,
                           G_CONNECT_SWAPPED);
  self->recent = g_list_store_new (SC_TYPE_RECENT_ITEM);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->recent), create_recent_row,
                           NULL, NULL);
  sc_scan_page_update_busy (self);
  sc_scan_page_keys_install (GTK_WIDGET (self), self->entry);
}
