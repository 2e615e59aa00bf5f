/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-sound-player.h"

struct _ScSoundPlayer
{
  GObject     parent_instance;

  GHashTable *streams;  /* (owned) name -> GtkMediaStream (owned) */
  GHashTable *broken;   /* (owned) names whose stream failed: set of strings */
};

G_DEFINE_FINAL_TYPE (ScSoundPlayer, sc_sound_player, G_TYPE_OBJECT)

static void
stream_error_cb (GtkMediaStream *stream,
                 GParamSpec     *pspec,
                 ScSoundPlayer  *self)
{
  const GError *error = gtk_media_stream_get_error (stream);
  GHashTableIter iter;
  gpointer name;
  gpointer value;

  if (error == NULL)
    return;

  /* No media backend, no audio device, no decoder: nothing to tell the
   * clerk, who sees the verdict anyway. */
  g_debug ("Sound unavailable: %s", error->message);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (value == stream)
      {
        g_hash_table_add (self->broken, g_strdup (name));
        break;
      }
}

void
sc_sound_player_play (ScSoundPlayer *self,
                      const char    *name)
{
  GtkMediaStream *stream;

  g_return_if_fail (SC_IS_SOUND_PLAYER (self));
  g_return_if_fail (name != NULL);

  if (g_hash_table_contains (self->broken, name))
    return;

  stream = g_hash_table_lookup (self->streams, name);
  if (stream == NULL)
    {
      g_autofree char *path = g_strconcat (SC_RESOURCE_PATH "/sounds/", name, ".wav", NULL);

      g_return_if_fail (g_resources_get_info (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL,
                                              NULL));
      stream = gtk_media_file_new_for_resource (path);
      g_hash_table_insert (self->streams, g_strdup (name), stream);
      g_signal_connect_object (stream, "notify::error", G_CALLBACK (stream_error_cb), self, 0);
      /* A stream can fail while it is made (GTK without a media backend). */
      stream_error_cb (stream, NULL, self);
    }

  if (gtk_media_stream_get_error (stream) != NULL)
    return;
  if (gtk_media_stream_get_playing (stream) || gtk_media_stream_get_ended (stream))
    gtk_media_stream_seek (stream, 0);
  gtk_media_stream_play (stream);
}

void
sc_sound_player_release (ScSoundPlayer *self)
{
  g_return_if_fail (SC_IS_SOUND_PLAYER (self));

  g_hash_table_remove_all (self->streams);
  /* Turning sounds on again tries a failed one again (a headset plugged in). */
  g_hash_table_remove_all (self->broken);
}

guint
sc_sound_player_get_n_streams (ScSoundPlayer *self)
{
  g_return_val_if_fail (SC_IS_SOUND_PLAYER (self), 0);

  return g_hash_table_size (self->streams);
}

ScSoundPlayer *
sc_sound_player_new (void)
{
  return g_object_new (SC_TYPE_SOUND_PLAYER, NULL);
}

static void
stop_stream (gpointer data)
{
  GtkMediaStream *stream = data;

  g_signal_handlers_disconnect_matched (stream, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        stream_error_cb, NULL);
  gtk_media_stream_pause (stream);
  g_object_unref (stream);
}

static void
sc_sound_player_finalize (GObject *object)
{
  ScSoundPlayer *self = SC_SOUND_PLAYER (object);

  g_hash_table_unref (self->streams);
  g_hash_table_unref (self->broken);

  G_OBJECT_CLASS (sc_sound_player_parent_class)->finalize (object);
}

static void
sc_sound_player_class_init (ScSoundPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_sound_player_finalize;
}

static void
sc_sound_player_init (ScSoundPlayer *self)
{
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stop_stream);
  self->broken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
