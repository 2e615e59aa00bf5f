/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ScScannerInput: tells a USB barcode scanner from a person typing.
 *
 * A scanner "types" a whole code in a burst: keys at most
 * max-interval-ms apart (default 50), ending in Enter or Tab. Feed every key
 * press of the window to it (pure logic, no widgets, so it is unit-tested
 * with synthetic timestamps). When a terminator closes a burst of at least
 * min-length (default 4) printable characters, feed returns TRUE with the
 * payload: control characters dropped, then the configured prefix and
 * suffix stripped when present. A slow key (a person) starts a new burst;
 * a terminator after slow typing returns FALSE (typing stays typing).
 *
 * Properties: "max-interval-ms" (uint), "min-length" (uint), "prefix"
 * (string), "suffix" (string).
 */

#define SC_TYPE_SCANNER_INPUT (sc_scanner_input_get_type ())
G_DECLARE_FINAL_TYPE (ScScannerInput, sc_scanner_input, SC, SCANNER_INPUT, GObject)

ScScannerInput *sc_scanner_input_new         (void);

/*
 * @keyval: a GDK keyval (GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_Tab and
 *   GDK_KEY_ISO_Left_Tab terminate; pass 0 for keys that are neither text
 *   nor terminators, which are ignored)
 * @ch: the key's Unicode character (gdk_keyval_to_unicode), 0 if none
 * @time_ms: the event time in milliseconds (gdk_event_get_time)
 * @out_payload: (out) (transfer full) (optional): the scanned text
 *
 * Returns: TRUE when this key completes a scan.
 */
gboolean        sc_scanner_input_feed        (ScScannerInput *self,
                                              guint           keyval,
                                              gunichar        ch,
                                              guint32         time_ms,
                                              char          **out_payload);
/* How many characters of the burst under way have been fed (so a caller
 * can take them back out of a text field they landed in). */
guint           sc_scanner_input_get_pending (ScScannerInput *self);
void            sc_scanner_input_reset       (ScScannerInput *self);

void            sc_scanner_input_set_prefix  (ScScannerInput *self,
                                              const char     *prefix);
void            sc_scanner_input_set_suffix  (ScScannerInput *self,
                                              const char     *suffix);
void            sc_scanner_input_set_max_interval (ScScannerInput *self,
                                                   guint           ms);

G_END_DECLS
