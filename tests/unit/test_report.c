/*
 * test_report.c - the council report PDF and the budget frame XLSX
 * (src/report): the bytes are a PDF / a ZIP, the PDF's text (pdftotext)
 * holds what the council must read, a long report runs over several
 * pages, the workbook's sheet holds the SUM formulas, empty cells and the
 * categories (read back with python3's zipfile), the workbook is made
 * in memory (no file in TMPDIR, whatever it is), and bad input is
 * refused with a reason.
 * The external tools are used only here; without them those checks SKIP.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/pdfdoc.h"
#include "report/report.h"
#include "tap.h"

static void skip(const char *what, const char *why)
{
	tap_n++;
	printf("ok %d - %s # SKIP %s\n", tap_n, what, why);
}

static bool have(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Writes bytes to a fresh temporary file; its path in the arena. */
static char *to_temp(arena *a, const unsigned char *p, size_t n,
		     const char *suffix)
{
	char *path = arena_printf(a, "/tmp/kavel-test-XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return NULL;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w <= 0) {
			close(fd);
			unlink(path);
			return NULL;
		}
		off += (size_t)w;
	}
	close(fd);
	return path;
}

/* Runs of white space (no-break spaces too) as one space, so that text wrapped in a table
 * cell reads as one line. */
static char *squeeze(char *s)
{
	char *o = s;
	bool space = false;
	for (char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\f') {
			space = true;
			continue;
		}
		if (p[0] == '\xc2' && p[1] == '\xa0') {   /* no-break space */
			space = true;
			p++;
			continue;
		}
		if (space && o != s)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = 0;
	return s;
}

/* The standard output of a command, in the arena ("" on failure). */
static char *run(arena *a, const char *cmd)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return "";
	sbuf b;
	sbuf_init(&b, a, 16 << 20);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&b, buf, n);
	pclose(f);
	return (char *)sbuf_str(&b);
}

static int count(const unsigned char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	int c = 0;
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			c++;
	return c;
}

/* Pages of a cairo PDF: "/Type /Page" not followed by "s". */
static int pages(const unsigned char *p, size_t n)
{
	return count(p, n, "/Type /Page") - count(p, n, "/Type /Pages");
}

/* --- the sample report ------------------------------------------------- */

static const struct report_attention attention[] = {
    {"late", "Contractering: 12 dagen te laat", 12},
    {"condition", "Open voorwaarde, besluit 2022/53240: advies ondernemingsraad", 0},
};

static struct report_procedure procs[] = {
    {"HLM-GIDW-2022", "Gewoon in de Wijk", "SAS-procedure",
     "Beoordeling en selectie", "Gunning", "15 december 2026 12:00", 22,
     "Advies ondernemingsraad (besluit 2022/53240)", attention, 2, 11},
    {"DDR-SWT-2022", "Sociaal wijkteam Dordrecht, perceel 1 tot en met 3",
     "SAS-procedure", "Inschrijving", "", "", -1, NULL, NULL, 0, 12},
};

static struct report_contract contracts[] = {
    {"HLM-GIDW-C1", "Gewoon in de Wijk", "Stichting De Sociale Basis",
     "actief", "1 juli 2022 \xe2\x80\x93 1 januari 2030", 2026, 1234567890,
     "1 juli 2025 (na jaar 3)", 21},
    {"DDR-SWT-C2", "Wijkteam", "Stichting Wijkzorg", "gepland", "", 2025,
     -1, "", 22},
};

static struct report_kpi kpis[] = {
    {"HLM-GIDW-C1", "Bereik kwetsbare inwoners", "%", "2026-Q3", "12,5",
     "10", 1},
    {"HLM-GIDW-C1", "Doorlooptijd aanmelding", "dagen", "2026-Q3", "14",
     "10", 0},
    {"HLM-GIDW-C1", "Tevredenheid", "", "2026", "7,8", "", -1},
};

static const char *warnings[] = {
    "In 2027 is \xe2\x82\xac 120.000,00 meer verplicht dan het kader.",
};

static struct report_frame frames[] = {
    {"Beschikbare budgetten Wmo", 2025, 3,
     {900000000, 910000000, 905000000}, warnings, 1},
};

static struct risk risks[] = {
    {1, 1, 0, "Personeelstekort wijkteams",
     "Te weinig gekwalificeerde medewerkers beschikbaar in de regio.",
     "Overname personeel van de huidige aanbieders (afbouwregeling).",
     RISK_HIGH, "gedekt mits overname lukt"},
    {2, 1, 0, "Uitloop aanbesteding", "Bezwaar tegen de gunning.",
     "Opschortende termijn in acht nemen.", RISK_LOW, "open"},
};

static struct council_report sample(void)
{
	struct council_report r = {
	    .municipality = "Gemeente Haarlem",
	    .title = "Voortgang inkoop en sturing sociaal domein",
	    .date_text = "23 november 2026",
	    .intro = "Deze brief beschrijft de stand van de inkoop.",
	    .procedures = procs,
	    .n_procedures = 2,
	    .contracts = contracts,
	    .n_contracts = 2,
	    .kpis = kpis,
	    .n_kpis = 3,
	    .frames = frames,
	    .n_frames = 1,
	    .risks = risks,
	    .n_risks = 2,
	};
	return r;
}

