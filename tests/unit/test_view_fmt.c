/*
 * test_view_fmt.c - the words the pages use for times, spans, sizes and
 * files (src/web/view.c fmt_*): Dutch dates without zone codes, seconds
 * only where they matter, spans in the unit a person uses, sizes in MB
 * with the language's decimal sign, file types in words and a price
 * envelope never by its sealed document's name.
 */
#include <locale.h>
#include <string.h>

#include "tap.h"
#include "web/view.h"

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! cal_init: %s\n", e.msg);
		return 1;
	}
	arena *a = arena_new();
	struct grant g = {.role = ROLE_BIDDER, .procedure_id = 4, .candidate_id = 9};
	struct req r = {.a = a, .lang = "nl", .grants = &g, .n_grants = 1};
	r.proc.id = 4;

	/* Times (the C locale is not English: Dutch words). */
	CHECK_STR(fmt_when(&r, 1648764000), "1 april 2022, 00:00", "an instant");
	CHECK_STR(fmt_when(&r, 0), "", "no instant");
	CHECK_STR(fmt_when_sec(&r, 1648764000), "1 april 2022, 00:00:00",
		  "a receipt's instant keeps the second");
	CHECK_STR(fmt_period(&r, 1656655200, 1656684000),
		  "1 juli 2022, 08:00\xe2\x80\x93" "16:00", "a period of one day");

	/* Spans: the msgids, untranslated in the C locale. */
	CHECK_STR(fmt_span(&r, (struct cal_span){3, CAL_DAYS}), "3 days", "days");
	CHECK_STR(fmt_span(&r, (struct cal_span){1, CAL_DAYS}), "1 day", "one day");
	CHECK_STR(fmt_span(&r, (struct cal_span){4, CAL_YEARS}), "4 years", "years");
	CHECK_STR(fmt_span(&r, (struct cal_span){5, CAL_HOURS}), "5 hours", "hours");
	CHECK_STR(fmt_span(&r, (struct cal_span){1, CAL_MINUTES}), "1 minute", "a minute");
	CHECK_STR(fmt_span(&r, (struct cal_span){7, CAL_MONTHS}), "7 months", "months");

	/* Sizes: 1024-based, one decimal where not whole, Dutch comma. */
	CHECK_STR(fmt_bytes(&r, 812), "812 bytes", "bytes");
	CHECK_STR(fmt_bytes(&r, 1), "1 byte", "one byte");
	CHECK_STR(fmt_bytes(&r, 1024), "1 kB", "a kilobyte");
	CHECK_STR(fmt_bytes(&r, 256LL << 20), "256 MB", "256 MB, not MiB");
	CHECK_STR(fmt_bytes(&r, (5LL << 20) / 2), "2,5 MB", "a Dutch decimal comma");
	CHECK_STR(fmt_bytes(&r, (1LL << 20) - 1), "1 MB", "just under 1 MB rounds to 1 MB");
	CHECK_STR(fmt_bytes(&r, 2048LL << 20), "2 GB", "2 GB");
	r.lang = "en";
	CHECK_STR(fmt_bytes(&r, (5LL << 20) / 2), "2.5 MB", "an English decimal point");
	r.lang = "nl";

	/* File types in words. */
	CHECK_STR(fmt_file_type(&r, "application/pdf", "plan.pdf"), "PDF document", "a PDF");
	CHECK_STR(fmt_file_type(&r, "application/zip", "bod.zip"), "ZIP archive", "a ZIP");
	CHECK_STR(fmt_file_type(&r, "application/zip", "Begroting.DOCX"), "Word document",
		  "a ZIP named .docx is a Word document");
	CHECK_STR(fmt_file_type(&r, "application/zip", "model.xlsx"), "Excel workbook",
		  "an Excel workbook");
	CHECK_STR(fmt_file_type(&r, "application/zip", NULL), "ZIP archive", "no name");
	CHECK_STR(fmt_file_type(&r, "application/octet-stream", "x.bin"),
		  "another kind of file (not recognised)", "anything else");
	CHECK(strchr(fmt_file_type(&r, "application/json", "price.json"), '/') == NULL,
	      "never a MIME type");

	/* A submission: its file's name, a price envelope in words. */
	struct submission bid = {.candidate_id = 9, .file_name = "plan.pdf",
				 .envelope = ENVELOPE_QUALITY};
	struct submission price = {.candidate_id = 9, .file_name = "price.json",
				   .envelope = ENVELOPE_PRICE};
	CHECK_STR(fmt_submission_file(&r, &bid), "plan.pdf", "a bid by its file name");
	CHECK_STR(fmt_submission_file(&r, &price), "your price tender",
		  "its own price envelope, to the bidder");
	price.candidate_id = 10;
	CHECK_STR(fmt_submission_file(&r, &price), "price tender",
		  "another candidate's, to the buyers");

	arena_free(a);
	return tap_done();
}
