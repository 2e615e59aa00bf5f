/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-json-reader.c: typed readers over json-glib, with the member path in
 * every error (sc-json-reader.h). */
#include "config.h"

#include "sc-json-reader.h"
#include "sc-names.h"
#include "sc-verdict.h"

typedef struct
{
  char *path;  /* (owned) (nullable) */
} ScJsonReaderErrorPrivate;

static void
sc_json_reader_error_private_init (ScJsonReaderErrorPrivate *priv)
{
  /* Never NULL: the G_DEFINE_EXTENDED_ERROR getter only checks the domain. */
  if (priv == NULL)
    return;
  priv->path = NULL;
}

static void
sc_json_reader_error_private_copy (const ScJsonReaderErrorPrivate *src,
                                   ScJsonReaderErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;
  dest->path = g_strdup (src->path);
}

static void
sc_json_reader_error_private_clear (ScJsonReaderErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  g_clear_pointer (&priv->path, g_free);
}

G_DEFINE_EXTENDED_ERROR (ScJsonReaderError, sc_json_reader_error)

const char *
sc_json_reader_error_get_path (const GError *error)
{
  ScJsonReaderErrorPrivate *priv;

  if (error == NULL || error->domain != SC_JSON_READER_ERROR)
    return NULL;
  priv = sc_json_reader_error_get_private (error);
  return priv != NULL && priv->path != NULL ? priv->path : "";
}

char *
sc_json_path_member (const char *path,
                     const char *name)
{
  if (path == NULL || *path == '\0')
    return g_strdup (name);
  return g_strconcat (path, ".", name, NULL);
}

char *
sc_json_path_index (const char *path,
                    guint       index)
{
  return g_strdup_printf ("%s[%u]", path != NULL ? path : "", index);
}

static const char *
error_words (ScJsonReaderError code)
{
  switch (code)
    {
    case SC_JSON_READER_ERROR_MISSING:
      return "missing";
    case SC_JSON_READER_ERROR_WRONG_TYPE:
      return "wrong type";
    case SC_JSON_READER_ERROR_OUT_OF_RANGE:
      return "out of range";
    case SC_JSON_READER_ERROR_INVALID:
      return "not a valid value";
    case SC_JSON_READER_ERROR_SYNTAX:
    default:
      return "not a JSON object";
    }
}

/* Always FALSE: sets @code for @full_path (taken) with "@full_path: @what". */
static gboolean
set_error_take_path (GError            **error,
                     ScJsonReaderError   code,
                     char               *full_path,
                     const char         *what)
{
  g_autofree char *owned_path = full_path;
  ScJsonReaderErrorPrivate *priv;
  GError *local;

  if (error == NULL)
    return FALSE;

  /* Developer words (a debug log's): callers put it in their own. */
  local = g_error_new (SC_JSON_READER_ERROR, code, "%s: %s", owned_path,
                       what != NULL ? what : error_words (code));
  priv = sc_json_reader_error_get_private (local);
  if (priv != NULL)
    priv->path = g_steal_pointer (&owned_path);
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
sc_json_reader_set_error (GError            **error,
                          ScJsonReaderError   code,
                          const char         *path,
                          const char         *name)
{
  return set_error_take_path (error, code, sc_json_path_member (path, name), NULL);
}

static gboolean
set_member_error (GError            **error,
                  ScJsonReaderError   code,
                  const char         *path,
                  const char         *name,
                  const char         *what)
{
  return set_error_take_path (error, code, sc_json_path_member (path, name), what);
}

JsonNode *
sc_json_get_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  node = json_object_get_member (object, name);
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* A JSON type a reader asks for, and the words when a node is another. */
typedef struct
{
  JsonNodeType  node_type;
  GType         value_type;  /* for JSON_NODE_VALUE: G_TYPE_DOUBLE takes whole numbers too */
  const char   *words;
} Expected;

static const Expected expect_string = { JSON_NODE_VALUE, G_TYPE_STRING, "expected a string" };
static const Expected expect_int = { JSON_NODE_VALUE, G_TYPE_INT64, "expected a whole number" };
static const Expected expect_number = { JSON_NODE_VALUE, G_TYPE_DOUBLE, "expected a number" };
static const Expected expect_bool = { JSON_NODE_VALUE, G_TYPE_BOOLEAN, "expected true or false" };
static const Expected expect_object = { JSON_NODE_OBJECT, G_TYPE_INVALID, "expected an object" };
static const Expected expect_array = { JSON_NODE_ARRAY, G_TYPE_INVALID, "expected an array" };

static gboolean
node_is (JsonNode       *node,
         const Expected *expected)
{
  GType value_type;

  if (node == NULL || JSON_NODE_TYPE (node) != expected->node_type)
    return FALSE;
  if (expected->node_type != JSON_NODE_VALUE)
    return TRUE;
  value_type = json_node_get_value_type (node);
  return value_type == expected->value_type ||
         (expected->value_type == G_TYPE_DOUBLE && value_type == G_TYPE_INT64);
}

/* The one typed getter: *@out is the member when it is what @expected
 * says, NULL when missing. Missing when required, or of another type, is
 * an error. */
static gboolean
read_member (JsonObject      *object,
             const char      *path,
             const char      *name,
             ScJsonFlags      flags,
             const Expected  *expected,
             JsonNode       **out,
             GError         **error)
{
  JsonNode *node = sc_json_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return !(flags & SC_JSON_REQUIRED) ||
           set_member_error (error, SC_JSON_READER_ERROR_MISSING, path, name, NULL);
  if (!node_is (node, expected))
    return set_member_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, path, name,
                             expected->words);

  *out = node;
  return TRUE;
}

