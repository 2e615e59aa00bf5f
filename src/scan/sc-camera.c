/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Frame sources behind one interface (DESIGN §10).
 *
 * Each sc_camera_start() makes a Run, shared (refcounted) by the capture
 * thread, the decode thread and the callbacks queued on the caller's main
 * context. The capture thread puts each new frame in a one-frame mailbox,
 * replacing a frame not yet decoded; the decode thread takes the newest.
 * Callbacks check that their Run is still the camera's current one, so
 * nothing reaches the caller after sc_camera_stop(). */

#include "config.h"

#include "sc-camera-private.h"
#include "sc-decoder.h"
#include "sc-picture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/videodev2.h>

#include <glib/gi18n-lib.h>
#include <zbar.h>

#define HOLD_MAX_US       (2 * G_USEC_PER_SEC)
#define HOLD_GONE_US      (G_USEC_PER_SEC / 2)
#define POLL_MS           100

G_DEFINE_QUARK (sc-camera-error-quark, sc_camera_error)

void
sc_camera_frame_free (Frame *frame)
{
  g_bytes_unref (frame->gray);
  g_free (frame);
}

static Run *
run_ref (Run *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
run_clear (Run *run)
{
  g_free (run->spec);
  g_main_context_unref (run->context);
  g_weak_ref_clear (&run->camera);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_clear_pointer (&run->pending, sc_camera_frame_free);
  g_free (run->held);
}

static void
run_unref (Run *run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_unref)


struct _ScCamera
{
  GObject  parent_instance;

  char    *spec;     /* (owned) */
  int      fps;
  gboolean loop;
  Run     *run;      /* (owned) (nullable) main thread only */
  gboolean running;  /* threads started and not stopped or failed */
};

G_DEFINE_FINAL_TYPE (ScCamera, sc_camera, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_FPS,
  PROP_LOOP,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FRAME,
  SIGNAL_DETECTED,
  SIGNAL_ERROR,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- delivery to the main context ---------------------------------------- */

typedef enum
{
  EVENT_FRAME,
  EVENT_DETECTED,
  EVENT_ERROR,
  EVENT_FINISHED,
} EventKind;

typedef struct
{
  Run         *run;        /* (owned) */
  EventKind    kind;
  GBytes      *rgb;        /* (owned) (nullable) EVENT_FRAME */
  int          width;
  int          height;
  guint64      seq;
  ScDetection *detection;  /* (owned) (nullable) EVENT_DETECTED */
  GError      *error;      /* (owned) (nullable) EVENT_ERROR */
} Event;

static void
event_free (Event *event)
{
  g_clear_pointer (&event->run, run_unref);
  g_clear_pointer (&event->rgb, g_bytes_unref);
  g_clear_pointer (&event->detection, sc_detection_free);
  g_clear_error (&event->error);
  g_free (event);
}

static void
set_running (ScCamera *self,
             gboolean  running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
event_dispatch (gpointer user_data)
{
  Event *event = user_data;
  g_autoptr(ScCamera) self = g_weak_ref_get (&event->run->camera);

  if (event->kind == EVENT_FRAME)
    g_atomic_int_set (&event->run->preview_busy, 0);

  /* Stopped, restarted or gone since: drop it. */
  if (self == NULL || self->run != event->run)
    return G_SOURCE_REMOVE;

  switch (event->kind)
    {
    case EVENT_FRAME:
      g_signal_emit (self, signals[SIGNAL_FRAME], 0, event->rgb, event->width, event->height,
                     event->width * 3, event->seq);
      break;
    case EVENT_DETECTED:
      g_signal_emit (self, signals[SIGNAL_DETECTED], 0, event->detection);
      break;
    case EVENT_ERROR:
      set_running (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, event->error);
      break;
    case EVENT_FINISHED:
      set_running (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
      break;
    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

static void
post (Run   *run,
      Event *event)
{
  GSource *source = g_idle_source_new ();

  /* Always a source, never g_main_context_invoke(): that runs the function
   * in the calling thread when it can acquire the context, and the main
   * context is this worker's thread-default context too. Signals must only
   * ever be emitted in the thread that iterates run->context. */
  event->run = run_ref (run);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, event_dispatch, event, (GDestroyNotify) event_free);
  g_source_set_static_name (source, "[sc-camera] event");
  g_source_attach (source, run->context);
  g_source_unref (source);
}

/* From either worker: report @error (taken) and stop both threads. */
void
sc_camera_run_fail (Run    *run,
                    GError *error)
{
  Event *event = g_new0 (Event, 1);

  g_debug ("camera %s: %s", run->spec, error->message);
  g_mutex_lock (&run->lock);
  run->stopping = TRUE;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);

  event->kind = EVENT_ERROR;
  event->error = error;
  post (run, event);
}

/* ---- the capture side ----------------------------------------------------- */

void
sc_camera_run_count_captured (Run *run)
{
  g_mutex_lock (&run->lock);
  run->n_captured++;
  g_mutex_unlock (&run->lock);
}

/* Puts @frame (taken) in the mailbox. FALSE when the run is stopping. */
gboolean
sc_camera_run_deliver (Run   *run,
                       Frame *frame)
{
  gboolean go_on;

  g_mutex_lock (&run->lock);
  go_on = !run->stopping;
  if (go_on)
    {
      /* A frame not decoded yet is stale now. */
      g_clear_pointer (&run->pending, sc_camera_frame_free);
      run->pending = frame;
      g_cond_signal (&run->cond);
    }
  else
    {
      sc_camera_frame_free (frame);
    }
  g_mutex_unlock (&run->lock);
  return go_on;
}

/* Waits until @deadline_us (monotonic); FALSE when the run is stopping. */
gboolean
sc_camera_run_wait_until (Run    *run,
                          gint64  deadline_us)
{
  gboolean go_on;

  g_mutex_lock (&run->lock);
  while (!run->stopping && g_get_monotonic_time () < deadline_us)
    g_cond_wait_until (&run->cond, &run->lock, deadline_us);
  go_on = !run->stopping;
  g_mutex_unlock (&run->lock);
  return go_on;
}

gboolean
sc_camera_run_is_stopping (Run *run)
{
  gboolean stopping;

  g_mutex_lock (&run->lock);
  stopping = run->stopping;
  g_mutex_unlock (&run->lock);
  return stopping;
}

static GError *
device_error (const char *device,
              int         errsv)
{
  g_autofree char *display = g_filename_display_name (device);

  switch (errsv)
    {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_NO_DEVICE,
                          _("There is no camera at %s."), display);
    case EBUSY:
      return g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_BUSY,
                          _("The camera is in use by another program. Close it and try again."));
    case EACCES:
    case EPERM:
      return g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_PERMISSION_DENIED,
                          _("This program may not use the camera at %s."), display);
    default:
      return g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_NO_DEVICE,
                          _("The camera at %s cannot be opened: %s."), display,
                          g_strerror (errsv));
    }
}

