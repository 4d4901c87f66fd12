/*
 * form.c - forms from fields declared once (form.h), rendered by
 * tmpl/form.tmpl.
 */
#include <string.h>

#include "form.h"
#include "templates.h"
#include "view.h"

enum kv_status form_errors_add(struct form_errors *fe, const struct kv_error *e)
{
	if (!e || e->status == KV_OK)
		return KV_OK;
	if (fe->n >= FORM_ERRORS_MAX)
		return e->status;
	for (int i = 0; i < fe->n; i++)
		if (e->field[0] && strcmp(fe->items[i].field, e->field) == 0)
			return e->status;
	fe->items[fe->n++] = *e;
	return e->status;
}

enum kv_status form_errors_status(const struct form_errors *fe)
{
	return fe && fe->n ? fe->items[0].status : KV_OK;
}

const char *form_errors_for(const struct form_errors *fe, const char *field)
{
	for (int i = 0; fe && i < fe->n; i++)
		if (strcmp(fe->items[i].field, field) == 0)
			return fe->items[i].msg;
	return NULL;
}

enum kv_status form_confirm_check(struct req *r, struct kv_error *e)
{
	if (r->api)
		return KV_OK;
	const char *v = req_param(r, FORM_CONFIRM);
	if (v && *v && strcmp(v, "0") != 0)
		return KV_OK;
	return kv_fail(e, KV_INVALID, FORM_CONFIRM,
		       _("Tick the box to confirm that you understand what follows; without it nothing happens."));
}

const char *form_not_saved(void)
{
	return _("Not saved.");
}

/* The input type of the kinds written as <input type=...>. */
static const char *input_type(enum field_kind k)
{
	switch (k) {
	case FIELD_EMAIL: return "email";
	case FIELD_PASSWORD: return "password";
	case FIELD_DATE: return "date";
	case FIELD_DATETIME: return "datetime-local";
	default: return "text";
	}
}

static const char *tr(const char *msgid)
{
	return msgid && *msgid ? _(msgid) : "";
}

static const char *as_is(const char *text)
{
	return text ? text : "";
}

/* The value the field shows: after a refusal what was sent, else its
 * default; never a password or a file. */
static const char *shown_value(struct req *r, const struct form *f,
			       const struct form_field *d)
{
	if (d->kind == FIELD_PASSWORD || d->kind == FIELD_FILE)
		return "";
	if (f->errors && f->errors->n) {
		const char *sent = req_param(r, d->name);
		return sent ? sent : "";
	}
	return d->value ? d->value : "";
}

html_t form_html(struct req *r, const struct form *f)
{
	int n = f->n_fields;
	struct tv_form_fields *fs = arena_alloc(r->a, (size_t)(n ? n : 1) * sizeof *fs);
	bool multipart = false;
	for (int i = 0; i < n; i++) {
		const struct form_field *d = &f->fields[i];
		struct tv_form_fields *o = &fs[i];
		const char *value = shown_value(r, f, d);
		const char *err = form_errors_for(f->errors, d->name);
		const char *(*text)(const char *) = d->translated ? as_is : tr;
		*o = (struct tv_form_fields){
			.id = f->id ? arena_printf(r->a, "f-%s-%s", f->id, d->name)
				    : arena_printf(r->a, "f-%s", d->name),
			.name = d->name,
			.label = text(d->label),
			.value = value,
			.help = text(d->help),
			.placeholder = text(d->placeholder),
			.group_open = d->group != NULL,
			.legend = d->group_translated ? as_is(d->group) : tr(d->group),
			.group_close = d->group_end,
			.error = err ? err : "",
			.type = input_type(d->kind),
			.inputmode = d->kind == FIELD_NUMBER ? "numeric"
				   : d->kind == FIELD_DECIMAL ? "decimal" : "",
			.autocomplete = d->autocomplete ? d->autocomplete : "",
			.accept = d->accept ? d->accept : "",
			.rows = d->rows ? d->rows : 3,
			.required = d->required || d->kind == FIELD_CONFIRM,
			.textarea = d->kind == FIELD_TEXTAREA,
			.checkbox = d->kind == FIELD_CHECKBOX || d->kind == FIELD_CONFIRM,
			.confirm = d->kind == FIELD_CONFIRM,
			.checked = (d->kind == FIELD_CHECKBOX || d->kind == FIELD_CONFIRM) &&
				   *value && strcmp(value, "0") != 0,
			.select = d->kind == FIELD_SELECT,
			.file = d->kind == FIELD_FILE,
			.hidden = d->kind == FIELD_HIDDEN,
		};
		o->plain = !o->textarea && !o->checkbox && !o->select && !o->file && !o->hidden;
		if (o->file)
			multipart = true;
		if (o->select && d->n_options > 0) {
			struct tv_form_fields_options *os =
			    arena_alloc(r->a, (size_t)d->n_options * sizeof *os);
			for (int k = 0; k < d->n_options; k++)
				os[k] = (struct tv_form_fields_options){
					.value = d->options[k].value,
					.label = d->options_translated ? d->options[k].label
								       : tr(d->options[k].label),
					.selected = strcmp(d->options[k].value, value) == 0,
				};
			o->options = os;
			o->n_options = d->n_options;
		}
	}

	/* The summary: every error in the order of the fields, then those
	 * that name no field the form shows. */
	int ne = f->errors ? f->errors->n : 0;
	struct tv_form_errors *es = arena_alloc(r->a, (size_t)(ne ? ne : 1) * sizeof *es);
	int k = 0;
	for (int i = 0; i < n && ne; i++) {
		const char *err = form_errors_for(f->errors, f->fields[i].name);
		if (err && f->fields[i].kind != FIELD_HIDDEN)
			es[k++] = (struct tv_form_errors){
				.anchor = fs[i].id, .label = fs[i].label, .message = err};
	}
	for (int j = 0; j < ne; j++) {
		const struct kv_error *e = &f->errors->items[j];
		bool shown = false;
		for (int i = 0; i < n; i++)
			if (f->fields[i].kind != FIELD_HIDDEN && strcmp(f->fields[i].name, e->field) == 0)
				shown = true;
		if (shown)
			continue;
		/* Imports name the line of the file in the field: "line 3". */
		es[k++] = (struct tv_form_errors){
			.anchor = "",
			.label = "",
			.message = strncmp(e->field, "line ", 5) == 0
				 ? arena_printf(r->a, "%s %s: %s", _("Line"), e->field + 5, e->msg)
				 : e->msg,
		};
	}

	struct tv_form v = {
		.action = f->action,
		.method = f->method ? f->method : "post",
		.multipart = multipart,
		.css = f->css ? f->css : "form",
		.novalidate = true,     /* the server says what is wrong, in Dutch */
		.csrf = {.token = csrf_token(r)},
		.with_csrf = !f->no_csrf,
		.refused = f->refused ? f->refused : _("Nothing was changed."),
		.errors = es,
		.n_errors = k,
		.fields = fs,
		.n_fields = n,
		.submit = f->submit ? f->submit : _("Save"),
		.submit_css = f->submit_css ? f->submit_css : "",
	};
	return tmpl_form_html(r->a, &v);
}
