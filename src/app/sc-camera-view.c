/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-camera-view.h"
#include "sc-decoder.h"
#include "sc-label-words.h"

#define POLYGON_SHOW_MS 1000

struct _ScCameraView
{
  AdwBin       parent_instance;

  /* Template children (unowned). */
  GtkWidget   *icon;              /* the placeholder's */
  GtkWidget   *status;            /* GtkLabel, the placeholder's */
  GtkWidget   *overlay;           /* picture + outline */
  GtkWidget   *picture;           /* GtkPicture */
  GtkWidget   *outline;           /* GtkDrawingArea */
  GtkWidget   *retry;             /* GtkButton */

  char        *off_text;          /* (owned) the placeholder's words */
  char        *spec;              /* (owned) (nullable) */
  ScCamera    *camera;            /* (owned) (nullable) runs while mapped */
  int          frame_width;
  int          frame_height;
  ScDetection *polygon;           /* (owned) (nullable) the last detection, shown a while */
  guint        polygon_timeout;
};

G_DEFINE_FINAL_TYPE (ScCameraView, sc_camera_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_STATUS,
  PROP_OUTLINE_SHOWN,
  N_PROPS
};

enum {
  DETECTED,
  RETRIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
camera_show_status (ScCameraView *self,
                    const char   *text,
                    gboolean      failed)
{
  gtk_label_set_text (GTK_LABEL (self->status), text);
  gtk_widget_set_visible (self->icon, TRUE);
  gtk_widget_set_visible (self->status, TRUE);
  gtk_widget_set_visible (self->retry, failed);
  gtk_widget_set_visible (self->overlay, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
camera_frame_cb (ScCameraView *self,
                 GBytes       *rgb,
                 int           width,
                 int           height,
                 int           stride,
                 guint64       seq,
                 ScCamera     *camera)
{
  g_autoptr(GdkTexture) texture = NULL;

  /* GTK 4.8 has no 8-bit gray texture: the camera expands gray to RGB. */
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, rgb, (gsize) stride);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  self->frame_width = width;
  self->frame_height = height;
  if (!gtk_widget_get_visible (self->overlay))
    {
      gtk_widget_set_visible (self->icon, FALSE);
      gtk_widget_set_visible (self->status, FALSE);
      gtk_widget_set_visible (self->retry, FALSE);
      gtk_widget_set_visible (self->overlay, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

static void
set_polygon (ScCameraView      *self,
             const ScDetection *detection)
{
  gboolean was_shown = self->polygon != NULL;

  g_clear_pointer (&self->polygon, sc_detection_free);
  if (detection != NULL)
    self->polygon = sc_detection_copy (detection);
  gtk_widget_queue_draw (self->outline);
  if (was_shown != (self->polygon != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLINE_SHOWN]);
}

static void
polygon_timeout_cb (gpointer user_data)
{
  ScCameraView *self = user_data;

  self->polygon_timeout = 0;
  set_polygon (self, NULL);
}

static void
camera_detected_cb (ScCameraView *self,
                    ScDetection  *detection,
                    ScCamera     *camera)
{
  g_autoptr(ScCameraView) hold = g_object_ref (self);

  set_polygon (self, detection);
  g_clear_handle_id (&self->polygon_timeout, g_source_remove);
  self->polygon_timeout = g_timeout_add_once (POLYGON_SHOW_MS, polygon_timeout_cb, self);

  g_signal_emit (self, signals[DETECTED], 0, detection->payload);
  sc_camera_hold (camera, detection->payload);
}

static void
camera_error_cb (ScCameraView *self,
                 const GError *error,
                 ScCamera     *camera)
{
  /* Translators: under a camera error; the entry and a USB scanner still work */
  g_autofree char *text = g_strdup_printf (_("%s Type the code or use a USB scanner."),
                                           error->message);

  camera_show_status (self, text, TRUE);
}

static void
camera_restart (ScCameraView *self)
{
  /* Translators: while the camera starts */
  camera_show_status (self, _("Starting the camera…"), FALSE);
  sc_camera_start (self->camera);
}

static void
retry_clicked_cb (ScCameraView *self)
{
  if (self->camera == NULL)
    return;
  camera_restart (self);
  g_signal_emit (self, signals[RETRIED], 0);
}

static void
draw_outline (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  ScCameraView *self = user_data;
  const ScDetection *d = self->polygon;
  double scale, ox, oy;

  if (d == NULL || d->n_points < 2 || self->frame_width <= 0 || self->frame_height <= 0)
    return;

  /* Where GtkPicture (contain) puts the frame. */
  scale = MIN ((double) width / self->frame_width, (double) height / self->frame_height);
  ox = (width - self->frame_width * scale) / 2;
  oy = (height - self->frame_height * scale) / 2;

  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0.18, 0.76, 0.49, 0.95);
  for (int i = 0; i < d->n_points; i++)
    {
      double x = ox + d->x[i] * scale;
      double y = oy + d->y[i] * scale;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  cairo_stroke (cr);
}

static void
camera_clear (ScCameraView *self)
{
  if (self->camera != NULL)
    {
      sc_camera_stop (self->camera);
      g_signal_handlers_disconnect_by_data (self->camera, self);
      g_clear_object (&self->camera);
    }
  g_clear_handle_id (&self->polygon_timeout, g_source_remove);
  g_clear_pointer (&self->polygon, sc_detection_free);
}

void
sc_camera_view_set_spec (ScCameraView *self,
                         const char   *spec)
{
  g_return_if_fail (SC_IS_CAMERA_VIEW (self));

  camera_clear (self);
  if (spec != NULL && g_str_equal (spec, "off"))
    spec = NULL;
  g_free (self->spec);
  self->spec = g_strdup (spec);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
  if (spec == NULL)
    {
      camera_show_status (self, self->off_text, FALSE);
      return;
    }

  self->camera = sc_camera_new (spec);
  g_signal_connect_object (self->camera, "frame", G_CALLBACK (camera_frame_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "detected", G_CALLBACK (camera_detected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "error", G_CALLBACK (camera_error_cb), self,
                           G_CONNECT_SWAPPED);
  /* Translators: while the camera starts */
  camera_show_status (self, _("Starting the camera…"), FALSE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sc_camera_start (self->camera);
}

ScCamera *
sc_camera_view_get_camera (ScCameraView *self)
{
  g_return_val_if_fail (SC_IS_CAMERA_VIEW (self), NULL);
  return self->camera;
}

const char *
sc_camera_view_get_status (ScCameraView *self)
{
  g_return_val_if_fail (SC_IS_CAMERA_VIEW (self), NULL);

  if (!gtk_widget_get_visible (self->status))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->status));
}

gboolean
sc_camera_view_get_outline_shown (ScCameraView *self)
{
  g_return_val_if_fail (SC_IS_CAMERA_VIEW (self), FALSE);
  return self->polygon != NULL;
}

void
sc_camera_view_hold (ScCameraView *self,
                     const char   *payload)
{
  g_return_if_fail (SC_IS_CAMERA_VIEW (self));

  if (self->camera != NULL)
    sc_camera_hold (self->camera, payload);
}



/* ---- GObject ---- */

GtkWidget *
sc_camera_view_new (void)
{
  return g_object_new (SC_TYPE_CAMERA_VIEW, NULL);
}

static void
sc_camera_view_map (GtkWidget *widget)
{
  ScCameraView *self = SC_CAMERA_VIEW (widget);

  GTK_WIDGET_CLASS (sc_camera_view_parent_class)->map (widget);
  /* The camera runs only while the view shows. */
  if (self->camera != NULL && !sc_camera_is_running (self->camera))
    camera_restart (self);
}

static void
sc_camera_view_unmap (GtkWidget *widget)
{
  ScCameraView *self = SC_CAMERA_VIEW (widget);

  if (self->camera != NULL)
    sc_camera_stop (self->camera);
  GTK_WIDGET_CLASS (sc_camera_view_parent_class)->unmap (widget);
}

static void
sc_camera_view_dispose (GObject *object)
{
  ScCameraView *self = SC_CAMERA_VIEW (object);

  camera_clear (self);

  G_OBJECT_CLASS (sc_camera_view_parent_class)->dispose (object);
}

static void
sc_camera_view_finalize (GObject *object)
{
  ScCameraView *self = SC_CAMERA_VIEW (object);

  g_free (self->off_text);
  g_free (self->spec);

  G_OBJECT_CLASS (sc_camera_view_parent_class)->finalize (object);
}

static void
sc_camera_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScCameraView *self = SC_CAMERA_VIEW (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_string (value, self->spec);
      break;
    case PROP_STATUS:
      g_value_set_string (value, sc_camera_view_get_status (self));
      break;
    case PROP_OUTLINE_SHOWN:
      g_value_set_boolean (value, self->polygon != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_camera_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScCameraView *self = SC_CAMERA_VIEW (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      sc_camera_view_set_spec (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_camera_view_class_init (ScCameraViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_camera_view_dispose;
  object_class->finalize = sc_camera_view_finalize;
  object_class->get_property = sc_camera_view_get_property;
  object_class->set_property = sc_camera_view_set_property;
  widget_class->map = sc_camera_view_map;
  widget_class->unmap = sc_camera_view_unmap;

  properties[PROP_SPEC] =
    g_param_spec_string ("spec", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTLINE_SHOWN] =
    g_param_spec_boolean ("outline-shown", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DETECTED] =
    g_signal_new ("detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[RETRIED] =
    g_signal_new ("retried", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-camera-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, icon);
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, status);
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, overlay);
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, picture);
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, outline);
  gtk_widget_class_bind_template_child (widget_class, ScCameraView, retry);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
sc_camera_view_init (ScCameraView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sc_label_keep_words_whole (GTK_LABEL (self->status));
  self->off_text = g_strdup (gtk_label_get_text (GTK_LABEL (self->status)));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->outline), draw_outline, self, NULL);
}
