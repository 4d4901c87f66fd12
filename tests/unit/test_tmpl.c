/*
 * test_tmpl.c - the template compiler (src/tmpl) and what its templates
 * write: each refusal with its line, the escaping at each place, and the
 * output of the templates in tests/unit/tmpl, compiled by the build.
 */
#include <string.h>

#include "tap.h"
#include "test_templates.h"
#include "tmpl/tmpl.h"

/* Compiles one template (named t) beside a small field template; returns
 * 0 or -1, the message in err and the C in c. */
static int compile1(arena *a, const char *src, char *err, size_t n, const char **c_out)
{
	struct tmpl_file f[2] = {
		{"tmpl/t.tmpl", src},
		{"tmpl/field.tmpl", "{{#view}}\ntext label\n{{/view}}<label>{{label}}</label>"},
	};
	sbuf h, c;
	sbuf_init(&h, a, 1 << 20);
	sbuf_init(&c, a, 1 << 20);
	err[0] = 0;
	int rc = tmpl_compile(a, f, 2, "t.h", &h, &c, err, n);
	if (c_out)
		*c_out = sbuf_str(&c);
	return rc;
}

static void refused(arena *a, const char *src, const char *want, const char *what)
{
	char err[700];
	int rc = compile1(a, src, err, sizeof err, NULL);
	CHECK(rc == -1 && strstr(err, want) != NULL, "refused: %s (%s)", what, err[0] ? err : "accepted");
}

static void emits(arena *a, const char *src, const char *want, const char *what)
{
	char err[700];
	const char *c = "";
	int rc = compile1(a, src, err, sizeof err, &c);
	CHECK(rc == 0 && strstr(c, want) != NULL, "compiled: %s%s%s", what, err[0] ? ": " : "", err);
}

