/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-camera-view-private.h"
#include "sc-counter.h"
#include "sc-label-words.h"
#include "sc-platform-client.h"
#include "sc-recent-item.h"
#include "sc-recent-row.h"
#include "sc-scan-page-keys-private.h"
#include "sc-scan-page-private.h"
#include "sc-scan-page-undo-private.h"
#include "sc-sound-player.h"
#include "sc-verdict-card-private.h"

#define MAX_RECENT 20

typedef enum
{
  RETRY_NONE,
  RETRY_LOOKUP,
  RETRY_REDEEM,
  RETRY_UNDO,
} RetryKind;

struct _ScScanPage
{
  AdwBin         parent_instance;

  GtkWidget     *entry;
  GtkSpinner    *spinner;
  ScVerdictCard *card;
  GtkListBox    *recent_list;
  ScCameraView  *camera_view;
  GListStore    *recent;            /* (owned) ScRecentItem, newest first, at most MAX_RECENT */

  ScCounter     *counter;           /* (owned) (nullable) */
  GCancellable  *cancellable;       /* (owned) cancelled in dispose and on reset */
  gboolean       auto_redeem_pickup;
  gboolean       sounds;
  char          *last_source;       /* (owned) source of the code on the card */
  char          *next_source;       /* (owned) (nullable) for the next entry activation */
  char          *last_redemption_id; /* (owned) (nullable) */
  AdwToast      *undo_toast;        /* (owned) (nullable) until dismissed */
  AdwToast      *notice_toast;      /* (unowned) (nullable) weak: the last plain toast */
  GListModel    *toast_watch;       /* (owned) (nullable) sc_scan_page_toast_watch */
  guint          lookup_seq;
  guint          n_busy;
  gboolean       redeeming;
  guint          n_completed;

  /* Feedback after a scan: the card flashes, a sound plays. */
  ScSoundPlayer *sound_player;      /* (owned) holds no stream while sounds are off */
  guint          n_feedback;
  guint          n_sounds;
  const char    *last_sound;        /* (unowned) static: the last sound played, or NULL */

  RetryKind      retry_kind;
  char          *retry_input;       /* (owned) (nullable) input or redemption id */
  char          *retry_source;      /* (owned) (nullable) */
  ScVerdict     *retry_verdict;     /* (owned) (nullable) */
  gint64         retry_bill_fen;
};

G_DEFINE_FINAL_TYPE (ScScanPage, sc_scan_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COUNTER,
  PROP_AUTO_REDEEM_PICKUP,
  PROP_SOUNDS,
  N_PROPS
};

