/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * ScScanTarget: a pane that takes a scanned or typed code.
 *
 * A USB scanner "types" a burst wherever the keyboard is; ScScanRouter takes
 * the burst back and gives the code to the visible pane of the window when
 * that pane implements this interface, else to the Scan page (which does).
 *
 * take_code: check @code, read from @source ("scanner", "camera",
 *   "keyboard"); returns TRUE when the pane took it.
 * focus_entry: (optional) put the keyboard focus where this pane's codes
 *   are typed.
 */

#define SC_TYPE_SCAN_TARGET (sc_scan_target_get_type ())
G_DECLARE_INTERFACE (ScScanTarget, sc_scan_target, SC, SCAN_TARGET, GtkWidget)

struct _ScScanTargetInterface
{
  GTypeInterface parent_iface;

  gboolean (*take_code)   (ScScanTarget *self,
                           const char   *code,
                           const char   *source);
  void     (*focus_entry) (ScScanTarget *self);
};

gboolean sc_scan_target_take_code   (ScScanTarget *self,
                                     const char   *code,
                                     const char   *source);
void     sc_scan_target_focus_entry (ScScanTarget *self);

G_END_DECLS
