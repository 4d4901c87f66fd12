/*
 * award_docs.c - the documents of one lot's award decision: the letter to
 * each bidder (art. 2.130 Aanbestedingswet 2012), the complete award file
 * (both A4 PDFs, cairo + pango through pdfdoc.c) and the scoring matrix
 * (XLSX through xlsxdoc.c).  The web layer fills struct award_doc; this
 * file only lays it out.
 *
 * A letter reads only two bids: the addressee's and the intended
 * winner's.  letter_body() is the one place that writes a letter's
 * content; the award file repeats it for every bidder.  Every text from
 * the document goes through pdf_clean() / xlsx_clean(); labels are
 * gettext msgids (English); figures follow the thread's language
 * (pdf_decimal, pdf_money).
 *
 * Everything is written into the caller's arena; every cairo, pango and
 * libxlsxwriter object is released before returning.
 */
#include "report/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdfdoc.h"
#include "xlsxdoc.h"

#define AWARD_PDF_MAX_BYTES ((size_t)64 << 20)
#define AWARD_MAX_ITEMS 100000 /* criteria, bids, ...: far above any lot */
#define INDENT 14.0
#define LINE 14.0
#define MAX_DEPTH_INDENT 4

#define DASH "\xe2\x80\x93"
#define MDASH "\xe2\x80\x94"
#define DOT "\xc2\xb7"
#define NBSP "\xc2\xa0"

/* --- input ---------------------------------------------------------------- */

static enum kv_status check_doc(const struct award_doc *d, struct kv_error *e)
{
	if (d->n_criteria < 0 || d->n_criteria > AWARD_MAX_ITEMS ||
	    (d->n_criteria > 0 && !d->criteria))
		return kv_fail(e, KV_INVALID, "criteria",
			       _("The award's criteria are missing or have an "
				 "impossible number (%d)."),
			       d->n_criteria);
	if (d->n_bids < 0 || d->n_bids > AWARD_MAX_ITEMS ||
	    (d->n_bids > 0 && !d->bids))
		return kv_fail(e, KV_INVALID, "bids",
			       _("The award's bids are missing or have an "
				 "impossible number (%d)."),
			       d->n_bids);
	for (int i = 0; i < d->n_bids; i++)
		if (d->bids[i].valid && d->n_criteria > 0 && !d->bids[i].scores)
			return kv_fail(e, KV_INVALID, "scores",
				       _("The consensus scores of bid %d are "
					 "missing."),
				       i + 1);
	if (d->winner < -1 || d->winner >= d->n_bids ||
	    (d->winner >= 0 && !d->bids[d->winner].valid))
		return kv_fail(e, KV_INVALID, "winner",
			       _("The intended winner (%d) is not one of the "
				 "valid bids."),
			       d->winner);
	if (d->n_individual < 0 || (d->n_individual > 0 && !d->individual) ||
	    d->n_individual > 100 * AWARD_MAX_ITEMS)
		return kv_fail(e, KV_INVALID, "individual",
			       _("The individual scores are missing or have an "
				 "impossible number (%d)."),
			       d->n_individual);
	for (int i = 0; i < d->n_individual; i++) {
		const struct award_doc_individual *s = &d->individual[i];
		if (s->bid < 0 || s->bid >= d->n_bids || s->criterion < 0 ||
		    s->criterion >= d->n_criteria)
			return kv_fail(e, KV_INVALID, "individual",
				       _("Individual score %d refers to a bid "
					 "or criterion that does not exist."),
				       i + 1);
	}
	if (d->n_sensitivity < 0 || d->n_sensitivity > AWARD_MAX_ITEMS ||
	    (d->n_sensitivity > 0 && !d->sensitivity) || d->n_reversal < 0 ||
	    d->n_reversal > AWARD_MAX_ITEMS ||
	    (d->n_reversal > 0 && !d->reversal))
		return kv_fail(e, KV_INVALID, "robustness",
			       _("The robustness figures are missing or have "
				 "an impossible number."));
	return KV_OK;
}

/* --- figures -------------------------------------------------------------- */

/* ppm of full marks as "81,25 %" (hundredths of a percent, rounded half
 * away from zero). */
static const char *pct_ppm(arena *a, int64_t ppm)
{
	int64_t h = ppm / 100, r = ppm % 100;
	if (r >= 50)
		h++;
	else if (r <= -50)
		h--;
	return arena_printf(a, "%s" NBSP "%%", pdf_decimal(a, h, false));
}

/* Basis points as "30 %" or "12,5 %". */
static const char *pct_bp(arena *a, int64_t bp)
{
	return arena_printf(a, "%s" NBSP "%%", pdf_decimal(a, bp, true));
}

/* The text, or a dash when it is empty. */
static const char *or_dash(arena *a, const char *s)
{
	s = pdf_clean(a, s);
	return *s ? s : DASH;
}

static const struct award_doc_score *score_of(const struct award_doc *d,
					      int bid, int crit)
{
	const struct award_doc_bid *b = &d->bids[bid];
	return b->scores && crit < d->n_criteria ? &b->scores[crit] : NULL;
}

static const char *lot_text(arena *a, const struct award_doc *d)
{
	return arena_printf(a, _("Lot %d: %s"), d->lot_number,
			    pdf_clean(a, d->lot_title));
}

/* --- layout --------------------------------------------------------------- */

/* A heading that stays with the lines after it: the award file's
 * sections in f_sub over a rule, bids and letters' parts in f_h. */