enum {
  SESSION_EXPIRED,
  SHOW_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One async call. @self is only valid while @cancellable is not cancelled
 * (the page cancels it in dispose). */
typedef struct
{
  ScScanPage   *self;         /* (unowned) */
  GCancellable *cancellable;  /* (owned) */
  guint         seq;
  char         *input;        /* (owned) (nullable) */
  char         *source;       /* (owned) (nullable) */
  ScVerdict    *verdict;      /* (owned) (nullable) */
  gint64        bill_fen;
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->input, g_free);
  g_clear_pointer (&op->source, g_free);
  g_clear_object (&op->verdict);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static Op *
op_new (ScScanPage *self)
{
  Op *op = g_new0 (Op, 1);

  op->self = self;
  op->cancellable = g_object_ref (self->cancellable);
  op->bill_fen = -1;
  return op;
}

static void start_redeem (ScScanPage *self,
                          ScVerdict  *verdict,
                          gint64      bill_fen,
                          const char *source);

typedef enum
{
  FEEDBACK_GOOD,     /* a code that can be redeemed */
  FEEDBACK_BAD,      /* one that cannot, or that could not be checked */
  FEEDBACK_NEUTRAL,  /* neither (a phone tail) */
} Feedback;

/* After an answer: the card flashes (it shows the answer's colour, icon
 * and words already); for a code from the scanner or the camera, when the
 * clerk may be looking at the customer, a sound plays too. */
static void
give_feedback (ScScanPage *self,
               const char *source,
               Feedback    kind)
{
  const char *sound = NULL;

  self->n_feedback++;
  sc_verdict_card_flash (self->card);

  if (!self->sounds || kind == FEEDBACK_NEUTRAL ||
      (g_strcmp0 (source, "scanner") != 0 && g_strcmp0 (source, "camera") != 0))
    return;

  sound = kind == FEEDBACK_GOOD ? SC_SOUND_SCAN_OK : SC_SOUND_SCAN_ERROR;
  self->n_sounds++;
  self->last_sound = sound;
  sc_sound_player_play (self->sound_player, sound);
}

static GTimeZone *
store_time_zone (ScScanPage *self)
{
  return sc_app_session_time_zone (self->counter != NULL ? sc_counter_get_session (self->counter)
                                                         : NULL);
}

static void
update_busy (ScScanPage *self)
{
  gtk_spinner_set_spinning (self->spinner, self->n_busy > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.redeem",
                                 !self->redeeming && sc_verdict_card_get_can_redeem (self->card));
}

static void
can_redeem_changed_cb (ScScanPage *self)
{
  update_busy (self);
}

/* The entry keeps the focus (a scanner types into it): a screen reader
 * hears each answer as the entry's new description. */
static void
card_announce_cb (ScScanPage *self,
                  const char *text)
{
  sc_a11y_describe (GTK_WIDGET (self->entry), text);
}

static void
add_toast (ScScanPage *self,
           AdwToast   *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  /* Know when the page's toasts come on screen (sc_scan_page_toast_dismiss). */
  if (self->toast_watch == NULL && overlay != NULL)
    self->toast_watch = sc_scan_page_toast_watch (overlay);
  sc_scan_page_toast_added (toast);
  g_signal_emit (self, signals[SHOW_TOAST], 0, toast);
}

static void
show_toast (ScScanPage *self,
            const char *text)
{
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  g_set_weak_pointer (&self->notice_toast, toast);
  add_toast (self, toast);
}

/* The undo toast steps aside (the next code, Escape, an undo); the undo
 * stays in the history row and on Ctrl+Z. */
static void
dismiss_undo_toast (ScScanPage *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->undo_toast);

  if (toast != NULL)
    sc_scan_page_toast_dismiss (toast);
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

static void
session_expired (ScScanPage *self,
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
  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

/* A new entry at the top of the last verifications (MAX_RECENT at most),
 * at the store's time of now. Returns: (transfer none) its item. */
static ScRecentItem *
add_recent (ScScanPage *self,
            const char *code,
            const char *redemption_id,
            const char *label,
            const char *icon_name,
            const char *css_class)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = store_time_zone (self);
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
focus_entry (ScScanPage *self)
{
  gtk_entry_grab_focus_without_selecting (GTK_ENTRY (self->entry));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

/* ---- lookup ---- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *message = NULL;
  ScScanPage *self;

  verdict = sc_counter_lookup_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->self;
  self->n_busy--;
  update_busy (self);
  if (op->seq != self->lookup_seq)
    return;  /* a newer lookup took over */
  self->n_completed++;

  if (verdict != NULL)
    {
      ScVerdictStatus status = sc_verdict_get_status (verdict);

      tz = store_time_zone (self);
      sc_verdict_card_show_verdict (self->card, verdict, tz);
      add_recent (self,
                  sc_verdict_get_code (verdict) != NULL && *sc_verdict_get_code (verdict) != '\0'
                    ? sc_verdict_get_code (verdict) : op->input,
                  NULL,
                  sc_verdict_status_get_label (status),
                  sc_app_status_icon_name (status),
                  sc_app_status_css_class (status));
      g_free (self->last_source);
      self->last_source = g_strdup (op->source);
      /* One phone held still is one scan. */
      if (g_strcmp0 (op->source, "camera") == 0)
        sc_camera_view_hold (self->camera_view, op->input);
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      /* A coupon: the bill is typed next. */
      if (!sc_verdict_card_focus_bill (self->card))
        focus_entry (self);
      give_feedback (self, op->source,
                     status == SC_VERDICT_STATUS_REDEEMABLE ? FEEDBACK_GOOD : FEEDBACK_BAD);

      if (self->auto_redeem_pickup && status == SC_VERDICT_STATUS_REDEEMABLE &&
          sc_verdict_get_kind (verdict) == SC_CODE_KIND_PICKUP)
        start_redeem (self, verdict, -1, op->source);
      return;
    }

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED))
    {
      message = sc_app_describe_error (error, FALSE);
      /* Translators: card title when the platform asks for the PIN again */
      sc_verdict_card_show_message (self->card, _("Log in again"), message, op->input,
                                    "dialog-password-symbolic", "status-neutral");
      session_expired (self, RETRY_LOOKUP, op->input, op->source, NULL, -1);
      return;
    }

