/*
 * account.h - organisations, people, accounts and the roles they hold.
 * Plain C, no I/O.  Which roles a set of grants gives is decided here.
 */
#ifndef KAVEL_ACCOUNT_H
#define KAVEL_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"

enum org_kind { ORG_MUNICIPALITY, ORG_SUPPLIER };

struct org {
	int64_t id;
	char *name;
	char *kvk;                /* 8 digits */
	enum org_kind kind;
	kv_instant created_at;
};

struct person {
	int64_t id;
	int64_t org_id;
	char *name;
	char *email;
	char *job_title;
};

struct account {
	int64_t id;
	int64_t org_id;
	int64_t person_id;
	char *email;              /* login name, lower-case */
	char *name;               /* display name */
	char *pwhash;             /* crypto_pwhash_str (argon2id) */
	bool disabled;
	kv_instant created_at;
};

/* Roles.  A grant with procedure_id 0 holds for every procedure of the
 * tenant (a municipality's buyers and council members); a grant with a
 * procedure_id holds for that procedure only (assessors, bidders). */
enum role {
	ROLE_BUYER = 1 << 0,      /* inkoper / contractmanager */
	ROLE_ASSESSOR = 1 << 1,   /* beoordelaar */
	ROLE_BIDDER = 1 << 2,     /* gegadigde / inschrijver */
	ROLE_COUNCIL = 1 << 3,    /* raadslid, read only */
	ROLE_REPORTER = 1 << 4,   /* the awarded consortium's reporter: reads
				     its own contract, enters its KPIs */
};

struct grant {
	int64_t account_id;
	int64_t tenant_id;        /* the municipality the grant is within */
	int64_t procedure_id;     /* 0 = every procedure of the tenant */
	enum role role;
	int64_t candidate_id;     /* for ROLE_BIDDER: whose candidate */
	int64_t contract_id;      /* for ROLE_REPORTER: which contract */
};

const char *role_code(enum role r);            /* "buyer" */
int role_from_code(const char *s);             /* -1 unknown */
const char *org_kind_code(enum org_kind k);
int org_kind_from_code(const char *s);

/* The roles (bit set) that `grants` give on procedure `procedure_id` of
 * tenant `tenant_id`. */
unsigned role_on_procedure(const struct grant *grants, int n,
			   int64_t tenant_id, int64_t procedure_id);
/* Roles held tenant-wide (procedure_id 0) in tenant_id. */
unsigned role_in_tenant(const struct grant *grants, int n, int64_t tenant_id);
/* Roles on contract `contract_id` of tenant `tenant_id`: tenant-wide
 * buyers and council members, and reporters granted that contract. */
unsigned role_on_contract(const struct grant *grants, int n,
			  int64_t tenant_id, int64_t contract_id);

#endif