static gpointer
v4l2_capture_thread (gpointer data)
{
  Run *run = data;
  g_autofree char *device = NULL;
  zbar_video_t *video = NULL;
  gboolean enabled = FALSE;
  guint64 seq = 0;
  int fd;

  device = *run->spec != '\0' ? g_strdup (run->spec) : sc_camera_find_device ();
  if (device == NULL)
    {
      sc_camera_run_fail (run, g_error_new_literal (SC_CAMERA_ERROR, SC_CAMERA_ERROR_NO_DEVICE,
                                                    _("No camera is connected.")));
      return NULL;
    }

  /* zbar only says "system error": try the device first for a better word. */
  fd = open (device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      sc_camera_run_fail (run, device_error (device, errno));
      return NULL;
    }
  close (fd);

  video = zbar_video_create ();
  zbar_video_request_size (video, 1280, 720);
  if (zbar_video_open (video, device) != 0)
    {
      int errsv = errno;

      g_debug ("zbar_video_open %s: %s", device, zbar_video_error_string (video, 1));
      sc_camera_run_fail (run, zbar_video_get_error_code (video) == ZBAR_ERR_UNSUPPORTED
                               ? g_error_new_literal (SC_CAMERA_ERROR, SC_CAMERA_ERROR_BAD_FORMAT,
                                                      _("This device is not a camera this "
                                                        "program can use."))
                               : device_error (device, errsv != 0 ? errsv : ENODEV));
      goto out;
    }

  /* zbar picks the source format cheapest to turn into gray (GREY, YUYV,
   * MJPEG, ...) and converts each image below. */
  if (zbar_negotiate_format (video, NULL) != 0)
    {
      g_debug ("zbar_negotiate_format %s: %s", device, zbar_video_error_string (video, 1));
      sc_camera_run_fail (run, g_error_new_literal (SC_CAMERA_ERROR, SC_CAMERA_ERROR_BAD_FORMAT,
                                                    _("The camera gives no picture format this "
                                                      "program can read.")));
      goto out;
    }
  if (zbar_video_enable (video, 1) != 0)
    {
      g_debug ("zbar_video_enable %s: %s", device, zbar_video_error_string (video, 1));
      sc_camera_run_fail (run, device_error (device, EBUSY));
      goto out;
    }
  enabled = TRUE;

  while (!sc_camera_run_is_stopping (run))
    {
      struct pollfd pfd = { .fd = zbar_video_get_fd (video), .events = POLLIN };
      zbar_image_t *image;
      zbar_image_t *gray;
      Frame *frame;
      int n;

      /* Wake up now and then to see whether to stop. */
      if (pfd.fd >= 0)
        {
          n = poll (&pfd, 1, POLL_MS);
          if (n == 0 || (n < 0 && errno == EINTR))
            continue;
          if (n < 0 || (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0)
            {
              sc_camera_run_fail (run, g_error_new_literal (SC_CAMERA_ERROR,
                                                            SC_CAMERA_ERROR_UNPLUGGED,
                                                            _("The camera was unplugged.")));
              break;
            }
        }

      image = zbar_video_next_image (video);
      if (image == NULL)
        {
          g_debug ("zbar_video_next_image %s: %s", device, zbar_video_error_string (video, 1));
          sc_camera_run_fail (run, g_error_new_literal (SC_CAMERA_ERROR,
                                                        SC_CAMERA_ERROR_UNPLUGGED,
                                                        _("The camera was unplugged.")));
          break;
        }
      gray = zbar_image_convert (image, zbar_fourcc ('Y', '8', '0', '0'));
      zbar_image_destroy (image);
      if (gray == NULL)
        {
          sc_camera_run_fail (run, g_error_new_literal (SC_CAMERA_ERROR,
                                                        SC_CAMERA_ERROR_BAD_FORMAT,
                                                        _("The camera gives no picture format "
                                                          "this program can read.")));
          break;
        }

      frame = g_new0 (Frame, 1);
      frame->width = (int) zbar_image_get_width (gray);
      frame->height = (int) zbar_image_get_height (gray);
      frame->gray = g_bytes_new (zbar_image_get_data (gray),
                                 (gsize) frame->width * frame->height);
      frame->seq = seq++;
      frame->time_us = g_get_monotonic_time ();
      zbar_image_destroy (gray);
      sc_camera_run_count_captured (run);
      if (!sc_camera_run_deliver (run, frame))
        break;
    }

out:
  if (enabled)
    zbar_video_enable (video, 0);
  zbar_video_destroy (video);
  return NULL;
}

/* ---- the decode side ------------------------------------------------------ */

/* Updates the hold with @frame's detections and returns a copy of the
 * payload still held, or NULL. */
static char *
update_hold (Run         *run,
             const Frame *frame,
             GPtrArray   *found)
{
  char *held = NULL;

  g_mutex_lock (&run->lock);
  if (run->held != NULL)
    {
      /* The hold's clock starts with the first frame decoded after it. */
      if (run->held_at_us == 0)
        run->held_at_us = run->held_seen_us = frame->time_us;
      for (guint i = 0; i < found->len; i++)
        {
          const ScDetection *d = g_ptr_array_index (found, i);

          if (g_str_equal (d->payload, run->held))
            run->held_seen_us = frame->time_us;
        }
      if (frame->time_us - run->held_at_us >= HOLD_MAX_US ||
          frame->time_us - run->held_seen_us >= HOLD_GONE_US)
        g_clear_pointer (&run->held, g_free);
      held = g_strdup (run->held);
    }
  g_mutex_unlock (&run->lock);
  return held;
}

static GBytes *
gray_to_rgb (const Frame *frame)
{
  gsize n = (gsize) frame->width * frame->height;
  const guint8 *gray = g_bytes_get_data (frame->gray, NULL);
  guint8 *rgb = g_malloc (n * 3);

  for (gsize i = 0; i < n; i++)
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
  return g_bytes_new_take (rgb, n * 3);
}

static gpointer
decode_thread (gpointer data)
{
  Run *run = data;
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();

  for (;;)
    {
      g_autoptr(Frame) frame = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autofree char *held = NULL;
      gboolean eos;

      g_mutex_lock (&run->lock);
      while (run->pending == NULL && !run->stopping && !run->eos)
        g_cond_wait (&run->cond, &run->lock);
      frame = g_steal_pointer (&run->pending);
      eos = run->eos;
      if (run->stopping)
        g_clear_pointer (&frame, sc_camera_frame_free);
      g_mutex_unlock (&run->lock);

      if (frame == NULL)
        {
          if (eos && !sc_camera_run_is_stopping (run))
            {
              Event *event = g_new0 (Event, 1);

              event->kind = EVENT_FINISHED;
              post (run, event);
            }
          break;
        }

      found = sc_decoder_decode (decoder, g_bytes_get_data (frame->gray, NULL),
                                 frame->width, frame->height, frame->width, frame->time_us);

      g_mutex_lock (&run->lock);
      run->n_decoded++;
      g_mutex_unlock (&run->lock);

      held = update_hold (run, frame, found);
      for (guint i = 0; i < found->len; i++)
        {
          ScDetection *d = g_ptr_array_index (found, i);
          Event *event;

          if (!d->is_new || g_strcmp0 (d->payload, held) == 0)
            continue;
          event = g_new0 (Event, 1);
          event->kind = EVENT_DETECTED;
          event->detection = sc_detection_copy (d);
          event->detection->frame_time_us = frame->time_us;
          post (run, event);
        }

      /* One preview in flight at most: the UI gets the newest it can take. */
      if (g_atomic_int_compare_and_exchange (&run->preview_busy, 0, 1))
        {
          Event *event = g_new0 (Event, 1);

          event->kind = EVENT_FRAME;
          event->rgb = gray_to_rgb (frame);
          event->width = frame->width;
          event->height = frame->height;
          event->seq = frame->seq;
          post (run, event);
        }
    }

  return NULL;
}

/* ---- the object ----------------------------------------------------------- */

void
sc_camera_device_free (ScCameraDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->path);
  g_free (device->name);
  g_free (device);
}

