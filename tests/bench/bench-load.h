/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* bench-load: what the driver (bench-load.c) and the checks and figures
 * (bench-load-report.c) share. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sc-test-platform.h"

G_BEGIN_DECLS

#define STORE_ID   "1001"
#define SAMPLE_MS  2000

typedef enum
{
  CALL_LOGIN,
  CALL_LOOKUP,
  CALL_REDEEM,
  CALL_UNDO,
  CALL_OFFLINE,
  CALL_REPLAY,
  CALL_HEALTH,
  N_CALLS
} CallKind;

extern const char * const call_names[N_CALLS];

/* One sample of the platform process. */
typedef struct
{
  double  t_s;
  guint   fds;
  guint   clients;   /* the counters' open clients: at most one connection each */
  guint64 rss_kb;
} Sample;

/* What the counters believe of one redemption the platform answered 201. */
typedef struct
{
  char     *code;     /* (owned) */
  guint     counter;
  gboolean  undone;
} Belief;

typedef struct _Load Load;

struct _Load
{
  ScTestPlatform *platform;      /* (owned) */
  char           *pid;           /* (owned) the platform's process id */
  gboolean        keep_alive;
  gboolean        tap;
  guint           n_counters;
  GPtrArray      *codes;         /* (owned) (element-type utf8) the run's pickup codes */
  GPtrArray      *counters;      /* (owned) (element-type Counter, bench-load.c) */
  GHashTable     *beliefs;       /* (owned) redemption id -> Belief */
  GHashTable     *answers;       /* (owned) "call status code" -> count (GUINT_TO_POINTER) */
  GArray         *latency[N_CALLS];  /* (owned) (element-type double) ms */
  GArray         *samples;       /* (owned) (element-type Sample) */
  GPtrArray      *problems;      /* (owned) (element-type utf8) checks that failed */
  guint           unexpected;
  guint           running;
  gint64          start_us;
  gint64          end_us;
};

/* Prints a line (a TAP comment with --tap). */
void        load_say                  (Load        *load,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Records a failed check, printed at the end. */
void        load_problem              (Load        *load,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Samples the platform's fds and RSS; @clients: the counters' open
 * clients. FALSE (and a problem) when the platform is gone. */
gboolean    load_take_sample          (Load        *load,
                                       guint        clients);
/* The platform's store-1001 redemptions: id -> JsonObject.
 * Returns: (transfer full) (nullable). */
GHashTable *load_platform_redemptions (Load        *load);
/* The platform's list against what the counters saw (@before: the
 * redemptions from before the run). */
void        load_check_redemptions    (Load        *load,
                                       GHashTable  *before);
void        load_print_answers        (Load        *load);
void        load_print_latency        (Load        *load,
                                       double       seconds);
/* Fds and RSS flat after @warmup_s. */
void        load_check_flat           (Load        *load,
                                       double       warmup_s);
/* Prints the failed checks. Returns: TRUE when there is none. */
gboolean    load_print_problems       (Load        *load);

G_END_DECLS
