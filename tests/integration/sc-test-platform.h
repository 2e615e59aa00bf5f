/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * ScTestPlatform: a real store-counter-platform process for tests
 * ($SC_PLATFORM_BIN on 127.0.0.1:0 with the demo seed, an admin token and
 * a database in a temporary directory).
 */
typedef struct
{
  GSubprocess *process;      /* (owned) (nullable) NULL after kill */
  char        *url;          /* (owned) "http://127.0.0.1:PORT" (https: with --tls-cert) */
  char        *admin_token;  /* (owned) */
  char        *db_path;      /* (owned) */
  /* private */
  char        *tmpdir;       /* (owned) removed by stop */
  char       **extra_args;   /* (owned) for restart */
} ScTestPlatform;

/* Runs $SC_PLATFORM_BIN --listen 127.0.0.1:0 --seed-demo --admin-token
 * <random> --db <tmpdir>/platform.db + @extra_args and reads its URL line. */
ScTestPlatform *sc_test_platform_start      (const char * const  *extra_args,
                                             GError             **error);
/* SIGTERM, wait, remove the temporary directory, free. */
void            sc_test_platform_stop       (ScTestPlatform      *self);
/* SIGKILL the process but keep the struct (url stays). */
void            sc_test_platform_kill       (ScTestPlatform      *self);
/* Starts it again on the same database and port (if the port is free). */
gboolean        sc_test_platform_restart    (ScTestPlatform      *self,
                                             GError             **error);
/* The same with other @extra_args (for example another --tls-cert). */
gboolean        sc_test_platform_restart_with (ScTestPlatform      *self,
                                               const char * const  *extra_args,
                                               GError             **error);
/* One synchronous request (any certificate accepted); @bearer, @json_body,
 * @idempotency_key nullable.
 * Returns: (transfer full): the answer's JSON object (an empty object for an
 * empty body), or NULL with @error when there is no answer or it is not a
 * JSON object. */
JsonObject     *sc_test_platform_request    (ScTestPlatform      *self,
                                             const char          *method,
                                             const char          *path,
                                             const char          *bearer,
                                             const char          *json_body,
                                             const char          *idempotency_key,
                                             guint               *out_status,
                                             GError             **error);
/* Signs in with PIN 1234; returns the token. */
char           *sc_test_platform_login      (ScTestPlatform      *self,
                                             const char          *store,
                                             const char          *clerk,
                                             GError             **error);
/* sc_test_platform_start (NULL, ...) that asserts it starts; when @out_token
 * is not NULL, clerk 1 of store 1001 signed in, their token in it. */
ScTestPlatform *sc_test_platform_start_logged_in (char       **out_token);
/* The "code" of the "error" object of the platform's @answer; asserts there
 * is an "error" member. */
const char     *sc_test_platform_error_code (JsonObject          *answer);
/* The demo payloads whose status (as store 1001 sees it now) is @status,
 * of @kind ("pickup", "coupon", "prize", "unknown") or any kind if NULL.
 * Returns: (transfer full) (element-type utf8). */
GPtrArray      *sc_test_platform_demo_codes (ScTestPlatform      *self,
                                             const char          *status,
                                             const char          *kind);

/* sc_test_platform_request that asserts an answer with @expected_status
 * (and logs the answer when it has another).
 * Returns: (transfer full): the answer's JSON object. */
JsonObject     *sc_test_platform_call       (ScTestPlatform      *self,
                                             const char          *method,
                                             const char          *path,
                                             const char          *bearer,
                                             const char          *json_body,
                                             const char          *idempotency_key,
                                             guint                expected_status);
/* The same with the admin token as the bearer. */
JsonObject     *sc_test_platform_admin      (ScTestPlatform      *self,
                                             const char          *method,
                                             const char          *path,
                                             const char          *json_body,
                                             guint                expected_status);
/* The @index-th of sc_test_platform_demo_codes (); asserts there is one.
 * Returns: (transfer full). */
char           *sc_test_platform_demo_code  (ScTestPlatform      *self,
                                             const char          *status,
                                             const char          *kind,
                                             guint                index);

/* How long sc_test_wait_result waits before it fails the test. */
#define SC_TEST_WAIT_S 120

/* Iterates the default main context until *@slot is set (by
 * sc_test_result_cb); fails the test after SC_TEST_WAIT_S seconds.
 * Returns: (transfer none): *@slot. */
GAsyncResult   *sc_test_wait_result         (GAsyncResult       **slot);
/* A GAsyncReadyCallback that stores a reference to @result in the
 * GAsyncResult ** @user_data, which must hold NULL. */
void            sc_test_result_cb           (GObject             *object,
                                             GAsyncResult        *result,
                                             gpointer             user_data);
/* The demo store's day (Asia/Shanghai) @offset_days from today,
 * "YYYY-MM-DD". (transfer full) */
char           *sc_test_store_day           (int                  offset_days);
/* Removes @path and everything below it; missing files are fine. */
void            sc_test_remove_tree         (const char          *path);

/* The fixture the platform tests share: a platform
 * (sc_test_platform_start_logged_in) and clerk 1 of store 1001 signed in. */
typedef struct
{
  ScTestPlatform *platform;   /* (owned) */
  char           *token;      /* (owned) store 1001, clerk 1 */
} ScTestPlatformFixture;

typedef void (*ScTestPlatformFunc) (ScTestPlatformFixture *fixture,
                                    gconstpointer          data);

void            sc_test_platform_fixture_setup    (ScTestPlatformFixture *fixture,
                                                   gconstpointer          data);
/* Stops the platform. */
void            sc_test_platform_fixture_teardown (ScTestPlatformFixture *fixture,
                                                   gconstpointer          data);
/* g_test_add () of @test_func at @path with a ScTestPlatformFixture. */
void            sc_test_platform_add              (const char            *path,
                                                   ScTestPlatformFunc     test_func);
/* sc_test_platform_call that asserts an error answer of @expected_status
 * whose "code" is @expected_code. */
void            sc_test_platform_call_refused     (ScTestPlatform        *self,
                                                   const char            *method,
                                                   const char            *path,
                                                   const char            *bearer,
                                                   const char            *json_body,
                                                   const char            *idempotency_key,
                                                   guint                  expected_status,
                                                   const char            *expected_code);
/* POST /v1/admin/clock: the platform's clock @offset_s seconds off; asserts
 * it takes it. */
void            sc_test_platform_set_clock  (ScTestPlatform      *self,
                                             gint64               offset_s);
/* POST /v1/admin/faults with @json_body; asserts it takes it. */
void            sc_test_platform_set_faults (ScTestPlatform      *self,
                                             const char          *json_body);
/* GET /v1/redemptions/@id signed in as @clerk of store 1001: the HTTP
 * status, and the platform's record in @out_record (nullable). */
guint           sc_test_platform_redemption (ScTestPlatform      *self,
                                             const char          *clerk,
                                             const char          *id,
                                             JsonObject         **out_record);

/* Asserts that the platform has redemption @id (asked as clerk 2 of store
 * 1001) and that @payload is redeemed by it, not by another one.
 * Returns: (transfer full): the platform's record of @id. */
JsonObject     *sc_test_platform_assert_redeemed_by (ScTestPlatform *self,
                                                     const char     *id,
                                                     const char     *payload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestPlatform, sc_test_platform_stop)

G_END_DECLS