static void compiler(arena *a)
{
	const char *V = "{{#view}}\ntext t\nurl u\nint i\nbool b\nhtml h\nlist l { text x }\n"
			"view field f\n{{/view}}\n";
#define T(body) arena_printf(a, "%s%s", V, body)
	emits(a, T("<p>{{t}}</p>"), "html_text(b, v->t);", "text in element text is escaped");
	emits(a, T("<p title=\"{{t}}\"></p>"), "html_text(b, v->t);", "text in an attribute is escaped");
	emits(a, T("<a href=\"{{u}}\"></a>"), "tmpl_url(b, v->u);", "a url slot begins a URL");
	emits(a, T("<a href=\"/x?q={{t}}\"></a>"), "tmpl_url_part(b, v->t);",
	      "text inside a URL is percent-encoded");
	emits(a, T("<a href='/p/{{i}}'></a>"), "tmpl_int(b, v->i);", "an int in a URL");
	emits(a, T("<div>{{h}}</div>"), "tmpl_html(b, v->h);", "html in element text");
	emits(a, T("{{#each l as e}}<i>{{e.x}}</i>{{/each}}"), "html_text(b, e0_->x);", "a loop's element");
	emits(a, T("{{#if l}}<ul></ul>{{/if}}"), "v->n_l > 0", "#if on a list tests its count");
	emits(a, T("{{> field f}}"), "tmpl_field(b, &v->f);", "an include with its view");
	emits(a, T("<p>{{f.label}}</p>"), "html_text(b, v->f.label);", "a field of a view slot");
	emits(a, T("<option{{#if b}} selected{{/if}}>x</option>"), "if (v->b) {",
	      "a condition inside a tag around a whole attribute");
	emits(a, T("<p>{{_ \"%s of %s\" t i}}</p>"), "tmpl_tr(b, _(\"%s of %s\"), 2,",
	      "a translation with values");
	emits(a, T("<script src=\"/static/kavel.js\"></script><p>{{t}}</p>"), "html_text(b, v->t);",
	      "text after a script's end");

	refused(a, T("<p>{{nope}}</p>"), "t.tmpl:10: the view of t has no slot \"nope\"",
		"a name the view does not declare, with its line");
	refused(a, T("<a {{t}}>"), "values go only into", "a value inside a tag");
	refused(a, T("<a href={{u}}>"), "quoted attribute values", "an unquoted attribute");
	refused(a, T("<a onclick=\"{{t}}\">"), "scripts or styles", "an event handler");
	refused(a, T("<p style=\"color: {{t}}\">"), "scripts or styles", "a style attribute");
	refused(a, T("<script>var x = \"{{t}}\";</script>"), "a script or style", "a script");
	refused(a, T("<style>p { color: {{t}} }</style>"), "a script or style", "a style element");
	refused(a, T("<!-- {{t}} -->"), "an HTML comment", "a comment");
	refused(a, T("<p>{{b}}</p>"), "cannot be printed", "a bool printed");
	refused(a, T("<p title=\"{{h}}\">"), "html slot \"h\" inside an attribute", "html in an attribute");
	refused(a, T("<a href=\"{{t}}\">"), "declare it url", "text that begins a URL");
	refused(a, T("<a href=\"/x/{{u}}\">"), "must begin its attribute", "a url in the middle");
	refused(a, T("<a {{#if b}}href=\"{{/if}}\">"), "ends in", "a branch that leaves a value open");
	refused(a, T("{{#if b}}<p>"), "is closed by the end of the file", "an #if never closed");
	refused(a, T("<p></p>{{/if}}"), "closes nothing", "a stray {{/if}}");
	refused(a, T("{{#if b}}{{/each}}"), "not {{/if}}", "the wrong closer");
	refused(a, T("{{> missing}}"), "no template \"missing\"", "an unknown include");
	refused(a, T("{{> field t}}"), "is no view of field", "an include with the wrong slot");
	refused(a, T("{{> field}}"), "has a view", "an include without its view");
	refused(a, T("<p>{{_ \"%s and %s\" t}}</p>"), "takes 2 value(s), the tag gives 1",
		"a translation with too few values");
	refused(a, T("<p>{{_ \"%d\" i}}</p>"), "only %s", "a translation with %d");
	refused(a, T("<p>{{_ \"x\" b}}</p>"), "takes 0 value(s)", "a translation with a stray value");
	refused(a, "{{#view}}\nstring s\n{{/view}}", "unknown type \"string\"", "an unknown type");
	refused(a, "{{#view}}\ntext s\ntext s\n{{/view}}", "declared twice", "a slot declared twice");
	refused(a, "{{#view}}\ntext for\n{{/view}}", "reserved word", "a C keyword as a slot");
	refused(a, "{{#view}}\nlist l { text x\n{{/view}}", "never closed", "a list never closed");
	refused(a, T("{{#each t as e}}{{/each}}"), "is no list", "#each over text");
	refused(a, T("{{#each l as e}}{{#each l as e}}{{/each}}{{/each}}"), "taken by an outer loop",
		"a loop name twice");
	refused(a, T("{{#each l as t}}{{/each}}"), "is a slot of the view", "a loop name that hides a slot");
	refused(a, T("{{#each l as e}}{{e.y}}{{/each}}"), "have no \"y\"", "a field the element lacks");
	refused(a, T("<a href=\"x\""), "ends in", "a template that ends inside a tag");
	refused(a, T("<p>{{t"), "never closed", "a tag never closed");
	refused(a, T("{{#if b}}{{else}}{{else}}{{/if}}"), "second {{else}}", "two elses");
	refused(a, T("{{#bogus}}"), "unknown block tag", "an unknown block tag");
	refused(a, T("<p>{{t i}}</p>"), "one name", "two names in a slot tag");
	refused(a, T("{{l}}"), "is a list", "a list printed");
	refused(a, T("{{f}}"), "is a view", "a view printed");
	refused(a, "{{#view}}\nview t s\n{{/view}}", "in a circle", "a view that holds itself");
#undef T
	/* two templates of one name */
	struct tmpl_file two[2] = {{"a/x.tmpl", "<p></p>"}, {"b/x.tmpl", "<p></p>"}};
	sbuf h, c;
	sbuf_init(&h, a, 1 << 16);
	sbuf_init(&c, a, 1 << 16);
	char err[700];
	CHECK(tmpl_compile(a, two, 2, "x.h", &h, &c, err, sizeof err) == -1 &&
	      strstr(err, "a second template named x"), "two templates of one name are refused");
	/* the strings for xgettext */
	struct tmpl_file one[1] = {{"w/s.tmpl", "<p>{{_ \"Hello \\\"you\\\"\"}}</p>"}};
	sbuf out;
	sbuf_init(&out, a, 1 << 16);
	CHECK(tmpl_strings(a, one, 1, &out, err, sizeof err) == 0 &&
	      strstr(sbuf_str(&out), "/* w/s.tmpl:1 */ _(\"Hello \\\"you\\\"\");"),
	      "the translatable strings come out as C for xgettext");
}

