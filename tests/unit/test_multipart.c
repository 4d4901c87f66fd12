/*
 * test_multipart.c - the multipart/form-data parser and the upload form
 * (src/web/multipart.c) on bodies a browser sends, cut at every byte; the
 * corner cases the fuzzer (fuzz/fuzz_multipart.c) watches, as plain tests.
 */
#include <stdlib.h>

#include "tap.h"
#include "web/multipart.h"
#include "core/validate.h"

struct got {
	char text[4096];   /* "name|filename|ctype=" data ";" per part */
	size_t len;
	int begins, ends;
};

static void add(struct got *g, const char *s, size_t n)
{
	if (g->len + n < sizeof g->text) {
		memcpy(g->text + g->len, s, n);
		g->len += n;
		g->text[g->len] = 0;
	}
}

static bool on_event(void *ctx, enum mp_event ev, const struct mp_part *p,
		     const char *data, size_t n)
{
	struct got *g = ctx;
	if (ev == MP_PART_BEGIN) {
		g->begins++;
		add(g, p->name, strlen(p->name));
		add(g, "|", 1);
		add(g, p->filename, strlen(p->filename));
		add(g, "|", 1);
		add(g, p->content_type, strlen(p->content_type));
		add(g, "=", 1);
	} else if (ev == MP_PART_DATA) {
		add(g, data, n);
	} else {
		g->ends++;
		add(g, ";", 1);
	}
	return true;
}

/* Parses body cut at `cut` (0: whole). */
static enum mp_result parse(const char *ctype, const char *body, size_t len,
			    size_t cut, struct got *g)
{
	struct multipart m;
	memset(g, 0, sizeof *g);
	enum mp_result rc = mp_init(&m, ctype, on_event, g);
	if (rc == MP_OK && cut)
		rc = mp_feed(&m, body, cut);
	if (rc == MP_OK)
		rc = mp_feed(&m, body + cut, len - cut);
	if (rc == MP_OK)
		rc = mp_finish(&m);
	return rc;
}

#define CHROME_CT "multipart/form-data; boundary=----WebKitFormBoundaryq8Xx0YlZ3bRkR6Cd"
static const char chrome[] =
	"------WebKitFormBoundaryq8Xx0YlZ3bRkR6Cd\r\n"
	"Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	"abc123\r\n"
	"------WebKitFormBoundaryq8Xx0YlZ3bRkR6Cd\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"bod.pdf\"\r\n"
	"Content-Type: application/pdf\r\n\r\n"
	"%PDF-1.7\r\n\r\n--\r\n------WebKitFormBoundaryq8Xx0YlZ3bRkR6C\rX\r\n"
	"------WebKitFormBoundaryq8Xx0YlZ3bRkR6Cd--\r\n";
static const char chrome_parts[] =
	"csrf||=abc123;"
	"file|bod.pdf|application/pdf=%PDF-1.7\r\n\r\n--\r\n------WebKitFormBoundaryq8Xx0YlZ3bRkR6C\rX;";

static void test_cuts(void)
{
	struct got g;
	size_t len = sizeof chrome - 1;
	CHECK(parse(CHROME_CT, chrome, len, 0, &g) == MP_OK && g.begins == 2 && g.ends == 2,
	      "a browser's form with a CSRF field and a file is read");
	CHECK_STR(g.text, chrome_parts, "with its names, file name, type and exact bytes");
	int same = 0;
	for (size_t cut = 1; cut < len; cut++)
		same += parse(CHROME_CT, chrome, len, cut, &g) == MP_OK &&
			strcmp(g.text, chrome_parts) == 0;
	CHECK(same == (int)len - 1, "the same parts however the body is cut in two (%d of %zu)",
	      same, len - 1);
}

