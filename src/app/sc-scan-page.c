/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-camera.h"
#include "sc-decoder.h"
#include "sc-counter.h"
#include "sc-label-words.h"
#include "sc-scan-page-keys-private.h"
#include "sc-scan-page-private.h"
#include "sc-scan-page-undo-private.h"
#include "sc-scan-target.h"
#include "sc-sound-player.h"
#include "sc-toaster.h"
#include "sc-verdict-card-private.h"

#define MAX_RECENT 20
#define POLYGON_SHOW_MS 1000

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
  GtkWidget     *camera_area;

  ScCounter     *counter;           /* (owned) (nullable) */
  GCancellable  *cancellable;       /* (owned) cancelled in dispose and on reset */
  gboolean       auto_redeem_pickup;
  gboolean       sounds;
  char          *last_source;       /* (owned) source of the code on the card */
  char          *next_source;       /* (owned) (nullable) for the next entry activation */
  char          *last_redemption_id; /* (owned) (nullable) */
  AdwToast      *undo_toast;        /* (owned) (nullable) until dismissed */
  AdwToast      *notice_toast;      /* (unowned) (nullable) weak: the last plain toast */
  guint          lookup_seq;
  guint          n_busy;
  gboolean       redeeming;
  guint          n_recent;
  guint          n_completed;

  /* The camera (DESIGN §10); all NULL/0 when it is off. */
  ScCamera      *camera;            /* (owned) (nullable) runs while mapped */
  GtkWidget     *camera_icon;       /* (unowned) the placeholder's, from the template */
  GtkWidget     *camera_status;     /* (unowned) GtkLabel, the placeholder's */
  char          *camera_off_text;   /* (owned) the placeholder's words */
  GtkWidget     *camera_overlay;    /* (unowned) picture + polygon */
  GtkWidget     *camera_picture;    /* (unowned) GtkPicture */
  GtkWidget     *camera_polygon;    /* (unowned) GtkDrawingArea */
  GtkWidget     *camera_retry;      /* (unowned) GtkButton */
  gboolean       camera_failed;
  int            frame_width;
  int            frame_height;
  ScDetection   *polygon;           /* (owned) (nullable) the last detection, shown a while */
  guint          polygon_timeout;

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

static void sc_scan_page_scan_target_init (ScScanTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScScanPage, sc_scan_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_SCAN_TARGET,
                                                      sc_scan_page_scan_target_init))

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

