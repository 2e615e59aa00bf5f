/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxing-cpp as a peer of our decoder, for the benchmark and the rate test
 * only (DESIGN §11): the app itself stays C and does not link it. Built when
 * meson finds a C++ compiler and zxing-cpp; then HAVE_ZXING_PEER is 1. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* zxing-cpp's ReadBarcodes on one 8-bit gray frame, QR, Code128 and EAN-13
 * only, with zxing's default hints: tryHarder, tryRotate and tryDownscale
 * on, LocalAverage (hybrid) binarizer. Returns the valid results' UTF-8
 * payloads (owned strings), never NULL. */
GPtrArray *sc_zxing_peer_decode (const guint8 *gray,
                                 int           width,
                                 int           height,
                                 int           stride);

/* zxing-cpp's version, e.g. "1.4.0". */
const char *sc_zxing_peer_version (void);

G_END_DECLS
