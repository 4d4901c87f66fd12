/*
 * read_receipt.c - the amount of an opened price envelope
 * (read_receipt.h): the price the opening found in it, by its
 * submission.
 */
#include "read_receipt.h"
#include "store/store.h"

bool app_opened_price(struct app *x, const struct submission *s,
		      int64_t *cents)
{
	struct bid_price *ps = NULL;
	int n = 0;
	struct kv_error e;
	if (s->envelope != ENVELOPE_PRICE ||
	    STORE(x->st, bid_price_list, s->procedure_id, x->a, &ps, &n, &e) != KV_OK)
		return false;
	for (int i = 0; i < n; i++)
		if (ps[i].submission_id == s->id) {
			*cents = ps[i].price_cents;
			return true;
		}
	return false;
}