/* The window's ScToaster shows it (and guards its dismissal). */
static void
add_toast (ScScanPage *self,
           AdwToast   *toast)
{
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

/* A screen reader reads a row of the recent list as one sentence: the
 * code, its state and when (the labels of @row_box, see add_recent()). */
static void
name_recent_row (GtkWidget *row_box)
{
  /* time and code; icon and status */
  GtkWidget *first_line = gtk_widget_get_first_child (row_box);
  GtkWidget *time_label = gtk_widget_get_first_child (first_line);
  GtkWidget *code_label = gtk_widget_get_next_sibling (time_label);
  GtkWidget *icon = gtk_widget_get_first_child (gtk_widget_get_last_child (row_box));
  GtkWidget *status_label = gtk_widget_get_next_sibling (icon);
  GtkWidget *row = gtk_widget_get_parent (row_box);
  g_autofree char *name = NULL;

  /* Translators: accessible name of a row of the last verifications:
   * "<code>: <state>, <time>", e.g. "123456789012: Redeemed, 10:42:07" */
  name = g_strdup_printf (_("%1$s: %2$s, %3$s"), gtk_label_get_text (GTK_LABEL (code_label)),
                          gtk_label_get_text (GTK_LABEL (status_label)),
                          gtk_label_get_text (GTK_LABEL (time_label)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* Returns: (transfer none) the row's box. */
static GtkWidget *
add_recent (ScScanPage *self,
            const char *code,
            const char *label,
            const char *icon_name,
            const char *css_class)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = store_time_zone (self);
  g_autofree char *time = sc_app_format_time (now, tz, TRUE);
  GtkWidget *row_box;
  GtkWidget *line;
  GtkWidget *time_label;
  GtkWidget *code_label;
  GtkWidget *icon;
  GtkWidget *status_label;
  GtkListBoxRow *last;

  /* Two lines, so that the whole code fits the column even with large
   * text: the code (never "12…47") and the time; the status. */
  row_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (row_box, 6);
  gtk_widget_set_margin_bottom (row_box, 6);
  gtk_widget_set_margin_start (row_box, 10);
  gtk_widget_set_margin_end (row_box, 10);
  gtk_widget_add_css_class (row_box, css_class);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (row_box), line);
  time_label = gtk_label_new (time);
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_box_append (GTK_BOX (line), time_label);

  code_label = gtk_label_new (code != NULL ? code : "");
  gtk_label_set_xalign (GTK_LABEL (code_label), 0);
  gtk_widget_set_hexpand (code_label, TRUE);
  gtk_widget_add_css_class (code_label, "monospace");
  gtk_box_append (GTK_BOX (line), code_label);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (row_box), line);
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, "status-icon");
  gtk_box_append (GTK_BOX (line), icon);

  status_label = gtk_label_new (label);
  gtk_label_set_wrap (GTK_LABEL (status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (status_label), 0);
  gtk_widget_add_css_class (status_label, "status-text");
  gtk_box_append (GTK_BOX (line), status_label);

  gtk_list_box_insert (self->recent_list, row_box, 0);
  name_recent_row (row_box);
  self->n_recent++;

  while (self->n_recent > MAX_RECENT &&
         (last = gtk_list_box_get_row_at_index (self->recent_list,
                                                (int) self->n_recent - 1)) != NULL)
    {
      gtk_list_box_remove (self->recent_list, GTK_WIDGET (last));
      self->n_recent--;
    }

  return row_box;
}

/* Shows @r's state on a row made by add_recent(). */
static void
set_recent_state (GtkWidget   *row_box,
                  const char  *label,
                  const char  *icon_name,
                  const char  *css_class)
{
  /* time and code; icon and status */
  GtkWidget *icon = gtk_widget_get_first_child (gtk_widget_get_last_child (row_box));
  GtkWidget *status_label = gtk_widget_get_next_sibling (icon);
  const char *classes[] = { "status-success", "status-warning", "status-error",
                            "status-neutral" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (row_box, classes[i]);
  gtk_widget_add_css_class (row_box, css_class);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_label_set_text (GTK_LABEL (status_label), label);
  name_recent_row (row_box);
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
                  sc_verdict_status_get_label (status),
                  sc_app_status_icon_name (status),
                  sc_app_status_css_class (status));
      g_free (self->last_source);
      self->last_source = g_strdup (op->source);
      /* One phone held still is one scan. */
      if (self->camera != NULL && g_strcmp0 (op->source, "camera") == 0)
        sc_camera_hold (self->camera, op->input);
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

  if (sc_counter_error_is_session_expired (error))
    {
      message = sc_app_describe_error (error, FALSE);
      /* Translators: card title when the platform asks for the PIN again */
      sc_verdict_card_show_message (self->card, _("Log in again"), message, op->input,
                                    "dialog-password-symbolic", "status-neutral");
      session_expired (self, RETRY_LOOKUP, op->input, op->source, NULL, -1);
      return;
    }

  message = sc_app_describe_error (error, FALSE);
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
    sc_toaster_dismiss (self->notice_toast);
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
  GtkWidget *row_box = add_recent (self, r->code, label, icon, css);
  GtkWidget *undo = sc_scan_page_undo_button_new (r, undo_window (self));

  g_object_set_data_full (G_OBJECT (row_box), "sc-redemption-id", g_strdup (r->id), g_free);
  if (undo != NULL)
    {
      /* At the end of the row's (last) line, after its status. */
      GtkWidget *line = gtk_widget_get_last_child (row_box);

      gtk_box_append (GTK_BOX (GTK_IS_BOX (line) ? line : row_box), undo);
      g_object_set_data (G_OBJECT (row_box), "sc-undo-button", undo);
    }
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

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *row_box;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      row_box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      if (row_box != NULL &&
          g_strcmp0 (g_object_get_data (G_OBJECT (row_box), "sc-redemption-id"), r->id) == 0)
        {
          GtkWidget *undo = g_object_get_data (G_OBJECT (row_box), "sc-undo-button");

          set_recent_state (row_box, label, icon, css);
          if (undo != NULL)
            sc_scan_page_undo_button_update (undo, r);
        }
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
  else if (sc_counter_error_is_session_expired (error))
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
  else if (sc_counter_error_is_session_expired (error))
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

/* ScScanTarget: a code scanned anywhere in the window, the entry focused. */
static gboolean
sc_scan_page_take_code (ScScanTarget *target,
                        const char   *code,
                        const char   *source)
{
  ScScanPage *self = SC_SCAN_PAGE (target);

  focus_entry (self);
  sc_scan_page_submit (self, code, source);
  return TRUE;
}

static void
sc_scan_page_target_focus_entry (ScScanTarget *target)
{
  focus_entry (SC_SCAN_PAGE (target));
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
  {
    GtkListBoxRow *row;

    while ((row = gtk_list_box_get_row_at_index (self->recent_list, 0)) != NULL)
      gtk_list_box_remove (self->recent_list, GTK_WIDGET (row));
  }
  self->n_recent = 0;
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
  return self->n_recent;
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
camera_show_status (ScScanPage *self,
                    const char *text,
                    gboolean    failed)
{
  self->camera_failed = failed;
  gtk_label_set_text (GTK_LABEL (self->camera_status), text);
  gtk_widget_set_visible (self->camera_icon, TRUE);
  gtk_widget_set_visible (self->camera_status, TRUE);
  gtk_widget_set_visible (self->camera_retry, failed);
  gtk_widget_set_visible (self->camera_overlay, FALSE);
}

static void
camera_frame_cb (ScScanPage *self,
                 GBytes     *rgb,
                 int         width,
                 int         height,
                 int         stride,
                 guint64     seq,
                 ScCamera   *camera)
{
  g_autoptr(GdkTexture) texture = NULL;

  /* GTK 4.8 has no 8-bit gray texture: the camera expands gray to RGB. */
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, rgb, (gsize) stride);
  gtk_picture_set_paintable (GTK_PICTURE (self->camera_picture), GDK_PAINTABLE (texture));
  self->frame_width = width;
  self->frame_height = height;
  if (!gtk_widget_get_visible (self->camera_overlay))
    {
      gtk_widget_set_visible (self->camera_icon, FALSE);
      gtk_widget_set_visible (self->camera_status, FALSE);
      gtk_widget_set_visible (self->camera_retry, FALSE);
      gtk_widget_set_visible (self->camera_overlay, TRUE);
    }
}

static void
polygon_timeout_cb (gpointer user_data)
{
  ScScanPage *self = user_data;

  self->polygon_timeout = 0;
  g_clear_pointer (&self->polygon, sc_detection_free);
  gtk_widget_queue_draw (self->camera_polygon);
}

static void
camera_detected_cb (ScScanPage  *self,
                    ScDetection *detection,
                    ScCamera    *camera)
{
  g_clear_pointer (&self->polygon, sc_detection_free);
  self->polygon = sc_detection_copy (detection);
  g_clear_handle_id (&self->polygon_timeout, g_source_remove);
  self->polygon_timeout = g_timeout_add_once (POLYGON_SHOW_MS, polygon_timeout_cb, self);
  gtk_widget_queue_draw (self->camera_polygon);

  /* Exactly like a USB scanner's code. */
  sc_scan_page_submit (self, detection->payload, "camera");
  sc_camera_hold (camera, detection->payload);
}

static void
camera_error_cb (ScScanPage   *self,
                 const GError *error,
                 ScCamera     *camera)
{
  /* Translators: under a camera error; the entry and a USB scanner still work */
  g_autofree char *text = g_strdup_printf (_("%s Type the code or use a USB scanner."),
                                           error->message);

  camera_show_status (self, text, TRUE);
}

static void
camera_retry_cb (ScScanPage *self)
{
  if (self->camera == NULL)
    return;
  /* Translators: while the camera starts */
  camera_show_status (self, _("Starting the camera…"), FALSE);
  sc_camera_start (self->camera);
  focus_entry (self);
}

static void
camera_draw_polygon (GtkDrawingArea *area,
                     cairo_t        *cr,
                     int             width,
                     int             height,
                     gpointer        user_data)
{
  ScScanPage *self = user_data;
  const ScDetection *d = self->polygon;
  double scale, ox, oy;

  if (d == NULL || d->n_points < 2 || self->frame_width <= 0 || self->frame_height <= 0)
    return;

  /* Where GtkPicture (contain) puts the frame. */
  scale = MIN ((double) width / self->frame_width, (double) height / self->frame_height);
  ox = (width - self->frame_width * scale) / 2;
  oy = (height - self->frame_height * scale) / 2;

  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0.18, 0.76, 0.49, 0.95);
  for (int i = 0; i < d->n_points; i++)
    {
      double x = ox + d->x[i] * scale;
      double y = oy + d->y[i] * scale;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  cairo_stroke (cr);
}

static void
camera_build (ScScanPage *self)
{
  self->camera_icon = gtk_widget_get_first_child (self->camera_area);
  self->camera_status = gtk_widget_get_next_sibling (self->camera_icon);
  g_assert (GTK_IS_LABEL (self->camera_status));
  sc_label_keep_words_whole (GTK_LABEL (self->camera_status));
  self->camera_off_text = g_strdup (gtk_label_get_text (GTK_LABEL (self->camera_status)));

  self->camera_overlay = gtk_overlay_new ();
  gtk_widget_set_vexpand (self->camera_overlay, TRUE);
  gtk_widget_set_size_request (self->camera_overlay, -1, 240);
  gtk_widget_set_visible (self->camera_overlay, FALSE);
  gtk_widget_set_overflow (self->camera_overlay, GTK_OVERFLOW_HIDDEN);

  self->camera_picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->camera_picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->camera_picture), GTK_CONTENT_FIT_CONTAIN);
  /* Translators: accessible name of the camera preview */
  gtk_picture_set_alternative_text (GTK_PICTURE (self->camera_picture), _("Camera preview"));
  gtk_overlay_set_child (GTK_OVERLAY (self->camera_overlay), self->camera_picture);

  self->camera_polygon = gtk_drawing_area_new ();
  gtk_widget_set_can_target (self->camera_polygon, FALSE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->camera_polygon), camera_draw_polygon,
                                  self, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->camera_overlay), self->camera_polygon);
  gtk_box_prepend (GTK_BOX (self->camera_area), self->camera_overlay);

  /* Translators: button under a camera error: try to open the camera again */
  self->camera_retry = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_halign (self->camera_retry, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (self->camera_retry, 12);
  gtk_widget_set_visible (self->camera_retry, FALSE);
  gtk_widget_add_css_class (self->camera_retry, "pill");
  g_signal_connect_object (self->camera_retry, "clicked", G_CALLBACK (camera_retry_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->camera_area), self->camera_retry);
}

