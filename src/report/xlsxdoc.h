/*
 * xlsxdoc.h - what Kavel's XLSX workbooks (the budget frame, the award's
 * scoring matrix) share: cell text the sheet's XML can take, keeping the
 * first libxlsxwriter error, and writing a workbook through a private
 * temporary file into the caller's arena.  Private to src/report.
 */
#ifndef KAVEL_XLSXDOC_H
#define KAVEL_XLSXDOC_H

#include <stddef.h>

#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/error.h"

#define XLSX_CELL_MAX_BYTES 32767   /* Excel's limit for one cell */

/* A copy of s in a that is valid UTF-8 without control characters (bad
 * bytes as U+FFFD, control characters as a space), at most max bytes cut
 * at a character boundary.  NULL gives "". */
const char *xlsx_clean(arena *a, const char *s, size_t max);

/* Keeps the first libxlsxwriter error of a run of calls. */
void xlsx_keep(lxw_error *first, lxw_error err);

/* Fills a new workbook; returns its first error. */
typedef lxw_error (*xlsx_fill)(arena *a, lxw_workbook *wb, const void *ctx);

/* Runs fill on a workbook written to a private temporary file
 * ($TMPDIR or /tmp, named after stem), reads the file back into a and
 * unlinks it on every path.  libxlsxwriter 1.1.4 cannot write to memory. */
enum kv_status xlsx_render(arena *a, const char *stem, xlsx_fill fill,
			   const void *ctx, unsigned char **out, size_t *len,
			   struct kv_error *e);

#endif
