/*
 * libmem.h - the one place where libraries that allocate on Kavel's behalf
 * are bound to the memory rule (README, "The memory rule").
 *
 * jansson is the only library whose allocator Kavel replaces: while a thread
 * has entered an arena (libmem_enter), every JSON value it makes is carved
 * from that arena, and releasing one is a no-op; outside (start-up, the CLI)
 * jansson uses malloc and json_decref frees as usual.  So no JSON text or
 * value made inside a request may be passed to free(): text is taken with
 * libmem_json_text, which puts it in an arena and never hands out jansson's
 * own buffers (json_dumps is banned by scripts/checksrc.py).
 *
 * The other libraries keep their own allocators, each paired inside one
 * layer, never crossing into web or app:
 *   SQLite         sqlite3_* results, freed in src/store (sqlite3_free)
 *   pango/glib     pango_font_description_to_string, g_free in src/report
 *   libcsv         csv_init / csv_free around one import in src/core/frame.c
 *   libxlsxwriter  workbook_new / workbook_close in src/report/xlsx*.c
 *   cairo          *_create / *_destroy pairs in src/report/pdf*.c
 *   libmicrohttpd  responses made and destroyed in src/web/server.c
 *   libsodium      no allocations handed out (sodium_malloc is not used)
 */
#ifndef KAVEL_LIBMEM_H
#define KAVEL_LIBMEM_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"

/* Installs the jansson allocator; once, at start, before any JSON value
 * exists (values made before it would be freed by the wrong function). */
void libmem_install(void);

/* From now until libmem_leave, this thread's JSON values live in a.  Every
 * value made inside must be dropped (or simply abandoned) before a is
 * released.  Not nestable. */
void libmem_enter(arena *a);
void libmem_leave(void);

/* The JSON text of j (jansson dump flags), in a; at most max bytes, else
 * NULL.  j stays the caller's. */
char *libmem_json_text(arena *a, const json_t *j, size_t flags, size_t max);

#endif
