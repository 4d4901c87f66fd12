/*
 * xlsxdoc.h - what Kavel's XLSX workbooks (the budget frame, the award's
 * scoring matrix) share: cell text the sheet's XML can take, keeping the
 * first libxlsxwriter error, and writing a workbook through an anonymous
 * memory file into the caller's arena.  Private to src/report.
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

/* Runs fill on a workbook written to an anonymous memory file
 * (memfd_create, named after stem; libxlsxwriter 1.1.4 writes only to a
 * path, so it gets /proc/self/fd/N) and reads it back into a: nothing of
 * the workbook is ever a file on disk. */
enum kv_status xlsx_render(arena *a, const char *stem, xlsx_fill fill,
			   const void *ctx, unsigned char **out, size_t *len,
			   struct kv_error *e);

#endif
