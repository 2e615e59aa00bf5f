/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScStatusChip: the header's online chip (DESIGN §9): "Online" or
 * "Offline", with this clerk's unsynced redemptions and those that wait for
 * another clerk ("Offline · 2 unsynced · 1 waiting for another clerk"); its
 * tooltip says what each means and who the waiting ones belong to. Styled
 * .chip and .online or .offline, with an icon, so colour is never the only
 * sign.
 *
 * Properties: "counter" (ScCounter, nullable: empty until set) whose
 * online, unsynced, waiting and session it follows by itself; "text"
 * (read-only): the words shown.
 */

#define SC_TYPE_STATUS_CHIP (sc_status_chip_get_type ())
G_DECLARE_FINAL_TYPE (ScStatusChip, sc_status_chip, SC, STATUS_CHIP, GtkWidget)

ScCounter  *sc_status_chip_get_counter       (ScStatusChip *self);
void        sc_status_chip_set_counter       (ScStatusChip *self,
                                              ScCounter    *counter);
const char *sc_status_chip_get_text          (ScStatusChip *self);

G_END_DECLS
