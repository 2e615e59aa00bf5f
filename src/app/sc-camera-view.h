/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-camera.h"

G_BEGIN_DECLS

/**
 * ScCameraView: a camera's preview (DESIGN §10) with the outline of the last
 * code found, or, instead of the preview, why there is none: the camera is
 * off, starting, or failed (then with a Retry button). The camera runs while
 * the view is mapped.
 *
 * Property "spec" (string, nullable): the ScCamera spec ("" the first
 * /dev/video*, "/dev/videoN", "files:DIR"); NULL or "off" for none.
 * Property "status" (string, nullable, read-only): the words shown instead
 * of the preview (off, starting, an error), NULL while the preview shows.
 * Property "outline-shown" (boolean, read-only): the outline of the last
 * detection is drawn (for about a second after it).
 * Signal "detected" (const char *payload): a new code in view.
 * Signal "retried": the clerk pressed Retry and the camera starts again.
 */

#define SC_TYPE_CAMERA_VIEW (sc_camera_view_get_type ())
G_DECLARE_FINAL_TYPE (ScCameraView, sc_camera_view, SC, CAMERA_VIEW, AdwBin)

GtkWidget  *sc_camera_view_new               (void);
void        sc_camera_view_set_spec          (ScCameraView *self,
                                              const char   *spec);
/* (nullable) the camera, when one is set. */
ScCamera   *sc_camera_view_get_camera        (ScCameraView *self);
const char *sc_camera_view_get_status        (ScCameraView *self);
gboolean    sc_camera_view_get_outline_shown (ScCameraView *self);
/* After an answer for @payload: see sc_camera_hold(). Nothing without a
 * camera. */
void        sc_camera_view_hold              (ScCameraView *self,
                                              const char   *payload);

G_END_DECLS
