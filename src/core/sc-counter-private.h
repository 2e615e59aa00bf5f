/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-counter.h"
#include "sc-connectivity.h"
#include "sc-sync.h"

G_BEGIN_DECLS

/* What the files of ScCounter share: sc-counter.c (the facade: lookup,
 * redeem, sync, the session, the parts), sc-counter-login.c (online and
 * offline login, relogin, logout), sc-counter-undo.c,
 * sc-counter-manifest.c (the pickup manifest and its timer),
 * sc-counter-orders.c (the orders search, households, one order) and
 * sc-counter-conflicts.c (the conflicts count and its day timer). */

struct _ScCounter
{
  GObject             parent_instance;

  ScCache            *cache;         /* (owned) */
  ScPlatformClient   *client;        /* (owned) */
  ScConnectivity     *connectivity;  /* (owned) online, the probe, the clock */
  ScSync             *sync;          /* (owned) the outbox drain */
  ScSession          *session;       /* (owned) (nullable) */
  GCancellable       *cancellable;   /* (owned) internal work; cancelled in dispose */

  guint               n_refreshing;  /* counts, saves and a logout in flight */
  ScCounterProbeFunc  probe_func;    /* (nullable) test hook */
  gpointer            probe_data;    /* (unowned) */

  /* Each session set gets a serial: a call's 401 counts for the session
   * it was made in only. "session-expired" went for this one: not again
   * until it changes. */
  guint               session_serial;
  gboolean            session_expired_emitted;

  /* Offline login: the PIN, in memory only and only while the session is
   * offline, to log in online as soon as the platform answers. */
  char               *offline_pin;   /* (owned) (nullable) wiped when cleared */
  gboolean            relogin_busy;

  /* The pickup manifest, for offline lookups. */
  gboolean            manifest_busy;
  guint               manifest_timer_id;
  gint64              manifest_fetched_at;  /* unix s; 0: never (this run) */

  /* Conflicts of the session's store today that the clerk has not
   * acknowledged; recounted at login, on each conflict, on each
   * acknowledgement and when the store's day turns. */
  guint               conflicts;
  guint               day_timer_id;
};

typedef enum
{
  SC_COUNTER_PROP_0,
  SC_COUNTER_PROP_ONLINE,
  SC_COUNTER_PROP_UNSYNCED,
  SC_COUNTER_PROP_SESSION,
  SC_COUNTER_PROP_MANIFEST_FETCHED_AT,
  SC_COUNTER_PROP_CLOCK_SKEW,
  SC_COUNTER_PROP_CONFLICTS,
  SC_COUNTER_PROP_WAITING,
  SC_COUNTER_PROP_PROBING,
  SC_COUNTER_N_PROPS
} ScCounterProp;

/* sc-counter.c */
void sc_counter_notify                  (ScCounter          *self,
                                         ScCounterProp       prop);
void sc_counter_emit_redemption_changed (ScCounter          *self,
                                         const ScRedemption *redemption);
/* @task is a call of the clerk's made in the session of now. */
void sc_counter_task_set_session        (ScCounter          *self,
                                         GTask              *task);
/* The platform request of a call of the clerk's (a lookup, an undo: @task,
 * marked by sc_counter_task_set_session) failed with @error: "online" follows
 * (ScConnectivity), and a 401 for the session the call was made in emits
 * "session-expired", once per session. */
void sc_counter_note_error              (ScCounter          *self,
                                         GTask              *task,
                                         const GError       *error);
/* Without a session, returns SC_COUNTER_ERROR_NOT_LOGGED_IN on @task and
 * FALSE. */
gboolean sc_counter_check_logged_in     (ScCounter          *self,
                                         GTask              *task);

/* sc-counter-login.c */
void sc_counter_clear_offline_pin       (ScCounter          *self);
/* The platform answers and the session is offline: log in online with
 * the PIN kept in memory. */
void sc_counter_relogin                 (ScCounter          *self);

/* sc-counter-manifest.c */
void sc_counter_manifest_refresh        (ScCounter          *self);
/* The refresh now and every five minutes (with the clock check). */
void sc_counter_manifest_start          (ScCounter          *self);

/* sc-counter-conflicts.c */
void sc_counter_set_conflicts           (ScCounter          *self,
                                         guint               conflicts);
void sc_counter_refresh_conflicts       (ScCounter          *self);
void sc_counter_schedule_day_timer      (ScCounter          *self);

G_END_DECLS
