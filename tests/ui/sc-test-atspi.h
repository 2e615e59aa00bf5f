/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A screen reader's view of the test process's own windows: the AT-SPI tree
 * that GTK's accessibility backend publishes on the accessibility bus, read
 * over plain D-Bus as Orca reads it, and the events it emits.
 *
 * Every call is asynchronous and iterates the main context until its answer
 * arrives, so that GTK (on the same main context) can answer it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One accessible object: a bus name and an object path. */
typedef struct
{
  char *bus_name;
  char *path;
} ScTestAccessible;

ScTestAccessible *sc_test_accessible_copy        (const ScTestAccessible *accessible);
void              sc_test_accessible_free        (ScTestAccessible *accessible);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestAccessible, sc_test_accessible_free)

typedef struct _ScTestAtspi ScTestAtspi;

/* Before gtk_init(): makes GTK use its AT-SPI backend and starts the
 * accessibility bus (org.a11y.Bus on the session bus) if it does not run. */
void              sc_test_atspi_prepare          (void);

/* Connects to the accessibility bus. */
ScTestAtspi      *sc_test_atspi_new              (void);
void              sc_test_atspi_free             (ScTestAtspi *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestAtspi, sc_test_atspi_free)

/* (transfer full): the application root of this process, found by its
 * process id among the accessibility bus's peers (waits for it). */
ScTestAccessible *sc_test_atspi_get_app          (ScTestAtspi      *self);
/* (transfer full) (element-type ScTestAccessible) */
GPtrArray        *sc_test_atspi_get_children     (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);
char             *sc_test_atspi_get_name         (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);
char             *sc_test_atspi_get_description  (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);
/* AT-SPI's role name: "push button", "toggle button", "label", "status bar"… */
char             *sc_test_atspi_get_role_name    (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);
/* The whole text of the Text interface, or %NULL without one. */
char             *sc_test_atspi_get_text         (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);

/* A round trip to @accessible's peer: every event it sent before has
 * arrived when this returns (one connection's messages keep their order). */
void              sc_test_atspi_flush            (ScTestAtspi      *self,
                                                  ScTestAccessible *accessible);

/* One org.a11y.atspi.Event.Object signal seen since sc_test_atspi_new(). */
typedef struct
{
  char     *bus_name;
  char     *path;
  char     *member;   /* "PropertyChange", "TextChanged", "ChildrenChanged", … */
  char     *kind;     /* its first argument: "accessible-name", "insert", … */
  GVariant *value;    /* its fourth argument (a variant) */
} ScTestAtspiEvent;

/* (element-type ScTestAtspiEvent) (transfer none): the events seen so far. */
GPtrArray        *sc_test_atspi_get_events       (ScTestAtspi      *self);
void              sc_test_atspi_clear_events     (ScTestAtspi      *self);

G_END_DECLS
