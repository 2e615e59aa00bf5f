/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-application.h"
#include "sc-cli.h"
#include "sc-redemption.h"
#include "sc-types.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/* What the files of the command line (sc-cli*.c) share: one run, its
 * commands, the waiting and the printing. */

typedef struct _ScCli ScCli;

/* What a command's option takes. */
typedef enum
{
  SC_CLI_ARG_NONE,     /* --sync */
  SC_CLI_ARG_STRING,   /* --lookup CODE: ScCli.arg */
  SC_CLI_ARG_FILES,    /* --decode FILE…: ScCli.files, with the remaining arguments */
} ScCliArg;

/* What a command needs before it runs. */
typedef enum
{
  SC_CLI_NEEDS_NOTHING,  /* --decode: no platform, no database */
  SC_CLI_NEEDS_COUNTER,  /* the services; a login when --login is given */
  SC_CLI_NEEDS_LOGIN,    /* the services and --login */
} ScCliNeeds;

/* One command of DESIGN §12: one entry of the table in sc-cli.c. */
typedef struct
{
  const char *name;                 /* the option, without "--" */
  ScCliArg    arg;
  ScCliNeeds  needs;
  void      (*prepare) (ScCli *cli); /* (nullable) before the login */
  int       (*run)     (ScCli *cli); /* the exit status */
} ScCliCommand;

struct _ScCli
{
  ScApplication      *app;          /* (unowned) it builds the services */
  const ScCliCommand *command;      /* (unowned) the run's one command */

  char        *platform_url;        /* (owned) (nullable) until resolved */
  char        *db_path;             /* (owned) (nullable) */
  char        *login;               /* (owned) (nullable) STORE:CLERK */
  char        *arg;                 /* (owned) (nullable) the command's argument */
  char        *bill;                /* (owned) (nullable) --bill */
  char        *lines;               /* (owned) (nullable) --lines, for --redeem */
  char        *status;              /* (owned) (nullable) --status, for --orders */
  char        *reason;              /* (owned) (nullable) --reason, for --missing */
  char        *note;                /* (owned) (nullable) --note, for --missing */
  char        *from;                /* (owned) (nullable) --from, for --orders */
  char        *to;                  /* (owned) (nullable) --to, for --orders */
  char       **files;               /* (owned) (nullable) --decode's files */
  gboolean     json;

  ScCounter   *counter;             /* (owned) (nullable) the application's */
  GTimeZone   *tz;                  /* (owned) the store's */
  JsonBuilder *out;                 /* (owned) (nullable) the --json answer */
  /* --sync: every redemption the run moved, in order, latest state. */
  GPtrArray   *changed;             /* (owned) (nullable) (element-type ScRedemption) */
};

/* Waiting for an async call in a run without a main loop: pass
 * sc_cli_result_cb and &result, then sc_cli_wait (&result) is the result. */
void          sc_cli_result_cb        (GObject             *object,
                                       GAsyncResult        *result,
                                       gpointer             user_data);
GAsyncResult *sc_cli_wait             (GAsyncResult       **result);

/* sc-cli-login.c: --login (the PIN from standard input, the store's key
 * from and to the keyring). */
int           sc_cli_login            (ScCli               *cli);

/* sc-cli-codes.c */
int           sc_cli_lookup           (ScCli               *cli);
int           sc_cli_redeem           (ScCli               *cli);
int           sc_cli_undo             (ScCli               *cli);

/* sc-cli-sync.c */
void          sc_cli_sync_prepare     (ScCli               *cli);
int           sc_cli_sync             (ScCli               *cli);

/* sc-cli-orders.c */
int           sc_cli_orders           (ScCli               *cli);
int           sc_cli_household        (ScCli               *cli);
int           sc_cli_missing          (ScCli               *cli);

/* sc-cli-decode.c */
int           sc_cli_decode           (ScCli               *cli);

/* sc-cli-print.c: text for people, or members of the --json answer. */
char         *sc_cli_format_time      (ScCli               *cli,
                                       GDateTime           *dt);
void          sc_cli_print_verdict    (ScCli               *cli,
                                       ScVerdict           *verdict);
void          sc_cli_print_redemption (ScCli               *cli,
                                       const ScRedemption  *r);
/* "id", "code", "kind", "state", "offline" of @r. */
void          sc_cli_add_redemption_members (JsonBuilder        *b,
                                             const ScRedemption *r);
/* @member: @value, unless @value is NULL. */
void          sc_cli_add_optional_string    (JsonBuilder        *b,
                                             const char         *member,
                                             const char         *value);
/* Prints @error for people (or as JSON) and returns exit status 2. */
int           sc_cli_fail             (ScCli               *cli,
                                       const GError        *error);
/* Prints @root as the --json answer. */
void          sc_cli_print_json       (JsonNode            *root);

G_END_DECLS
