/*
 * bid_access.h - who reads a bid's documents and an application's
 * documents (issue 11 item 5).  Plain rules over roles and facts the
 * caller looked up; no I/O.
 *
 * A bid (a submission) is read once its envelope's vault is open: the
 * quality envelope after the vault's opening by two buyers, the price
 * envelope after the price opening.  Buyers of the procedure read every
 * lot's bids; an assessor reads only the lots it is assigned to; a
 * council member or a bidder never reads bid contents (a bidder has its
 * receipt).  A withdrawn bid is no part of the competition and is not
 * read.  An application's documents are read by the buyers and
 * assessors after the application deadline, and by the candidate itself; another bidder is told there
 * is no such document, a council member is refused.
 */
#ifndef KAVEL_BID_ACCESS_H
#define KAVEL_BID_ACCESS_H

#include <stdbool.h>

enum read_verdict {
	READ_OK,
	READ_SEALED,        /* the envelope's vault is not open yet */
	READ_NOT_ASSIGNED,  /* an assessor not assigned to the bid's lot */
	READ_DENIED,        /* this role never reads it */
	READ_WITHDRAWN,     /* the bid was withdrawn */
	READ_HIDDEN,        /* another candidate's: answered as not found */
};

/* roles: enum role bits (account.h) of the reader on the procedure;
 * price: the bid is a price envelope; quality_open / price_open: the
 * vault and the price vault have been opened. */
enum read_verdict bid_readable(unsigned roles, bool assigned_to_lot,
			       bool price, bool withdrawn, bool quality_open,
			       bool price_open);
/* own: the document is of the reader's own candidate; closed: the
 * application deadline has passed (buyers and assessors read the
 * applications only after it, as they read their answers). */
enum read_verdict application_doc_readable(unsigned roles, bool own,
					   bool closed);

#endif
