/*
 * form.h - a form's fields declared once.
 *
 * A page describes each field once, as a struct form_field: its name (the
 * request key), label, kind, the value a new form shows, help text and, for
 * a select, its options.  form_html renders the whole form from that: per
 * field its label, the input holding the current value, the help and the
 * error, tied together with for/id, aria-describedby and aria-errormessage;
 * above the fields a summary that lists every error and links to its
 * field (src/web/tmpl/form.tmpl).
 *
 * After a refusal (form.errors set) every field shows what the user typed,
 * read from the request by the field's name, never the default: a refused
 * form loses nothing.  A password or file field is never refilled.
 *
 * The handler checks every field, not only the first, and collects each
 * refusal with form_errors_add: the core's validators (in_int, eur_parse,
 * ...) and the app actions fill a struct kv_error, and its field name puts
 * the message at its field.  An error whose field the form does not show
 * appears in the summary only.
 *
 *     static const struct form_field lot_fields[] = {
 *         {.name = "number", .label = N_("Number"), .kind = FIELD_NUMBER},
 *         {.name = "title", .label = N_("Title"), .required = true},
 *     };
 *     struct form f = {.action = url, .submit = _("Add lot"),
 *                      .fields = lot_fields, .n_fields = 2, .errors = fe};
 *     html_t h = form_html(r, &f);
 *
 * An action that cannot be undone (publish, open, withdraw, award,
 * terminate, complete) carries a FIELD_CONFIRM field named "confirm" whose
 * label says what follows ("I understand that ...; this cannot be
 * undone."), and its handler calls form_confirm_check before anything
 * else: on a page an unticked box refuses the form at that field and
 * nothing is changed.  The JSON API asks no confirmation (a request is its
 * own; docs/api.md).
 *
 * The summary's heading says what did not happen: .refused, by default
 * "Nothing was changed." (a form that changes something that exists); a
 * form that creates something says so (FORM_NOT_SAVED or its own words:
 * "The procedure was not created.").
 *
 * Labels, help texts and option labels are English msgids, translated when
 * the form is rendered (mark them N_() in static tables); text made from
 * data is marked .translated (options: .options_translated), for _()
 * memoises by the string's address.  Memory: all in r->a.
 */
#ifndef KAVEL_FORM_H
#define KAVEL_FORM_H

#include <stdbool.h>

#include "core/error.h"
#include "html.h"
#include "web.h"

enum field_kind {
	FIELD_TEXT,        /* <input> */
	FIELD_NUMBER,      /* whole number: inputmode=numeric */
	FIELD_DECIMAL,     /* amount, "1.234,56": inputmode=decimal */
	FIELD_EMAIL,
	FIELD_PASSWORD,    /* never refilled */
	FIELD_DATE,        /* YYYY-MM-DD */
	FIELD_DATETIME,    /* datetime-local, Europe/Amsterdam */
	FIELD_TEXTAREA,
	FIELD_CHECKBOX,    /* value "1"; checked when the value is not empty */
	FIELD_CONFIRM,     /* an irreversible action's confirmation: a
			      checkbox whose label states the consequence;
			      the handler refuses the form unticked
			      (form_confirm_check) */
	FIELD_SELECT,
	FIELD_FILE,        /* the form becomes multipart; never refilled */
	FIELD_HIDDEN,
};

struct field_option {
	const char *value;
	const char *label;         /* msgid, or text already translated */
};

struct form_field {
	const char *name;          /* request key; the id is "f-" name, or
				      "f-" form.id "-" name */
	const char *label;         /* msgid (N_), unless translated */
	enum field_kind kind;
	const char *value;         /* what a new form shows; NULL is "" */
	const char *help;          /* msgid shown under the label, or NULL */
	const char *placeholder;   /* msgid of an example in the empty input */
	/* label, help and placeholder are text already (made from data, or
	 * translated by the caller), not msgids: _() memoises by pointer, so
	 * only string literals may go through it */
	bool translated;
	/* a fieldset: group (a msgid, its legend) on the first field of it,
	 * group_end on the last */
	const char *group;
	bool group_end;
	bool group_translated;     /* group is text already, not a msgid */
	const struct field_option *options;  /* FIELD_SELECT */
	int n_options;
	bool options_translated;   /* option labels are data, not msgids */
	bool required;
	int rows;                  /* FIELD_TEXTAREA; 0 is 3 */
	const char *accept;        /* FIELD_FILE: e.g. ".pdf,application/pdf" */
	const char *autocomplete;  /* e.g. "email", "current-password" */
};

/* Every refusal of one submitted form. */
#define FORM_ERRORS_MAX 32
struct form_errors {
	int n;
	struct kv_error items[FORM_ERRORS_MAX];
};

/* Adds e to fe when e holds an error (status not KV_OK); a second error
 * for a field already refused is dropped (the first says what to fix),
 * and so is any past FORM_ERRORS_MAX.  Returns e's status, so
 * `rc = form_errors_add(fe, &e)`. */
enum kv_status form_errors_add(struct form_errors *fe, const struct kv_error *e);
/* The first error's status, KV_OK when there is none. */
enum kv_status form_errors_status(const struct form_errors *fe);
/* The message for field, or NULL. */
const char *form_errors_for(const struct form_errors *fe, const char *field);

struct form {
	const char *action;          /* URL the form posts to */
	const char *id;              /* makes the ids unique where a page has
					several forms with the same fields
					("lot-3"); NULL: none */
	const char *method;          /* NULL is "post" */
	const char *css;             /* NULL is "form" */
	const char *submit;          /* the button's label, translated */
	const char *submit_css;      /* NULL: none */
	const char *refused;         /* the summary's heading, translated;
					NULL is "Nothing was changed."; a
					create form: form_not_saved() or its
					own words */
	const struct form_field *fields;
	int n_fields;
	const struct form_errors *errors;  /* NULL or empty: a new form */
	bool no_csrf;                /* a GET form (a filter) */
};

/* The name of a FIELD_CONFIRM field. */
#define FORM_CONFIRM "confirm"

/* On a page, whether the box FORM_CONFIRM was ticked: KV_OK, else
 * KV_INVALID with e at that field ("Tick the box ...").  Through the API
 * always KV_OK: the request is its own confirmation. */
enum kv_status form_confirm_check(struct req *r, struct kv_error *e);

/* The heading of a refused create form: "Not saved.", translated. */
const char *form_not_saved(void);

/* The form as HTML, in r->a. */
html_t form_html(struct req *r, const struct form *f);

#endif