static void test_pdf(void)
{
	arena *a = arena_new();
	struct council_report r = sample();
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	enum kv_status st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_OK, "pdf: the sample report is written (%s)", e.msg);
	CHECK(pdf && len > 1000 && memcmp(pdf, "%PDF-", 5) == 0,
	      "pdf: starts with %%PDF- (%zu bytes)", len);
	CHECK(pdf && count(pdf, len, "%%EOF") >= 1, "pdf: ends with %%%%EOF");
	CHECK(pdf && pages(pdf, len) >= 1, "pdf: has a page (%d)",
	      pdf ? pages(pdf, len) : 0);
	CHECK(pdf && count(pdf, len, "/Title") >= 1, "pdf: title metadata");

	if (!pdf || !have("pdftotext")) {
		for (int i = 0; i < 7; i++)
			skip("pdf: text checks", "pdftotext is not installed");
		arena_free(a);
		return;
	}
	char *path = to_temp(a, pdf, len, ".pdf");
	CHECK(path != NULL, "pdf: written to a temporary file");
	char *text = squeeze(run(
	    a, arena_printf(a, "pdftotext -enc UTF-8 '%s' - 2>/dev/null",
			    path ? path : "/nonexistent")));
	CHECK(strstr(text, "Gemeente Haarlem") != NULL,
	      "pdf text: the municipality");
	CHECK(strstr(text, "HLM-GIDW-2022") != NULL,
	      "pdf text: a procedure reference");
	CHECK(strstr(text, "Personeelstekort wijkteams") != NULL,
	      "pdf text: a risk title");
	CHECK(strstr(text, "Bereik kwetsbare inwoners") != NULL,
	      "pdf text: a KPI name");
	CHECK(strstr(text, "\xe2\x9c\x93") && strstr(text, "\xe2\x9c\x97"),
	      "pdf text: on-target marks \xe2\x9c\x93 and \xe2\x9c\x97");
	CHECK(strstr(text, "\xe2\x82\xac 12.345.678,90") != NULL,
	      "pdf text: a contract budget in euros");
	if (path)
		unlink(path);
	arena_free(a);
}

/* 60 procedures, a long introduction and an overlong risk description:
 * more than one page, and it still finishes. */
static void test_pdf_long(void)
{
	arena *a = arena_new();
	struct council_report r = sample();
	r.n_procedures = 60;
	r.procedures = arena_alloc(a, sizeof *r.procedures * 60);
	for (int i = 0; i < 60; i++) {
		struct report_procedure *p = &r.procedures[i];
		p->reference = arena_printf(a, "REF-%04d", i);
		p->title = arena_printf(a, "Procedure %d with a title long "
					   "enough to wrap over two lines",
					i);
		p->type_label = "SAS";
		p->current_stage = "Beoordeling en selectie";
		p->next_stage = "Gunning";
		p->next_when = "1 maart 2027";
		p->days_left = i;
		p->blocked = i % 7 ? NULL : "Advies ondernemingsraad";
		p->attention = i % 7 ? NULL : attention;
		p->n_attention = i % 7 ? 0 : 2;
	}
	sbuf intro;
	sbuf_init(&intro, a, 1 << 20);
	for (int i = 0; i < 200; i++)
		sbuf_puts(&intro, "Een lange inleiding van de brief. ");
	r.intro = sbuf_str(&intro);
	struct risk big = risks[0];
	sbuf desc;
	sbuf_init(&desc, a, 1 << 20);
	for (int i = 0; i < 2000; i++)
		sbuf_puts(&desc, "heel lang verhaal ");
	big.description = (char *)sbuf_str(&desc);
	r.risks = &big;
	r.n_risks = 1;

	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	enum kv_status st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_OK, "pdf long: written (%s)", e.msg);
	int n = pdf ? pages(pdf, len) : 0;
	CHECK(n > 1, "pdf long: paginates (%d pages)", n);
	CHECK(n < 20, "pdf long: the overlong cell is cut, not spread (%d)",
	      n);
	if (pdf && have("pdftotext")) {
		char *path = to_temp(a, pdf, len, ".pdf");
		char *text =
		    run(a, arena_printf(a, "pdftotext -enc UTF-8 '%s' - "
					   "2>/dev/null",
					path ? path : "/nonexistent"));
		CHECK(strstr(text, "REF-0000") && strstr(text, "REF-0059"),
		      "pdf long: first and last procedure are there");
		CHECK(strstr(text, "Page 2") != NULL,
		      "pdf long: page numbers");
		if (path)
			unlink(path);
	} else {
		skip("pdf long: first and last procedure", "no pdftotext");
		skip("pdf long: page numbers", "no pdftotext");
	}
	arena_free(a);
}

static void test_pdf_edges(void)
{
	arena *a = arena_new();
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};

	/* Nothing to report: every section says so. */
	struct council_report empty = {.municipality = "Gemeente Dordrecht",
				       .title = "Voortgang",
				       .date_text = "1 januari 2027"};
	enum kv_status st = report_council_pdf(a, &empty, &pdf, &len, &e);
	CHECK(st == KV_OK && pdf && memcmp(pdf, "%PDF-", 5) == 0,
	      "pdf empty: written (%s)", e.msg);
	if (st == KV_OK && have("pdftotext")) {
		char *path = to_temp(a, pdf, len, ".pdf");
		char *text =
		    run(a, arena_printf(a, "pdftotext -enc UTF-8 '%s' - "
					   "2>/dev/null",
					path ? path : "/nonexistent"));
		int nones = 0;
		for (const char *p = text; (p = strstr(p, "None.")); p++)
			nones++;
		CHECK(nones == 5, "pdf empty: five sections say None. (%d)",
		      nones);
		if (path)
			unlink(path);
	} else {
		skip("pdf empty: None.", "no pdftotext");
	}

	/* NULL strings, invalid UTF-8 and control characters are drawn,
	 * not refused. */
	struct report_procedure odd = {.reference = "X\xff\xfe-1",
				       .title = "tab\there\x01",
				       .days_left = -1};
	struct council_report r = {.municipality = NULL,
				   .title = "Bad \xc3 UTF-8",
				   .date_text = NULL,
				   .intro = NULL,
				   .procedures = &odd,
				   .n_procedures = 1};
	st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_OK, "pdf odd text: written (%s)", e.msg);

	/* Impossible lists are refused. */
	r.n_procedures = -1;
	st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_INVALID && strcmp(e.field, "procedures") == 0 &&
		  e.msg[0],
	      "pdf: a negative count is refused: %s", e.msg);
	r.n_procedures = 0;
	r.n_kpis = 2;   /* kpis NULL */
	st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_INVALID && strcmp(e.field, "kpis") == 0,
	      "pdf: a count without its list is refused: %s", e.msg);
	r.n_kpis = 0;
	struct report_frame bad = {.title = "x", .n_years = 13};
	r.frames = &bad;
	r.n_frames = 1;
	st = report_council_pdf(a, &r, &pdf, &len, &e);
	CHECK(st == KV_INVALID, "pdf: a frame of 13 years is refused: %s",
	      e.msg);
	st = report_council_pdf(a, NULL, &pdf, &len, &e);
	CHECK(st == KV_INVALID, "pdf: no report is refused: %s", e.msg);
	arena_free(a);
}

