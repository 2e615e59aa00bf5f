/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-camera.h"
#include "sc-camera-view.h"
#include "sc-counter.h"
#include "sc-recent-item.h"
#include "sc-scan-page.h"
#include "sc-sound-player.h"
#include "sc-verdict-card.h"

G_BEGIN_DECLS

/*
 * What the files of the Scan page share: sc-scan-page.c (the widget, the
 * entry, the history, the camera view), sc-scan-page-ops.c (the lookup,
 * redeem and undo flows), sc-scan-page-undo.c (its toasts),
 * sc-scan-page-keys.c (its keys).
 */

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
  guint          lookup_seq;
  guint          n_busy;
  gboolean       busy;              /* "busy": n_busy > 0, as last notified */
  gboolean       redeeming;

  /* Feedback after a scan: the card flashes, a sound plays. */
  ScSoundPlayer *sound_player;      /* (owned) holds no stream while sounds are off */

  RetryKind      retry_kind;
  char          *retry_input;       /* (owned) (nullable) input or redemption id */
  char          *retry_source;      /* (owned) (nullable) */
  ScVerdict     *retry_verdict;     /* (owned) (nullable) */
  gint64         retry_bill_fen;
};


/* sc-scan-page.c */
GTimeZone    *sc_scan_page_store_time_zone       (ScScanPage *self);
/* The spinner, "scan.redeem" and "busy" follow n_busy and the card. */
void          sc_scan_page_update_busy           (ScScanPage *self);
void          sc_scan_page_set_last_redemption_id (ScScanPage *self,
                                                   const char *redemption_id);
void          sc_scan_page_add_toast             (ScScanPage *self,
                                                  AdwToast   *toast);
void          sc_scan_page_show_toast            (ScScanPage *self,
                                                  const char *text);
void          sc_scan_page_dismiss_undo_toast    (ScScanPage *self);
/* The session expired during a lookup, redemption or undo (the counter
 * emitted "session-expired", and the window asks for the PIN): keeps what
 * to run again when sc_scan_page_retry() is called after the new login. */
void          sc_scan_page_keep_retry            (ScScanPage *self,
                                                  RetryKind   kind,
                                                  const char *input,
                                                  const char *source,
                                                  ScVerdict  *verdict,
                                                  gint64      bill_fen);
ScRecentItem *sc_scan_page_add_recent            (ScScanPage *self,
                                                  const char *code,
                                                  const char *redemption_id,
                                                  const char *label,
                                                  const char *icon_name,
                                                  const char *css_class);

/* sc-scan-page-ops.c */
void          sc_scan_page_start_lookup          (ScScanPage *self,
                                                  const char *input,
                                                  const char *source);
void          sc_scan_page_start_redeem          (ScScanPage *self,
                                                  ScVerdict  *verdict,
                                                  gint64      bill_fen,
                                                  const char *source);
/* ScCounter "redemption-changed": the history rows, the card and the
 * toast follow. */
void          sc_scan_page_redemption_changed_cb (ScScanPage   *self,
                                                  ScRedemption *r,
                                                  ScCounter    *counter);

G_END_DECLS
