/*
 * xlsxdoc.c - the shared parts of Kavel's XLSX workbooks; see xlsxdoc.h.
 *
 * libxlsxwriter 1.1.4 can only write to a file (its output_buffer option
 * came later), so a workbook is written to an anonymous memory file
 * (memfd_create, through its /proc/self/fd path) and read back into the
 * caller's arena: it never touches the disk.
 */
#include "xlsxdoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XLSX_MAX_BYTES (32u << 20)   /* far above any real workbook */

/* The sheet's XML stays well formed: see xlsxdoc.h. */
const char *xlsx_clean(arena *a, const char *s, size_t max)
{
	if (!s)
		return "";
	size_t n = strlen(s);
	char *o = arena_alloc_raw(a, (n < max ? n : max) * 3 + 4);
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		size_t len = 0;
		unsigned cp = 0;
		if (c < 0x80) {
			len = 1;
			cp = c;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		}
		for (size_t i = 1; len && i < len; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				len = 0;
				break;
			}
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
			len = 0;
		if (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
			len = 0;
		const char *put;
		size_t put_n;
		if (!len) {
			put = "\xef\xbf\xbd";
			put_n = 3;
			len = 1;
		} else if (cp < 0x20 || cp == 0x7f ||
			   (cp >= 0x80 && cp < 0xa0)) {
			put = " ";
			put_n = 1;
		} else {
			put = (const char *)p;
			put_n = len;
		}
		if (w + put_n > max)
			break;
		memcpy(o + w, put, put_n);
		w += put_n;
		p += len;
	}
	o[w] = 0;
	return o;
}

/* Keeps the first libxlsxwriter error of a run of calls. */
void xlsx_keep(lxw_error *first, lxw_error err)
{
	if (*first == LXW_NO_ERROR && err != LXW_NO_ERROR)
		*first = err;
}

/* Reads the whole file behind fd into the arena. */
static enum kv_status read_back(arena *a, int fd, const char *path,
				unsigned char **out, size_t *len,
				struct kv_error *e)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return kv_fail(e, KV_IO, "",
			       _("The spreadsheet written to %s could not be "
				 "read back: %s."),
			       path, strerror(errno));
	if (st.st_size <= 0 || (unsigned long long)st.st_size > XLSX_MAX_BYTES)
		return kv_fail(e, KV_IO, "",
			       _("The spreadsheet written to %s has an "
				 "unexpected size (%lld bytes)."),
			       path, (long long)st.st_size);
	size_t n = (size_t)st.st_size;
	unsigned char *buf = arena_alloc_raw(a, n + 1);
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return kv_fail(e, KV_IO, "",
				       _("The spreadsheet written to %s could "
					 "not be read back: %s."),
				       path, r < 0 ? strerror(errno)
						   : _("it ended early"));
		got += (size_t)r;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return KV_OK;
}

enum kv_status xlsx_render(arena *a, const char *stem, xlsx_fill fill,
			   const void *ctx, unsigned char **out, size_t *len,
			   struct kv_error *e)
{
	/* The workbook is written into an anonymous memory file: a
	 * spreadsheet of bids, prices and motivations is never a file on
	 * disk that a crash could leave behind.  libxlsxwriter writes it
	 * through its /proc path. */
	int fd = memfd_create(stem, MFD_CLOEXEC);
	if (fd < 0)
		return kv_fail(e, KV_IO, "",
			       _("No memory file could be made for the "
				 "spreadsheet: %s."), strerror(errno));
	char *path = arena_printf(a, "/proc/self/fd/%d", fd);

	enum kv_status st = KV_OK;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		st = kv_fail(e, KV_IO, "",
			     _("The spreadsheet could not be started."));
		goto out;
	}
	lxw_error werr = fill(a, wb, ctx);
	lxw_error cerr = workbook_close(wb);   /* frees wb in every case */
	if (werr != LXW_NO_ERROR || cerr != LXW_NO_ERROR) {
		st = kv_fail(e, KV_IO, "",
			     _("The spreadsheet could not be written: %s."),
			     lxw_strerror(werr != LXW_NO_ERROR ? werr : cerr));
		goto out;
	}
	st = read_back(a, fd, path, out, len, e);
out:
	close(fd);
	return st;
}
