/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sc-platform-server.h"

G_BEGIN_DECLS

/*
 * What the files of ScPlatformServer share: the object, one HTTP call
 * (Call), and the functions that answer it (sc-platform-server.c), the
 * login throttle (sc-platform-throttle.c) and the admin calls
 * (sc-platform-server-admin.c). Main thread only.
 */

#define MAX_FAIL_STATUSES 8

struct _ScPlatformServer
{
  GObject          parent_instance;

  SoupServer      *server;        /* (owned) */
  GSocketService  *service;       /* (owned) (nullable) accepts for the server, see listen */
  GTlsCertificate *tls_certificate;  /* (owned) (nullable) serve HTTPS with it */
  GSocketAddress  *bound;         /* (owned) (nullable) the address listened on */
  ScPlatformStore *store;         /* (owned) */
  char            *admin_token;   /* (owned) (nullable) */
  gboolean         verbose;

  /* Admin settings; main thread only. */
  gint64           clock_offset_s;
  double           fail_rate;
  guint            fail_status;
  guint            fail_statuses[MAX_FAIL_STATUSES];  /* one drawn per failure, if any */
  guint            n_fail_statuses;
  guint            delay_ms;
  double           delay_rate;    /* share of calls delayed by delay_ms */
  double           hang_rate;     /* share of calls answered hang_ms after the work */
  guint            hang_ms;
  guint32          fault_seed;    /* the last faults call's "seed" (or one drawn for it) */
  GRand           *fault_rand;    /* (owned) every fault draw, from fault_seed */

  guint            n_pending;
  gboolean         stopped;       /* disconnected: paused calls cannot be answered */

  /* Login throttle: "s:<store>\n<clerk>" or "p:<address>" -> LoginAttempts;
   * main thread only. */
  GHashTable      *login_attempts;  /* (owned) */
  GQueue           login_waiting;   /* (owned) Calls of logins held until a try in flight
                                     * settles; main thread */
};

/* One HTTP call from arrival to answer. */
typedef struct
{
  ScPlatformServer  *self;     /* (owned) */
  SoupServerMessage *msg;      /* (owned) */
  char              *path;     /* (owned) */
  GHashTable        *query;    /* (owned) (nullable) */
  gboolean           paused;
  gboolean           gone;     /* the client hung up */
  guint              hang_ms;  /* hold the answer this long after the work is done */
  gulong             disconnected_id;
  char              *login_keys[2];  /* (owned) (nullable) throttle keys of a login */
  ScPlatformRequest *login_req;      /* (owned) (nullable) a login waiting in login_waiting */
} Call;

void                call_free           (Call              *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* ---- answers (sc-platform-server.c); each frees @call ---- */

void                call_pause          (Call              *call);
void                call_respond        (Call              *call,
                                         ScPlatformReply   *reply);
void                call_respond_error  (Call              *call,
                                         guint              status,
                                         const char        *code,
                                         const char        *message);
void                call_respond_json   (Call              *call,
                                         guint              status,
                                         JsonNode          *body);
/* Runs @req (transfer full) on the store and answers with its reply. */
void                call_run            (Call              *call,
                                         ScPlatformRequest *req);
/* A request of @op at the platform clock, with the call's bearer token. */
ScPlatformRequest  *call_new_request    (Call              *call,
                                         ScPlatformOp       op);
/* The Authorization bearer token of @msg, (transfer full) (nullable). */
char               *bearer_token        (SoupServerMessage *msg);
/* The query parameter @name, (nullable). */
const char         *query_get           (Call              *call,
                                         const char        *name);

/* The request body readers (sc-platform-server.c): each answers 400 (and
 * frees @call) when it returns NULL or FALSE. */
JsonObject         *call_read_object    (Call              *call);
ScPlatformRequest  *call_read_request   (Call              *call,
                                         ScPlatformOp       op);
void                respond_bad_field   (Call              *call,
                                         const char        *name,
                                         const char        *what);
gboolean            field_int           (Call              *call,
                                         JsonObject        *object,
                                         const char        *name,
                                         gint64             min,
                                         gint64             max,
                                         gboolean          *out_present,
                                         gint64            *out);
gboolean            field_rate          (Call              *call,
                                         JsonObject        *object,
                                         const char        *name,
                                         double             def,
                                         double            *out);

/* ---- the login throttle (sc-platform-throttle.c) ---- */

/* Runs the login @req (transfer full) for @call, holds it until a try in
 * flight settles, or answers 429. */
void                login_try           (Call              *call,
                                         ScPlatformRequest *req);
/* The answer to an admitted login: 401 counts a failure, 201 clears the
 * counts, anything else (or no answer, @status 0) only ends the try. */
void                login_attempts_settle (Call            *call,
                                           guint            status);
/* After a try settled (or the server stopped): the held logins try again,
 * oldest first. */
void                login_waiting_resume (ScPlatformServer *self);

/* ---- admin calls (sc-platform-server-admin.c) ---- */

/* /v1/admin/<@what>: only with the admin token. */
void                handle_admin        (Call              *call,
                                         const char        *method,
                                         const char        *what);

G_END_DECLS