static const char *render_page(arena *a, const struct tv_t_page *v)
{
	sbuf b;
	sbuf_init(&b, a, 1 << 20);
	tmpl_t_page(&b, v);
	return sbuf_str(&b);
}

static void output(arena *a)
{
	const char *evil = "\"><script>alert(1)</script>&'";
	struct tv_t_page_rows_tags tags[] = {{.t = "<b>"}, {.t = "x&y"}};
	struct tv_t_page_rows rows[] = {
		{.name = evil, .id = 7, .tags = tags, .n_tags = 2},
		{.name = "plain", .id = -3},
	};
	struct tv_t_page v = {
		.title = evil,
		.link = "javascript:alert(1)",
		.query = "a b&c=/?#",
		.count = 12,
		.open = true,
		.chart = html_escaped(a, "<svg>"),
		.who = {.name = "email", .label = "E-mail", .value = evil, .error = "Wrong <here>"},
		.rows = rows,
		.n_rows = 2,
	};
	const char *out = render_page(a, &v);
	CHECK(strstr(out, "<h1 title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;\">"
			  "&quot;&gt;&lt;script&gt;") != NULL,
	      "text is escaped in an attribute and in element text");
	CHECK(strstr(out, "<script>") == NULL, "no script gets through anywhere");
	CHECK(strstr(out, "<a href=\"#unsafe-url\">Link</a>") != NULL, "a javascript: URL is refused");
	CHECK(strstr(out, "href=\"/search?q=a%20b%26c%3D%2F%3F%23&amp;n=12\"") != NULL,
	      "text inside a URL is percent-encoded, an int written");
	CHECK(strstr(out, ">12 results for a b&amp;c=/?#</a>") != NULL,
	      "a translation with its values, escaped");
	CHECK(strstr(out, "<p>Open</p>") && !strstr(out, "Closed") && !strstr(out, "<b>!</b>"),
	      "#if, {{else}} and #if ! choose");
	CHECK(strstr(out, "&lt;svg&gt;") != NULL, "html_escaped is HTML of escaped text");
	CHECK(strstr(out, "<label for=\"email\">E-mail</label><input id=\"email\" name=\"email\" "
			  "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;\" "
			  "aria-invalid=\"true\"><p class=\"field-error\">Wrong &lt;here&gt;</p>") != NULL,
	      "an included field with its value and error");
	CHECK(strstr(out, "<ul><li data-id=\"7\">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39; "
			  "<i>&lt;b&gt;</i> <i>x&amp;y</i></li><li data-id=\"-3\">plain</li></ul>") != NULL,
	      "nested loops, and the template's own layout whitespace gone");
	CHECK(strstr(out, "<p>two lines</p>") != NULL, "a newline inside running text is one space");
	CHECK(strstr(out, "a comment") == NULL, "a {{! comment }} is not written");

	v.rows = NULL;
	v.n_rows = 0;
	v.open = false;
	v.link = "/procedures/1?x=\"y\"";
	out = render_page(a, &v);
	CHECK(strstr(out, "<ul><li>None</li></ul>") != NULL, "an empty list shows its {{else}}");
	CHECK(strstr(out, "<p>Closed</p>") && strstr(out, "<b>!</b>"), "the other branches");
	CHECK(strstr(out, "<a href=\"/procedures/1?x=%22y%22\">") != NULL,
	      "a path is kept, its quotes encoded");
	const char *bad[] = {"//evil.example/", "JaVaScRiPt:x", "data:text/html,x", "java\tscript:x",
			     "vbscript:x", "/\\evil"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		v.link = bad[i];
		out = render_page(a, &v);
		CHECK(strstr(out, "<a href=\"#unsafe-url\">") != NULL, "an unsafe URL is refused: %s", bad[i]);
	}
	const char *good[] = {"https://www.tenderned.nl/x?a=1&amp;", "mailto:a@b.example", "#top",
			      "?page=2", "lots/3"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		v.link = good[i];
		out = render_page(a, &v);
		CHECK(strstr(out, "#unsafe-url") == NULL, "a safe URL is kept: %s", good[i]);
	}
	html_t h = tmpl_t_field_html(a, &v.who);
	CHECK(h.raw && strncmp(h.raw, "<label for=\"email\">", 19) == 0,
	      "tmpl_NAME_html gives the template's HTML as html_t");
}

int main(void)
{
	arena *a = arena_new();
	compiler(a);
	output(a);
	arena_free(a);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