static guint
video_number (const char *name)
{
  return (guint) g_ascii_strtoull (name + strlen ("video"), NULL, 10);
}

static int
compare_video_names (gconstpointer a,
                     gconstpointer b)
{
  guint na = video_number (*(const char * const *) a);
  guint nb = video_number (*(const char * const *) b);

  return na < nb ? -1 : na > nb ? 1 : 0;
}

/* NULL when @path is no capture device; else a device, its name NULL when
 * it cannot be asked. */
static ScCameraDevice *
probe_device (const char *path)
{
  struct v4l2_capability cap;
  ScCameraDevice *device;
  guint32 caps;
  int fd;

  fd = open (path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EBUSY))
    {
      device = g_new0 (ScCameraDevice, 1);
      device->path = g_strdup (path);
      return device;
    }
  if (fd < 0)
    return NULL;

  memset (&cap, 0, sizeof cap);
  if (ioctl (fd, VIDIOC_QUERYCAP, &cap) != 0)
    {
      close (fd);
      return NULL;
    }
  close (fd);

  caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities;
  if ((caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) == 0)
    return NULL;

  device = g_new0 (ScCameraDevice, 1);
  device->path = g_strdup (path);
  cap.card[sizeof cap.card - 1] = '\0';
  if (cap.card[0] != '\0' && g_utf8_validate ((const char *) cap.card, -1, NULL))
    device->name = g_strdup ((const char *) cap.card);
  return device;
}

