/*
 * account.c - the names of roles and organisation kinds, and which roles
 * a set of grants gives a person on a procedure or in a municipality
 * (tenant).  Plain C, no I/O; see account.h.
 */
#include "account.h"

#include <string.h>

static const struct {
	enum role role;
	const char *code;
} roles[] = {
	{ROLE_BUYER, "buyer"},
	{ROLE_ASSESSOR, "assessor"},
	{ROLE_BIDDER, "bidder"},
	{ROLE_COUNCIL, "council"},
	{ROLE_REPORTER, "reporter"},
};

#define N_ROLES ((int)(sizeof roles / sizeof roles[0]))
#define ALL_ROLES (ROLE_BUYER | ROLE_ASSESSOR | ROLE_BIDDER | ROLE_COUNCIL | \
		   ROLE_REPORTER)

static const char *const org_kinds[] = {
	[ORG_MUNICIPALITY] = "municipality",
	[ORG_SUPPLIER] = "supplier",
};

#define N_ORG_KINDS ((int)(sizeof org_kinds / sizeof org_kinds[0]))

const char *role_code(enum role r)
{
	for (int i = 0; i < N_ROLES; i++)
		if (roles[i].role == r)
			return roles[i].code;
	return "";
}

int role_from_code(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < N_ROLES; i++)
		if (strcmp(roles[i].code, s) == 0)
			return (int)roles[i].role;
	return -1;
}

const char *org_kind_code(enum org_kind k)
{
	return (unsigned)k < (unsigned)N_ORG_KINDS ? org_kinds[k] : "";
}

int org_kind_from_code(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < N_ORG_KINDS; i++)
		if (strcmp(org_kinds[i], s) == 0)
			return i;
	return -1;
}

/* A bidder grant belongs to one candidate in one procedure; one without a
 * procedure is a mistake and gives nothing, rather than making the
 * bidder a bidder on every procedure of the municipality. */
static bool tenant_wide(const struct grant *g)
{
	return g->procedure_id == 0 && g->role != ROLE_BIDDER &&
	       g->role != ROLE_REPORTER;
}

unsigned role_on_procedure(const struct grant *grants, int n,
			   int64_t tenant_id, int64_t procedure_id)
{
	unsigned set = 0;
	for (int i = 0; grants && i < n; i++) {
		const struct grant *g = &grants[i];
		if (g->tenant_id != tenant_id)
			continue;
		if (tenant_wide(g) ||
		    (procedure_id != 0 && g->procedure_id == procedure_id))
			set |= (unsigned)g->role;
	}
	return set & ALL_ROLES;
}

unsigned role_in_tenant(const struct grant *grants, int n, int64_t tenant_id)
{
	unsigned set = 0;
	for (int i = 0; grants && i < n; i++)
		if (grants[i].tenant_id == tenant_id && tenant_wide(&grants[i]))
			set |= (unsigned)grants[i].role;
	return set & ALL_ROLES;
}

/* A reporter grant names one contract; buyers and council members of the
 * municipality see all its contracts.  Assessors and bidders have no role
 * on contracts. */
unsigned role_on_contract(const struct grant *grants, int n,
			  int64_t tenant_id, int64_t contract_id)
{
	unsigned set = 0;
	for (int i = 0; grants && i < n; i++) {
		const struct grant *g = &grants[i];
		if (g->tenant_id != tenant_id)
			continue;
		if (g->role == ROLE_REPORTER) {
			if (contract_id != 0 && g->contract_id == contract_id)
				set |= ROLE_REPORTER;
		} else if (tenant_wide(g) &&
			   (g->role == ROLE_BUYER || g->role == ROLE_COUNCIL)) {
			set |= (unsigned)g->role;
		}
	}
	return set;
}
