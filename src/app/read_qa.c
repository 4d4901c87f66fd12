/*
 * read_qa.c - the questions pages' read model (read_qa.h).
 */
#include <limits.h>
#include <string.h>

#include "read_qa.h"
#include "store/store.h"

enum kv_status app_qa_view(struct app *x, const struct procedure *p,
			   enum app_qa_reader who, int64_t candidate_id,
			   struct app_qa_view *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status rc = app_question_deadline(x, p, &out->deadline,
						  &out->deadline_set, e);
	out->open = !out->deadline || x->now <= out->deadline;
	/* question_list reads every candidate's questions for candidate 0 */
	if (rc == KV_OK && (who == APP_QA_BUYER ||
			    (who == APP_QA_BIDDER && candidate_id)))
		rc = STORE(x->st, question_list, p->id,
			   who == APP_QA_BUYER ? 0 : candidate_id, x->a,
			   &out->qs, &out->n_qs, e);
	for (int i = 0; rc == KV_OK && i < out->n_qs; i++)
		out->waiting += out->qs[i].answer && !out->qs[i].nota_id;
	if (rc == KV_OK)
		rc = STORE(x->st, nota_list, p->id, x->a, &out->notas,
			   &out->n_notas, e);
	return rc;
}

enum kv_status app_question_get(struct app *x, int64_t procedure_id,
				int64_t question_id, struct question *out,
				struct kv_error *e)
{
	return STORE(x->st, question_get, procedure_id, question_id, x->a,
		     out, e);
}

enum kv_status app_nota_get(struct app *x, int64_t procedure_id,
			    int64_t number, struct nota *out,
			    struct kv_error *e)
{
	if (number < 1 || number > INT_MAX)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("This procedure has no published nota with that number."));
	return STORE(x->st, nota_get, procedure_id, (int)number, x->a, out, e);
}
