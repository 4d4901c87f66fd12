/*
 * read_taking_part.h - what the taking-part pages read
 * (read_taking_part.c): the published procedures, one of them to
 * register for, and a procedure's applications with their criteria.
 */
#ifndef KAVEL_APP_READ_TAKING_PART_H
#define KAVEL_APP_READ_TAKING_PART_H

#include "app.h"

/* A published procedure as the public list shows it. */
struct app_tender {
	struct procedure p;
	const char *municipality;     /* "" when it cannot be read */
	kv_instant application_deadline;  /* 0: not planned */
	bool registration_open;       /* app_registration_open at x->now */
};

/* Every published procedure that can be read, by publication.  In x->a. */
enum kv_status app_tenders(struct app *x, struct app_tender **out, int *n,
			   struct kv_error *e);
/* Procedure procedure_id when it is published; KV_NOT_FOUND, with a
 * sentence, when it is not (or does not exist). */
enum kv_status app_tender_get(struct app *x, int64_t procedure_id,
			      struct app_tender *out, struct kv_error *e);

/* An application with its answers read per criterion. */
struct app_applicant {
	struct application ap;
	const char **answers;         /* per criterion of the view: the text,
					 NULL when it has none */
};

struct app_application_view {
	struct selection_criterion *crs;  /* every round's, in order */
	int n_crs;
	kv_instant deadline;          /* the application deadline; 0: none */
	bool closed;                  /* it has passed */
	bool published;               /* published for registration */
	kv_instant published_at;
	struct app_applicant *aps;    /* every application */
	int n_aps;
	int mine;                     /* aps' index of own_candidate's, -1 */
	struct application_document *docs;  /* own_candidate's documents */
	int n_docs;
};

/* The applications of p as of x->now; own_candidate (0: none) picks the
 * bidder's own application and documents.  Access to the contents is the
 * caller's to decide.  In x->a. */
enum kv_status app_application_view(struct app *x, const struct procedure *p,
				    int64_t own_candidate,
				    struct app_application_view *out,
				    struct kv_error *e);
/* One candidate's application; KV_NOT_FOUND when it has none. */
enum kv_status app_application_get(struct app *x, int64_t procedure_id,
				   int64_t candidate_id,
				   struct application *out,
				   struct kv_error *e);
/* The candidate's documents (without their content).  In x->a. */
enum kv_status app_application_documents(struct app *x, int64_t candidate_id,
					 struct application_document **out,
					 int *n, struct kv_error *e);

#endif