static void
camera_clear (ScScanPage *self)
{
  if (self->camera != NULL)
    {
      sc_camera_stop (self->camera);
      g_signal_handlers_disconnect_by_data (self->camera, self);
      g_clear_object (&self->camera);
    }
  g_clear_handle_id (&self->polygon_timeout, g_source_remove);
  g_clear_pointer (&self->polygon, sc_detection_free);
  self->camera_failed = FALSE;
}

void
sc_scan_page_set_camera_spec (ScScanPage *self,
                              const char *spec)
{
  g_return_if_fail (SC_IS_SCAN_PAGE (self));

  camera_clear (self);
  if (spec == NULL || g_str_equal (spec, "off"))
    {
      camera_show_status (self, self->camera_off_text, FALSE);
      return;
    }

  self->camera = sc_camera_new (spec);
  g_signal_connect_object (self->camera, "frame", G_CALLBACK (camera_frame_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "detected", G_CALLBACK (camera_detected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "error", G_CALLBACK (camera_error_cb), self,
                           G_CONNECT_SWAPPED);
  /* Translators: while the camera starts */
  camera_show_status (self, _("Starting the camera…"), FALSE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sc_camera_start (self->camera);
}

ScCamera *
sc_scan_page_get_camera (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return self->camera;
}

const char *
sc_scan_page_get_camera_status (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->camera_status))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->camera_status));
}