/* The server renders on its worker threads: two at once, each with its
 * own arena (pango keeps a font map per thread). */
static void *render(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 3; i++) {
		arena *a = arena_new();
		struct council_report r = sample();
		unsigned char *pdf = NULL;
		size_t len = 0;
		struct kv_error e = {0};
		if (report_council_pdf(a, &r, &pdf, &len, &e) == KV_OK &&
		    memcmp(pdf, "%PDF-", 5) == 0)
			(*ok)++;
		arena_free(a);
	}
	return NULL;
}

static void test_pdf_threads(void)
{
	pthread_t t[2];
	int ok[2] = {0, 0};
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, render, &ok[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK(ok[0] == 3 && ok[1] == 3,
	      "pdf: written on two threads at once (%d, %d)", ok[0], ok[1]);
}

/* --- the budget frame workbook ----------------------------------------- */

static struct budget_frame frame(arena *a)
{
	struct budget_frame f = {.title = "Beschikbare budgetten Wmo",
				 .first_year = 2022,
				 .n_years = 4,
				 .n_rows = 3,
				 .source = "Collegebesluit 2021/34505"};
	f.rows = arena_alloc(a, sizeof *f.rows * 3);
	f.rows[0].category = "Huishoudelijke hulp";
	f.rows[1].category = "Begeleiding & dagbesteding <groep>";
	f.rows[2].category = "Taakstelling inkoop";
	f.rows[2].taakstelling = true;
	for (int y = 0; y < 4; y++) {
		f.rows[0].cents[y] = 150000000 + y * 1000000;
		f.rows[0].has[y] = true;
		f.rows[1].cents[y] = 80000050;
		f.rows[1].has[y] = y != 2;   /* D5 stays empty */
		f.rows[2].cents[y] = -5000000 * y;
		f.rows[2].has[y] = y > 0;
	}
	return f;
}

/* A member of the zip at path, via python3's zipfile. */
static char *unzip(arena *a, const char *path, const char *member)
{
	return run(a, arena_printf(
			  a,
			  "python3 -c 'import sys,zipfile; "
			  "sys.stdout.write(zipfile.ZipFile(sys.argv[1])"
			  ".read(sys.argv[2]).decode())' '%s' '%s' "
			  "2>/dev/null",
			  path, member));
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_xlsx(void)
{
	arena *a = arena_new();
	struct budget_frame f = frame(a);
	unsigned char *x = NULL;
	size_t len = 0;
	struct kv_error e = {0};

	/* A private TMPDIR, to see that nothing is left behind. */
	char tmpl[] = "/tmp/kavel-xlsx-test-XXXXXX";
	char *dir = mkdtemp(tmpl);
	const char *old = getenv("TMPDIR");
	char *saved = old ? arena_strdup(a, old) : NULL;
	if (dir)
		setenv("TMPDIR", dir, 1);
	enum kv_status st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_OK, "xlsx: written (%s)", e.msg);
	CHECK(x && len > 100 && memcmp(x, "PK", 2) == 0,
	      "xlsx: starts with PK (%zu bytes)", len);
	CHECK(dir && dir_entries(dir) == 0,
	      "xlsx: no temporary file is left in TMPDIR (%d)",
	      dir ? dir_entries(dir) : -1);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	if (dir)
		rmdir(dir);

	bool py = have("python3");
	if (x && py) {
		char *path = to_temp(a, x, len, ".xlsx");
		char *sheet = unzip(a, path, "xl/worksheets/sheet1.xml");
		char *strings = unzip(a, path, "xl/sharedStrings.xml");
		char *book = unzip(a, path, "xl/workbook.xml");
		char *styles = unzip(a, path, "xl/styles.xml");
		CHECK(strstr(sheet, "<f>SUM(B4:B6)</f>") &&
			  strstr(sheet, "<f>SUM(E4:E6)</f>"),
		      "xlsx: totals are SUM formulas per year");
		/* 2023: 1510000.00 + 800000.50 - 50000.00 */
		CHECK(strstr(sheet, "<v>2260000.5</v>") != NULL,
		      "xlsx: the formula carries the computed total");
		CHECK(strstr(sheet, "r=\"D5\"") == NULL &&
			  strstr(sheet, "r=\"C5\""),
		      "xlsx: an empty cell where the frame has none");
		CHECK(strstr(sheet, "<v>1500000</v>") != NULL,
		      "xlsx: amounts are numbers in euros");
		/* libxlsxwriter keeps strings in the shared-strings part; the
		 * sheet refers to them by index. */
		CHECK(strstr(strings, "Huishoudelijke hulp") &&
			  strstr(strings, "Begeleiding &amp; dagbesteding "
					  "&lt;groep&gt;"),
		      "xlsx: category names (escaped)");
		CHECK(strstr(strings, "Category") && strstr(strings, "Total"),
		      "xlsx: header and totals labels");
		CHECK(strstr(book, "name=\"Beschikbare budgetten Wmo\"") !=
			  NULL,
		      "xlsx: the sheet is named after the frame");
		CHECK(strstr(styles, "\xe2\x82\xac") && strstr(styles, "<i/>"),
		      "xlsx: a euro number format and italics");
		unlink(path);
	} else {
		for (int i = 0; i < 8; i++)
			skip("xlsx: content checks", "python3 is not installed");
	}

	/* A title Excel would refuse as a sheet name is cleaned. */
	f.title = "Wmo [2022/2025]: *alles*? \\ en een titel die te lang is";
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_OK, "xlsx: an awkward title is accepted (%s)", e.msg);
	if (st == KV_OK && py) {
		char *path = to_temp(a, x, len, ".xlsx");
		char *book = unzip(a, path, "xl/workbook.xml");
		char *n = strstr(book, "<sheet name=\"");
		char name[200] = "";
		if (n)
			sscanf(n + 13, "%199[^\"]", name);
		CHECK(name[0] && strlen(name) <= 31 &&
			  !strpbrk(name, "[]:*?/\\"),
		      "xlsx: the sheet name is cleaned: \"%s\"", name);
		unlink(path);
	} else {
		skip("xlsx: the sheet name is cleaned",
		     "not written or python3 is not installed");
	}
	arena_free(a);
}

