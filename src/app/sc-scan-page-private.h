/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-camera.h"
#include "sc-scan-page.h"
#include "sc-verdict-card.h"

G_BEGIN_DECLS

/* For tests. */
ScVerdictCard *sc_scan_page_get_card               (ScScanPage *self);
GtkListBox    *sc_scan_page_get_recent_list        (ScScanPage *self);
guint          sc_scan_page_get_n_recent           (ScScanPage *self);
/* TRUE while a lookup, redemption or undo is under way. */
gboolean       sc_scan_page_get_busy               (ScScanPage *self);
/* (nullable): the last redemption of this session that can be undone. */
const char    *sc_scan_page_get_last_redemption_id (ScScanPage *self);
/* Counts finished lookups / redemptions / undos (successful or not). */
guint          sc_scan_page_get_n_completed        (ScScanPage *self);
/* Feedback after answers (sc-scan-page.c give_feedback): every flash of the
 * card; the sounds asked for (scanner and camera codes with "sounds" on) and
 * the name of the last one (SC_SOUND_*, NULL before the first); the media
 * streams held (none while sounds are off). */
guint          sc_scan_page_get_n_feedback         (ScScanPage *self);
guint          sc_scan_page_get_n_sounds           (ScScanPage *self);
const char    *sc_scan_page_get_last_sound         (ScScanPage *self);
guint          sc_scan_page_get_n_sound_streams    (ScScanPage *self);
/* The text of the recent row @index (0 = newest): time, code, status. */
char          *sc_scan_page_dup_recent_text        (ScScanPage *self,
                                                    guint       index);

/* (nullable) the camera, when one is set. */
ScCamera      *sc_scan_page_get_camera             (ScScanPage *self);
/* (nullable) the words shown instead of the preview (off, starting, error). */
const char    *sc_scan_page_get_camera_status      (ScScanPage *self);
GtkWidget     *sc_scan_page_get_camera_retry_button (ScScanPage *self);
GtkWidget     *sc_scan_page_get_camera_picture     (ScScanPage *self);
/* Whether the last detection's outline is drawn. */
gboolean       sc_scan_page_get_camera_polygon_shown (ScScanPage *self);

G_END_DECLS