static void heading(struct pdfdoc *p, const char *text,
		    const PangoFontDescription *font)
{
	p->y += 6;
	PangoLayout *l = pdf_layout(p, text, font, CONTENT_W, PANGO_ALIGN_LEFT);
	double h = pdf_layout_h(l);
	g_object_unref(l);
	/* The whole heading and three lines after it on one page. */
	if (h < (BODY_BOTTOM - BODY_TOP) / 2 &&
	    p->y + h + 3 * LINE > BODY_BOTTOM && p->y > BODY_TOP + 0.5)
		pdf_new_page(p);
	cairo_set_source_rgb(p->cr, 0.10, 0.22, 0.38);
	pdf_paragraph(p, text, font, 0, 3, 0);
	pdf_grey(p, 0.0);
}

static void section(struct pdfdoc *p, const char *text)
{
	p->y += 4;
	heading(p, text, p->f_sub);
	pdf_rule(p, p->y - 1, 0.5, 0.6);
	p->y += 3;
}

static void para(struct pdfdoc *p, const char *text, double indent)
{
	pdf_paragraph(p, text, p->f_body, indent, 5, 0);
}

/* A bold line that stays with the two lines after it. */
static void label(struct pdfdoc *p, const char *text, double indent)
{
	pdf_paragraph(p, text, p->f_label, indent, 2, 2 * LINE);
}

static double depth_indent(int depth)
{
	if (depth < 0)
		depth = 0;
	if (depth > MAX_DEPTH_INDENT)
		depth = MAX_DEPTH_INDENT;
	return depth * INDENT;
}

/* "Name (30 % of the total)", marked when it is a knock-out. */
static const char *criterion_title(arena *a,
				   const struct award_doc_criterion *c)
{
	const char *t =
	    arena_printf(a, _("%s (%s of the total)"), or_dash(a, c->name),
			 pct_bp(a, c->weight_total_bp));
	if (c->knock_out)
		t = arena_printf(a, _("%s, knock-out criterion"), t);
	return t;
}

/* One bid's score on criterion i: "who: step — 60,00 %", then the
 * motivation. */
static void score_lines(struct pdfdoc *p, const struct award_doc *d, int bid,
			int i, const char *who, double indent)
{
	const struct award_doc_score *s = score_of(d, bid, i);
	if (!s) {
		label(p, arena_printf(p->a, "%s: %s", who, DASH), indent);
		return;
	}
	const char *step = pdf_clean(p->a, s->step);
	if (d->criteria[i].leaf && *step)
		label(p,
		      arena_printf(p->a, "%s: %s " MDASH " %s", who, step,
				   pct_ppm(p->a, s->score_ppm)),
		      indent);
	else
		label(p,
		      arena_printf(p->a, "%s: %s", who,
				   pct_ppm(p->a, s->score_ppm)),
		      indent);
	const char *m = pdf_clean(p->a, s->motivation);
	if (*m)
		para(p, m, indent + INDENT);
}

/* A bid's rank and figures as one table row of 5 cells. */
static void result_row(struct pdfdoc *p, const struct award_doc_bid *b,
		       const char *name, const char **cells)
{
	arena *a = p->a;
	cells[0] = name;
	cells[1] = b->valid && b->rank > 0 ? arena_printf(a, "%d", b->rank)
					   : _("invalid");
	cells[2] = b->has_price ? pdf_money(a, b->price_cents) : DASH;
	cells[3] = b->valid ? pct_ppm(a, b->quality_ppm) : DASH;
	cells[4] = b->valid ? or_dash(a, b->result) : DASH;
}

static const struct pdf_col result_cols[] = {
    {N_("Bid"), 165, PANGO_ALIGN_LEFT},
    {N_("Rank"), 48, PANGO_ALIGN_RIGHT},
    {N_("Price"), 90, PANGO_ALIGN_RIGHT},
    {N_("Quality"), 60, PANGO_ALIGN_RIGHT},
    {N_("Result"), 120, PANGO_ALIGN_LEFT},
};

/* Column labels through gettext at the time of drawing. */
static void translate_cols(const struct pdf_col *in, struct pdf_col *out, int n)
{
	for (int i = 0; i < n; i++) {
		out[i] = in[i];
		out[i].label = _(in[i].label);
	}
}

/*
 * The content of the letter to bids[b], from the decision to the
 * objection.  It reads bids[b] and the winner's bid, no other: a letter
 * never shows another bidder's name or figures.
 */
