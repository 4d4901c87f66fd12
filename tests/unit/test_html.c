/*
 * test_html.c - the escaping formatter: every string escaped unless %R.
 */
#include "tap.h"
#include "web/html.h"

int main(void)
{
	arena *a = arena_new();
	sbuf b;

	sbuf_init(&b, a, 4096);
	html_f(&b, "<p title=\"%s\">%s</p>", "a\"b'c", "<script>alert(1)</script>&");
	CHECK_STR(sbuf_str(&b),
		  "<p title=\"a&quot;b&#39;c\">&lt;script&gt;alert(1)&lt;/script&gt;&amp;</p>",
		  "text and attribute values are escaped");

	sbuf_init(&b, a, 4096);
	html_f(&b, "%d|%u|%lld|%%|%R", -5, 7u, (long long)9000000000LL, "<b>raw</b>");
	CHECK_STR(sbuf_str(&b), "-5|7|9000000000|%|<b>raw</b>",
		  "numbers, percent and raw HTML");

	sbuf_init(&b, a, 4096);
	html_f(&b, "[%s]", (const char *)NULL);
	CHECK_STR(sbuf_str(&b), "[]", "NULL prints nothing");

	CHECK_STR(html_escape(a, "Tom & \"Jerry\" <3"),
		  "Tom &amp; &quot;Jerry&quot; &lt;3", "html_escape");

	sbuf_init(&b, a, 16);
	html_f(&b, "%s", "0123456789abcdefghij");
	CHECK(b.overflow && b.len < 16, "the buffer cap holds");

	sbuf_init(&b, a, 4096);
	html_f(&b, "é%sü", "ñ");
	CHECK_STR(sbuf_str(&b), "éñü", "UTF-8 passes through");

	arena_free(a);
	return tap_done();
}