GtkWidget *
sc_scan_page_get_camera_retry_button (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return self->camera_retry;
}

GtkWidget *
sc_scan_page_get_camera_picture (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), NULL);
  return self->camera_picture;
}

gboolean
sc_scan_page_get_camera_polygon_shown (ScScanPage *self)
{
  g_return_val_if_fail (SC_IS_SCAN_PAGE (self), FALSE);
  return self->polygon != NULL;
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
  /* The camera runs only while the page shows. */
  if (self->camera != NULL && !sc_camera_is_running (self->camera))
    camera_retry_cb (self);
}

static void
sc_scan_page_unmap (GtkWidget *widget)
{
  ScScanPage *self = SC_SCAN_PAGE (widget);

  if (self->camera != NULL)
    sc_camera_stop (self->camera);
  GTK_WIDGET_CLASS (sc_scan_page_parent_class)->unmap (widget);
}

static void
sc_scan_page_dispose (GObject *object)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_retry (self);
  camera_clear (self);
  g_clear_object (&self->undo_toast);
  g_clear_weak_pointer (&self->notice_toast);
  g_clear_object (&self->counter);
  g_clear_object (&self->sound_player);

  G_OBJECT_CLASS (sc_scan_page_parent_class)->dispose (object);
}

static void
sc_scan_page_finalize (GObject *object)
{
  ScScanPage *self = SC_SCAN_PAGE (object);

  g_free (self->last_source);
  g_free (self->next_source);
  g_free (self->last_redemption_id);
  g_free (self->camera_off_text);

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
  widget_class->unmap = sc_scan_page_unmap;

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
  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, entry);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, card);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, ScScanPage, camera_area);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "scan.redeem", NULL, redeem_action);
  gtk_widget_class_install_action (widget_class, "scan.undo", NULL, undo_action);
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
  camera_build (self);
  update_busy (self);
  sc_scan_page_keys_install (GTK_WIDGET (self), self->entry);
}
