/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Scan page's flows (see sc-scan-page-private.h): look a code up, redeem
 * it, undo a redemption; each answer goes to the card, the history, the
 * toasts and the feedback. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-counter.h"
#include "sc-scan-page-private.h"
#include "sc-scan-page-undo-private.h"
#include "sc-toaster.h"
#include "sc-verdict-card.h"

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
  /* One more call under way: the caller updates "busy". */
  self->n_busy++;
  return op;
}

/* The call of @op ended with @error (nullable): NULL when it was cancelled
 * (the page may be gone); otherwise the page, one call less under way (the
 * caller updates "busy"). */
static ScScanPage *
op_ended (Op           *op,
          const GError *error)
{
  if (g_cancellable_is_cancelled (op->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;

  op->self->n_busy--;
  return op->self;
}

/* The call of @op (a @kind) failed with @error. An expired session (the
 * counter emitted "session-expired": the window asks for the PIN) keeps
 * the call to run again after the new login. Other errors of a redemption
 * or an undo are said in a toast; a lookup's go on the card (the caller's).
 * Returns: TRUE if the session expired. */
static gboolean
op_failed (ScScanPage   *self,
           Op           *op,
           RetryKind     kind,
           const GError *error)
{
  if (sc_counter_error_is_session_expired (error))
    {
      sc_scan_page_keep_retry (self, kind, op->input, op->source, op->verdict, op->bill_fen);
      return TRUE;
    }
  if (kind != RETRY_LOOKUP)
    {
      g_autofree char *message = sc_counter_error_describe (error, FALSE);

      sc_scan_page_show_toast (self, message);
    }
  return FALSE;
}

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

  sc_verdict_card_flash (self->card);

  if (self->sounds && kind != FEEDBACK_NEUTRAL &&
      (g_strcmp0 (source, "scanner") == 0 || g_strcmp0 (source, "camera") == 0))
    {
      sound = kind == FEEDBACK_GOOD ? SC_SOUND_SCAN_OK : SC_SOUND_SCAN_ERROR;
      sc_sound_player_play (self->sound_player, sound);
    }
  g_signal_emit_by_name (self, "feedback", sound);
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
  self = op_ended (op, error);
  if (self == NULL)
    return;

  sc_scan_page_update_busy (self);
  if (op->seq != self->lookup_seq)
    return;  /* a newer lookup took over */
  g_signal_emit_by_name (self, "completed");

  if (verdict != NULL)
    {
      ScVerdictStatus status = sc_verdict_get_status (verdict);
      const char *code = sc_verdict_get_code (verdict);

      tz = sc_scan_page_store_time_zone (self);
      sc_verdict_card_show_verdict (self->card, verdict, tz);
      sc_scan_page_add_recent (self, code != NULL && *code != '\0' ? code : op->input, NULL,
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
        sc_scan_page_focus_entry (self);
      give_feedback (self, op->source,
                     status == SC_VERDICT_STATUS_REDEEMABLE ? FEEDBACK_GOOD : FEEDBACK_BAD);

      if (self->auto_redeem_pickup && status == SC_VERDICT_STATUS_REDEEMABLE &&
          sc_verdict_get_kind (verdict) == SC_CODE_KIND_PICKUP)
        sc_scan_page_start_redeem (self, verdict, -1, op->source);
      return;
    }

  message = sc_counter_error_describe (error, FALSE);
  if (op_failed (self, op, RETRY_LOOKUP, error))
    {
      /* Translators: card title when the platform asks for the PIN again */
      sc_verdict_card_show_message (self->card, _("Log in again"), message, op->input,
                                    "dialog-password-symbolic", "status-neutral");
      return;
    }

  if (sc_counter_error_is_unreachable (error))
    /* Translators: card title when the network or the platform is down */
    sc_verdict_card_show_message (self->card, _("Cannot reach the platform"), message,
                                  op->input, "network-offline-symbolic", "status-error");
  else if (sc_counter_error_is_certificate (error))
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
  sc_scan_page_focus_entry (self);
}

void
sc_scan_page_start_lookup (ScScanPage *self,
                           const char *input,
                           const char *source)
{
  Op *op;

  if (self->counter == NULL)
    return;

  sc_scan_page_dismiss_undo_toast (self);
  op = op_new (self);
  op->seq = ++self->lookup_seq;
  op->input = g_strdup (input);
  op->source = g_strdup (source);
  sc_scan_page_update_busy (self);
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
    sc_toaster_dismiss (self->notice_toast);
  sc_scan_page_dismiss_undo_toast (self);
  g_set_object (&self->undo_toast, toast);
  sc_scan_page_add_toast (self, toast);
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
  ScRecentItem *item = sc_scan_page_add_recent (self, r->code, r->id, label, icon, css);

  /* The row's Undo button, for the undo window. */
  if (sc_scan_page_undo_possible (r))
    sc_recent_item_allow_undo (item, undo_window (self));
}

/* Sync moved a redemption on (saved -> redeemed, conflict, rejected…):
 * its rows in the list follow, so the clerk never reads a stale state. */
void
sc_scan_page_redemption_changed_cb (ScScanPage   *self,
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
      g_autoptr(GTimeZone) tz = sc_scan_page_store_time_zone (self);

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
  self = op_ended (op, error);
  if (self == NULL)
    return;

  self->redeeming = FALSE;
  g_signal_emit_by_name (self, "completed");
  sc_scan_page_update_busy (self);

  if (redemption != NULL)
    {
      tz = sc_scan_page_store_time_zone (self);
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
          sc_scan_page_set_last_redemption_id (self, redemption->id);
          show_undo_toast (self, redemption);
        }
    }
  else
    {
      op_failed (self, op, RETRY_REDEEM, error);
    }
  sc_scan_page_focus_entry (self);
}

void
sc_scan_page_start_redeem (ScScanPage *self,
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
  self->redeeming = TRUE;
  sc_scan_page_update_busy (self);
  sc_counter_redeem_async (self->counter, verdict, bill_fen, op->source, op->cancellable,
                           redeem_cb, op);
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
  self = op_ended (op, error);
  if (self == NULL)
    return;

  g_signal_emit_by_name (self, "completed");
  sc_scan_page_update_busy (self);

  if (redemption != NULL)
    {
      g_autoptr(GTimeZone) tz = sc_scan_page_store_time_zone (self);

      if (g_strcmp0 (sc_verdict_card_get_redemption_id (self->card), redemption->id) == 0)
        sc_verdict_card_show_redemption (self->card, redemption, tz);
      if (g_strcmp0 (self->last_redemption_id, redemption->id) == 0)
        sc_scan_page_set_last_redemption_id (self, NULL);
      add_recent_redemption (self, redemption);
      /* Translators: toast after an undo */
      sc_scan_page_show_toast (self, _("Undone: the code can be redeemed again"));
    }
  else
    {
      op_failed (self, op, RETRY_UNDO, error);
    }
  sc_scan_page_focus_entry (self);
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
      sc_scan_page_show_toast (self, _("Nothing to undo"));
      return;
    }

  sc_scan_page_dismiss_undo_toast (self);

  op = op_new (self);
  op->input = g_strdup (redemption_id);
  sc_scan_page_update_busy (self);
  sc_counter_undo_async (self->counter, redemption_id, op->cancellable, undo_cb, op);
}