static void test_xlsx_errors(void)
{
	arena *a = arena_new();
	struct budget_frame f = frame(a);
	unsigned char *x = NULL;
	size_t len = 0;
	struct kv_error e = {0};

	f.n_years = 0;
	enum kv_status st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_INVALID && e.msg[0] && x == NULL,
	      "xlsx: a frame of 0 years is refused: %s", e.msg);
	f.n_years = FRAME_MAX_YEARS + 1;
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_INVALID, "xlsx: a frame of 13 years is refused: %s",
	      e.msg);
	f.n_years = 4;
	f.n_rows = -1;
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_INVALID, "xlsx: negative rows are refused: %s", e.msg);
	f.n_rows = 3;
	st = report_frame_xlsx(a, NULL, &x, &len, &e);
	CHECK(st == KV_INVALID, "xlsx: no frame is refused: %s", e.msg);

	/* No rows at all: still a workbook, totals 0. */
	f.n_rows = 0;
	kv_error_clear(&e);
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_OK, "xlsx: a frame without rows is written (%s)",
	      e.msg);
	f.n_rows = 3;

	/* The workbook is made in memory: a TMPDIR that is a file or does
	 * not exist changes nothing, and the workbook is still whole. */
	const char *old = getenv("TMPDIR");
	char *saved = old ? arena_strdup(a, old) : NULL;
	setenv("TMPDIR", "/dev/null", 1);
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_OK && len > 4 && memcmp(x, "PK\x03\x04", 4) == 0,
	      "xlsx: a TMPDIR that is a file does not matter: %s", e.msg);
	setenv("TMPDIR", "/nonexistent/kavel", 1);
	st = report_frame_xlsx(a, &f, &x, &len, &e);
	CHECK(st == KV_OK && len > 4 && memcmp(x, "PK\x03\x04", 4) == 0,
	      "xlsx: a missing TMPDIR does not matter: %s", e.msg);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	arena_free(a);
}

/* A nota van inlichtingen: a PDF that holds its questions and answers
 * (several lines each), a long one runs over pages, bad counts refused. */
static void test_nota(void)
{
	arena *a = arena_new();
	struct nota_item items[2] = {
		{"Algemeen", "Mag een consortium\nonderaannemers inzetten?",
		 "Ja, mits zij in het consortium\nzijn genoemd."},
		{"Perceel 2: Jongerenwerk", "Is de begroting een plafond?",
		 "Ja, een vast plafond."},
	};
	struct nota_doc n = {.municipality = "Gemeente Dordrecht",
			     .reference = "DOR-QA-1", .title = "Vragen-test",
			     .number = 3, .published_text = "2026-11-23 12:00:00 CET",
			     .items = items, .n_items = 2};
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	CHECK(report_nota_pdf(a, &n, &pdf, &len, &e) == KV_OK && pdf &&
	      memcmp(pdf, "%PDF-", 5) == 0, "nota: a PDF (%s)", e.msg);
	if (pdf && have("pdftotext")) {
		char *path = to_temp(a, pdf, len, ".pdf");
		char *text = squeeze(run(
		    a, arena_printf(a, "pdftotext -enc UTF-8 '%s' - 2>/dev/null",
				    path ? path : "/nonexistent")));
		CHECK(strstr(text, "Nota van inlichtingen 3") &&
		      strstr(text, "DOR-QA-1") &&
		      strstr(text, "onderaannemers inzetten?") &&
		      strstr(text, "Ja, een vast plafond.") &&
		      strstr(text, "Perceel 2: Jongerenwerk"),
		      "nota text: number, procedure, questions and answers");
		if (path)
			unlink(path);
	} else {
		skip("nota text", "pdftotext is not installed");
	}
	/* Long: 80 questions run over several pages. */
	struct nota_item *many = arena_alloc(a, 80 * sizeof *many);
	for (int i = 0; i < 80; i++)
		many[i] = (struct nota_item){"Algemeen",
			arena_printf(a, "Vraag %d: hoe lang mag een antwoord zijn?", i + 1),
			"Een antwoord van een paar regels.\nTweede regel.\nDerde regel."};
	n.items = many;
	n.n_items = 80;
	pdf = NULL;
	CHECK(report_nota_pdf(a, &n, &pdf, &len, &e) == KV_OK && pdf &&
	      pages(pdf, len) > 3, "nota: 80 questions on %d pages",
	      pdf ? pages(pdf, len) : 0);
	n.items = NULL;
	n.n_items = 2;
	CHECK(report_nota_pdf(a, &n, &pdf, &len, &e) == KV_INVALID,
	      "nota: a missing list of questions is refused");
	n.n_items = 0;
	CHECK(report_nota_pdf(a, &n, &pdf, &len, &e) == KV_OK,
	      "nota: an empty nota is still a PDF");
	arena_free(a);
}

/* --- the award of one lot ------------------------------------------------ */

/* Three bids: the intended winner, a loser and an invalid one.  Every
 * bid's texts carry its own marker (WIN, LOS, INV) so that a letter can be
 * searched for texts of a bid it must not show. */
static struct award_doc_criterion award_crits[] = {
	{"quality", "Kwaliteit", 0, 6000, 6000, false, false, ""},
	{"plan", "Plan van aanpak", 1, 6000, 3600, true, false,
	 "0 % - ontbreekt\n60 % - voldoende\n80 % - goed RUBRICPLAN"},
	{"team", "Samenwerking in de wijk", 1, 4000, 2400, true, true,
	 "0 % - ontbreekt\n60 % - voldoende\n80 % - goed RUBRICTEAM"},
};

static struct award_doc_score win_scores[] = {
	{"", 720000, ""},
	{"80 % - goed", 800000,
	 "WINMOTPLAN het plan is concreet en toetsbaar uitgewerkt."},
	{"60 % - voldoende", 600000,
	 "WINMOTTEAM de samenwerking is voldoende beschreven."},
};
static struct award_doc_score los_scores[] = {
	{"", 680000, ""},
	{"60 % - voldoende", 600000,
	 "LOSMOTPLAN het plan blijft op onderdelen algemeen."},
	{"80 % - goed", 800000,
	 "LOSMOTTEAM de samenwerking met huisartsen is sterk."},
};
static struct award_doc_score inv_scores[] = {
	{"", 500000, ""},
	{"60 % - voldoende", 600000, "INVMOTPLAN geheim van de derde."},
	{"0 % - ontbreekt", 0, "INVMOTTEAM geheim van de derde."},
};