GPtrArray *
sc_camera_list_devices (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev", 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_camera_device_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "video") && g_ascii_isdigit (name[strlen ("video")]))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_video_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename ("/dev", g_ptr_array_index (names, i), NULL);
      ScCameraDevice *device = probe_device (path);

      if (device != NULL)
        g_ptr_array_add (devices, device);
    }
  return devices;
}

char *
sc_camera_find_device (void)
{
  g_autoptr(GPtrArray) devices = sc_camera_list_devices ();

  if (devices->len == 0)
    return NULL;
  return g_strdup (((ScCameraDevice *) g_ptr_array_index (devices, 0))->path);
}

void
sc_camera_stop (ScCamera *self)
{
  g_autoptr(Run) run = NULL;

  g_return_if_fail (SC_IS_CAMERA (self));

  run = g_steal_pointer (&self->run);
  if (run == NULL)
    return;

  g_mutex_lock (&run->lock);
  run->stopping = TRUE;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);

  g_clear_pointer (&run->capture, g_thread_join);
  g_clear_pointer (&run->decode, g_thread_join);
  set_running (self, FALSE);
}

void
sc_camera_start (ScCamera *self)
{
  Run *run;

  g_return_if_fail (SC_IS_CAMERA (self));

  sc_camera_stop (self);

  run = g_atomic_rc_box_new0 (Run);
  run->spec = g_strdup (self->spec);
  run->fps = self->fps;
  run->loop = self->loop;
  run->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&run->camera, self);
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  self->run = run;

  /* Each thread borrows the Run: sc_camera_stop() joins them before its
   * reference goes. */
  run->decode = g_thread_new ("sc-camera-decode", decode_thread, run);
  run->capture = g_thread_new ("sc-camera-capture",
                               g_str_has_prefix (run->spec, FILES_PREFIX)
                               ? sc_camera_files_capture_thread : v4l2_capture_thread,
                               run);
  set_running (self, TRUE);
}

