/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The picture-folder frame source of ScCamera ("files:DIR", DESIGN §10):
 * the PNG/JPEG pictures of DIR, in name order, at the run's fps, looping
 * or not. For tests, the demo and --camera=files:DIR. */

#include "config.h"

#include "sc-camera-private.h"
#include "sc-decoder.h"
#include "sc-picture.h"

#include <string.h>

#include <glib/gi18n-lib.h>

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
has_picture_suffix (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".jpg") ||
         g_str_has_suffix (lower, ".jpeg") || g_str_has_suffix (lower, ".pgm");
}

/* A picture of the folder as a gray frame; a picture that cannot be read
 * is a FILES error in words, a too large one TOO_LARGE. */
static Frame *
load_gray (const char  *path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) gray = NULL;
  int width = 0, height = 0;
  Frame *frame;

  gray = sc_picture_load_gray (path, &width, &height, &local_error);
  if (gray == NULL)
    {
      g_set_error_literal (error, SC_CAMERA_ERROR,
                           g_error_matches (local_error, SC_DECODER_ERROR,
                                            SC_DECODER_ERROR_TOO_LARGE)
                           ? SC_CAMERA_ERROR_TOO_LARGE : SC_CAMERA_ERROR_FILES,
                           local_error->message);
      return NULL;
    }

  frame = g_new0 (Frame, 1);
  frame->gray = g_steal_pointer (&gray);
  frame->width = width;
  frame->height = height;
  return frame;
}

gpointer
sc_camera_files_capture_thread (gpointer data)
{
  Run *run = data;
  const char *dir_path = run->spec + strlen (FILES_PREFIX);
  g_autofree char *display = g_filename_display_name (dir_path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) frames =
    g_ptr_array_new_with_free_func ((GDestroyNotify) sc_camera_frame_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  gint64 period_us = G_USEC_PER_SEC / run->fps;
  gint64 next_us;

  dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    {
      g_debug ("%s: %s", dir_path, error->message);
      sc_camera_run_fail (run, g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_FILES,
                                            _("There is no picture folder at “%s”."), display));
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (has_picture_suffix (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (names->len == 0)
    {
      sc_camera_run_fail (run, g_error_new (SC_CAMERA_ERROR, SC_CAMERA_ERROR_FILES,
                                            _("The folder “%s” has no PNG or JPEG pictures."),
                                            display));
      return NULL;
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      Frame *frame;

      g_clear_error (&error);
      frame = load_gray (path, &error);
      if (frame == NULL && g_error_matches (error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_TOO_LARGE))
        {
          /* One picture too big to decode: skip it, show the others. */
          g_message ("Skipped: %s", error->message);
          continue;
        }
      if (frame == NULL)
        {
          sc_camera_run_fail (run, g_steal_pointer (&error));
          return NULL;
        }
      g_ptr_array_add (frames, frame);
      if (sc_camera_run_is_stopping (run))
        return NULL;
    }
  if (frames->len == 0)
    {
      /* Every picture was too big: say why. */
      sc_camera_run_fail (run, g_steal_pointer (&error));
      return NULL;
    }

  next_us = g_get_monotonic_time ();
  for (guint64 seq = 0; ; seq++)
    {
      const Frame *source;
      Frame *frame;

      if (!run->loop && seq >= frames->len)
        {
          g_mutex_lock (&run->lock);
          run->eos = TRUE;
          g_cond_signal (&run->cond);
          g_mutex_unlock (&run->lock);
          break;
        }

      source = g_ptr_array_index (frames, seq % frames->len);
      frame = g_new0 (Frame, 1);
      frame->gray = g_bytes_ref (source->gray);
      frame->width = source->width;
      frame->height = source->height;
      frame->seq = seq;
      frame->time_us = g_get_monotonic_time ();
      sc_camera_run_count_captured (run);
      if (!sc_camera_run_deliver (run, frame))
        break;

      next_us += period_us;
      /* Far behind (a suspended machine): do not burst to catch up. */
      if (g_get_monotonic_time () - next_us > G_USEC_PER_SEC)
        next_us = g_get_monotonic_time ();
      if (!sc_camera_run_wait_until (run, next_us))
        break;
    }

  return NULL;
}