  message = sc_app_describe_error (error, FALSE);
  if (sc_app_error_is_unreachable (error))
    /* Translators: card title when the network or the platform is down */
    sc_verdict_card_show_message (self->card, _("Cannot reach the platform"), message,
                                  op->input, "network-offline-symbolic", "status-error");
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CERTIFICATE))
    /* Translators: card title when the platform's certificate is refused
     * (the counter is not offline: it refuses to talk to it) */
    sc_verdict_card_show_message (self->card, _("Not a safe connection"), message,
                                  op->input, "channel-insecure-symbolic", "status-error");
  else if (g_error_matches (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_PHONE_TAIL))
    /* Translators: card title for a 4-digit entry (手机尾号) */
    sc_verdict_card_show_message (self->card, _("Phone tail"), message, op->input,
                                  "avatar-default-symbolic", "status-neutral");
  else
    /* Translators: card title when a code could not be checked */
    sc_verdict_card_show_message (self->card, _("Could not check the code"), message,
                                  op->input, "dialog-error-symbolic", "status-error");
  give_feedback (self, op->source,
                 g_error_matches (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_PHONE_TAIL)
                   ? FEEDBACK_NEUTRAL : FEEDBACK_BAD);
  /* The typed code stays in the entry, so Enter tries again. */
  focus_entry (self);
}

static void
start_lookup (ScScanPage *self,
              const char *input,
              const char *source)
{
  Op *op;

  if (self->counter == NULL)
    return;

  dismiss_undo_toast (self);
  op = op_new (self);
  op->seq = ++self->lookup_seq;
  op->input = g_strdup (input);
  op->source = g_strdup (source);
  self->n_busy++;
  update_busy (self);
  sc_counter_lookup_async (self->counter, input, op->cancellable, lookup_cb, op);
}

/* ---- redeem ---- */

static void
undo_toast_clicked_cb (AdwToast   *toast,
                       ScScanPage *self)
{
  sc_scan_page_undo (self, sc_scan_page_undo_toast_get_id (toast));
}

static void
undo_toast_dismissed_cb (ScScanPage *self,
                         AdwToast   *toast)
{
  if (self->undo_toast == toast)
    g_clear_object (&self->undo_toast);
}

static int
undo_window (ScScanPage *self)
{
  const ScSession *session = self->counter ? sc_counter_get_session (self->counter) : NULL;

  return session != NULL ? MAX (session->undo_window_s, 0) : 0;
}

static void
show_undo_toast (ScScanPage         *self,
                 const ScRedemption *r)
{
  int window = undo_window (self);
  g_autoptr(AdwToast) toast = sc_scan_page_undo_toast_new (r, window);

  if (window > 0)
    g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_toast_clicked_cb),
                             self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Shown at once: the page's own notices and the last undo toast make way. */
  if (self->notice_toast != NULL)
    sc_scan_page_toast_dismiss (self->notice_toast);
  dismiss_undo_toast (self);
  g_set_object (&self->undo_toast, toast);
  add_toast (self, toast);
}

static const char *
redemption_icon (const ScRedemption *r,
                 const char        **out_css,
                 const char        **out_label)
{
  switch (r->state)
    {
    case SC_REDEMPTION_STATE_SYNCED:
      *out_css = "status-success";
      *out_label = _("Redeemed");
      return "emblem-ok-symbolic";
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
      *out_css = "status-neutral";
      *out_label = _("Saved, will sync");
      return "document-save-symbolic";
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
      *out_css = "status-error";
      *out_label = _("Not redeemed");
      return "dialog-error-symbolic";
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      *out_css = "status-neutral";
      *out_label = _("Undone");
      return "edit-undo-symbolic";
    }
}

static void
add_recent_redemption (ScScanPage         *self,
                       const ScRedemption *r)
{
  const char *css = NULL;
  const char *label = NULL;
  const char *icon = redemption_icon (r, &css, &label);
  ScRecentItem *item = add_recent (self, r->code, r->id, label, icon, css);

  /* The row's Undo button, for the undo window. */
  if (sc_scan_page_undo_possible (r))
    sc_recent_item_allow_undo (item, undo_window (self));
}