static struct award_doc_individual award_indiv[] = {
	{"Beoordelaar Jansen", 1, 1, "60 % - voldoende", "INDMOTJANSEN vrij algemeen."},
	{"Beoordelaar Pietersen", 0, 1, "80 % - goed", "INDMOTPIETERSEN concreet."},
	{"Beoordelaar Jansen", 0, 1, "80 % - goed", "INDMOTJANSENWIN sterk plan."},
};

static struct award_doc_sensitivity award_sens[] = {
	{"Plan van aanpak", 3600, "SENSUP even +15 points: still the same winner.",
	 "SENSDOWN at -12 points Zorggroep Oost BV wins."},
	{"Price", 4000, "SENSUP2 no change.", "SENSDOWN2 no change."},
};

static const char *award_rev[] = {
	"REVERSAL without Zorggroep Oost BV the winner stays the same.",
};

static struct award_doc award_sample(struct award_doc_bid *bids)
{
	bids[0] = (struct award_doc_bid){
	    .name = "Stichting Welzijn Noord", .valid = true,
	    .invalid_reason = "", .rank = 1, .has_price = true,
	    .price_cents = 120000000, .quality_ppm = 720000,
	    .price_ppm = 950000, .total_ppm = 812500,
	    .result = "total 81.25 points", .scores = win_scores};
	bids[1] = (struct award_doc_bid){
	    .name = "Zorggroep Oost BV", .valid = true, .invalid_reason = "",
	    .rank = 2, .has_price = true, .price_cents = 126543210,
	    .quality_ppm = 680000, .price_ppm = 900000, .total_ppm = 770000,
	    .result = "total 77.00 points", .scores = los_scores};
	bids[2] = (struct award_doc_bid){
	    .name = "Buurtwerk Zuid Coöperatie", .valid = false,
	    .invalid_reason = "INVREASON the price exceeds the budget.",
	    .rank = 0, .has_price = true, .price_cents = 98765432,
	    .result = "", .scores = inv_scores};
	return (struct award_doc){
	    .municipality = "Gemeente Dordrecht",
	    .reference = "DOR-AWD-2026", .procedure_title = "Welzijn 2027",
	    .lot_number = 2, .lot_title = "Jongerenwerk",
	    .decision_number = 1, .method = "Best price-quality ratio",
	    .formula = "FORMULA Total score = 40% x price points + 60% x "
		       "quality score.",
	    .tie_rule = "TIERULE the higher quality score wins.",
	    .criteria = award_crits, .n_criteria = 3, .bids = bids,
	    .n_bids = 3, .winner = 0,
	    .winner_summary = "WINSUMMARY a youth work plan with street "
			      "coaches in every district.",
	    .individual = award_indiv, .n_individual = 3,
	    .sent_at = "2026-11-23 14:00",
	    .standstill_end = "STANDSTILLEND 14 december 2026, 23:59",
	    .standstill_rule = "STANDSTILLRULE 20 days after sending (art. "
			       "2.127 Aw 2012).",
	    .objection = "OBJECTION by summary proceedings before the end "
			 "of the standstill period.",
	    .corrected_reason = "",
	    .sensitivity = award_sens, .n_sensitivity = 2,
	    .reversal = award_rev, .n_reversal = 1,
	    .monte_carlo = "MONTECARLO the winner stays first in 97.2 % of "
			   "10000 draws (95 % interval 96.9-97.5 %)."};
}

/* A PDF's text through pdftotext, white space squeezed; NULL without the
 * tool. */
static char *pdf_text(arena *a, const unsigned char *pdf, size_t len)
{
	if (!pdf || !have("pdftotext"))
		return NULL;
	char *path = to_temp(a, pdf, len, ".pdf");
	if (!path)
		return "";
	char *text = squeeze(run(
	    a, arena_printf(a, "pdftotext -enc UTF-8 '%s' - 2>/dev/null",
			    path)));
	unlink(path);
	return text;
}

/* Whether all the needles are in text; the first one missing in *miss. */
static bool has_all(const char *text, const char *const *needles,
		    const char **miss)
{
	for (int i = 0; needles[i]; i++)
		if (!strstr(text, needles[i])) {
			*miss = needles[i];
			return false;
		}
	*miss = "";
	return true;
}

/* Whether none of the needles is in text; the first one present in *hit. */
static bool has_none(const char *text, const char *const *needles,
		     const char **hit)
{
	for (int i = 0; needles[i]; i++)
		if (strstr(text, needles[i])) {
			*hit = needles[i];
			return false;
		}
	*hit = "";
	return true;
}

