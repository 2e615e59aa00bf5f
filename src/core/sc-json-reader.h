/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * sc-json-reader: the one set of typed JSON readers (DESIGN §3), private to
 * src/core and src/platform: the client's answers, verdicts, manifest
 * pages and the platform's request bodies all read their members here.
 *
 * Each reader takes the object, the path of that object ("" for the top
 * level, "order", "order.items[2]") and the member's name. A member that is
 * absent or JSON null is missing: an error when SC_JSON_REQUIRED, else the
 * reader succeeds and leaves its outputs as documented. A member that is
 * present but not what was asked is always an error. Errors are in
 * SC_JSON_READER_ERROR; their message starts with the member's path
 * ("store.name: expected a string") and sc_json_reader_error_get_path()
 * gives the path alone, so callers word the error in their own terms.
 */

typedef enum
{
  SC_JSON_READER_ERROR_MISSING,       /* a required member is absent or null */
  SC_JSON_READER_ERROR_WRONG_TYPE,    /* present with another JSON type */
  SC_JSON_READER_ERROR_OUT_OF_RANGE,  /* a whole number outside its bounds */
  SC_JSON_READER_ERROR_INVALID,       /* the right type, a value not accepted (empty,
                                       * an unknown name, not an RFC 3339 time) */
  SC_JSON_READER_ERROR_SYNTAX,        /* a text that is not a JSON object we read: not
                                       * JSON, nested too deep, not UTF-8, not an object */
} ScJsonReaderError;

#define SC_JSON_READER_ERROR (sc_json_reader_error_quark ())
GQuark      sc_json_reader_error_quark     (void);
/* The member path of an SC_JSON_READER_ERROR ("" for SYNTAX); NULL for
 * another error. */
const char *sc_json_reader_error_get_path  (const GError *error);

typedef enum
{
  SC_JSON_OPTIONAL  = 0,
  SC_JSON_REQUIRED  = 1 << 0,  /* absent or null is MISSING */
  SC_JSON_NON_EMPTY = 1 << 1,  /* strings: "" is INVALID */
} ScJsonFlags;

/* "@path.@name", or @name alone at the top level. (transfer full) */
char       *sc_json_path_member            (const char   *path,
                                            const char   *name);
/* "@path[@index]". (transfer full) */
char       *sc_json_path_index             (const char   *path,
                                            guint         index);

/* The member node, NULL when absent or JSON null. (transfer none) */
JsonNode   *sc_json_get_member             (JsonObject   *object,
                                            const char   *name);

/* *@out: (transfer none) the string, NULL when missing. */
gboolean    sc_json_read_string            (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            const char  **out,
                                            GError      **error);
/* A copy of the string into *@out (freeing what was there); *@out is left
 * alone when missing. */
gboolean    sc_json_read_string_dup        (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            char        **out,
                                            GError      **error);
/* A JSON integer from @min to @max; *@out is left alone when missing;
 * @out_present (nullable) says whether it was there. */
gboolean    sc_json_read_int               (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            gint64        min,
                                            gint64        max,
                                            gboolean     *out_present,
                                            gint64       *out,
                                            GError      **error);
/* A JSON number (integer or not) from @min to @max; *@out is left alone
 * when missing; @out_present (nullable) says whether it was there. */
gboolean    sc_json_read_double            (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            double        min,
                                            double        max,
                                            gboolean     *out_present,
                                            double       *out,
                                            GError      **error);
/* true or false; *@out is left alone when missing. */
gboolean    sc_json_read_bool              (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            gboolean     *out,
                                            GError      **error);
/* *@out: (transfer none), NULL when missing. */
gboolean    sc_json_read_object            (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            JsonObject  **out,
                                            GError      **error);
/* *@out: (transfer none), NULL when missing. */
gboolean    sc_json_read_array             (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            JsonArray  **out,
                                            GError      **error);
/* An RFC 3339 time string (sc_date_time_parse_rfc3339); *@out: (transfer
 * full), NULL when missing. */
gboolean    sc_json_read_time              (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            GDateTime  **out,
                                            GError      **error);
/* A string that is one of @names (@n_names of them, NULL entries skipped):
 * *@out is its index; left alone when missing. */
gboolean    sc_json_read_enum              (JsonObject   *object,
                                            const char   *path,
                                            const char   *name,
                                            ScJsonFlags   flags,
                                            const char * const *names,
                                            guint         n_names,
                                            int          *out,
                                            GError      **error);
/* Element @index of @array (at @path) as an object. *@out: (transfer none) */
gboolean    sc_json_array_get_object       (JsonArray    *array,
                                            const char   *path,
                                            guint         index,
                                            JsonObject  **out,
                                            GError      **error);
/* Element @index of @array (at @path) as a string. *@out: (transfer none) */
gboolean    sc_json_array_get_string       (JsonArray    *array,
                                            const char   *path,
                                            guint         index,
                                            const char  **out,
                                            GError      **error);

/* Sets an SC_JSON_READER_ERROR @code for the member @name of @path, for
 * checks a caller makes on a value it read (a cross-member rule). */
gboolean    sc_json_reader_set_error       (GError      **error,
                                            ScJsonReaderError code,
                                            const char   *path,
                                            const char   *name);

/* Writing, for the JSON the counter writes back (`--json`): a member
 * @name of the builder's current object. A NULL string or time adds
 * nothing; a time is RFC 3339 UTC (sc_date_time_format_rfc3339). */
void        sc_json_builder_add_string     (JsonBuilder  *builder,
                                            const char   *name,
                                            const char   *value);
void        sc_json_builder_add_int        (JsonBuilder  *builder,
                                            const char   *name,
                                            gint64        value);
void        sc_json_builder_add_time       (JsonBuilder  *builder,
                                            const char   *name,
                                            GDateTime    *value);

/* (transfer full) (nullable): the top-level object of @data (@len bytes),
 * refused as SYNTAX when empty, nested deeper than @max_depth, not JSON,
 * not an object, or holding a string or name that is not UTF-8 (json-glib
 * reads a lone "\ud800" escape into bytes that are not). Any thread: the
 * parser is the call's own, so only the caller holds the tree. */
JsonObject *sc_json_parse_object           (const char   *data,
                                            gsize         len,
                                            guint         max_depth,
                                            GError      **error);

G_END_DECLS
