/*
 * test_bid_access.c - unit tests of who reads bids and application
 * documents (core/bid_access.c): every role against every state of a
 * bid, and an application's documents before and after the deadline.
 */
#include "core/account.h"
#include "core/bid_access.h"
#include "tap.h"

int main(void)
{
	const unsigned B = ROLE_BUYER, A = ROLE_ASSESSOR, C = ROLE_COUNCIL,
		       D = ROLE_BIDDER, R = ROLE_REPORTER;
	/* quality envelope */
	CHECK(bid_readable(B, false, false, false, true, false) == READ_OK,
	      "a buyer reads a bid once the vault is open, assigned or not");
	CHECK(bid_readable(B, false, false, false, false, false) == READ_SEALED,
	      "not before the opening");
	CHECK(bid_readable(A, true, false, false, true, false) == READ_OK,
	      "an assessor reads a bid of its lot after the opening");
	CHECK(bid_readable(A, false, false, false, true, false) == READ_NOT_ASSIGNED,
	      "not a bid of a lot it is not assigned to");
	CHECK(bid_readable(A, true, false, false, false, false) == READ_SEALED,
	      "nor its own lot's before the opening");
	CHECK(bid_readable(C, false, false, false, true, true) == READ_DENIED,
	      "a council member never reads bid contents");
	CHECK(bid_readable(C | A, false, false, false, true, true) == READ_NOT_ASSIGNED,
	      "a council member who assesses reads only its lots");
	CHECK(bid_readable(D, false, false, false, true, true) == READ_DENIED,
	      "a bidder never reads bids, its own neither");
	CHECK(bid_readable(R, true, false, false, true, true) == READ_DENIED,
	      "a contract's reporter neither");
	CHECK(bid_readable(0, true, false, false, true, true) == READ_DENIED,
	      "no role, no read");
	CHECK(bid_readable(B, false, false, true, true, false) == READ_WITHDRAWN,
	      "a withdrawn bid is not read, by a buyer either");
	CHECK(bid_readable(A, false, false, true, true, false) == READ_NOT_ASSIGNED,
	      "an unassigned assessor is told the lot is not its own first");
	/* price envelope */
	CHECK(bid_readable(B, false, true, false, true, false) == READ_SEALED,
	      "a price stays sealed after the quality opening");
	CHECK(bid_readable(A, true, true, false, true, false) == READ_SEALED,
	      "for the lot's assessor too: never a price before the price opening");
	CHECK(bid_readable(B, false, true, false, true, true) == READ_OK,
	      "a buyer reads a price after the price opening");
	CHECK(bid_readable(A, true, true, false, true, true) == READ_OK,
	      "and so does the lot's assessor");
	CHECK(bid_readable(A, false, true, false, true, true) == READ_NOT_ASSIGNED,
	      "but not another lot's assessor");
	/* application documents */
	CHECK(application_doc_readable(D, true, false) == READ_OK,
	      "a candidate reads its own document before the deadline");
	CHECK(application_doc_readable(D, true, true) == READ_OK,
	      "and after it");
	CHECK(application_doc_readable(D, false, true) == READ_HIDDEN,
	      "another candidate's is answered as not there");
	CHECK(application_doc_readable(B, false, false) == READ_SEALED,
	      "a buyer reads applications only after the deadline");
	CHECK(application_doc_readable(B, false, true) == READ_OK,
	      "then it does");
	CHECK(application_doc_readable(A, false, true) == READ_OK,
	      "so does an assessor");
	CHECK(application_doc_readable(C, false, true) == READ_DENIED,
	      "a council member does not");
	CHECK(application_doc_readable(0, false, true) == READ_DENIED,
	      "nor anyone without a role");
	return tap_done();
}