/* Sync moved a redemption on (saved -> redeemed, conflict, rejected…):
 * its rows in the list follow, so the clerk never reads a stale state. */
static void
redemption_changed_cb (ScScanPage   *self,
                       ScRedemption *r,
                       ScCounter    *counter)
{
  const char *css = NULL;
  const char *label = NULL;
  const char *icon = redemption_icon (r, &css, &label);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->recent)); i++)
    {
      g_autoptr(ScRecentItem) item = g_list_model_get_item (G_LIST_MODEL (self->recent), i);

      if (g_strcmp0 (sc_recent_item_get_redemption_id (item), r->id) != 0)
        continue;
      sc_recent_item_set_state (item, label, icon, css);
      if (!sc_scan_page_undo_possible (r))
        sc_recent_item_set_undoable (item, FALSE);
    }

  /* The card and the toast follow too. */
  if (g_strcmp0 (sc_verdict_card_get_redemption_id (self->card), r->id) == 0)
    {
      g_autoptr(GTimeZone) tz = store_time_zone (self);

      sc_verdict_card_show_redemption (self->card, r, tz);
    }
  if (self->undo_toast != NULL)
    sc_scan_page_undo_toast_update (self->undo_toast, r);
}

static void
redeem_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  ScScanPage *self;

  redemption = sc_counter_redeem_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->self;
  self->n_busy--;
  self->redeeming = FALSE;
  self->n_completed++;
  update_busy (self);

  if (redemption != NULL)
    {
      tz = store_time_zone (self);
      if (sc_verdict_card_get_verdict (self->card) == op->verdict)
        sc_verdict_card_show_redemption (self->card, redemption, tz);
      add_recent_redemption (self, redemption);
      /* Another counter was first, or the platform refused it. */
      if (redemption->state == SC_REDEMPTION_STATE_CONFLICT ||
          redemption->state == SC_REDEMPTION_STATE_REJECTED)
        give_feedback (self, op->source, FEEDBACK_BAD);
      if (redemption->state == SC_REDEMPTION_STATE_SYNCED ||
          redemption->state == SC_REDEMPTION_STATE_PENDING ||
          redemption->state == SC_REDEMPTION_STATE_UNCERTAIN)
        {
          g_free (self->last_redemption_id);
          self->last_redemption_id = g_strdup (redemption->id);
          show_undo_toast (self, redemption);
        }
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED))
    {
      session_expired (self, RETRY_REDEEM, NULL, op->source, op->verdict, op->bill_fen);
    }
  else
    {
      g_autofree char *message = sc_app_describe_error (error, FALSE);

      show_toast (self, message);
    }
  focus_entry (self);
}

static void
start_redeem (ScScanPage *self,
              ScVerdict  *verdict,
              gint64      bill_fen,
              const char *source)
{
  Op *op;

  if (self->counter == NULL || self->redeeming)
    return;

  op = op_new (self);
  op->verdict = g_object_ref (verdict);
  op->bill_fen = bill_fen;
  op->source = g_strdup (source != NULL ? source : "keyboard");
  self->n_busy++;
  self->redeeming = TRUE;
  update_busy (self);
  sc_counter_redeem_async (self->counter, verdict, bill_fen, op->source, op->cancellable,
                           redeem_cb, op);
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
  start_redeem (self, verdict, bill_fen, self->last_source);
}

/* ---- undo ---- */

static void
undo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  ScScanPage *self;

  redemption = sc_counter_undo_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->self;
  self->n_busy--;
  self->n_completed++;
  update_busy (self);

  if (redemption != NULL)
    {
      g_autoptr(GTimeZone) tz = store_time_zone (self);

      if (g_strcmp0 (sc_verdict_card_get_redemption_id (self->card), redemption->id) == 0)
        sc_verdict_card_show_redemption (self->card, redemption, tz);
      if (g_strcmp0 (self->last_redemption_id, redemption->id) == 0)
        g_clear_pointer (&self->last_redemption_id, g_free);
      add_recent_redemption (self, redemption);
      /* Translators: toast after an undo */
      show_toast (self, _("Undone: the code can be redeemed again"));
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED))
    {
      session_expired (self, RETRY_UNDO, op->input, NULL, NULL, -1);
    }
  else
    {
      g_autofree char *message = sc_app_describe_error (error, FALSE);

      show_toast (self, message);
    }
  focus_entry (self);
}