static void test_refusals(void)
{
	struct got g;
	struct multipart m;
	CHECK(mp_init(&m, "application/x-www-form-urlencoded", on_event, &g) == MP_MALFORMED,
	      "a body that is not multipart is refused");
	CHECK(mp_init(&m, "multipart/form-data", on_event, &g) == MP_MALFORMED,
	      "a Content-Type without a boundary is refused");
	CHECK(mp_init(&m, "multipart/form-data; boundary=x\x01y", on_event, &g) == MP_MALFORMED,
	      "a boundary with a control character is refused");
	char longb[120] = "multipart/form-data; boundary=";
	memset(longb + strlen(longb), 'b', 71);
	CHECK(mp_init(&m, longb, on_event, &g) == MP_MALFORMED,
	      "a boundary of 71 characters is refused (RFC 2046: at most 70)");
	static const char quoted[] =
		"--a b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--a b--";
	CHECK(parse("multipart/form-data; charset=utf-8; boundary=\"a b\"", quoted,
		    sizeof quoted - 1, 0, &g) == MP_OK && strcmp(g.text, "x||=1;") == 0,
	      "a quoted boundary with a space is read");
	size_t len = sizeof chrome - 1;
	CHECK(parse(CHROME_CT, chrome, len - 4, 0, &g) == MP_MALFORMED,
	      "a body without its closing boundary is refused");
	static const char noname[] = "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
	CHECK(parse("multipart/form-data; boundary=b", noname, sizeof noname - 1, 0, &g) == MP_MALFORMED,
	      "a part without a name is refused");
	static const char nocolon[] = "--b\r\nContent-Disposition form-data; name=\"a\"\r\n\r\nx\r\n--b--";
	CHECK(parse("multipart/form-data; boundary=b", nocolon, sizeof nocolon - 1, 0, &g) == MP_MALFORMED,
	      "a header line without a colon is refused");
	char big[MP_HEADERS_MAX + 200];
	int n = snprintf(big, sizeof big, "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	memset(big + n, 'p', MP_HEADERS_MAX);
	memcpy(big + n + MP_HEADERS_MAX, "\r\n\r\nx\r\n--b--", 12);
	CHECK(parse("multipart/form-data; boundary=b", big, (size_t)n + MP_HEADERS_MAX + 12, 0, &g) == MP_MALFORMED,
	      "a header block over %d bytes is refused", MP_HEADERS_MAX);
}

/* ---- the upload form ----------------------------------------------------- */

struct sink {
	char csrf[200], name[200];
	size_t bytes;
	int begins;
};

static bool s_begin(void *ctx, const char *csrf, const char *filename)
{
	struct sink *s = ctx;
	s->begins++;
	snprintf(s->csrf, sizeof s->csrf, "%s", csrf);
	snprintf(s->name, sizeof s->name, "%s", upload_base_name(filename));
	return true;
}

static bool s_data(void *ctx, const char *data, size_t n)
{
	(void)data;
	((struct sink *)ctx)->bytes += n;
	return true;
}

static const struct form_sink sink_fns = {s_begin, s_data};

static enum form_result form(const char *body, size_t len, struct sink *s)
{
	struct form_upload f;
	memset(s, 0, sizeof *s);
	if (form_upload_init(&f, "multipart/form-data; boundary=b", "file", &sink_fns, s) != MP_OK)
		return FORM_MALFORMED;
	form_upload_feed(&f, body, len);
	return form_upload_finish(&f);
}

static void test_form(void)
{
	struct sink s;
	static const char ok[] =
		"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\fakepath\\bod.zip\"\r\n\r\nPK\x03\x04zz\r\n--b--\r\n";
	CHECK(form(ok, sizeof ok - 1, &s) == FORM_OK && s.begins == 1 && s.bytes == 6 &&
	      strcmp(s.csrf, "tok") == 0 && strcmp(s.name, "bod.zip") == 0,
	      "the upload form gives the CSRF field, the file's base name and its bytes");
	static const char late[] =
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--b--";
	CHECK(form(late, sizeof late - 1, &s) == FORM_OK && strcmp(s.csrf, "") == 0,
	      "a CSRF field after the file is not there when the file begins");
	static const char twice[] =
		"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--b--";
	CHECK(form(twice, sizeof twice - 1, &s) == FORM_OK && strcmp(s.csrf, "") == 0,
	      "a repeated CSRF field is never valid");
	static const char two[] =
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n"
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\ny\r\n--b--";
	CHECK(form(two, sizeof two - 1, &s) == FORM_TWO_FILES && s.bytes == 1,
	      "a second file part is refused, not appended to the first");
	static const char none[] =
		"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--b--";
	CHECK(form(none, sizeof none - 1, &s) == FORM_NO_FILE, "a form without a file says so");
	CHECK_STR(file_sniff((const unsigned char *)"%PDF-1.4", 8), "application/pdf", "PDF is sniffed");
	CHECK_STR(file_sniff((const unsigned char *)"PK\x03\x04", 4), "application/zip", "ZIP is sniffed");
	CHECK_STR(file_sniff((const unsigned char *)"%PDF", 4), "application/octet-stream",
		  "a short head is octet-stream");
}

int main(void)
{
	test_cuts();
	test_refusals();
	test_form();
	return tap_done();
}
