/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ScRecentItem: one entry of the Scan page's last verifications — a code
 * checked, redeemed or undone — as shown in its row (ScRecentRow).
 *
 * Properties (construct-only): "code", "time" (the time shown, already in
 * the store's time zone), "redemption-id" (nullable: the redemption the
 * entry is about, NULL for a lookup).
 * Properties that follow the entry's state: "label" (the status words),
 * "icon-name", "css-class" (status-success, -warning, -error, -neutral),
 * "undoable" (the row offers an Undo button; see sc_recent_item_allow_undo).
 */

#define SC_TYPE_RECENT_ITEM (sc_recent_item_get_type ())
G_DECLARE_FINAL_TYPE (ScRecentItem, sc_recent_item, SC, RECENT_ITEM, GObject)

ScRecentItem *sc_recent_item_new               (const char   *code,
                                                const char   *time,
                                                const char   *redemption_id);
const char   *sc_recent_item_get_code          (ScRecentItem *self);
const char   *sc_recent_item_get_time          (ScRecentItem *self);
const char   *sc_recent_item_get_redemption_id (ScRecentItem *self);
const char   *sc_recent_item_get_label         (ScRecentItem *self);
const char   *sc_recent_item_get_icon_name     (ScRecentItem *self);
const char   *sc_recent_item_get_css_class     (ScRecentItem *self);
/* Sets "label", "icon-name" and "css-class" (notifying those that change). */
void          sc_recent_item_set_state         (ScRecentItem *self,
                                                const char   *label,
                                                const char   *icon_name,
                                                const char   *css_class);
gboolean      sc_recent_item_get_undoable      (ScRecentItem *self);
/* FALSE also ends the undo window started by sc_recent_item_allow_undo(). */
void          sc_recent_item_set_undoable      (ScRecentItem *self,
                                                gboolean      undoable);
/* "undoable" for @window_s seconds (the session's undo window), then not;
 * nothing when @window_s is 0 or less. */
void          sc_recent_item_allow_undo        (ScRecentItem *self,
                                                int           window_s);

G_END_DECLS
