/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * ScSoundPlayer: plays the app's short feedback sounds (DESIGN §9), the WAV
 * files under SC_RESOURCE_PATH "/sounds/", through GtkMediaFile.
 *
 * A sound's media stream is made the first time it is played and kept for
 * the next time. When GTK has no media backend, or the machine no audio
 * output, the stream fails quietly and that sound is not tried again: the
 * app stays silent, without a warning.
 */

#define SC_TYPE_SOUND_PLAYER (sc_sound_player_get_type ())
G_DECLARE_FINAL_TYPE (ScSoundPlayer, sc_sound_player, SC, SOUND_PLAYER, GObject)

/* The sounds there are. */
#define SC_SOUND_SCAN_OK    "scan-ok"     /* a code that can be redeemed */
#define SC_SOUND_SCAN_ERROR "scan-error"  /* a code that cannot */

ScSoundPlayer *sc_sound_player_new           (void);
/* Plays @name (SC_SOUND_*) from its start, cutting itself short when it
 * still plays. */
void           sc_sound_player_play          (ScSoundPlayer *self,
                                              const char    *name);
/* Drops the media streams (sounds were turned off). */
void           sc_sound_player_release       (ScSoundPlayer *self);
/* The media streams held now (for tests). */
guint          sc_sound_player_get_n_streams (ScSoundPlayer *self);

G_END_DECLS
