/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-backoff.h"
#include "sc-connectivity.h"
#include "sc-counter-error.h"
#include "sc-platform-client.h"

#define PROBE_BASE_MS 1000
#define PROBE_CAP_MS 30000

struct _ScConnectivity
{
  GObject                  parent_instance;

  ScPlatformClient        *client;        /* (owned) */
  GCancellable            *cancellable;   /* (owned) cancelled in dispose */

  gboolean                 online;
  gboolean                 probing;       /* offline, probing until the platform answers */
  gboolean                 health_busy;   /* a health request in flight */
  guint                    probe_attempt; /* failed probes since going offline */
  guint                    probe_timer_id;
  ScBackoff                backoff;       /* the probe's delays */
  ScConnectivityProbeFunc  probe_func;    /* (nullable) test hook */
  gpointer                 probe_data;    /* (unowned) */
  gint64                   clock_skew;    /* s, platform minus local; 0 until known */
};

G_DEFINE_FINAL_TYPE (ScConnectivity, sc_connectivity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_PROBING,
  PROP_CLOCK_SKEW,
  N_PROPS
};

enum {
  BACK,
  HEALTH,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_online (ScConnectivity *self,
            gboolean        online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
set_probing (ScConnectivity *self,
             gboolean        probing)
{
  self->probe_attempt = 0;
  if (!probing)
    g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  if (self->probing == probing)
    return;
  self->probing = probing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBING]);
}

static void
set_clock_skew (ScConnectivity *self,
                gint64          skew)
{
  if (self->clock_skew == skew)
    return;
  self->clock_skew = skew;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW]);
}

/* ---- the health probe ---- */

static gboolean
probe_timer_cb (gpointer user_data)
{
  ScConnectivity *self = SC_CONNECTIVITY (user_data);

  self->probe_timer_id = 0;
  sc_connectivity_check (self);
  return G_SOURCE_REMOVE;
}

static void
probe_schedule (ScConnectivity *self,
                guint           at_least_ms)
{
  guint delay;

  if (!self->probing || self->probe_timer_id != 0 || self->health_busy)
    return;

  delay = MAX (sc_backoff_delay (&self->backoff, self->probe_attempt), at_least_ms);
  if (self->probe_func != NULL)
    self->probe_func (self, self->probe_attempt, delay, self->probe_data);
  /* No reference: dispose removes the timer. */
  self->probe_timer_id = g_timeout_add (delay, probe_timer_cb, self);
}

void
sc_connectivity_mark_unreachable (ScConnectivity *self)
{
  g_return_if_fail (SC_IS_CONNECTIVITY (self));

  set_online (self, FALSE);
  if (self->probing)
    return;

  set_probing (self, TRUE);
  probe_schedule (self, 0);
}

/* The platform answered: online. Back from offline, "back" tells those
 * that waited for it. */
void
sc_connectivity_mark_reachable (ScConnectivity *self)
{
  gboolean was_probing;

  g_return_if_fail (SC_IS_CONNECTIVITY (self));

  was_probing = self->probing;
  set_probing (self, FALSE);
  set_online (self, TRUE);
  if (was_probing)
    g_signal_emit (self, signals[BACK], 0);
}

/* A certificate refused: online stays as it was, and a probe stops, so
 * that lookups ask the platform (and show why it cannot be used) instead
 * of answering from the offline copy. */
static void
note_certificate_error (ScConnectivity *self)
{
  set_probing (self, FALSE);
}

void
sc_connectivity_note_error (ScConnectivity *self,
                            const GError   *error)
{
  g_return_if_fail (SC_IS_CONNECTIVITY (self));
  g_return_if_fail (error != NULL);

  if (sc_counter_error_is_certificate (error))
    note_certificate_error (self);
  else if (sc_counter_error_is_unreachable (error))
    sc_connectivity_mark_unreachable (self);
  else if (error->domain == SC_PLATFORM_ERROR)
    sc_connectivity_mark_reachable (self);  /* it answered, if not kindly */
}

typedef struct
{
  ScConnectivity *self;     /* (owned) */
  gint64          sent_at;  /* real time, µs */
} HealthCall;

/* The platform's clock is in whole seconds (+0.5 on average); ours is
 * taken halfway through the request. */
static void
note_platform_time (ScConnectivity *self,
                    GDateTime      *platform_time,
                    gint64          sent_at)
{
  gint64 local_us = (sent_at + g_get_real_time ()) / 2;
  gint64 platform_us = g_date_time_to_unix (platform_time) * G_USEC_PER_SEC +
                       g_date_time_get_microsecond (platform_time) + G_USEC_PER_SEC / 2;
  gint64 skew_us = platform_us - local_us;

  set_clock_skew (self, (skew_us + (skew_us >= 0 ? 1 : -1) * G_USEC_PER_SEC / 2) /
                        G_USEC_PER_SEC);
}

