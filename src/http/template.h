/*
 * template.h — server-side HTML templates, escaped by default.
 *
 * Templates live in web/templates/ (NAME.html) and are compiled into the binary.
 * They are parsed once at start-up (template_init); a syntax error or a
 * missing partial stops the server from booting. The language, deliberately
 * small (docs/internals/templates.md):
 *
 *   {{path}}                 value at path, HTML-escaped (safe in text and in
 *                            double-quoted attributes)
 *   {{path|filter}}          filters: date ("9 March 2014"), datetime, url
 *                            (percent-encoding for a query value), humanise
 *                            ("child_protection_plan" -> "Child protection plan"),
 *                            count (array length), day/month/year (the parts
 *                            of a YYYY-MM-DD date, for GOV.UK date inputs)
 *   {{#path}}..{{/path}}     section: once per array item, once with an object
 *                            as context, once for any other truthy value
 *   {{^path}}..{{/path}}     inverted section: when path is falsy or empty
 *   {{#eq path "text"}}..{{/eq}}  when the value at path equals the text
 *   {{> name}}               include another template
 *   {{raw path}}             unescaped: the rare, explicit exception
 *   {{! comment }}
 *
 * Paths are dotted ("page.person.given_name"); the first segment is looked up
 * from the innermost section outwards; "." is the current item and "@index"
 * its position in the array.
 */
#ifndef SG_TEMPLATE_H
#define SG_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

/* Compiles every embedded template. Returns 0, or -1 with the first error
 * ("person.html:12: unclosed section 'flags'"). */
int template_init(char *err, size_t errlen);
void template_release(void);

/* Compiles one template from text into a private set (tests, fuzzing).
 * Returns 0 or -1 with err. */
int template_compile_one(const char *name, const char *text, size_t len, char *err, size_t errlen);

/* Renders a compiled template with data, appending to out. Returns 0, or -1
 * when the template does not exist or out overflows. */
int template_render(const char *name, const json_t *data, struct buf *out);

/* HTML-escapes s onto out (& < > " '). */
void html_escape(struct buf *out, const char *s, size_t len);
/* Percent-encodes s for a URL query value onto out. */
void url_escape(struct buf *out, const char *s);

#endif