static void test_award_letters(void)
{
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	unsigned char *pdf[3] = {0};
	size_t len[3] = {0};
	for (int b = 0; b < 3; b++) {
		struct kv_error e = {0};
		enum kv_status st =
		    report_award_letter_pdf(a, &d, b, &pdf[b], &len[b], &e);
		CHECK(st == KV_OK && pdf[b] && len[b] > 1000 &&
			  memcmp(pdf[b], "%PDF-", 5) == 0,
		      "award letter %d: a PDF (%zu bytes) %s", b, len[b], e.msg);
	}
	if (!have("pdftotext")) {
		for (int i = 0; i < 9; i++)
			skip("award letters: text checks",
			     "pdftotext is not installed");
		arena_free(a);
		return;
	}
	const char *t_win = pdf_text(a, pdf[0], len[0]);
	const char *t_los = pdf_text(a, pdf[1], len[1]);
	const char *t_inv = pdf_text(a, pdf[2], len[2]);
	if (!t_win)
		t_win = "";
	if (!t_los)
		t_los = "";
	if (!t_inv)
		t_inv = "";
	const char *m;

	/* The loser's letter: its own and the winner's figures and
	 * motivations, the winner's advantages, the standstill, the
	 * objection. */
	const char *los_has[] = {
	    "Zorggroep Oost BV", "Stichting Welzijn Noord", "DOR-AWD-2026",
	    "Lot 2: Jongerenwerk", "Gemeente Dordrecht",
	    "LOSMOTPLAN het plan blijft op onderdelen algemeen.",
	    "LOSMOTTEAM", "WINMOTPLAN het plan is concreet en toetsbaar "
	    "uitgewerkt.", "WINMOTTEAM", "60,00 %", "80,00 %",
	    "72,00 %", "68,00 %", "\xe2\x82\xac 1.265.432,10",
	    "\xe2\x82\xac 1.200.000,00", "total 81.25 points",
	    "total 77.00 points", "WINSUMMARY a youth work plan",
	    "STANDSTILLEND 14 december 2026, 23:59", "STANDSTILLRULE",
	    "OBJECTION by summary proceedings", "FORMULA Total score",
	    "ranks 2", "knock-out", NULL};
	CHECK(has_all(t_los, los_has, &m),
	      "award letter (loser): has its own and the winner's scores, "
	      "motivations, prices, standstill and objection; missing: %s", m);
	const char *los_not[] = {"Buurtwerk", "INVMOT", "INVREASON",
				 "987.654,32", "INDMOT", "SENSUP", "REVERSAL",
				 "MONTECARLO", "RUBRICPLAN", NULL};
	CHECK(has_none(t_los, los_not, &m),
	      "award letter (loser): nothing of the third bid or the file; "
	      "found: %s", m);
	/* The relative advantages: the plan (winner 80 > 60) is listed with
	 * the winner's motivation after the heading; the team criterion
	 * (60 < 80) is not listed there. */
	const char *adv = strstr(t_los, "Characteristics and relative "
					"advantages of the winning bid");
	const char *adv_end = adv ? strstr(adv, "Standstill period") : NULL;
	char *advs = adv && adv_end ? arena_strndup(a, adv, (size_t)(adv_end - adv)) : "";
	CHECK(strstr(advs, "Plan van aanpak: 80,00 % against your 60,00 %") &&
		  strstr(advs, "WINMOTPLAN") && !strstr(advs, "WINMOTTEAM") &&
		  strstr(advs, "Kwaliteit: 72,00 % against your 68,00 %") &&
		  strstr(advs, "WINSUMMARY"),
	      "award letter (loser): the winner's advantages, criterion by "
	      "criterion");
	CHECK(strstr(t_los, "We intend to award the contract for Lot 2: "
			    "Jongerenwerk to Stichting Welzijn Noord") != NULL,
	      "award letter (loser): names the intended winner");

	/* The winner's letter. */
	const char *win_has[] = {"Stichting Welzijn Noord",
				 "You are the intended winner",
				 "becomes definitive only after the "
				 "standstill period",
				 "STANDSTILLEND", "OBJECTION", "WINMOTPLAN",
				 NULL};
	CHECK(has_all(t_win, win_has, &m),
	      "award letter (winner): intended winner, definitive after the "
	      "standstill; missing: %s", m);
	const char *win_not[] = {"Zorggroep", "Buurtwerk", "LOSMOT", "INVMOT",
				 "1.265.432,10", "987.654,32", NULL};
	CHECK(has_none(t_win, win_not, &m),
	      "award letter (winner): no other bidder; found: %s", m);

	/* The invalid bid's letter. */
	const char *inv_has[] = {"Buurtwerk Zuid Co\xc3\xb6peratie",
				 "INVREASON the price exceeds the budget.",
				 "Stichting Welzijn Noord", "WINMOTPLAN",
				 "STANDSTILLEND", "OBJECTION", NULL};
	CHECK(has_all(t_inv, inv_has, &m),
	      "award letter (invalid): its reason and the winner; missing: %s",
	      m);
	const char *inv_not[] = {"Zorggroep", "LOSMOT", "1.265.432,10", NULL};
	CHECK(has_none(t_inv, inv_not, &m),
	      "award letter (invalid): not the other loser; found: %s", m);
	CHECK(strstr(t_win, "replaces the earlier") == NULL,
	      "award letter: no correction unless there is one");

	/* A corrected decision says so, with its reason. */
	d.decision_number = 2;
	d.corrected_reason = "CORRECTION a calculation error in the price "
			     "points.";
	unsigned char *p2 = NULL;
	size_t l2 = 0;
	struct kv_error e = {0};
	CHECK(report_award_letter_pdf(a, &d, 1, &p2, &l2, &e) == KV_OK,
	      "award letter (corrected): written %s", e.msg);
	const char *t2 = p2 ? pdf_text(a, p2, l2) : "";
	CHECK(t2 && strstr(t2, "replaces the earlier award decision") &&
		  strstr(t2, "CORRECTION a calculation error") &&
		  strstr(t2, "Corrected award decision"),
	      "award letter (corrected): replaces the earlier decision, with "
	      "the reason");
	arena_free(a);
}

