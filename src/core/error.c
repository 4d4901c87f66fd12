/*
 * error.c - filling struct kv_error; see error.h.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum kv_status kv_fail(struct kv_error *e, enum kv_status status,
		       const char *field, const char *fmt, ...)
{
	if (e) {
		e->status = status;
		snprintf(e->field, sizeof e->field, "%s", field ? field : "");
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return status;
}

void kv_error_clear(struct kv_error *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}
