/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ScCameraError: why the camera stopped or could not start (DESIGN §10).
 */
#define SC_CAMERA_ERROR (sc_camera_error_quark ())
GQuark sc_camera_error_quark (void);

typedef enum
{
  SC_CAMERA_ERROR_NO_DEVICE,          /* no webcam, or not at that path */
  SC_CAMERA_ERROR_BUSY,               /* another program uses it */
  SC_CAMERA_ERROR_PERMISSION_DENIED,  /* not allowed to open it */
  SC_CAMERA_ERROR_UNPLUGGED,          /* it went away while running */
  SC_CAMERA_ERROR_BAD_FORMAT,         /* no picture format we can use */
  SC_CAMERA_ERROR_FILES,              /* the picture files cannot be read */
  SC_CAMERA_ERROR_TOO_LARGE,          /* a picture file has too many pixels to decode */
} ScCameraError;

/**
 * ScCamera: a frame source and its decoder on worker threads.
 *
 * The spec says where frames come from:
 *   ""            the first /dev/video* device
 *   "/dev/videoN" that V4L2 device, through zbar's video API
 *   "files:DIR"   the PNG/JPEG files in DIR, in name order, at "fps"
 *
 * A capture thread produces 8-bit gray frames; a decode thread decodes only
 * the newest one (stale frames are dropped). Signals are emitted on the
 * main context that was the thread-default when sc_camera_start() ran:
 *   "frame"    (GBytes *rgb, int width, int height, int stride, guint64 seq)
 *              a preview of a decoded frame, 8-bit RGB; seq counts captured
 *              frames from 0, so skipped numbers are dropped frames
 *   "detected" (ScDetection *) a new code (is_new, not held)
 *   "error"    (GError *) in SC_CAMERA_ERROR; the camera has stopped
 *   "finished" ()  a non-looping file source showed its last frame
 */
#define SC_TYPE_CAMERA (sc_camera_get_type ())
G_DECLARE_FINAL_TYPE (ScCamera, sc_camera, SC, CAMERA, GObject)

ScCamera   *sc_camera_new          (const char *spec);

const char *sc_camera_get_spec     (ScCamera   *self);
/* Takes effect at the next sc_camera_start(). */
void        sc_camera_set_spec     (ScCamera   *self,
                                    const char *spec);
/* Frames per second of a file source (1..1000, default 15). */
void        sc_camera_set_fps      (ScCamera   *self,
                                    int         fps);
/* Whether a file source starts over after its last file (default TRUE). */
void        sc_camera_set_loop     (ScCamera   *self,
                                    gboolean    loop);

/* Starts the threads and returns at once; failures come as "error".
 * Restarts when already running. */
void        sc_camera_start        (ScCamera   *self);
/* Stops and joins the threads; no signal is emitted after it returns. */
void        sc_camera_stop         (ScCamera   *self);
gboolean    sc_camera_is_running   (ScCamera   *self);
/* Frames captured and decoded since the last start (the rest were stale). */
void        sc_camera_get_counts   (ScCamera   *self,
                                    guint64    *out_captured,
                                    guint64    *out_decoded);

/* After a verdict on @payload: ignore @payload until it has been out of
 * view for half a second, or for 2 s (frame time, from the next frame), so
 * one phone held still is one scan. */
void        sc_camera_hold         (ScCamera   *self,
                                    const char *payload);

/* The first /dev/video* capture device, or NULL when there is none. */
char       *sc_camera_find_device  (void);

/**
 * ScCameraDevice: a /dev/video* node that captures video.
 */
typedef struct
{
  char *path;  /* "/dev/video0" */
  char *name;  /* (nullable) what the driver calls it ("HD Webcam"); NULL when
                * the device cannot be opened to ask (no permission) */
} ScCameraDevice;

void        sc_camera_device_free  (ScCameraDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScCameraDevice, sc_camera_device_free)

/* The /dev/video* capture devices in number order, leaving out the nodes a
 * webcam also has for metadata. Opens each device for a moment, so call it
 * off the UI thread. Returns: (element-type ScCameraDevice) never NULL. */
GPtrArray  *sc_camera_list_devices (void);

G_END_DECLS
