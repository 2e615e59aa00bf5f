/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-atspi.h"

#include <unistd.h>

#include "sc-test-ui.h"

struct _ScTestAtspi
{
  GDBusConnection *connection;  /* (owned) to the accessibility bus */
  guint            subscription;
  GPtrArray       *events;      /* (owned) (element-type ScTestAtspiEvent) */
};

void
sc_test_accessible_free (ScTestAccessible *accessible)
{
  if (accessible == NULL)
    return;
  g_free (accessible->bus_name);
  g_free (accessible->path);
  g_free (accessible);
}

static ScTestAccessible *
accessible_new (const char *bus_name,
                const char *path)
{
  ScTestAccessible *accessible = g_new0 (ScTestAccessible, 1);

  accessible->bus_name = g_strdup (bus_name);
  accessible->path = g_strdup (path);
  return accessible;
}

ScTestAccessible *
sc_test_accessible_copy (const ScTestAccessible *accessible)
{
  return accessible_new (accessible->bus_name, accessible->path);
}

static void
event_free (gpointer data)
{
  ScTestAtspiEvent *event = data;

  g_free (event->bus_name);
  g_free (event->path);
  g_free (event->member);
  g_free (event->kind);
  g_clear_pointer (&event->value, g_variant_unref);
  g_free (event);
}

/* The accessibility bus's address, from the session bus's org.a11y.Bus:
 * asking activates at-spi-bus-launcher (at-spi2-core) on a bare session
 * bus. */
static char *
dup_a11y_bus_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) session = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *address = NULL;

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                       "GetAddress", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, 20000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(s)", &address);
  return address;
}

void
sc_test_atspi_prepare (void)
{
  /* tests/meson.build turns the GTK 3 bridge off (NO_AT_BRIDGE); GTK 4
   * reads GTK_A11Y. */
  g_setenv ("GTK_A11Y", "atspi", TRUE);
  /* Asking for its address starts the accessibility bus. */
  g_free (dup_a11y_bus_address ());
}

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Calls a method and iterates the main context until the answer comes. */
static GVariant *
call (ScTestAtspi        *self,
      const char         *bus_name,
      const char         *path,
      const char         *interface,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type,
      GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_dbus_connection_call (self->connection, bus_name, path, interface, method, parameters,
                          reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL,
                          call_done_cb, &result);
  SC_TEST_WAIT_FOR (result != NULL);
  return g_dbus_connection_call_finish (self->connection, result, error);
}

static GVariant *
call_ok (ScTestAtspi        *self,
         ScTestAccessible   *accessible,
         const char         *interface,
         const char         *method,
         GVariant           *parameters,
         const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = call (self, accessible->bus_name, accessible->path, interface, method,
                          parameters, reply_type, &error);

  g_assert_no_error (error);
  return reply;
}

static void
event_cb (GDBusConnection *connection,
          const char      *sender_name,
          const char      *object_path,
          const char      *interface_name,
          const char      *signal_name,
          GVariant        *parameters,
          gpointer         user_data)
{
  ScTestAtspi *self = user_data;
  ScTestAtspiEvent *event;

  /* (siiva{sv}): kind, detail1, detail2, any data, properties */
  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(siiva{sv})")))
    return;
  event = g_new0 (ScTestAtspiEvent, 1);
  event->bus_name = g_strdup (sender_name);
  event->path = g_strdup (object_path);
  event->member = g_strdup (signal_name);
  g_variant_get (parameters, "(siiv@a{sv})", &event->kind, NULL, NULL, &event->value, NULL);
  g_ptr_array_add (self->events, event);
}

