/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of ScCamera share: sc-camera.c (the object, the decode
 * thread, the V4L2 source) and sc-camera-files.c (the picture-folder
 * source). A frame source is a capture thread that takes a Run, puts each
 * frame in the run's mailbox (sc_camera_run_deliver) and fails with a
 * SC_CAMERA_ERROR in words (sc_camera_run_fail). */

#include "sc-camera.h"

G_BEGIN_DECLS

#define FILES_PREFIX      "files:"

typedef struct
{
  GBytes  *gray;    /* (owned) width x height, stride == width */
  int      width;
  int      height;
  guint64  seq;
  gint64   time_us;
} Frame;

typedef struct
{
  /* Set before the threads start, then read-only. */
  char         *spec;        /* (owned) */
  int           fps;
  gboolean      loop;
  GMainContext *context;     /* (owned) where signals are emitted */
  GWeakRef      camera;

  GThread      *capture;     /* (owned) (nullable) joined by sc_camera_stop() */
  GThread      *decode;      /* (owned) (nullable) */

  GMutex        lock;        /* guards the fields below */
  GCond         cond;
  Frame        *pending;     /* (owned) (nullable) the newest undecoded frame */
  gboolean      stopping;    /* stop asked for, or the source failed */
  gboolean      eos;         /* a non-looping file source is done */
  char         *held;        /* (owned) (nullable) sc_camera_hold()'s payload */
  gint64        held_at_us;    /* frame time the hold began, 0: next frame */
  gint64        held_seen_us;  /* frame time the held payload was last seen */

  int           preview_busy;  /* atomic: a "frame" is queued, not yet emitted */
  guint64       n_captured;    /* frames made (under lock) */
  guint64       n_decoded;     /* frames decoded (under lock) */
} Run;

void     sc_camera_frame_free           (Frame  *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Frame, sc_camera_frame_free)

/* From either worker: report @error (taken) and stop both threads. */
void     sc_camera_run_fail             (Run    *run,
                                         GError *error);
void     sc_camera_run_count_captured   (Run    *run);
/* Puts @frame (taken) in the mailbox. FALSE when the run is stopping. */
gboolean sc_camera_run_deliver          (Run    *run,
                                         Frame  *frame);
/* Waits until @deadline_us (monotonic); FALSE when the run is stopping. */
gboolean sc_camera_run_wait_until       (Run    *run,
                                         gint64  deadline_us);
gboolean sc_camera_run_is_stopping      (Run    *run);

/* sc-camera-files.c: the capture thread of a "files:DIR" spec. */
gpointer sc_camera_files_capture_thread (gpointer data);

G_END_DECLS
