/*
 * read_audit.h - a procedure's audit trail as people read it
 * (read_audit.c): each event as a sentence, with only the fields its
 * reader may see (core/audit_text.h), filtered by kind, person and date,
 * in pages back to the very first event.
 */
#ifndef KAVEL_APP_READ_AUDIT_H
#define KAVEL_APP_READ_AUDIT_H

#include <stdbool.h>

#include "app/app.h"

/* Which events, and which page of them (newest first). */
struct audit_filter {
	const char *kind;        /* an action ("question.ask"); NULL or "": all */
	bool by_person;          /* only the events person did */
	int64_t person;          /* an account id; 0: the system */
	kv_instant from, to;     /* at >= from, at <= to; 0: open */
	int page;                /* 1 is the newest; past the last: the last */
	int per_page;            /* 0: every event on one page */
};

/* One event as its reader may see it. */
struct audit_item {
	int64_t seq;
	kv_instant at;
	const char *when;        /* "1 april 2022, 14:05" */
	int64_t actor;           /* 0 for the system or when hidden */
	bool actor_hidden;       /* the reader may not know who did it */
	const char *who;         /* the actor's name; "" when hidden or the system */
	const char *action;      /* "question.ask" */
	const char *label;       /* "Vraag gesteld" */
	const char *object;      /* "procedure/3/question/12" */
	const char *sentence;
	const char *before;      /* the visible fields as JSON text; "" none */
	const char *after;
	const char **hidden;     /* the names of the fields not shown */
	int n_hidden;
};

/* A value of a filter's list, with what people read for it. */
struct audit_choice {
	const char *value;
	const char *label;
};

struct audit_trail {
	struct audit_item *items;    /* this page */
	int n;
	int total;                   /* events that match the filter */
	int first;                   /* the number of items[0] among them, 1.. */
	int page, pages;
	int all;                     /* events in the trail, unfiltered */
	struct audit_choice *kinds;  /* the kinds in the trail, by label */
	int n_kinds;
	struct audit_choice *people; /* who appears in it (as the reader may
					see), by name; value "0" the system */
	int n_people;
};

/* The trail of p as a buyer (buyer true) or a council member reads it,
 * in x->a. */
enum kv_status app_audit_trail(struct app *x, const struct procedure *p,
			       bool buyer, const struct audit_filter *f,
			       struct audit_trail *out, struct kv_error *e);

#endif