ScTestAtspi *
sc_test_atspi_new (void)
{
  static const char * const listened[] = {
    "object:property-change:accessible-name", "object:text-changed", "object:children-changed",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *address = dup_a11y_bus_address ();
  ScTestAtspi *self = g_new0 (ScTestAtspi, 1);

  self->connection = g_dbus_connection_new_for_address_sync (
      address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  self->events = g_ptr_array_new_with_free_func (event_free);
  /* As Orca does: newer GTK emits only the events someone listens to. */
  for (guint i = 0; i < G_N_ELEMENTS (listened); i++)
    {
      g_autoptr(GVariant) registered = NULL;

      registered = g_dbus_connection_call_sync (self->connection, "org.a11y.atspi.Registry",
                                                "/org/a11y/atspi/registry",
                                                "org.a11y.atspi.Registry", "RegisterEvent",
                                                g_variant_new ("(s)", listened[i]), NULL,
                                                G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
      g_assert_no_error (error);
    }
  self->subscription = g_dbus_connection_signal_subscribe (self->connection, NULL,
                                                           "org.a11y.atspi.Event.Object", NULL,
                                                           NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                           event_cb, self, NULL);
  return self;
}

void
sc_test_atspi_free (ScTestAtspi *self)
{
  if (self == NULL)
    return;
  g_dbus_connection_signal_unsubscribe (self->connection, self->subscription);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self);
}

/* The peer of this process on the bus, other than our own connection. */
static char *
find_own_peer (ScTestAtspi *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) names = call (self, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "ListNames", NULL,
                                    G_VARIANT_TYPE ("(as)"), &error);
  g_autoptr(GVariantIter) iter = NULL;
  const char *name;

  g_assert_no_error (error);
  g_variant_get (names, "(as)", &iter);
  while (g_variant_iter_next (iter, "&s", &name))
    {
      g_autoptr(GVariant) pid = NULL;
      guint32 value = 0;

      if (name[0] != ':' ||
          g_strcmp0 (name, g_dbus_connection_get_unique_name (self->connection)) == 0)
        continue;
      pid = call (self, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                  "GetConnectionUnixProcessID", g_variant_new ("(s)", name),
                  G_VARIANT_TYPE ("(u)"), NULL);
      if (pid == NULL)
        continue;
      g_variant_get (pid, "(u)", &value);
      if (value == (guint32) getpid ())
        return g_strdup (name);
    }
  return NULL;
}

static gboolean
cache_ready (ScTestAtspi *self,
             const char  *peer)
{
  g_autoptr(GVariant) items = call (self, peer, "/org/a11y/atspi/cache", "org.a11y.atspi.Cache",
                                    "GetItems", NULL, NULL, NULL);

  return items != NULL;
}

ScTestAccessible *
sc_test_atspi_get_app (ScTestAtspi *self)
{
  g_autofree char *peer = NULL;

  /* GTK connects when its first window is realized. */
  SC_TEST_WAIT_FOR ((peer = find_own_peer (self)) != NULL);
  /* GTK answers for its root before the registry has taken it in; it
   * publishes its cache and its windows in the same step, after that. */
  SC_TEST_WAIT_FOR (cache_ready (self, peer));
  return accessible_new (peer, "/org/a11y/atspi/accessible/root");
}

GPtrArray *
sc_test_atspi_get_children (ScTestAtspi      *self,
                            ScTestAccessible *accessible)
{
  g_autoptr(GVariant) reply = call_ok (self, accessible, "org.a11y.atspi.Accessible",
                                       "GetChildren", NULL, G_VARIANT_TYPE ("(a(so))"));
  g_autoptr(GVariantIter) iter = NULL;
  GPtrArray *children = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_test_accessible_free);
  const char *bus_name;
  const char *path;

  g_variant_get (reply, "(a(so))", &iter);
  while (g_variant_iter_next (iter, "(&s&o)", &bus_name, &path))
    g_ptr_array_add (children, accessible_new (bus_name, path));
  return children;
}

static char *
get_string_property (ScTestAtspi      *self,
                     ScTestAccessible *accessible,
                     const char       *name)
{
  g_autoptr(GVariant) reply = call_ok (self, accessible, "org.freedesktop.DBus.Properties",
                                       "Get",
                                       g_variant_new ("(ss)", "org.a11y.atspi.Accessible", name),
                                       G_VARIANT_TYPE ("(v)"));
  g_autoptr(GVariant) value = NULL;

  g_variant_get (reply, "(v)", &value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_dup_string (value, NULL);
}

char *
sc_test_atspi_get_name (ScTestAtspi      *self,
                        ScTestAccessible *accessible)
{
  return get_string_property (self, accessible, "Name");
}

char *
sc_test_atspi_get_description (ScTestAtspi      *self,
                               ScTestAccessible *accessible)
{
  return get_string_property (self, accessible, "Description");
}

char *
sc_test_atspi_get_role_name (ScTestAtspi      *self,
                             ScTestAccessible *accessible)
{
  g_autoptr(GVariant) reply = call_ok (self, accessible, "org.a11y.atspi.Accessible",
                                       "GetRoleName", NULL, G_VARIANT_TYPE ("(s)"));
  char *role = NULL;

  g_variant_get (reply, "(s)", &role);
  return role;
}

char *
sc_test_atspi_get_text (ScTestAtspi      *self,
                        ScTestAccessible *accessible)
{
  g_autoptr(GVariant) reply = call (self, accessible->bus_name, accessible->path,
                                    "org.a11y.atspi.Text", "GetText",
                                    g_variant_new ("(ii)", 0, -1), G_VARIANT_TYPE ("(s)"), NULL);
  char *text = NULL;

  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(s)", &text);
  return text;
}

void
sc_test_atspi_flush (ScTestAtspi      *self,
                     ScTestAccessible *accessible)
{
  g_autoptr(GVariant) reply = call_ok (self, accessible, "org.a11y.atspi.Accessible",
                                       "GetRoleName", NULL, G_VARIANT_TYPE ("(s)"));
}

GPtrArray *
sc_test_atspi_get_events (ScTestAtspi *self)
{
  return self->events;
}

void
sc_test_atspi_clear_events (ScTestAtspi *self)
{
  g_ptr_array_set_size (self->events, 0);
}
