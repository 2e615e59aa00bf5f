/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a screen reader is told: accessible names that GTK 4.8 and
 * libadwaita 1.2 leave out or garble, and the verdict announcements. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* GTK 4.8 names a button with a mnemonic by its raw label and its label
 * widget both ("_Redeem Redeem"): @button's name then comes from its label
 * widget alone ("Redeem"), also after the label changes. */
void sc_a11y_name_button_from_label (GtkButton       *button);
/* For a button labelled by something else as well (an AdwActionRow's
 * activatable widget is labelled by the row): its own part of the name is
 * its label without the mnemonic underscore ("Try Redeemable · Coupon"). */
void sc_a11y_name_button_without_mnemonic (GtkButton *button);
/* sc_a11y_name_button_from_label() on every button with a mnemonic label
 * under @root that exists now. */
void sc_a11y_name_mnemonic_buttons  (GtkWidget       *root);
/* Names the icon-only buttons under @root that a library made without a
 * name (GTK 4.8 reads none from a tooltip): by their tooltip, or
 * @fallback when they have none. */
void sc_a11y_name_icon_buttons      (GtkWidget       *root,
                                     const char      *fallback);
/* Names the buttons of every toast @overlay shows from now on (libadwaita
 * 1.2: an unnamed close button, a mnemonic Undo). */
void sc_a11y_watch_toasts           (AdwToastOverlay *overlay);

/* GTK 4.8 has no gtk_accessible_announce (4.14). Gives @status (an
 * accessible with the "status" role) the name @text: screen readers get a
 * PropertyChange "accessible-name" event, also when @text comes again
 * (GTK sends none for an unchanged value: the name is cleared first then).
 * GTK sends it once a screen reader has seen @status. */
void sc_a11y_announce               (GtkWidget       *status,
                                     const char      *text);
/* The same for the description of @widget, which has the focus: GTK sends
 * the PropertyChange "accessible-description" event for it whether or not
 * a screen reader has explored the window. %NULL removes the description. */
void sc_a11y_describe               (GtkWidget       *widget,
                                     const char      *text);

G_END_DECLS