void
sc_scan_page_undo (ScScanPage *self,
                   const char *redemption_id)
{
  Op *op;

  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  if (self->counter == NULL)
    return;
  if (redemption_id == NULL)
    redemption_id = self->last_redemption_id;
  if (redemption_id == NULL)
    {
      show_toast (self, _("Nothing to undo"));
      return;
    }

  dismiss_undo_toast (self);

  op = op_new (self);
  op->input = g_strdup (redemption_id);
  self->n_busy++;
  update_busy (self);
  sc_counter_undo_async (self->counter, redemption_id, op->cancellable, undo_cb, op);
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
  start_lookup (self, text, source != NULL ? source : "keyboard");
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
  focus_entry (self);
}

void
sc_scan_page_clear (ScScanPage *self)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  self->lookup_seq++;  /* an answer still on its way is not wanted now */
  dismiss_undo_toast (self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  sc_verdict_card_clear (self->card);
  sc_a11y_describe (self->entry, NULL);  /* no stale answer for a screen reader */
  focus_entry (self);
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
      start_lookup (self, input, source);
      break;
    case RETRY_REDEEM:
      start_redeem (self, verdict, bill_fen, source);
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
  g_clear_pointer (&self->last_redemption_id, g_free);
  dismiss_undo_toast (self);
  g_list_store_remove_all (self->recent);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  sc_verdict_card_clear (self->card);
  sc_a11y_describe (self->entry, NULL);  /* no stale answer for a screen reader */
  update_busy (self);
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
    g_signal_handlers_disconnect_by_func (self->counter, redemption_changed_cb, self);
  g_set_object (&self->counter, counter);
  if (counter != NULL)
    g_signal_connect_object (counter, "redemption-changed", G_CALLBACK (redemption_changed_cb),
                             self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
}

/* ---- private, for tests ---- */

ScVerdictCard *
sc_scan_page_get_card (ScScanPage *self)
{
  return self->card;
}

GtkListBox *
sc_scan_page_get_recent_list (ScScanPage *self)
{
  return self->recent_list;
}

guint
sc_scan_page_get_n_recent (ScScanPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->recent));
}

gboolean
sc_scan_page_get_busy (ScScanPage *self)
{
  return self->n_busy > 0;
}

const char *
sc_scan_page_get_last_redemption_id (ScScanPage *self)
{
  return self->last_redemption_id;
}

guint
sc_scan_page_get_n_completed (ScScanPage *self)
{
  return self->n_completed;
}

guint
sc_scan_page_get_n_feedback (ScScanPage *self)
{
  return self->n_feedback;
}

guint
sc_scan_page_get_n_sounds (ScScanPage *self)
{
  return self->n_sounds;
}

const char *
sc_scan_page_get_last_sound (ScScanPage *self)
{
  return self->last_sound;
}

guint
sc_scan_page_get_n_sound_streams (ScScanPage *self)
{
  return sc_sound_player_get_n_streams (self->sound_player);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

char *
sc_scan_page_dup_recent_text (ScScanPage *self,
                              guint       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->recent_list, (int) index);
  GString *out;

  if (row == NULL)
    return NULL;
  out = g_string_new (NULL);
  collect_labels (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
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

ScCamera *
sc_scan_page_get_camera (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return sc_camera_view_get_camera (self->camera_view);
}

const char *
sc_scan_page_get_camera_status (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return sc_camera_view_get_status (self->camera_view);
}

GtkWidget *
sc_scan_page_get_camera_retry_button (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return sc_camera_view_get_retry_button (self->camera_view);
}

GtkWidget *
sc_scan_page_get_camera_picture (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return sc_camera_view_get_picture (self->camera_view);
}

gboolean
sc_scan_page_get_camera_polygon_shown (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), FALSE);
  return sc_camera_view_get_outline_shown (self->camera_view);
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
  focus_entry (self);
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
  g_clear_object (&self->toast_watch);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

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
  gtk_widget_class_bind_template_callback (widget_class, focus_entry);

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
  update_busy (self);
  sc_scan_page_keys_install (GTK_WIDGET (self), self->entry);
}
