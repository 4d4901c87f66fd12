/*
 * error.c - filling struct kv_error; see error.h.
 */
#include "error.h"

#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MEMO_SLOTS 1024   /* power of two, > the number of msgids */

struct memo_slot {
	const char *msgid;
	locale_t locale;
	const char *text;
};

static _Thread_local struct memo_slot memo[MEMO_SLOTS];

/* glibc's gettext takes a process-wide lock and reads the environment on
 * every call; this memo answers repeated lookups from the calling
 * thread's own table.  The key includes the thread's current locale, so
 * switching language with uselocale() is seen at once; translations point
 * into the mapped catalogue and stay valid for the process's life. */
const char *kv_gettext(const char *msgid)
{
	locale_t loc = uselocale((locale_t)0);
	uintptr_t h = ((uintptr_t)msgid >> 3) ^ ((uintptr_t)loc >> 4);
	for (unsigned i = 0; i < 8; i++) {
		struct memo_slot *s = &memo[(h + i) & (MEMO_SLOTS - 1)];
		if (s->msgid == msgid && s->locale == loc)
			return s->text;
		if (!s->msgid) {
			s->text = gettext(msgid);
			s->locale = loc;
			s->msgid = msgid;
			return s->text;
		}
	}
	return gettext(msgid);  /* a crowded neighbourhood: no memo */
}

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
