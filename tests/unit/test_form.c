/*
 * test_form.c - forms from fields declared once (src/web/form.h): labels
 * tied to inputs, a new form's defaults, a refused form showing what was
 * typed with every error at its field and in the summary, never a
 * password again, and everything typed escaped.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "web/form.h"

static const struct field_option kinds[] = {
	{"open", N_("Open")}, {"sas", N_("Social and other specific services")},
};

static const struct form_field fields[] = {
	{.name = "number", .label = N_("Number"), .kind = FIELD_NUMBER, .value = "1",
	 .required = true},
	{.name = "title", .label = N_("Title"), .help = N_("As it appears in the notice.")},
	{.name = "type", .label = N_("Procedure"), .kind = FIELD_SELECT, .options = kinds,
	 .n_options = 2, .value = "open"},
	{.name = "fixed", .label = N_("fixed budget"), .kind = FIELD_CHECKBOX},
	{.name = "goals", .label = N_("Goals"), .kind = FIELD_TEXTAREA, .rows = 5},
	{.name = "password", .label = N_("Password"), .kind = FIELD_PASSWORD},
	{.name = "lot_id", .kind = FIELD_HIDDEN, .value = "7"},
};
#define N_FIELDS ((int)(sizeof fields / sizeof *fields))

static bool has(const char *html, const char *want)
{
	return html && strstr(html, want) != NULL;
}

static int count(const char *html, const char *want)
{
	int n = 0;
	for (const char *p = html; (p = strstr(p, want)) != NULL; p += strlen(want))
		n++;
	return n;
}

int main(void)
{
	arena *a = arena_new();
	struct req r = {.a = a, .authed = true};
	strcpy(r.sess.csrf, "tok123");

	/* A new form: defaults, labels tied to inputs, no error. */
	struct form f = {.action = "/procedures/3/lots", .submit = "Add lot",
			 .fields = fields, .n_fields = N_FIELDS};
	const char *h = form_html(&r, &f).raw;
	CHECK(has(h, "<form method=\"post\" action=\"/procedures/3/lots\" class=\"form\" novalidate>"),
	      "the form posts to its action");
	CHECK(has(h, "<input type=\"hidden\" name=\"csrf\" value=\"tok123\">"), "with the CSRF field");
	CHECK(has(h, "<label for=\"f-number\">Number <span class=\"req\" aria-hidden=\"true\">*</span></label>"),
	      "a label names its input and marks it required");
	CHECK(has(h, "<input type=\"text\" id=\"f-number\" name=\"number\" value=\"1\" inputmode=\"numeric\" required>"),
	      "a number field shows its default, with a numeric keyboard");
	CHECK(has(h, "aria-describedby=\"help-f-title\"") &&
	      has(h, "<p class=\"help\" id=\"help-f-title\">As it appears in the notice.</p>"),
	      "help text is tied to its field");
	CHECK(has(h, "<option value=\"open\" selected>Open</option>") &&
	      has(h, "<option value=\"sas\">Social and other specific services</option>"),
	      "a select marks its default option");
	CHECK(has(h, "<textarea id=\"f-goals\" name=\"goals\" rows=\"5\"></textarea>"), "a textarea");
	CHECK(has(h, "<input type=\"checkbox\" id=\"f-fixed\" name=\"fixed\" value=\"1\"> fixed budget</label>"),
	      "a checkbox, unchecked");
	CHECK(has(h, "<input type=\"hidden\" name=\"lot_id\" value=\"7\">"), "a hidden field");
	CHECK(!has(h, "error-summary") && !has(h, "field-error") && !has(h, "aria-invalid"),
	      "a new form shows no error");
	CHECK(has(h, "<button type=\"submit\">Add lot</button></form>"), "and its button");

	/* Refused: what was typed comes back (escaped), every error at its
	 * field and in the summary, the password does not. */
	struct param ps[] = {
		{.key = "number", .value = "x\"><script>"},
		{.key = "title", .value = "Buurt & wijk"},
		{.key = "type", .value = "sas"},
		{.key = "fixed", .value = "1"},
		{.key = "goals", .value = "</textarea><b>"},
		{.key = "password", .value = "secret-typed"},
	};
	r.params = ps;
	r.n_params = (int)(sizeof ps / sizeof *ps);
	struct form_errors fe = {0};
	struct kv_error e;
	kv_fail(&e, KV_INVALID, "number", "Give a whole number.");
	CHECK(form_errors_add(&fe, &e) == KV_INVALID, "form_errors_add returns the status");
	kv_fail(&e, KV_INVALID, "goals", "Too long.");
	form_errors_add(&fe, &e);
	kv_fail(&e, KV_INVALID, "number", "A second complaint.");
	form_errors_add(&fe, &e);
	kv_fail(&e, KV_CONFLICT, "", "The procedure was changed meanwhile.");
	form_errors_add(&fe, &e);
	kv_error_clear(&e);
	form_errors_add(&fe, &e);
	CHECK(fe.n == 3, "one error per field; an empty kv_error adds nothing (%d)", fe.n);
	CHECK(form_errors_status(&fe) == KV_INVALID, "the first error's status");
	f.errors = &fe;
	h = form_html(&r, &f).raw;
	CHECK(has(h, "value=\"x&quot;&gt;&lt;script&gt;\"") && !has(h, "<script>"),
	      "what was typed is shown again, escaped");
	CHECK(has(h, "value=\"Buurt &amp; wijk\""), "the unrefused fields keep what was typed too");
	CHECK(has(h, "<option value=\"sas\" selected>") && !has(h, "<option value=\"open\" selected>"),
	      "the chosen option, not the default");
	CHECK(has(h, "value=\"1\" checked"), "the checkbox stays checked");
	CHECK(has(h, "rows=\"3\"") == false && has(h, "&lt;/textarea&gt;&lt;b&gt;</textarea>"),
	      "a textarea's text is escaped");
	CHECK(!has(h, "secret-typed"), "a password is never written back");
	CHECK(has(h, "aria-invalid=\"true\" aria-errormessage=\"err-f-number\"") &&
	      has(h, "<p class=\"field-error\" id=\"err-f-number\">Give a whole number.</p>"),
	      "the error stands at its field");
	CHECK(has(h, "<p class=\"field-error\" id=\"err-f-goals\">Too long.</p>"), "so does the second");
	CHECK(count(h, "class=\"field-error\"") == 2, "and no other field is marked");
	CHECK(has(h, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><strong>Nothing was changed.</strong>"),
	      "a summary heads the form");
	const char *s1 = strstr(h, "<a href=\"#f-number\">Number</a>: Give a whole number.");
	const char *s2 = strstr(h, "<a href=\"#f-goals\">Goals</a>: Too long.");
	const char *s3 = strstr(h, "<li>The procedure was changed meanwhile.</li>");
	CHECK(s1 && s2 && s3 && s1 < s2 && s2 < s3,
	      "it lists every error, linked to its field, in field order, then the rest");
	CHECK(!has(h, "A second complaint."), "a field's first error is the one shown");

	/* An import's error names a line of the file. */
	struct form_errors fl = {0};
	kv_fail(&e, KV_INVALID, "line 4", "The amount is not a number.");
	form_errors_add(&fl, &e);
	struct form imp = {.action = "/budget/import", .submit = "Import", .refused = "Nothing was imported.",
			   .fields = (const struct form_field[]){{.name = "file", .label = N_("File"),
							       .kind = FIELD_FILE, .accept = ".csv"}},
			   .n_fields = 1, .errors = &fl};
	h = form_html(&r, &imp).raw;
	CHECK(has(h, "enctype=\"multipart/form-data\""), "a file field makes the form multipart");
	CHECK(has(h, "<strong>Nothing was imported.</strong>") &&
	      has(h, "<li>Line 4: The amount is not a number.</li>"),
	      "the summary names the line of the file");
	CHECK(has(h, "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv\">"), "a file input");

	/* Two forms with the same fields on one page: ids made unique;
	 * fieldsets with their legend; text made from data not translated. */
	char dyn[32];
	snprintf(dyn, sizeof dyn, "Perceel %d", 3);
	struct form_field grouped[] = {
		{.name = "a", .label = N_("First"), .group = N_("Stages"), .placeholder = N_("e.g. 3")},
		{.name = "b", .label = dyn, .translated = true, .group_end = true},
	};
	struct form two = {.action = "/x", .id = "lot-3", .fields = grouped, .n_fields = 2};
	h = form_html(&r, &two).raw;
	CHECK(has(h, "<label for=\"f-lot-3-a\">") && has(h, "id=\"f-lot-3-b\""),
	      "a form's id makes its field ids unique");
	CHECK(has(h, "<fieldset><legend>Stages</legend>") && has(h, "</fieldset>") &&
	      strstr(h, "<fieldset>") < strstr(h, "f-lot-3-a") &&
	      strstr(h, "</fieldset>") > strstr(h, "f-lot-3-b"),
	      "a fieldset wraps the fields of its group");
	CHECK(has(h, "placeholder=\"e.g. 3\""), "a placeholder");
	CHECK(has(h, ">Perceel 3</label>"), "a label made from data is shown as it is");

	/* A GET filter has no CSRF field. */
	struct form g = {.action = "/", .method = "get", .no_csrf = true, .submit = "Filter",
			 .fields = fields + 1, .n_fields = 1};
	r.params = NULL;
	r.n_params = 0;
	h = form_html(&r, &g).raw;
	CHECK(has(h, "method=\"get\"") && !has(h, "name=\"csrf\""), "a GET form without CSRF");

	arena_free(a);
	return tap_done();
}