static void
health_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree HealthCall *call = user_data;
  g_autoptr(ScConnectivity) self = g_steal_pointer (&call->self);
  g_autoptr(GDateTime) platform_time = NULL;
  g_autoptr(GError) error = NULL;

  self->health_busy = FALSE;
  platform_time = sc_platform_client_health_finish (SC_PLATFORM_CLIENT (object), result,
                                                    &error);
  if (platform_time != NULL)
    {
      note_platform_time (self, platform_time, call->sent_at);
      g_signal_emit (self, signals[HEALTH], 0);
      sc_connectivity_mark_reachable (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (sc_counter_error_is_certificate (error))
    {
      g_message ("The platform's certificate is refused: %s", error->message);
      note_certificate_error (self);
      return;
    }

  if (sc_counter_error_is_unreachable (error) ||
      g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_RATE_LIMITED))
    {
      int retry_after = sc_platform_error_get_retry_after (error);

      g_debug ("The platform does not answer its health check: %s", error->message);
      set_online (self, FALSE);
      if (!self->probing)
        {
          sc_connectivity_mark_unreachable (self);
          return;
        }
      self->probe_attempt++;
      probe_schedule (self, retry_after > 0 ? (guint) retry_after * 1000 : 0);
      return;
    }

  /* It answered, if strangely. */
  g_debug ("Unexpected answer to the health check: %s", error->message);
  sc_connectivity_mark_reachable (self);
}

void
sc_connectivity_check (ScConnectivity *self)
{
  HealthCall *call;

  g_return_if_fail (SC_IS_CONNECTIVITY (self));

  if (self->health_busy)
    return;

  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  self->health_busy = TRUE;
  call = g_new0 (HealthCall, 1);
  call->self = g_object_ref (self);
  call->sent_at = g_get_real_time ();
  sc_platform_client_health_async (self->client, self->cancellable, health_cb, call);
}

gboolean
sc_connectivity_get_online (ScConnectivity *self)
{
  g_return_val_if_fail (SC_IS_CONNECTIVITY (self), FALSE);
  return self->online;
}

gboolean
sc_connectivity_get_probing (ScConnectivity *self)
{
  g_return_val_if_fail (SC_IS_CONNECTIVITY (self), FALSE);
  return self->probing;
}

gint64
sc_connectivity_get_clock_skew (ScConnectivity *self)
{
  g_return_val_if_fail (SC_IS_CONNECTIVITY (self), 0);
  return self->clock_skew;
}

gboolean
sc_connectivity_is_idle (ScConnectivity *self)
{
  g_return_val_if_fail (SC_IS_CONNECTIVITY (self), TRUE);
  return !self->health_busy;
}

void
sc_connectivity_set_probe_delays (ScConnectivity *self,
                                  guint           base_ms,
                                  guint           cap_ms)
{
  g_return_if_fail (SC_IS_CONNECTIVITY (self));
  g_return_if_fail (base_ms > 0 && cap_ms >= base_ms);

  self->backoff.base = base_ms;
  self->backoff.cap = cap_ms;
  self->backoff.limit = cap_ms;
}

void
sc_connectivity_set_probe_func (ScConnectivity          *self,
                                ScConnectivityProbeFunc  func,
                                gpointer                 user_data)
{
  g_return_if_fail (SC_IS_CONNECTIVITY (self));

  self->probe_func = func;
  self->probe_data = user_data;
}

ScConnectivity *
sc_connectivity_new (ScPlatformClient *client)
{
  ScConnectivity *self;

  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (client), NULL);

  self = g_object_new (SC_TYPE_CONNECTIVITY, NULL);
  self->client = g_object_ref (client);
  return self;
}

static void
sc_connectivity_dispose (GObject *object)
{
  ScConnectivity *self = SC_CONNECTIVITY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sc_connectivity_parent_class)->dispose (object);
}

static void
sc_connectivity_finalize (GObject *object)
{
  ScConnectivity *self = SC_CONNECTIVITY (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sc_connectivity_parent_class)->finalize (object);
}

static void
sc_connectivity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ScConnectivity *self = SC_CONNECTIVITY (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_PROBING:
      g_value_set_boolean (value, self->probing);
      break;
    case PROP_CLOCK_SKEW:
      g_value_set_int64 (value, self->clock_skew);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_connectivity_class_init (ScConnectivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_connectivity_dispose;
  object_class->finalize = sc_connectivity_finalize;
  object_class->get_property = sc_connectivity_get_property;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBING] =
    g_param_spec_boolean ("probing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_SKEW] =
    g_param_spec_int64 ("clock-skew", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[HEALTH] =
    g_signal_new ("health", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sc_connectivity_init (ScConnectivity *self)
{
  self->cancellable = g_cancellable_new ();
  self->backoff = (ScBackoff) {
    .base = PROBE_BASE_MS,
    .cap = PROBE_CAP_MS,
    .jitter_min = 0.8,
    .jitter_max = 1.2,
    .limit = PROBE_CAP_MS,
  };
}
