/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScScanPage: 扫码核销. The code entry (holds focus; a USB scanner types
 * into it; Enter submits, Esc clears), the verdict card, the redeem flow with
 * an undo toast, and the last verifications of this session.
 *
 * Properties: "counter" (ScCounter), "auto-redeem-pickup" (boolean),
 * "sounds" (boolean: a tone after each scanned code, one for a code that can
 * be redeemed and another for one that cannot; default off),
 * "busy" (boolean, read-only: a lookup, redemption or undo is under way),
 * "last-redemption-id" (string, read-only, nullable: the last redemption of
 * this session that can be undone, what "scan.undo" undoes),
 * "sound-player" (ScSoundPlayer, read-only: plays the tones; holds no media
 * stream while "sounds" is off).
 * The platform refusing the session is the counter's "session-expired"
 * (the window asks for the PIN); the page keeps the lookup, redemption or
 * undo it stopped: call sc_scan_page_retry() after logging in again.
 * Signal "show-toast" (AdwToast *): a message for the window's toast overlay.
 * Signal "completed": a lookup (not one a newer lookup took over), a
 * redemption or an undo finished, successful or not.
 * Signal "feedback" (const char *sound, nullable): after an answer the card
 * flashed, and @sound (SC_SOUND_*) played: for a scanner or camera code with
 * "sounds" on; NULL for none.
 * Actions: "scan.redeem", "scan.clear", "scan.undo".
 */

#define SC_TYPE_SCAN_PAGE (sc_scan_page_get_type ())
G_DECLARE_FINAL_TYPE (ScScanPage, sc_scan_page, SC, SCAN_PAGE, AdwBin)

GtkWidget *sc_scan_page_new           (void);
void       sc_scan_page_set_counter   (ScScanPage *self,
                                       ScCounter  *counter);
/* Puts @text into the entry and looks it up; @source: "scanner",
 * "camera", "keyboard". */
void       sc_scan_page_submit        (ScScanPage *self,
                                       const char *text,
                                       const char *source);
void       sc_scan_page_focus_entry   (ScScanPage *self);
/* Clears the entry and the card. */
void       sc_scan_page_clear         (ScScanPage *self);
/* Undoes @redemption_id, or the last redemption of this session if NULL. */
void       sc_scan_page_undo          (ScScanPage *self,
                                       const char *redemption_id);
/* Runs again what the expired session stopped (a lookup, a redemption or
 * an undo), if anything. */
void       sc_scan_page_retry         (ScScanPage *self);
/* Forgets the card, the list and the last redemption (logout). */
void       sc_scan_page_reset         (ScScanPage *self);
/* Reads codes from a camera (ScCamera spec: "" the first /dev/video*,
 * "/dev/videoN", "files:DIR"), NULL or "off" for none. The camera runs while
 * the page is mapped; its codes are submitted with source "camera". */
void       sc_scan_page_set_camera_spec (ScScanPage *self,
                                         const char *spec);
/* The entry: the window routes scanner bursts to it. */
GtkWidget *sc_scan_page_get_entry     (ScScanPage *self);

G_END_DECLS
