/* bid_access.c - who reads bid and application documents (bid_access.h). */
#include "bid_access.h"
#include "account.h"

enum read_verdict bid_readable(unsigned roles, bool assigned_to_lot,
			       bool price, bool withdrawn, bool quality_open,
			       bool price_open)
{
	if (!(roles & (ROLE_BUYER | ROLE_ASSESSOR)))
		return READ_DENIED;
	if (!(roles & ROLE_BUYER) && !assigned_to_lot)
		return READ_NOT_ASSIGNED;
	if (withdrawn)
		return READ_WITHDRAWN;
	if (!(price ? price_open : quality_open))
		return READ_SEALED;
	return READ_OK;
}

enum read_verdict application_doc_readable(unsigned roles, bool own,
					   bool closed)
{
	if ((roles & ROLE_BIDDER) && own)
		return READ_OK;
	if (roles & (ROLE_BUYER | ROLE_ASSESSOR))
		return closed ? READ_OK : READ_SEALED;
	if (roles & ROLE_BIDDER)
		return own ? READ_OK : READ_HIDDEN;
	return READ_DENIED;
}