static void test_award_file(void)
{
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	enum kv_status st = report_award_file_pdf(a, &d, &pdf, &len, &e);
	CHECK(st == KV_OK && pdf && memcmp(pdf, "%PDF-", 5) == 0,
	      "award file: a PDF (%zu bytes) %s", len, e.msg);
	int np = pdf ? pages(pdf, len) : 0;
	CHECK(np >= 4, "award file: several pages (%d)", np);
	char *t = pdf ? pdf_text(a, pdf, len) : NULL;
	if (!t) {
		skip("award file: text", "pdftotext is not installed");
		skip("award file: running header", "pdftotext is not installed");
		arena_free(a);
		return;
	}
	const char *m;
	const char *want[] = {
	    "Award file", "Gemeente Dordrecht", "DOR-AWD-2026", "Welzijn 2027",
	    "Lot 2: Jongerenwerk", "Best price-quality ratio",
	    "FORMULA Total score", "TIERULE", "Kwaliteit", "Plan van aanpak",
	    "Samenwerking in de wijk", "36 %", "24 %", "RUBRICPLAN",
	    "RUBRICTEAM", "Stichting Welzijn Noord", "Zorggroep Oost BV",
	    "Buurtwerk Zuid Co\xc3\xb6peratie", "\xe2\x82\xac 987.654,32",
	    "\xe2\x82\xac 1.265.432,10", "total 81.25 points", "WINMOTPLAN",
	    "WINMOTTEAM", "LOSMOTPLAN", "LOSMOTTEAM", "INVMOTPLAN",
	    "INVREASON", "Beoordelaar Jansen", "Beoordelaar Pietersen",
	    "INDMOTJANSEN vrij algemeen.", "INDMOTPIETERSEN", "INDMOTJANSENWIN",
	    "SENSUP even +15 points", "SENSDOWN at -12 points", "SENSDOWN2",
	    "REVERSAL without", "MONTECARLO the winner stays first",
	    "WINSUMMARY", "STANDSTILLEND", "STANDSTILLRULE", "OBJECTION",
	    "Letter to Stichting Welzijn Noord", "Letter to Zorggroep Oost BV",
	    "Letter to Buurtwerk Zuid Co\xc3\xb6peratie",
	    "You are the intended winner", NULL};
	CHECK(has_all(t, want, &m), "award file: everything; missing: %s", m);
	/* The running header from page 2: "Award file · reference · lot". */
	int hdr = 0;
	for (const char *p = t; (p = strstr(p, "Award file \xc2\xb7 DOR-AWD-2026"));
	     p++)
		hdr++;
	CHECK(hdr >= np - 1, "award file: a running header on pages 2..%d "
	      "(%d found)", np, hdr);
	arena_free(a);
}

static void test_award_xlsx(void)
{
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	unsigned char *x = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	char tmpl[] = "/tmp/kavel-award-test-XXXXXX";
	char *dir = mkdtemp(tmpl);
	const char *old = getenv("TMPDIR");
	char *saved = old ? arena_strdup(a, old) : NULL;
	if (dir)
		setenv("TMPDIR", dir, 1);
	enum kv_status st = report_award_xlsx(a, &d, &x, &len, &e);
	CHECK(st == KV_OK && x && len > 100 && memcmp(x, "PK", 2) == 0,
	      "award xlsx: a zip (%zu bytes) %s", len, e.msg);
	CHECK(dir && dir_entries(dir) == 0,
	      "award xlsx: no temporary file left (%d)",
	      dir ? dir_entries(dir) : -1);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	if (dir)
		rmdir(dir);
	if (!x || !have("python3")) {
		for (int i = 0; i < 6; i++)
			skip("award xlsx: content", "python3 or the file missing");
		arena_free(a);
		return;
	}
	char *path = to_temp(a, x, len, ".xlsx");
	char *book = unzip(a, path, "xl/workbook.xml");
	char *strings = unzip(a, path, "xl/sharedStrings.xml");
	char *s1 = unzip(a, path, "xl/worksheets/sheet1.xml");
	char *s2 = unzip(a, path, "xl/worksheets/sheet2.xml");
	char *s3 = unzip(a, path, "xl/worksheets/sheet3.xml");
	char *comments = unzip(a, path, "xl/comments1.xml");
	char *styles = unzip(a, path, "xl/styles.xml");
	char *b1 = strstr(book, "name=\"Consensus\"");
	char *b2 = strstr(book, "name=\"Individual\"");
	char *b3 = strstr(book, "name=\"Ranking\"");
	CHECK(b1 && b2 && b3 && b1 < b2 && b2 < b3,
	      "award xlsx: sheets Consensus, Individual, Ranking");
	CHECK(strstr(strings, "Stichting Welzijn Noord") &&
		  strstr(strings, "Zorggroep Oost BV") &&
		  strstr(strings, "INDMOTPIETERSEN concreet.") &&
		  strstr(strings, "INVREASON") &&
		  strstr(strings, "Beoordelaar Jansen"),
	      "award xlsx: names, individual motivations, reasons");
	CHECK(strstr(comments, "WINMOTPLAN") && strstr(comments, "LOSMOTTEAM"),
	      "award xlsx: consensus motivations as comments");
	/* Scores and weights as fractions under a percent format, prices in
	 * euros as numbers. */
	CHECK(strstr(s1, "<v>0.8</v>") && strstr(s1, "<v>0.36</v>") &&
		  strstr(styles, "0.00%"),
	      "award xlsx: scores and weights are numbers");
	CHECK(strstr(s3, "<v>1265432.1</v>") && strstr(s3, "<v>0.8125</v>") &&
		  strstr(s3, "<v>2</v>") && strstr(styles, "\xe2\x82\xac"),
	      "award xlsx: ranking with prices and totals as numbers");
	CHECK(strstr(s1, "<pane") && strstr(s2, "<pane") && strstr(s3, "<pane") &&
		  strstr(s2, "<autoFilter"),
	      "award xlsx: frozen header rows, a filter on the scores");
	unlink(path);
	arena_free(a);
}

/* Motivations of several pages with characters pango and XML must not
 * take raw: <>&, invalid UTF-8, control characters, a word longer than a
 * line. */
