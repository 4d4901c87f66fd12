/*
 * read_qa.h - what the questions pages read (read_qa.c): the questions
 * and notas of a procedure as one reader may see them.
 *
 * Who sees what (least privilege): a buyer every question, with who
 * asked and the answer drafts; a bidder its own candidate's questions;
 * everyone else (assessors, council members) the published notas only.
 * A nota is read without the askers' columns, so nothing built from it
 * can name who asked.
 */
#ifndef KAVEL_APP_READ_QA_H
#define KAVEL_APP_READ_QA_H

#include "app.h"

enum app_qa_reader {
	APP_QA_OTHER,                 /* the published notas only */
	APP_QA_BIDDER,                /* and its own candidate's questions */
	APP_QA_BUYER,                 /* and every question */
};

struct app_qa_view {
	kv_instant deadline;          /* 0: none known (questions are open) */
	bool deadline_set;            /* the buyer set it (else: the tender
					 deadline) */
	bool open;                    /* questions are taken now */
	struct question *qs;          /* what the reader may see */
	int n_qs;
	int waiting;                  /* answered, not yet published */
	struct nota *notas;           /* every published nota, by number */
	int n_notas;
};

/* The procedure's questions page as `who` may see it; candidate_id is
 * the bidder's candidate (APP_QA_BIDDER).  In x->a. */
enum kv_status app_qa_view(struct app *x, const struct procedure *p,
			   enum app_qa_reader who, int64_t candidate_id,
			   struct app_qa_view *out, struct kv_error *e);
/* One question of the procedure as the store has it (with who asked:
 * for its bidder or the buyer only); KV_NOT_FOUND when there is none. */
enum kv_status app_question_get(struct app *x, int64_t procedure_id,
				int64_t question_id, struct question *out,
				struct kv_error *e);
/* The published nota `number` of the procedure with its questions (no
 * askers); KV_NOT_FOUND, with a sentence, for a number it has not
 * published. */
enum kv_status app_nota_get(struct app *x, int64_t procedure_id,
			    int64_t number, struct nota *out,
			    struct kv_error *e);

#endif
