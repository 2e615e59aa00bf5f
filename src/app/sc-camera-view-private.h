/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-camera-view.h"

G_BEGIN_DECLS

/* For tests: the Retry button and the preview picture. */
GtkWidget *sc_camera_view_get_retry_button (ScCameraView *self);
GtkWidget *sc_camera_view_get_picture      (ScCameraView *self);

G_END_DECLS
