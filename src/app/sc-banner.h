/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * ScBanner: a strip under the header bar that says something the clerk
 * should act on, with an optional button (libadwaita 1.2 has no AdwBanner;
 * this one has its shape: title, button-label, action-name, revealed).
 * It slides in and out; a warning icon goes with the words, so the colour
 * is never the only sign.
 *
 * Properties: "title", "button-label" (nullable: no button), "action-name"
 * (nullable: the button's action), "revealed".
 *
 * It keeps a queue: anyone holding the banner (the window, a pane) posts
 * with sc_banner_show() and withdraws with sc_banner_hide() by id; the
 * newest one posted is on screen until withdrawn, then the one before it.
 */

#define SC_TYPE_BANNER (sc_banner_get_type ())
G_DECLARE_FINAL_TYPE (ScBanner, sc_banner, SC, BANNER, GtkWidget)

GtkWidget  *sc_banner_new              (void);
const char *sc_banner_get_title        (ScBanner   *self);
void        sc_banner_set_title        (ScBanner   *self,
                                        const char *title);
const char *sc_banner_get_button_label (ScBanner   *self);
void        sc_banner_set_button_label (ScBanner   *self,
                                        const char *label);
const char *sc_banner_get_action_name  (ScBanner   *self);
void        sc_banner_set_action_name  (ScBanner   *self,
                                        const char *action_name);
gboolean    sc_banner_get_revealed     (ScBanner   *self);
void        sc_banner_set_revealed     (ScBanner   *self,
                                        gboolean    revealed);
/* Posts a banner @id (conflicts, clock skew…); posting an id again updates
 * it in place, keeping its turn. @button_label (with a mnemonic, nullable:
 * no button) activates @action_name (nullable), e.g.
 * "window.review-conflicts". */
void        sc_banner_show             (ScBanner   *self,
                                        const char *id,
                                        const char *text,
                                        const char *button_label,
                                        const char *action_name);
/* Withdraws banner @id, if posted. */
void        sc_banner_hide             (ScBanner   *self,
                                        const char *id);
/* The button (tests). */
GtkWidget  *sc_banner_get_button       (ScBanner   *self);

G_END_DECLS