void
sc_camera_get_counts (ScCamera *self,
                      guint64  *out_captured,
                      guint64  *out_decoded)
{
  g_return_if_fail (SC_IS_CAMERA (self));

  *out_captured = *out_decoded = 0;
  if (self->run == NULL)
    return;
  g_mutex_lock (&self->run->lock);
  *out_captured = self->run->n_captured;
  *out_decoded = self->run->n_decoded;
  g_mutex_unlock (&self->run->lock);
}

gboolean
sc_camera_is_running (ScCamera *self)
{
  g_return_val_if_fail (SC_IS_CAMERA (self), FALSE);

  return self->running;
}

void
sc_camera_hold (ScCamera   *self,
                const char *payload)
{
  g_return_if_fail (SC_IS_CAMERA (self));
  g_return_if_fail (payload != NULL);

  if (self->run == NULL)
    return;

  g_mutex_lock (&self->run->lock);
  g_free (self->run->held);
  self->run->held = g_strdup (payload);
  self->run->held_at_us = 0;
  self->run->held_seen_us = 0;
  g_mutex_unlock (&self->run->lock);
}

const char *
sc_camera_get_spec (ScCamera *self)
{
  g_return_val_if_fail (SC_IS_CAMERA (self), NULL);

  return self->spec;
}

void
sc_camera_set_spec (ScCamera   *self,
                    const char *spec)
{
  g_return_if_fail (SC_IS_CAMERA (self));

  if (spec == NULL)
    spec = "";
  if (g_strcmp0 (self->spec, spec) == 0)
    return;
  g_free (self->spec);
  self->spec = g_strdup (spec);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

void
sc_camera_set_fps (ScCamera *self,
                   int       fps)
{
  g_return_if_fail (SC_IS_CAMERA (self));
  g_return_if_fail (fps >= 1 && fps <= 1000);

  if (self->fps == fps)
    return;
  self->fps = fps;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FPS]);
}

void
sc_camera_set_loop (ScCamera *self,
                    gboolean  loop)
{
  g_return_if_fail (SC_IS_CAMERA (self));

  loop = !!loop;
  if (self->loop == loop)
    return;
  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

static void
sc_camera_dispose (GObject *object)
{
  ScCamera *self = SC_CAMERA (object);

  sc_camera_stop (self);

  G_OBJECT_CLASS (sc_camera_parent_class)->dispose (object);
}

static void
sc_camera_finalize (GObject *object)
{
  ScCamera *self = SC_CAMERA (object);

  g_free (self->spec);

  G_OBJECT_CLASS (sc_camera_parent_class)->finalize (object);
}

static void
sc_camera_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ScCamera *self = SC_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_string (value, self->spec);
      break;
    case PROP_FPS:
      g_value_set_int (value, self->fps);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_camera_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ScCamera *self = SC_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      sc_camera_set_spec (self, g_value_get_string (value));
      break;
    case PROP_FPS:
      sc_camera_set_fps (self, g_value_get_int (value));
      break;
    case PROP_LOOP:
      sc_camera_set_loop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_camera_class_init (ScCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_camera_dispose;
  object_class->finalize = sc_camera_finalize;
  object_class->get_property = sc_camera_get_property;
  object_class->set_property = sc_camera_set_property;

  properties[PROP_SPEC] =
    g_param_spec_string ("spec", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FPS] =
    g_param_spec_int ("fps", NULL, NULL, 1, 1000, 15,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_BYTES, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT,
                  G_TYPE_UINT64);
  signals[SIGNAL_DETECTED] =
    g_signal_new ("detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SC_TYPE_DETECTION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
sc_camera_init (ScCamera *self)
{
  self->spec = g_strdup ("");
  self->fps = 15;
  self->loop = TRUE;
}

ScCamera *
sc_camera_new (const char *spec)
{
  return g_object_new (SC_TYPE_CAMERA, "spec", spec != NULL ? spec : "", NULL);
}
