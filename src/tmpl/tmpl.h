/*
 * tmpl.h - the template compiler: HTML templates with named, typed slots,
 * turned into C at build time (docs/templates.md describes the language).
 *
 * A template file NAME.tmpl becomes a struct tv_NAME (its view: one member
 * per slot, typed) and a function tmpl_NAME(sbuf *, const struct tv_NAME *)
 * that writes it.  The compiler knows, at every slot, where in the HTML it
 * stands (element text, a quoted attribute value, a URL attribute, a tag,
 * a comment, a script) and emits the escaping that place needs, or refuses
 * the template: a slot inside a tag, an unquoted attribute, an event
 * handler, a style or a script; a bool printed; raw HTML in an attribute;
 * a name the view does not declare; branches that leave the HTML in
 * different places.  Every refusal names the file, line and what is wrong.
 *
 * Memory: everything in the arena passed in.
 */
#ifndef KAVEL_TMPL_H
#define KAVEL_TMPL_H

#include <stddef.h>

#include "core/arena.h"

struct tmpl_file {
	const char *path;     /* for messages; the name is its basename */
	const char *text;     /* NUL-terminated */
};

/*
 * Compiles n templates (they may include each other) into one C header
 * (included as header_name by the source) and one C source.  Returns 0, or
 * -1 with "path:line: message" in err (the first error only).
 */
int tmpl_compile(arena *a, const struct tmpl_file *files, int n,
		 const char *header_name, sbuf *h, sbuf *c, char *err,
		 size_t errlen);

/*
 * The translatable strings of the templates as C, one _("...") per line
 * with its origin in a comment, for xgettext (scripts/update-po.sh).
 */
int tmpl_strings(arena *a, const struct tmpl_file *files, int n, sbuf *out,
		 char *err, size_t errlen);

#endif