/* Element @index of @array when it is what @expected says. */
static JsonNode *
array_element (JsonArray       *array,
               const char      *path,
               guint            index,
               const Expected  *expected,
               GError         **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node_is (node, expected))
    return node;
  set_error_take_path (error, SC_JSON_READER_ERROR_WRONG_TYPE, sc_json_path_index (path, index),
                       expected->words);
  return NULL;
}

gboolean
sc_json_read_string (JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     ScJsonFlags   flags,
                     const char  **out,
                     GError      **error)
{
  JsonNode *node;

  *out = NULL;
  if (!read_member (object, path, name, flags, &expect_string, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if ((flags & SC_JSON_NON_EMPTY) && *json_node_get_string (node) == '\0')
    return set_member_error (error, SC_JSON_READER_ERROR_INVALID, path, name,
                             "expected a string that is not empty");

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
sc_json_read_string_dup (JsonObject   *object,
                         const char   *path,
                         const char   *name,
                         ScJsonFlags   flags,
                         char        **out,
                         GError      **error)
{
  const char *value = NULL;

  if (!sc_json_read_string (object, path, name, flags, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_free (*out);
      *out = g_strdup (value);
    }
  return TRUE;
}

gboolean
sc_json_read_int (JsonObject   *object,
                  const char   *path,
                  const char   *name,
                  ScJsonFlags   flags,
                  gint64        min,
                  gint64        max,
                  gboolean     *out_present,
                  gint64       *out,
                  GError      **error)
{
  JsonNode *node;
  gint64 value;

  if (out_present != NULL)
    *out_present = FALSE;
  if (!read_member (object, path, name, flags, &expect_int, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *what = g_strdup_printf ("expected a whole number from %" G_GINT64_FORMAT
                                               " to %" G_GINT64_FORMAT, min, max);

      return set_member_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, path, name, what);
    }

  if (out_present != NULL)
    *out_present = TRUE;
  *out = value;
  return TRUE;
}

gboolean
sc_json_read_double (JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     ScJsonFlags   flags,
                     double        min,
                     double        max,
                     gboolean     *out_present,
                     double       *out,
                     GError      **error)
{
  JsonNode *node;
  double value;

  if (out_present != NULL)
    *out_present = FALSE;
  if (!read_member (object, path, name, flags, &expect_number, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  value = json_node_get_double (node);
  /* Written so that NaN is out of range too. */
  if (!(value >= min && value <= max))
    {
      g_autofree char *what = g_strdup_printf ("expected a number from %g to %g", min, max);

      return set_member_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, path, name, what);
    }

  if (out_present != NULL)
    *out_present = TRUE;
  *out = value;
  return TRUE;
}

gboolean
sc_json_read_bool (JsonObject   *object,
                   const char   *path,
                   const char   *name,
                   ScJsonFlags   flags,
                   gboolean     *out,
                   GError      **error)
{
  JsonNode *node;

  if (!read_member (object, path, name, flags, &expect_bool, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
sc_json_read_object (JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     ScJsonFlags   flags,
                     JsonObject  **out,
                     GError      **error)
{
  JsonNode *node;
  gboolean ok = read_member (object, path, name, flags, &expect_object, &node, error);

  *out = node != NULL ? json_node_get_object (node) : NULL;
  return ok;
}

gboolean
sc_json_read_array (JsonObject   *object,
                    const char   *path,
                    const char   *name,
                    ScJsonFlags   flags,
                    JsonArray   **out,
                    GError      **error)
{
  JsonNode *node;
  gboolean ok = read_member (object, path, name, flags, &expect_array, &node, error);

  *out = node != NULL ? json_node_get_array (node) : NULL;
  return ok;
}

gboolean
sc_json_read_time (JsonObject   *object,
                   const char   *path,
                   const char   *name,
                   ScJsonFlags   flags,
                   GDateTime  **out,
                   GError      **error)
{
  const char *text = NULL;

  *out = NULL;
  if (!sc_json_read_string (object, path, name, flags, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = sc_date_time_parse_rfc3339 (text);
  if (*out == NULL)
    return set_member_error (error, SC_JSON_READER_ERROR_INVALID, path, name,
                             "expected an RFC 3339 time");
  return TRUE;
}

gboolean
sc_json_read_enum (JsonObject          *object,
                   const char          *path,
                   const char          *name,
                   ScJsonFlags          flags,
                   const char * const  *names,
                   guint                n_names,
                   int                 *out,
                   GError             **error)
{
  const char *text = NULL;
  int index;

  if (!sc_json_read_string (object, path, name, flags, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  index = sc_names_find (names, n_names, text);
  if (index < 0)
    return set_member_error (error, SC_JSON_READER_ERROR_INVALID, path, name,
                             "not one of the names known");
  *out = index;
  return TRUE;
}

gboolean
sc_json_array_get_object (JsonArray    *array,
                          const char   *path,
                          guint         index,
                          JsonObject  **out,
                          GError      **error)
{
  JsonNode *node = array_element (array, path, index, &expect_object, error);

  *out = node != NULL ? json_node_get_object (node) : NULL;
  return node != NULL;
}

gboolean
sc_json_array_get_string (JsonArray    *array,
                          const char   *path,
                          guint         index,
                          const char  **out,
                          GError      **error)
{
  JsonNode *node = array_element (array, path, index, &expect_string, error);

  *out = node != NULL ? json_node_get_string (node) : NULL;
  return node != NULL;
}

/*
 * json-glib's parser recurses once per nesting level, so "[[[[…" eight
 * megabytes deep would exhaust the stack. Refuse deep nesting before parsing.
 */
static gboolean
json_depth_ok (const char *data,
               gsize       len,
               guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/*
 * json-glib reads a lone UTF-16 surrogate escape ("\ud800" without its
 * pair) as bytes that are not UTF-8. No such string (or member name) may go
 * on into a verdict, an error message, a label or the database.
 */
static gboolean
json_strings_are_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !json_strings_are_utf8 (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!json_strings_are_utf8 (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static gpointer
syntax_error (GError     **error,
              const char  *what)
{
  set_error_take_path (error, SC_JSON_READER_ERROR_SYNTAX, g_strdup (""), what);
  return NULL;
}

JsonObject *
sc_json_parse_object (const char  *data,
                      gsize        len,
                      guint        max_depth,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (len == 0 || data == NULL || len > G_MAXSSIZE)
    return syntax_error (error, "empty");
  if (!json_depth_ok (data, len, max_depth))
    return syntax_error (error, "nested too deep");
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    return syntax_error (error, local_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return syntax_error (error, "not a JSON object");

  /* Nesting is bounded (json_depth_ok), and so is the recursion. */
  if (!json_strings_are_utf8 (root))
    return syntax_error (error, "a string that is not UTF-8");

  return json_object_ref (json_node_get_object (root));
}

/* Writing */

void
sc_json_builder_add_string (JsonBuilder *builder,
                            const char  *name,
                            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
sc_json_builder_add_int (JsonBuilder *builder,
                         const char  *name,
                         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
sc_json_builder_add_time (JsonBuilder *builder,
                          const char  *name,
                          GDateTime   *value)
{
  g_autofree char *str = NULL;

  if (value == NULL)
    return;

  str = sc_date_time_format_rfc3339 (value);
  sc_json_builder_add_string (builder, name, str);
}