static void letter_body(struct pdfdoc *p, const struct award_doc *d, int b)
{
	const PangoFontDescription *h = p->f_h;
	arena *a = p->a;
	const struct award_doc_bid *me = &d->bids[b];
	const struct award_doc_bid *w =
	    d->winner >= 0 ? &d->bids[d->winner] : NULL;
	bool is_w = b == d->winner;
	bool rival = w && !is_w; /* another bid is the intended winner */
	const char *lot = lot_text(a, d);
	const char *wname = w ? or_dash(a, w->name) : "";
	const char *end = or_dash(a, d->standstill_end);
	const char *corrected = pdf_clean(a, d->corrected_reason);

	if (*corrected) {
		heading(p, _("Corrected decision"), h);
		para(p,
		     arena_printf(a,
				  _("This decision replaces the earlier "
				    "award decision for this lot. "
				    "Reason: %s"),
				  corrected),
		     0);
	}

	heading(p, _("Decision"), h);
	para(p,
	     _("This letter is the award decision in the sense of "
	       "article 2.130 of the Aanbestedingswet 2012."),
	     0);
	if (is_w) {
		para(p,
		     arena_printf(a,
				  _("You are the intended winner: we "
				    "intend to award the contract for "
				    "%s to you, because your bid is the "
				    "best according to the award "
				    "criteria."),
				  lot),
		     0);
		para(p,
		     arena_printf(a,
				  _("This is a provisional award "
				    "decision. The award becomes "
				    "definitive only after the "
				    "standstill period has ended on %s, "
				    "provided that no objection has "
				    "been raised by then."),
				  end),
		     0);
	} else if (!me->valid) {
		para(p,
		     arena_printf(a,
				  _("Your bid is invalid and is not "
				    "considered for the award. "
				    "Reason: %s"),
				  or_dash(a, me->invalid_reason)),
		     0);
	} else if (w) {
		para(p,
		     arena_printf(a,
				  _("We do not intend to award the "
				    "contract for %s to you. Your bid "
				    "ranks %d."),
				  lot, me->rank),
		     0);
	}
	if (rival)
		para(p,
		     arena_printf(a,
				  _("We intend to award the contract "
				    "for %s to %s. This is a provisional "
				    "decision: the contract will not be "
				    "concluded before the standstill "
				    "period has ended on %s."),
				  lot, wname, end),
		     0);
	else if (!w)
		para(p,
		     arena_printf(a,
				  _("No intended winner has been "
				    "determined for %s."),
				  lot),
		     0);

	heading(p, _("Reasons for the decision"), h);
	para(p,
	     arena_printf(a,
			  _("The bids were assessed with the method: "
			    "%s."),
			  or_dash(a, d->method)),
	     0);
	const char *formula = pdf_clean(a, d->formula);
	if (*formula)
		para(p, formula, 0);
	{
		struct pdf_col cols[5];
		translate_cols(result_cols, cols, 5);
		const char *cells[10];
		int nr = 0;
		result_row(
		    p, me,
		    arena_printf(a, _("Your bid (%s)"), or_dash(a, me->name)),
		    cells);
		nr++;
		if (rival) {
			result_row(
			    p, w, arena_printf(a, _("Winning bid (%s)"), wname),
			    cells + 5);
			nr++;
		}
		pdf_table(p, MARGIN_X, cols, 5, cells, nr);
	}

	if (d->n_criteria > 0) {
		heading(p, _("Scores per criterion"), h);
		if (me->valid && rival)
			para(p,
			     _("For each criterion: your bid's score and "
			       "the winning bid's score, each with the "
			       "assessors' motivation."),
			     0);
		else if (me->valid)
			para(p,
			     _("For each criterion: your bid's score with "
			       "the assessors' motivation."),
			     0);
		else if (w)
			para(p,
			     _("Your bid was not scored. For each "
			       "criterion: the winning bid's score with "
			       "the assessors' motivation."),
			     0);
		const char *you = _("Your bid");
		const char *them =
		    arena_printf(a, _("Winning bid (%s)"), wname);
		for (int i = 0; i < d->n_criteria && !pdf_failed(p); i++) {
			const struct award_doc_criterion *c = &d->criteria[i];
			double in = depth_indent(c->depth);
			p->y += 3;
			pdf_paragraph(p, criterion_title(a, c), p->f_h, in, 2,
				      3 * LINE);
			if (me->valid)
				score_lines(p, d, b, i, you, in + INDENT);
			if (rival)
				score_lines(p, d, d->winner, i, them,
					    in + INDENT);
		}
	}

	if (rival) {
		heading(p,
			_("Characteristics and relative advantages of the "
			  "winning bid"),
			h);
		const char *summary = pdf_clean(a, d->winner_summary);
		if (*summary)
			para(p, summary, 0);
		if (me->valid) {
			if (me->has_price && w->has_price &&
			    w->price_cents < me->price_cents)
				para(
				    p,
				    arena_printf(a,
						 _("Price: the winning bid's "
						   "price is %s, yours is %s."),
						 pdf_money(a, w->price_cents),
						 pdf_money(a, me->price_cents)),
				    0);
			int higher = 0;
			for (int i = 0; i < d->n_criteria; i++) {
				const struct award_doc_score *sw =
				    score_of(d, d->winner, i);
				const struct award_doc_score *sm =
				    score_of(d, b, i);
				if (!sw || !sm ||
				    sw->score_ppm <= sm->score_ppm)
					continue;
				if (!higher++)
					para(p,
					     _("The winning bid scored "
					       "higher than yours on these "
					       "criteria:"),
					     0);
				label(p,
				      arena_printf(
					  a, _("%s: %s against your %s"),
					  or_dash(a, d->criteria[i].name),
					  pct_ppm(a, sw->score_ppm),
					  pct_ppm(a, sm->score_ppm)),
				      INDENT);
				const char *m = pdf_clean(a, sw->motivation);
				if (*m)
					para(p, m, 2 * INDENT);
			}
			if (!higher)
				para(p,
				     _("The winning bid did not score "
				       "higher than yours on any single "
				       "criterion; its advantage follows "
				       "from the method and the results "
				       "above."),
				     0);
		}
	}

	heading(p, _("Standstill period"), h);
	para(p,
	     arena_printf(a,
			  _("The standstill period ends on %s. The "
			    "contract will not be concluded before "
			    "then."),
			  end),
	     0);
	const char *rule = pdf_clean(a, d->standstill_rule);
	if (*rule)
		para(p, rule, 0);

	heading(p, _("Objection"), h);
	para(p, or_dash(a, d->objection), 0);
}

/* Municipality, title, procedure, lot, then the lines in meta. */
static void title_block(struct pdfdoc *p, const struct award_doc *d,
			const char *title, const char *const *meta, int n)
{
	arena *a = p->a;
	p->y = 50;
	const char *muni = pdf_clean(a, d->municipality);
	if (*muni) {
		pdf_grey(p, 0.35);
		pdf_paragraph(p, muni, p->f_sub, 0, 2, 0);
		pdf_grey(p, 0.0);
	}
	pdf_paragraph(p, title, p->f_title, 0, 4, 0);
	pdf_paragraph(p,
		      arena_printf(a, "%s " DOT " %s",
				   pdf_clean(a, d->reference),
				   pdf_clean(a, d->procedure_title)),
		      p->f_sub, 0, 2, 0);
	pdf_paragraph(p, lot_text(a, d), p->f_sub, 0, 4, 0);
	pdf_grey(p, 0.35);
	for (int i = 0; i < n; i++)
		pdf_paragraph(p, meta[i], p->f_body, 0, 1, 0);
	pdf_grey(p, 0.0);
	p->y += 4;
	pdf_rule(p, p->y, 0.8, 0.4);
	p->y += 8;
}