static void test_award_hostile(void)
{
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	sbuf b;
	sbuf_init(&b, a, 1 << 20);
	for (int i = 0; i < 300; i++)
		sbuf_printf(&b, "Zin %d: <b>vet</b> & \"quotes\" \x01\x1b\t\r"
				"\xff\xfe\xc3 ongeldig; ", i);
	for (int i = 0; i < 600; i++)
		sbuf_puts(&b, "x");
	sbuf_puts(&b, "\nENDOFLONG");
	const char *hostile = sbuf_str(&b);
	struct award_doc_score scores[3];
	memcpy(scores, los_scores, sizeof scores);
	for (int i = 0; i < 3; i++)
		scores[i].motivation = hostile;
	scores[1].step = "<60 %> & \x02 voldoende\xff";
	bids[1].scores = scores;
	bids[1].name = "Zorg & Co <BV>\x07\xfe";
	d.winner_summary = hostile;
	d.objection = "OBJECTION \x01 <a href=x>&amp;</a>";
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	enum kv_status st = report_award_letter_pdf(a, &d, 1, &pdf, &len, &e);
	int np = st == KV_OK ? pages(pdf, len) : 0;
	CHECK(st == KV_OK && np >= 4,
	      "award hostile: the letter renders (%d pages) %s", np, e.msg);
	char *t = st == KV_OK ? pdf_text(a, pdf, len) : NULL;
	if (t)
		CHECK(strstr(t, "Zin 299: <b>vet</b> & \"quotes\"") &&
			  strstr(t, "ENDOFLONG") && strstr(t, "Zorg & Co <BV>") &&
			  strstr(t, "OBJECTION") && strstr(t, "<a href=x>&amp;</a>"),
		      "award hostile: the text is there, literally, to the end");
	else
		skip("award hostile: text", "pdftotext is not installed");
	st = report_award_file_pdf(a, &d, &pdf, &len, &e);
	CHECK(st == KV_OK && pages(pdf, len) > np,
	      "award hostile: the file renders %s", e.msg);
	unsigned char *x = NULL;
	st = report_award_xlsx(a, &d, &x, &len, &e);
	CHECK(st == KV_OK && x && memcmp(x, "PK", 2) == 0,
	      "award hostile: the matrix is written %s", e.msg);
	if (st == KV_OK && have("python3")) {
		char *path = to_temp(a, x, len, ".xlsx");
		char *ok = run(a, arena_printf(
				      a,
				      "python3 -c 'import sys,zipfile; "
				      "import xml.dom.minidom as m; "
				      "z=zipfile.ZipFile(sys.argv[1]); "
				      "[m.parseString(z.read(n)) for n in "
				      "z.namelist() if n.endswith(\".xml\")]; "
				      "print(\"parsed\")' '%s' 2>&1",
				      path));
		CHECK(strstr(ok, "parsed") != NULL,
		      "award hostile: every XML part of the matrix parses: %s",
		      ok);
		unlink(path);
	} else {
		skip("award hostile: XML parses", "python3 is not installed");
	}
	arena_free(a);
}

/* English readers get English figures. */
static void test_award_english(void)
{
	locale_t l = newlocale(LC_ALL_MASK, "en_US.UTF-8", (locale_t)0);
	if (!l || !have("pdftotext")) {
		skip("award english: figures", "no en_US.UTF-8 or pdftotext");
		if (l)
			freelocale(l);
		return;
	}
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	uselocale(l);
	enum kv_status st = report_award_letter_pdf(a, &d, 1, &pdf, &len, &e);
	uselocale(LC_GLOBAL_LOCALE);
	freelocale(l);
	char *t = st == KV_OK ? pdf_text(a, pdf, len) : "";
	CHECK(t && strstr(t, "\xe2\x82\xac 1,265,432.10") &&
		  strstr(t, "72.00 %"),
	      "award english: \xe2\x82\xac 1,265,432.10 and 72.00 %%");
	arena_free(a);
}

/* Bad input is refused with a reason, before anything is drawn. */
static void test_award_errors(void)
{
	arena *a = arena_new();
	struct award_doc_bid bids[3];
	struct award_doc d = award_sample(bids);
	unsigned char *p = NULL;
	size_t len = 0;
	struct kv_error e = {0};
	CHECK(report_award_letter_pdf(a, &d, 3, &p, &len, &e) == KV_INVALID &&
		  p == NULL && e.msg[0],
	      "award errors: a letter to bid 4 of 3: %s", e.msg);
	CHECK(report_award_letter_pdf(a, &d, -1, &p, &len, &e) == KV_INVALID,
	      "award errors: a letter to bid -1");
	d.winner = 2;
	CHECK(report_award_file_pdf(a, &d, &p, &len, &e) == KV_INVALID,
	      "award errors: an invalid bid as winner: %s", e.msg);
	d.winner = 0;
	struct award_doc_individual bad = {"X", 1, 7, "", ""};
	d.individual = &bad;
	d.n_individual = 1;
	CHECK(report_award_xlsx(a, &d, &p, &len, &e) == KV_INVALID,
	      "award errors: an individual score of criterion 8 of 3: %s",
	      e.msg);
	d = award_sample(bids);
	bids[1].scores = NULL;
	CHECK(report_award_letter_pdf(a, &d, 1, &p, &len, &e) == KV_INVALID,
	      "award errors: a valid bid without scores: %s", e.msg);
	CHECK(report_award_file_pdf(a, NULL, &p, &len, &e) == KV_INVALID,
	      "award errors: no document");
	/* No winner (first place put to the buyer): still letters. */
	d = award_sample(bids);
	d.winner = -1;
	kv_error_clear(&e);
	CHECK(report_award_letter_pdf(a, &d, 1, &p, &len, &e) == KV_OK,
	      "award errors: without a winner a letter is still written %s",
	      e.msg);
	arena_free(a);
}

/* cairo, pango and fontconfig keep process-wide caches; release them so
 * that LeakSanitizer reports only leaks of our own. */
static void teardown(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	void (*fc_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
	if (fc_fini)
		fc_fini();
}

/* A page break keeps the colour the caller draws in: a blue heading
 * broken onto the next page stays blue. */
static void test_page_colour(void)
{
	arena *a = arena_new();
	struct pdfdoc d;
	sbuf out;
	struct kv_error e;
	unsigned char *pdf;
	size_t len;
	CHECK(pdf_begin(&d, a, &out, 1 << 20, "t", "m", &e) == KV_OK, "a PDF begins");
	pdf_new_page(&d);
	cairo_set_source_rgb(d.cr, 0.10, 0.22, 0.38);
	pdf_new_page(&d);
	double r = 0, g = 0, b = 0, al = 0;
	cairo_pattern_get_rgba(cairo_get_source(d.cr), &r, &g, &b, &al);
	CHECK(r > 0.09 && r < 0.11 && g > 0.21 && g < 0.23 && b > 0.37 && b < 0.39,
	      "the colour carries on over a page break (%.2f %.2f %.2f)", r, g, b);
	CHECK(pdf_end(&d, &pdf, &len, &e) == KV_OK && d.page == 2, "and the PDF ends");
	arena_free(a);
}

int main(void)
{
	test_page_colour();
	test_pdf();
	test_pdf_long();
	test_pdf_edges();
	test_pdf_threads();
	test_nota();
	test_xlsx();
	test_xlsx_errors();
	test_award_letters();
	test_award_file();
	test_award_xlsx();
	test_award_hostile();
	test_award_english();
	test_award_errors();
	teardown();
	return tap_done();
}