static const char *decision_title(const struct award_doc *d)
{
	return d->decision_number > 1 ? _("Corrected award decision")
				      : _("Award decision");
}

static const char *running_header(arena *a, const struct award_doc *d,
				  const char *title)
{
	return arena_printf(a, "%s " DOT " %s " DOT " %s", title,
			    pdf_clean(a, d->reference), lot_text(a, d));
}

enum kv_status report_award_letter_pdf(arena *a, const struct award_doc *d,
				       int bid, unsigned char **pdf,
				       size_t *len, struct kv_error *e)
{
	if (!a || !d || !pdf || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no award decision to write."));
	*pdf = NULL;
	*len = 0;
	enum kv_status st = check_doc(d, e);
	if (st != KV_OK)
		return st;
	if (bid < 0 || bid >= d->n_bids)
		return kv_fail(e, KV_INVALID, "bid",
			       _("There is no bid %d to write a letter to."),
			       bid + 1);

	const char *title = decision_title(d);
	struct pdfdoc p;
	sbuf out;
	st = pdf_begin(
	    &p, a, &out, AWARD_PDF_MAX_BYTES,
	    arena_printf(a, "%s " DOT " %s", title, pdf_clean(a, d->reference)),
	    d->municipality, e);
	if (st != KV_OK)
		return st;
	p.running = running_header(a, d, title);
	pdf_new_page(&p);
	const char *meta[3];
	int n = 0;
	meta[n++] = arena_printf(a, _("To: %s"), or_dash(a, d->bids[bid].name));
	if (d->sent_at && *d->sent_at)
		meta[n++] =
		    arena_printf(a, _("Sent: %s"), pdf_clean(a, d->sent_at));
	meta[n++] =
	    arena_printf(a, _("Decision number: %d"), d->decision_number);
	title_block(&p, d, title, meta, n);
	letter_body(&p, d, bid);
	if (!pdf_failed(&p)) {
		p.y += 8;
		para(&p, _("Kind regards,"), 0);
		para(&p, or_dash(a, d->municipality), 0);
	}
	return pdf_end(&p, pdf, len, e);
}

/* --- the award file ------------------------------------------------------- */

static void file_criteria(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	section(p, _("Criteria"));
	if (d->n_criteria == 0) {
		para(p, _("None: the price alone decides."), 0);
		return;
	}
	const struct pdf_col cols[] = {
	    {_("Criterion"), 223, PANGO_ALIGN_LEFT},
	    {_("Weight"), 65, PANGO_ALIGN_RIGHT},
	    {_("Of the total"), 75, PANGO_ALIGN_RIGHT},
	    {_("Kind"), 120, PANGO_ALIGN_LEFT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(a, sizeof *cells * NC * (size_t)d->n_criteria);
	for (int i = 0; i < d->n_criteria; i++) {
		const struct award_doc_criterion *c = &d->criteria[i];
		const char **r = cells + (size_t)i * NC;
		int depth = c->depth < 0                  ? 0
			    : c->depth > MAX_DEPTH_INDENT ? MAX_DEPTH_INDENT
							  : c->depth;
		sbuf name;
		sbuf_init(&name, a, 64 + strlen(pdf_clean(a, c->name)));
		for (int k = 0; k < depth; k++)
			sbuf_puts(&name, "\xe2\x80\x83"); /* em space */
		sbuf_puts(&name, or_dash(a, c->name));
		r[0] = sbuf_str(&name);
		r[1] = pct_bp(a, c->weight_bp);
		r[2] = pct_bp(a, c->weight_total_bp);
		r[3] = c->leaf ? _("scored criterion") : _("group of criteria");
		if (c->knock_out)
			r[3] = arena_printf(a, _("%s, knock-out"), r[3]);
	}
	pdf_table(p, MARGIN_X, cols, NC, cells, d->n_criteria);

	heading(p, _("Scales"), p->f_h);
	int shown = 0;
	for (int i = 0; i < d->n_criteria && !pdf_failed(p); i++) {
		const struct award_doc_criterion *c = &d->criteria[i];
		const char *rubric = pdf_clean(a, c->rubric);
		if (!*rubric)
			continue;
		shown++;
		label(p, or_dash(a, c->name), 0);
		para(p, rubric, INDENT);
	}
	if (!shown)
		para(p, _("None."), 0);
}

static void file_ranking(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	section(p, _("Ranking"));
	if (d->n_bids == 0) {
		para(p, _("None."), 0);
		return;
	}
	if (d->winner >= 0)
		para(p,
		     arena_printf(a, _("Intended winner: %s."),
				  or_dash(a, d->bids[d->winner].name)),
		     0);
	else
		para(p, _("There is no intended winner."), 0);
	const struct pdf_col cols[] = {
	    {_("Rank"), 36, PANGO_ALIGN_RIGHT},
	    {_("Bid"), 125, PANGO_ALIGN_LEFT},
	    {_("Price"), 78, PANGO_ALIGN_RIGHT},
	    {_("Quality"), 56, PANGO_ALIGN_RIGHT},
	    {_("Result"), 98, PANGO_ALIGN_LEFT},
	    {_("Validity"), 90, PANGO_ALIGN_LEFT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(a, sizeof *cells * NC * (size_t)d->n_bids);
	for (int i = 0; i < d->n_bids; i++) {
		const struct award_doc_bid *b = &d->bids[i];
		const char **r = cells + (size_t)i * NC;
		r[0] = b->valid && b->rank > 0 ? arena_printf(a, "%d", b->rank)
					       : DASH;
		r[1] = or_dash(a, b->name);
		r[2] = b->has_price ? pdf_money(a, b->price_cents) : DASH;
		r[3] = b->valid ? pct_ppm(a, b->quality_ppm) : DASH;
		r[4] = b->valid ? or_dash(a, b->result) : DASH;
		r[5] = b->valid ? _("valid")
				: arena_printf(a, _("invalid: %s"),
					       or_dash(a, b->invalid_reason));
	}
	pdf_table(p, MARGIN_X, cols, NC, cells, d->n_bids);
}

static void file_consensus(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	section(p, _("Consensus scores"));
	if (d->n_bids == 0 || d->n_criteria == 0) {
		para(p, _("None."), 0);
		return;
	}
	for (int b = 0; b < d->n_bids && !pdf_failed(p); b++) {
		const struct award_doc_bid *bid = &d->bids[b];
		const char *name = or_dash(a, bid->name);
		if (bid->valid && bid->rank > 0)
			heading(p,
				arena_printf(a, _("%d. %s"), bid->rank, name),
				p->f_h);
		else
			heading(p, arena_printf(a, _("%s (invalid)"), name),
				p->f_h);
		if (!bid->valid)
			para(p,
			     arena_printf(a, _("Invalid: %s"),
					  or_dash(a, bid->invalid_reason)),
			     0);
		if (!bid->scores) {
			para(p, _("Not scored."), 0);
			continue;
		}
		for (int i = 0; i < d->n_criteria && !pdf_failed(p); i++)
			score_lines(p, d, b, i, or_dash(a, d->criteria[i].name),
				    depth_indent(d->criteria[i].depth));
	}
}

static int cmp_individual(const void *x, const void *y, void *ctx)
{
	const struct award_doc_individual *s = ctx;
	int i = *(const int *)x, j = *(const int *)y;
	if (s[i].bid != s[j].bid)
		return s[i].bid < s[j].bid ? -1 : 1;
	if (s[i].criterion != s[j].criterion)
		return s[i].criterion < s[j].criterion ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* The individual scores' order: by bid, then criterion, then as given. */
static int *individual_order(arena *a, const struct award_doc *d)
{
	int *o = arena_alloc(a, sizeof *o * ((size_t)d->n_individual + 1));
	for (int i = 0; i < d->n_individual; i++)
		o[i] = i;
	qsort_r(o, (size_t)d->n_individual, sizeof *o, cmp_individual,
		(void *)d->individual);
	return o;
}

static void file_individual(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	section(p, _("Individual scores"));
	if (d->n_individual == 0) {
		para(p, _("None."), 0);
		return;
	}
	int *o = individual_order(a, d);
	int bid = -1, crit = -1;
	for (int k = 0; k < d->n_individual && !pdf_failed(p); k++) {
		const struct award_doc_individual *s = &d->individual[o[k]];
		if (s->bid != bid) {
			bid = s->bid;
			crit = -1;
			heading(p, or_dash(a, d->bids[bid].name), p->f_h);
		}
		if (s->criterion != crit) {
			crit = s->criterion;
			pdf_paragraph(p, or_dash(a, d->criteria[crit].name),
				      p->f_label, 0, 2, 3 * LINE);
		}
		label(p,
		      arena_printf(a, "%s: %s", or_dash(a, s->assessor),
				   or_dash(a, s->step)),
		      INDENT);
		const char *m = pdf_clean(a, s->motivation);
		if (*m)
			para(p, m, 2 * INDENT);
	}
}

static void file_robustness(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	section(p, _("Robustness"));

	heading(p, _("Sensitivity to the weights"), p->f_h);
	if (d->n_sensitivity == 0) {
		para(p, _("Not computed."), 0);
	} else {
		const struct pdf_col cols[] = {
		    {_("Criterion"), 125, PANGO_ALIGN_LEFT},
		    {_("Weight"), 56, PANGO_ALIGN_RIGHT},
		    {_("Weight up"), 151, PANGO_ALIGN_LEFT},
		    {_("Weight down"), 151, PANGO_ALIGN_LEFT},
		};
		enum { NC = sizeof cols / sizeof cols[0] };
		const char **cells = arena_alloc(
		    a, sizeof *cells * NC * (size_t)d->n_sensitivity);
		for (int i = 0; i < d->n_sensitivity; i++) {
			const struct award_doc_sensitivity *s =
			    &d->sensitivity[i];
			const char **r = cells + (size_t)i * NC;
			r[0] = or_dash(a, s->name);
			r[1] = pct_bp(a, s->weight_bp);
			r[2] = or_dash(a, s->up);
			r[3] = or_dash(a, s->down);
		}
		pdf_table(p, MARGIN_X, cols, NC, cells, d->n_sensitivity);
	}

	heading(p, _("Without one bid"), p->f_h);
	if (d->n_reversal == 0)
		para(p, _("Not computed."), 0);
	for (int i = 0; i < d->n_reversal && !pdf_failed(p); i++)
		para(p,
		     arena_printf(a, "\xe2\x80\xa2 %s",
				  or_dash(a, d->reversal[i])),
		     INDENT);

	heading(p, _("Uncertainty in the scores"), p->f_h);
	const char *mc = pdf_clean(a, d->monte_carlo);
	para(p, *mc ? mc : _("Not computed."), 0);
}

static void file_letters(struct pdfdoc *p, const struct award_doc *d)
{
	arena *a = p->a;
	for (int b = 0; b < d->n_bids && !pdf_failed(p); b++) {
		pdf_new_page(p);
		if (b == 0) {
			section(p, _("The letters"));
			para(p,
			     _("The content of the award letter to each "
			       "bidder."),
			     0);
		}
		section(p, arena_printf(a, _("Letter to %s"),
					or_dash(a, d->bids[b].name)));
		letter_body(p, d, b);
	}
}

enum kv_status report_award_file_pdf(arena *a, const struct award_doc *d,
				     unsigned char **pdf, size_t *len,
				     struct kv_error *e)
{
	if (!a || !d || !pdf || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no award decision to write."));
	*pdf = NULL;
	*len = 0;
	enum kv_status st = check_doc(d, e);
	if (st != KV_OK)
		return st;

	const char *title = _("Award file");
	struct pdfdoc p;
	sbuf out;
	st = pdf_begin(
	    &p, a, &out, AWARD_PDF_MAX_BYTES,
	    arena_printf(a, "%s " DOT " %s", title, pdf_clean(a, d->reference)),
	    d->municipality, e);
	if (st != KV_OK)
		return st;
	p.running = running_header(a, d, title);
	pdf_new_page(&p);
	const char *meta[3];
	int n = 0;
	meta[n++] = arena_printf(a, _("%s, number %d"), decision_title(d),
				 d->decision_number);
	if (d->sent_at && *d->sent_at)
		meta[n++] =
		    arena_printf(a, _("Sent: %s"), pdf_clean(a, d->sent_at));
	title_block(&p, d, title, meta, n);
	const char *corrected = pdf_clean(a, d->corrected_reason);
	if (*corrected)
		para(&p,
		     arena_printf(a,
				  _("This decision replaces the earlier "
				    "award decision for this lot. "
				    "Reason: %s"),
				  corrected),
		     0);

	section(&p, _("Award method"));
	label(&p, or_dash(a, d->method), 0);
	const char *formula = pdf_clean(a, d->formula);
	if (*formula)
		para(&p, formula, 0);
	label(&p, _("Tie rule"), 0);
	para(&p, or_dash(a, d->tie_rule), 0);

	if (!pdf_failed(&p))
		file_criteria(&p, d);
	if (!pdf_failed(&p))
		file_ranking(&p, d);
	if (!pdf_failed(&p))
		file_consensus(&p, d);
	if (!pdf_failed(&p))
		file_individual(&p, d);
	if (!pdf_failed(&p))
		file_robustness(&p, d);
	if (!pdf_failed(&p))
		file_letters(&p, d);
	return pdf_end(&p, pdf, len, e);
}

/* --- the scoring matrix --------------------------------------------------- */

#define CELL_MAX XLSX_CELL_MAX_BYTES

/* A translated sheet name Excel takes, else the English one. */
static const char *add_sheet_name(lxw_workbook *wb, const char *msgid,
				  const char *translated)
{
	if (workbook_validate_sheet_name(wb, translated) == LXW_NO_ERROR)
		return translated;
	return msgid;
}

struct formats {
	lxw_format *title, *head, *head_wrap, *text, *wrap, *pct, *money,
	    *integer;
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	format_set_bg_color(f->head, 0xE7E6E6);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_TOP);
	f->head_wrap = workbook_add_format(wb);
	format_set_bold(f->head_wrap);
	format_set_text_wrap(f->head_wrap);
	format_set_bg_color(f->head_wrap, 0xE7E6E6);
	format_set_align(f->head_wrap, LXW_ALIGN_CENTER);
	format_set_align(f->head_wrap, LXW_ALIGN_VERTICAL_TOP);
	f->text = workbook_add_format(wb);
	format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
	f->wrap = workbook_add_format(wb);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0.00%");
	format_set_align(f->pct, LXW_ALIGN_VERTICAL_TOP);
	f->money = workbook_add_format(wb);
	format_set_num_format(
	    f->money, "\"\xe2\x82\xac\" #,##0.00;\"\xe2\x82\xac\" -#,##0.00");
	format_set_align(f->money, LXW_ALIGN_VERTICAL_TOP);
	f->integer = workbook_add_format(wb);
	format_set_num_format(f->integer, "0");
	format_set_align(f->integer, LXW_ALIGN_VERTICAL_TOP);
}

/* Bids down, criteria across (step and score), the consensus motivation
 * as the step cell's comment. */
static lxw_error sheet_consensus(arena *a, lxw_workbook *wb,
				 const struct award_doc *d,
				 const struct formats *f)
{
	lxw_error err = LXW_NO_ERROR;
	lxw_worksheet *ws = workbook_add_worksheet(
	    wb, add_sheet_name(wb, "Consensus", _("Consensus")));
	if (!ws)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	enum { R_TITLE, R_NAME, R_WEIGHT, R_HEAD, R_FIRST };
	xlsx_keep(
	    &err,
	    worksheet_write_string(
		ws, R_TITLE, 0,
		xlsx_clean(a,
			   arena_printf(a, "%s " DOT " %s " MDASH " %s",
					d->reference ? d->reference : "",
					lot_text(a, d), _("Consensus scores")),
			   CELL_MAX),
		f->title));
	xlsx_keep(&err, worksheet_write_string(ws, R_NAME, 0, _("Criterion"),
					       f->head));
	xlsx_keep(&err, worksheet_write_blank(ws, R_NAME, 1, f->head));
	xlsx_keep(&err,
		  worksheet_write_string(ws, R_WEIGHT, 0,
					 _("Weight of the total"), f->head));
	xlsx_keep(&err, worksheet_write_blank(ws, R_WEIGHT, 1, f->head));
	xlsx_keep(&err,
		  worksheet_write_string(ws, R_HEAD, 0, _("Bid"), f->head));
	xlsx_keep(&err,
		  worksheet_write_string(ws, R_HEAD, 1, _("Rank"), f->head));
	/* Excel has 16384 columns: two per criterion after the first two. */
	int nc = d->n_criteria < 8190 ? d->n_criteria : 8190;
	for (int i = 0; i < nc; i++) {
		const struct award_doc_criterion *c = &d->criteria[i];
		lxw_col_t col = (lxw_col_t)(2 + 2 * i);
		const char *name = xlsx_clean(a, c->name, CELL_MAX);
		if (c->knock_out)
			name = arena_printf(a, _("%s, knock-out"), name);
		xlsx_keep(&err,
			  worksheet_merge_range(ws, R_NAME, col, R_NAME,
						col + 1, name, f->head_wrap));
		xlsx_keep(&err,
			  worksheet_merge_range(ws, R_WEIGHT, col, R_WEIGHT,
						col + 1, "", f->head));
		xlsx_keep(&err,
			  worksheet_write_number(
			      ws, R_WEIGHT, col,
			      (double)c->weight_total_bp / 10000.0, f->pct));
		xlsx_keep(&err, worksheet_write_string(ws, R_HEAD, col,
						       _("Step"), f->head));
		xlsx_keep(&err, worksheet_write_string(ws, R_HEAD, col + 1,
						       _("Score"), f->head));
	}
	lxw_comment_options copt = {0};
	copt.width = 420;
	copt.height = 220;
	copt.author = (char *)"Kavel";
	for (int b = 0; b < d->n_bids; b++) {
		const struct award_doc_bid *bid = &d->bids[b];
		lxw_row_t row = (lxw_row_t)(R_FIRST + b);
		xlsx_keep(&err,
			  worksheet_write_string(
			      ws, row, 0, xlsx_clean(a, bid->name, CELL_MAX),
			      f->text));
		if (bid->valid && bid->rank > 0)
			xlsx_keep(&err, worksheet_write_number(
					    ws, row, 1, bid->rank, f->integer));
		else
			xlsx_keep(&err, worksheet_write_string(
					    ws, row, 1, _("invalid"), f->text));
		if (!bid->scores)
			continue;
		for (int i = 0; i < nc; i++) {
			const struct award_doc_score *s = &bid->scores[i];
			lxw_col_t col = (lxw_col_t)(2 + 2 * i);
			const char *step = xlsx_clean(a, s->step, CELL_MAX);
			xlsx_keep(&err, worksheet_write_string(ws, row, col,
							       step, f->text));
			const char *m = xlsx_clean(a, s->motivation, CELL_MAX);
			if (*m)
				xlsx_keep(&err,
					  worksheet_write_comment_opt(
					      ws, row, col, (char *)m, &copt));
			xlsx_keep(&err,
				  worksheet_write_number(
				      ws, row, col + 1,
				      (double)s->score_ppm / 1e6, f->pct));
		}
	}
	xlsx_keep(&err, worksheet_set_column(ws, 0, 0, 32, NULL));
	xlsx_keep(&err, worksheet_set_column(ws, 1, 1, 8, NULL));
	for (int i = 0; i < nc; i++) {
		lxw_col_t col = (lxw_col_t)(2 + 2 * i);
		xlsx_keep(&err, worksheet_set_column(ws, col, col, 20, NULL));
		xlsx_keep(&err,
			  worksheet_set_column(ws, col + 1, col + 1, 10, NULL));
	}
	xlsx_keep(&err, worksheet_set_row(ws, R_NAME, 45, NULL));
	worksheet_freeze_panes(ws, R_FIRST, 2);
	return err;
}

/* One row per assessor's score: assessor, bid, criterion, step,
 * motivation. */
static lxw_error sheet_individual(arena *a, lxw_workbook *wb,
				  const struct award_doc *d,
				  const struct formats *f)
{
	lxw_error err = LXW_NO_ERROR;
	lxw_worksheet *ws = workbook_add_worksheet(
	    wb, add_sheet_name(wb, "Individual", _("Individual")));
	if (!ws)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	const char *head[] = {_("Assessor"), _("Bid"), _("Criterion"),
			      _("Step"), _("Motivation")};
	const double width[] = {22, 28, 30, 20, 90};
	for (lxw_col_t c = 0; c < 5; c++) {
		xlsx_keep(&err,
			  worksheet_write_string(ws, 0, c, head[c], f->head));
		xlsx_keep(&err, worksheet_set_column(ws, c, c, width[c],
						     c == 4 ? f->wrap : NULL));
	}
	int *o = individual_order(a, d);
	int rows = d->n_individual < 1048575 ? d->n_individual : 1048575;
	for (int k = 0; k < rows; k++) {
		const struct award_doc_individual *s = &d->individual[o[k]];
		lxw_row_t r = (lxw_row_t)(1 + k);
		const char *cells[] = {s->assessor, d->bids[s->bid].name,
				       d->criteria[s->criterion].name, s->step,
				       s->motivation};
		for (lxw_col_t c = 0; c < 5; c++)
			xlsx_keep(&err, worksheet_write_string(
					    ws, r, c,
					    xlsx_clean(a, cells[c], CELL_MAX),
					    c == 4 ? f->wrap : f->text));
	}
	if (rows > 0)
		xlsx_keep(&err,
			  worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, 4));
	worksheet_freeze_panes(ws, 1, 0);
	return err;
}

/* Rank, bid, price, the method's figures, validity. */
static lxw_error sheet_ranking(arena *a, lxw_workbook *wb,
			       const struct award_doc *d,
			       const struct formats *f)
{
	lxw_error err = LXW_NO_ERROR;
	lxw_worksheet *ws = workbook_add_worksheet(
	    wb, add_sheet_name(wb, "Ranking", _("Ranking")));
	if (!ws)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	/* The method's figures that any bid has. */
	bool price_pts = false, total = false, fictive = false, ratio = false;
	for (int b = 0; b < d->n_bids; b++) {
		const struct award_doc_bid *bid = &d->bids[b];
		price_pts |= bid->price_ppm != 0;
		total |= bid->total_ppm != 0;
		fictive |= bid->fictive_cents != 0;
		ratio |= bid->ratio_cents != 0;
	}
	enum {
		RANK,
		BID,
		PRICE,
		QUALITY,
		PRICE_PTS,
		TOTAL,
		FICTIVE,
		RATIO,
		RESULT,
		VALID,
		NCOL
	};
	const char *label[NCOL] = {
	    _("Rank"),          _("Bid"),
	    _("Price"),         _("Quality"),
	    _("Price score"),   _("Total"),
	    _("Fictive price"), _("Price per full quality score"),
	    _("Result"),        _("Valid")};
	const double width[NCOL] = {7, 32, 16, 10, 12, 10, 16, 18, 30, 50};
	bool shown[NCOL] = {true,  true,    true,  true, price_pts,
			    total, fictive, ratio, true, true};
	lxw_col_t at[NCOL];
	lxw_col_t c = 0;
	for (int k = 0; k < NCOL; k++) {
		if (!shown[k])
			continue;
		at[k] = c;
		xlsx_keep(&err,
			  worksheet_write_string(ws, 0, c, label[k], f->head));
		xlsx_keep(&err,
			  worksheet_set_column(ws, c, c, width[k],
					       k == VALID ? f->wrap : NULL));
		c++;
	}
	for (int b = 0; b < d->n_bids; b++) {
		const struct award_doc_bid *bid = &d->bids[b];
		lxw_row_t r = (lxw_row_t)(1 + b);
		if (bid->valid && bid->rank > 0)
			xlsx_keep(&err, worksheet_write_number(ws, r, at[RANK],
							       bid->rank,
							       f->integer));
		xlsx_keep(&err,
			  worksheet_write_string(
			      ws, r, at[BID],
			      xlsx_clean(a, bid->name, CELL_MAX), f->text));
		if (bid->has_price)
			xlsx_keep(&err, worksheet_write_number(
					    ws, r, at[PRICE],
					    (double)bid->price_cents / 100.0,
					    f->money));
		if (bid->valid) {
			xlsx_keep(&err,
				  worksheet_write_number(
				      ws, r, at[QUALITY],
				      (double)bid->quality_ppm / 1e6, f->pct));
			if (price_pts)
				xlsx_keep(&err,
					  worksheet_write_number(
					      ws, r, at[PRICE_PTS],
					      (double)bid->price_ppm / 1e6,
					      f->pct));
			if (total)
				xlsx_keep(&err,
					  worksheet_write_number(
					      ws, r, at[TOTAL],
					      (double)bid->total_ppm / 1e6,
					      f->pct));
			if (fictive)
				xlsx_keep(&err, worksheet_write_number(
						    ws, r, at[FICTIVE],
						    (double)bid->fictive_cents /
							100.0,
						    f->money));
			if (ratio)
				xlsx_keep(&err,
					  worksheet_write_number(
					      ws, r, at[RATIO],
					      (double)bid->ratio_cents / 100.0,
					      f->money));
			xlsx_keep(&err,
				  worksheet_write_string(
				      ws, r, at[RESULT],
				      xlsx_clean(a, bid->result, CELL_MAX),
				      f->text));
		}
		const char *valid =
		    bid->valid
			? _("yes")
			: xlsx_clean(a,
				     arena_printf(a, _("no: %s"),
						  bid->invalid_reason
						      ? bid->invalid_reason
						      : ""),
				     CELL_MAX);
		xlsx_keep(&err, worksheet_write_string(ws, r, at[VALID], valid,
						       f->wrap));
	}
	worksheet_freeze_panes(ws, 1, 0);
	return err;
}

static lxw_error fill_matrix(arena *a, lxw_workbook *wb, const void *ctx)
{
	const struct award_doc *d = ctx;
	struct formats f;
	make_formats(wb, &f);
	lxw_error err = LXW_NO_ERROR;
	xlsx_keep(&err, sheet_consensus(a, wb, d, &f));
	xlsx_keep(&err, sheet_individual(a, wb, d, &f));
	xlsx_keep(&err, sheet_ranking(a, wb, d, &f));
	lxw_doc_properties props = {0};
	props.title = (char *)xlsx_clean(
	    a,
	    arena_printf(a, "%s " DOT " %s", d->reference ? d->reference : "",
			 lot_text(a, d)),
	    1000);
	props.subject = (char *)_("Scoring matrix");
	props.company = (char *)xlsx_clean(a, d->municipality, 1000);
	xlsx_keep(&err, workbook_set_properties(wb, &props));
	return err;
}

enum kv_status report_award_xlsx(arena *a, const struct award_doc *d,
				 unsigned char **xlsx, size_t *len,
				 struct kv_error *e)
{
	if (!a || !d || !xlsx || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no award decision to write."));
	*xlsx = NULL;
	*len = 0;
	enum kv_status st = check_doc(d, e);
	if (st != KV_OK)
		return st;
	if (d->n_bids > 1048575)
		return kv_fail(e, KV_INVALID, "bids",
			       _("Too many bids for a spreadsheet."));
	return xlsx_render(a, "kavel-award", fill_matrix, d, xlsx, len, e);
}
