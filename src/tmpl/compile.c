/*
 * compile.c - the template compiler; see tmpl.h and docs/templates.md.
 *
 * Three steps per template: read the view (the {{#view}} block) into slot
 * declarations; parse the body into a tree of nodes; walk the tree with
 * an HTML tokenizer's state, emitting C and refusing what is unsafe.  The
 * state is known at compile time because the literal text is ours: only
 * slots vary, and a slot never changes the state (its bytes are escaped
 * for the place it stands).
 */
#include "tmpl.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* ---- the view ----------------------------------------------------------- */

enum kind { K_TEXT, K_INT, K_BOOL, K_HTML, K_URL, K_VIEW, K_LIST };

static const char *const kind_names[] = {"text", "int", "bool", "html", "url", "view", "list"};

struct vdef;

struct slot {
	const char *name;
	enum kind kind;
	const char *tmpl;       /* K_VIEW: the template whose view it is */
	struct vdef *elem;      /* K_LIST: the element's fields */
	int line;
};

struct vdef {
	const char *ctag;       /* tv_page, tv_page_lots, ... */
	struct slot *slots;
	int n, cap;
};

/* ---- the body ----------------------------------------------------------- */

enum ntype { N_TEXT, N_SLOT, N_IF, N_EACH, N_INCLUDE, N_TR };

struct node {
	enum ntype type;
	int line;
	const char *text;       /* N_TEXT: bytes; N_TR: the msgid */
	size_t len;
	const char *path;       /* N_SLOT, N_IF, N_EACH: the name; N_INCLUDE: its slot or NULL */
	bool negate;            /* N_IF */
	const char *var;        /* N_EACH: the element's name */
	const char *tmpl;       /* N_INCLUDE */
	const char **args;      /* N_TR */
	int nargs;
	struct node *body, *alt; /* N_IF, N_EACH (alt: the empty list) */
	struct node *next;
};

struct template {
	const char *name, *path, *text;
	struct vdef view;
	struct node *body;
	bool compiled, compiling;
};

/* ---- errors ------------------------------------------------------------- */

struct cc {
	arena *a;
	jmp_buf fail;
	char *err;
	size_t errlen;
	struct template *t;      /* the one being read or emitted */
	struct template *all;
	int n;
	int depth;               /* loop nesting, for C names */
	int tmp;                 /* counter for C temporaries */
};

__attribute__((noreturn, format(printf, 3, 4)))
static void fail(struct cc *cc, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(cc->err, cc->errlen, "%s:%d: %s", cc->t ? cc->t->path : "?", line, msg);
	longjmp(cc->fail, 1);
}

static bool is_ident(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static const char *const c_words[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
	"switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
	"true", "false", NULL};

static void check_name(struct cc *cc, int line, const char *s, const char *what)
{
	if (!is_ident(s) || strlen(s) > 48)
		fail(cc, line, "%s \"%s\" is no name (letters, digits, _; at most 48)", what, s);
	for (int i = 0; c_words[i]; i++)
		if (strcmp(s, c_words[i]) == 0)
			fail(cc, line, "%s \"%s\" is a reserved word", what, s);
	if (strncmp(s, "n_", 2) == 0)
		fail(cc, line, "%s \"%s\": names starting n_ are the lists' counts", what, s);
}

static int line_at(const char *text, const char *p)
{
	int line = 1;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

/* ---- reading the view ----------------------------------------------------- */

static struct slot *find_slot(const struct vdef *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->slots[i].name, name) == 0)
			return &v->slots[i];
	return NULL;
}

static struct slot *add_slot(struct cc *cc, struct vdef *v, const char *name, int line)
{
	check_name(cc, line, name, "slot");
	if (find_slot(v, name))
		fail(cc, line, "slot \"%s\" is declared twice", name);
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 8;
		struct slot *s = arena_alloc(cc->a, (size_t)cap * sizeof *s);
		if (v->n)
			memcpy(s, v->slots, (size_t)v->n * sizeof *s);
		v->slots = s;
		v->cap = cap;
	}
	struct slot *s = &v->slots[v->n++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->line = line;
	return s;
}

/* Splits the view block into words; '{' and '}' are words of their own,
 * '#' starts a comment to the end of its line. */
struct words {
	const char **w;
	int *line;
	int n, i;
};

static void split_words(struct cc *cc, const char *p, const char *end, int line,
			struct words *ws)
{
	int cap = 64;
	ws->w = arena_alloc(cc->a, (size_t)cap * sizeof *ws->w);
	ws->line = arena_alloc(cc->a, (size_t)cap * sizeof *ws->line);
	ws->n = ws->i = 0;
	while (p < end) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		const char *s = p;
		if (*p == '{' || *p == '}' || *p == ':')
			p++;
		else
			while (p < end && !isspace((unsigned char)*p) && *p != '{' && *p != '}' &&
			       *p != '#' && *p != ':')
				p++;
		if (ws->n == cap) {
			cap *= 2;
			const char **w = arena_alloc(cc->a, (size_t)cap * sizeof *w);
			int *l = arena_alloc(cc->a, (size_t)cap * sizeof *l);
			memcpy(w, ws->w, (size_t)ws->n * sizeof *w);
			memcpy(l, ws->line, (size_t)ws->n * sizeof *l);
			ws->w = w;
			ws->line = l;
		}
		ws->w[ws->n] = arena_strndup(cc->a, s, (size_t)(p - s));
		ws->line[ws->n++] = line;
	}
}

static const char *next_word(struct cc *cc, struct words *ws, const char *what)
{
	if (ws->i >= ws->n)
		fail(cc, ws->n ? ws->line[ws->n - 1] : 1, "the view ends where %s was expected", what);
	return ws->w[ws->i++];
}

static void read_decls(struct cc *cc, struct words *ws, struct vdef *v, bool nested)
{
	while (ws->i < ws->n) {
		int line = ws->line[ws->i];
		const char *type = next_word(cc, ws, "a type");
		if (strcmp(type, "}") == 0) {
			if (!nested)
				fail(cc, line, "a '}' with no list open");
			return;
		}
		const char *name = next_word(cc, ws, "a slot name");
		struct slot *s = add_slot(cc, v, name, line);
		if (strcmp(type, "list") == 0) {
			if (strcmp(next_word(cc, ws, "'{'"), "{") != 0)
				fail(cc, line, "list %s: its fields go in { }", name);
			s->kind = K_LIST;
			s->elem = arena_alloc(cc->a, sizeof *s->elem);
			s->elem->ctag = arena_printf(cc->a, "%s_%s", v->ctag, name);
			read_decls(cc, ws, s->elem, true);
			continue;
		}
		if (strcmp(type, "view") == 0) {
			/* view TEMPLATE NAME: the slot is that template's view */
			const char *real = next_word(cc, ws, "a slot name");
			check_name(cc, line, name, "template");
			v->n--;
			s = add_slot(cc, v, real, line);
			s->kind = K_VIEW;
			s->tmpl = name;
			continue;
		}
		int k;
		for (k = 0; k <= K_URL; k++)
			if (strcmp(type, kind_names[k]) == 0)
				break;
		if (k > K_URL)
			fail(cc, line, "unknown type \"%s\" (text, int, bool, html, url, list, view)", type);
		s->kind = (enum kind)k;
	}
	if (nested)
		fail(cc, ws->n ? ws->line[ws->n - 1] : 1, "a list's '{' is never closed");
}

/* ---- parsing the body ---------------------------------------------------- */

static bool starts(const char *p, const char *word)
{
	size_t n = strlen(word);
	return strncmp(p, word, n) == 0 &&
	       (p[n] == 0 || isspace((unsigned char)p[n]) || p[n] == '}');
}

/* The end of a tag that starts at p ("{{"): the "}}" outside quotes. */
static const char *tag_end(struct cc *cc, const char *text, const char *p)
{
	bool q = false;
	for (const char *s = p + 2; *s; s++) {
		if (q && *s == '\\' && s[1])
			s++;
		else if (*s == '"')
			q = !q;
		else if (!q && s[0] == '}' && s[1] == '}')
			return s;
		else if (*s == '\n' && q)
			fail(cc, line_at(text, p), "a string in a tag runs past its line");
	}
	fail(cc, line_at(text, p), "a tag \"{{\" is never closed by \"}}\"");
}

/* Words of a tag's inside; a "..." string is one word with its quotes. */
static int tag_words(struct cc *cc, int line, const char *s, const char *end,
		     const char **out, int max)
{
	int n = 0;
	while (s < end) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		const char *w = s;
		if (*s == '"') {
			s++;
			while (s < end && *s != '"')
				s += *s == '\\' && s + 1 < end ? 2 : 1;
			if (s >= end)
				fail(cc, line, "a string is not closed");
			s++;
		} else {
			while (s < end && !isspace((unsigned char)*s))
				s++;
		}
		if (n == max)
			fail(cc, line, "too many words in one tag (at most %d)", max);
		out[n++] = arena_strndup(cc->a, w, (size_t)(s - w));
	}
	return n;
}

/* A C string literal's inside, from a template string "..." (the escapes
 * \" \\ \n allowed; everything else literal); checked as UTF-8 text. */
static const char *tr_string(struct cc *cc, int line, const char *w)
{
	size_t n = strlen(w);
	if (n < 2 || w[0] != '"' || w[n - 1] != '"')
		fail(cc, line, "a translation wants a \"string\"");
	sbuf b;
	sbuf_init(&b, cc->a, 1 << 16);
	for (size_t i = 1; i + 1 < n; i++) {
		char c = w[i];
		if (c == '\\') {
			c = w[++i];
			if (c == 'n')
				c = '\n';
			else if (c != '"' && c != '\\')
				fail(cc, line, "unknown escape \\%c in a string", c ? c : '0');
		}
		if ((unsigned char)c < 0x20 && c != '\n')
			fail(cc, line, "a control character in a string");
		sbuf_add(&b, &c, 1);
	}
	if (b.len == 0)
		fail(cc, line, "an empty string cannot be translated");
	return sbuf_str(&b);
}

struct parser {
	const char *text, *p;
};

/* Is [s, e) only blanks (spaces and tabs)? */
static bool blank_run(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

static struct node *new_node(struct cc *cc, enum ntype t, int line)
{
	struct node *n = arena_alloc(cc->a, sizeof *n);
	n->type = t;
	n->line = line;
	return n;
}

/* A block tag alone on its line takes its line with it: the blanks before
 * it (cut from the text node *prev_text) and the blanks and newline after. */
static void standalone(struct parser *ps, const char *tag, const char *after,
		       struct node *prev_text)
{
	const char *ls = tag;
	while (ls > ps->text && (ls[-1] == ' ' || ls[-1] == '\t'))
		ls--;
	if (ls != ps->text && ls[-1] != '\n')
		return;
	const char *e = after;
	while (*e == ' ' || *e == '\t')
		e++;
	if (*e == '\r')
		e++;
	if (*e != '\n' && *e)
		return;
	if (prev_text && prev_text->type == N_TEXT &&
	    prev_text->text + prev_text->len == tag && blank_run(ls, tag))
		prev_text->len -= (size_t)(tag - ls);
	ps->p = *e ? e + 1 : e;
}

static struct node *parse_nodes(struct cc *cc, struct parser *ps, const char **closer,
				int *closer_line);

/* The body of {{#KIND}} (if, each) up to its {{/KIND}}, with an {{else}}
 * part in n->alt. */
static void block_body(struct cc *cc, struct parser *ps, struct node *n, int line,
		       const char *kind)
{
	const char *c;
	int cl;
	n->body = parse_nodes(cc, ps, &c, &cl);
	if (c && strcmp(c, "else") == 0) {
		n->alt = parse_nodes(cc, ps, &c, &cl);
		if (c && strcmp(c, "else") == 0)
			fail(cc, cl, "a second {{else}} in one {{#%s}}", kind);
	}
	if (!c || c[0] != '/' || strcmp(c + 1, kind) != 0)
		fail(cc, c ? cl : line, "{{#%s %s}} is closed by %s, not {{/%s}}", kind, n->path,
		     c ? c : "the end of the file", kind);
}

/* Parses nodes until a closing tag; returns the list and sets *closer to
 * "/if", "else", "/each" or NULL at the end of the text. */
static struct node *parse_nodes(struct cc *cc, struct parser *ps, const char **closer,
				int *closer_line)
{
	struct node *head = NULL, **tail = &head, *last = NULL;
	*closer = NULL;
	while (*ps->p) {
		const char *open = strstr(ps->p, "{{");
		if (!open)
			open = ps->p + strlen(ps->p);
		if (open > ps->p) {
			struct node *n = new_node(cc, N_TEXT, line_at(ps->text, ps->p));
			n->text = ps->p;
			n->len = (size_t)(open - ps->p);
			*tail = last = n;
			tail = &n->next;
			ps->p = open;
		}
		if (!*ps->p)
			break;
		int line = line_at(ps->text, open);
		const char *end = tag_end(cc, ps->text, open);
		const char *in = open + 2;
		while (in < end && isspace((unsigned char)*in))
			in++;
		const char *after = end + 2;
		ps->p = after;
		const char *w[16];
		if (*in == '!') {
			standalone(ps, open, after, last);
			continue;
		}
		if (starts(in, "/if") || starts(in, "/each") || starts(in, "else")) {
			int nw = tag_words(cc, line, in, end, w, 16);
			if (nw != 1)
				fail(cc, line, "{{%s}} takes nothing more", w[0]);
			standalone(ps, open, after, last);
			*closer = w[0];
			*closer_line = line;
			return head;
		}
		if (starts(in, "#if")) {
			int nw = tag_words(cc, line, in, end, w, 16);
			if (nw != 2)
				fail(cc, line, "{{#if NAME}} or {{#if !NAME}}: one name");
			struct node *n = new_node(cc, N_IF, line);
			n->negate = w[1][0] == '!';
			n->path = w[1] + n->negate;
			standalone(ps, open, after, last);
			block_body(cc, ps, n, line, "if");
			*tail = n;
			tail = &n->next;
			last = NULL;
			continue;
		}
		if (starts(in, "#each")) {
			int nw = tag_words(cc, line, in, end, w, 16);
			if (nw != 4 || strcmp(w[2], "as") != 0)
				fail(cc, line, "{{#each LIST as NAME}}");
			struct node *n = new_node(cc, N_EACH, line);
			n->path = w[1];
			n->var = w[3];
			check_name(cc, line, n->var, "loop name");
			standalone(ps, open, after, last);
			block_body(cc, ps, n, line, "each");
			*tail = n;
			tail = &n->next;
			last = NULL;
			continue;
		}
		if (*in == '>') {
			int nw = tag_words(cc, line, in + 1, end, w, 16);
			if (nw < 1 || nw > 2)
				fail(cc, line, "{{> TEMPLATE}} or {{> TEMPLATE SLOT}}");
			struct node *n = new_node(cc, N_INCLUDE, line);
			n->tmpl = w[0];
			n->path = nw == 2 ? w[1] : NULL;
			*tail = last = n;
			tail = &n->next;
			continue;
		}
		if (*in == '_' && (isspace((unsigned char)in[1]))) {
			int nw = tag_words(cc, line, in + 1, end, w, 16);
			if (nw < 1)
				fail(cc, line, "{{_ \"text\"}} wants its text");
			struct node *n = new_node(cc, N_TR, line);
			n->text = tr_string(cc, line, w[0]);
			n->nargs = nw - 1;
			n->args = arena_alloc(cc->a, (size_t)(nw) * sizeof *n->args);
			for (int i = 1; i < nw; i++)
				n->args[i - 1] = w[i];
			int conv = 0;
			for (const char *q = n->text; *q; q++) {
				if (*q != '%')
					continue;
				if (q[1] == 's')
					conv++;
				else if (q[1] != '%')
					fail(cc, line, "a translation knows only %%s (and %%%%)");
				q++;
			}
			if (conv != n->nargs)
				fail(cc, line, "\"%s\" takes %d value(s), the tag gives %d", n->text, conv,
				     n->nargs);
			*tail = last = n;
			tail = &n->next;
			continue;
		}
		if (*in == '#' || *in == '/')
			fail(cc, line, "unknown block tag {{%.*s}}", (int)(end - in), in);
		int nw = tag_words(cc, line, in, end, w, 16);
		if (nw != 1)
			fail(cc, line, "a slot tag holds one name, not \"%.*s\"", (int)(end - in), in);
		struct node *n = new_node(cc, N_SLOT, line);
		n->path = w[0];
		*tail = last = n;
		tail = &n->next;
	}
	return head;
}

/* ---- the HTML state --------------------------------------------------------- */

enum hstate {
	H_DATA, H_TAG_NAME, H_TAG, H_ATTR_NAME, H_AFTER_ATTR, H_BEFORE_VALUE,
	H_VALUE_DQ, H_VALUE_SQ, H_VALUE_UQ, H_COMMENT, H_DECL, H_END_TAG, H_RAW,
	H_LT, H_LT_BANG, H_LT_BANG_DASH
};

static const char *const hstate_names[] = {
	"element text", "a tag name", "a tag", "an attribute name", "a tag",
	"an attribute's '='", "an attribute value", "an attribute value",
	"an unquoted attribute value", "an HTML comment", "a <!...> declaration",
	"an end tag", "a script or style", "a tag", "a <!...> declaration",
	"a <!...> declaration"};

struct hs {
	enum hstate st;
	char tag[16];
	char attr[24];
	size_t vlen;             /* bytes of the attribute value so far */
	int dashes;              /* H_COMMENT: '-' just seen */
	int raw_match;           /* H_RAW: bytes of "</script" matched */
	bool end_tag;            /* H_TAG_NAME of an end tag */
};

/* Inside a start tag, where an attribute may begin: the states a branch
 * may end in and still meet the other (the tag's name must match). */
static bool in_tag(const struct hs *h)
{
	return (h->st == H_TAG_NAME && !h->end_tag && h->tag[0]) || h->st == H_TAG ||
	       h->st == H_ATTR_NAME || h->st == H_AFTER_ATTR;
}

static bool hs_equal(const struct hs *a, const struct hs *b)
{
	if (in_tag(a) || in_tag(b))
		return in_tag(a) && in_tag(b) && strcmp(a->tag, b->tag) == 0;
	if (a->st != b->st)
		return false;
	if (a->st == H_DATA)
		return true;
	return strcmp(a->tag, b->tag) == 0 && strcmp(a->attr, b->attr) == 0 &&
	       (a->vlen == 0) == (b->vlen == 0);
}

/* After branches met inside a tag: between attributes. */
static void hs_merged(struct hs *h)
{
	if (in_tag(h)) {
		h->st = H_TAG;
		h->attr[0] = 0;
	}
}

static bool raw_tag(const char *t)
{
	return strcmp(t, "script") == 0 || strcmp(t, "style") == 0;
}

static void append_lower(char *buf, size_t cap, char c)
{
	size_t n = strlen(buf);
	if (n + 1 < cap) {
		buf[n] = (char)tolower((unsigned char)c);
		buf[n + 1] = 0;
	}
}

static void hs_tag_done(struct hs *h)
{
	h->st = !h->end_tag && raw_tag(h->tag) ? H_RAW : H_DATA;
	h->raw_match = 0;
	h->attr[0] = 0;
}

/* Moves the state over literal bytes. */
static void hs_feed(struct hs *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool sp = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		switch (h->st) {
		case H_DATA:
			if (c == '<')
				h->st = H_LT;
			break;
		case H_LT:
			if (c == '!') {
				h->st = H_LT_BANG;
			} else if (c == '/') {
				h->st = H_TAG_NAME;
				h->end_tag = true;
				h->tag[0] = 0;
			} else if (isalpha((unsigned char)c)) {
				h->st = H_TAG_NAME;
				h->end_tag = false;
				h->tag[0] = 0;
				append_lower(h->tag, sizeof h->tag, c);
			} else {
				h->st = c == '<' ? H_LT : H_DATA;
			}
			break;
		case H_LT_BANG:
			h->st = c == '-' ? H_LT_BANG_DASH : c == '>' ? H_DATA : H_DECL;
			break;
		case H_LT_BANG_DASH:
			if (c == '-') {
				h->st = H_COMMENT;
				h->dashes = 0;
			} else {
				h->st = c == '>' ? H_DATA : H_DECL;
			}
			break;
		case H_TAG_NAME:
			if (sp || c == '/')
				h->st = h->end_tag ? H_END_TAG : H_TAG;
			else if (c == '>')
				hs_tag_done(h);
			else
				append_lower(h->tag, sizeof h->tag, c);
			break;
		case H_END_TAG:
			if (c == '>')
				h->st = H_DATA;
			break;
		case H_TAG:
		case H_AFTER_ATTR:
			if (c == '>') {
				hs_tag_done(h);
			} else if (c == '=' && h->st == H_AFTER_ATTR) {
				h->st = H_BEFORE_VALUE;
			} else if (!sp && c != '/') {
				h->st = H_ATTR_NAME;
				h->attr[0] = 0;
				append_lower(h->attr, sizeof h->attr, c);
			}
			break;
		case H_ATTR_NAME:
			if (c == '=')
				h->st = H_BEFORE_VALUE;
			else if (sp || c == '/')
				h->st = H_AFTER_ATTR;
			else if (c == '>')
				hs_tag_done(h);
			else
				append_lower(h->attr, sizeof h->attr, c);
			break;
		case H_BEFORE_VALUE:
			h->vlen = 0;
			if (c == '"')
				h->st = H_VALUE_DQ;
			else if (c == '\'')
				h->st = H_VALUE_SQ;
			else if (c == '>')
				hs_tag_done(h);
			else if (!sp)
				h->st = H_VALUE_UQ;
			break;
		case H_VALUE_DQ:
		case H_VALUE_SQ:
			if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
				h->st = H_TAG;
			else
				h->vlen++;
			break;
		case H_VALUE_UQ:
			if (sp)
				h->st = H_TAG;
			else if (c == '>')
				hs_tag_done(h);
			break;
		case H_COMMENT:
			if (c == '>' && h->dashes >= 2)
				h->st = H_DATA;
			h->dashes = c == '-' ? h->dashes + 1 : 0;
			break;
		case H_DECL:
			if (c == '>')
				h->st = H_DATA;
			break;
		case H_RAW: {
			/* until "</" + the tag's name */
			char want[20];
			snprintf(want, sizeof want, "</%s", h->tag);
			if (tolower((unsigned char)c) == want[h->raw_match]) {
				h->raw_match++;
				if (!want[h->raw_match]) {
					h->st = H_END_TAG;
					h->raw_match = 0;
				}
			} else {
				h->raw_match = c == '<' ? 1 : 0;
			}
			break;
		}
		}
	}
}

static bool url_attr(const char *a)
{
	static const char *const names[] = {"href", "src", "action", "formaction", "poster",
					    "cite", "data", "srcset", "xlink:href", "ping",
					    "background", "manifest", "codebase", NULL};
	for (int i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

/* ---- emitting C ---------------------------------------------------------------- */

struct scope {
	const char *var;         /* template name of the element */
	const char *cvar;        /* its C pointer */
	const struct vdef *elem;
	struct scope *up;
};

struct emit {
	sbuf *c;
	struct hs h;
	struct scope *scope;
	const struct vdef *view;
	const char *vexpr;       /* "v" */
	int indent;
	sbuf lit;                /* pending literal bytes */
	bool at_start;           /* nothing written yet */
	const char *text;        /* the template's text */
};

static void ind(struct emit *e)
{
	for (int i = 0; i < e->indent; i++)
		sbuf_puts(e->c, "\t");
}

static void c_string(sbuf *c, const char *s, size_t n)
{
	sbuf_puts(c, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			sbuf_printf(c, "\\%c", ch);
		else if (ch == '\n' && i + 1 < n)
			sbuf_puts(c, "\\n\"\n\t\t\"");
		else if (ch == '\n')
			sbuf_puts(c, "\\n");
		else if (ch == '\t')
			sbuf_puts(c, "\\t");
		else if (ch < 0x20 || ch == 0x7f || ch == '?')
			sbuf_printf(c, "\\%03o", ch);   /* '?': no trigraphs */
		else
			sbuf_add(c, (const char *)&ch, 1);
	}
	sbuf_puts(c, "\"");
}

static void flush(struct emit *e)
{
	if (!e->lit.len)
		return;
	ind(e);
	sbuf_puts(e->c, "sbuf_add(b, ");
	c_string(e->c, e->lit.p, e->lit.len);
	sbuf_printf(e->c, ", %zu);\n", e->lit.len);
	e->lit.len = 0;
	e->lit.p[0] = 0;
}

/* Literal bytes.  A run of whitespace holding a newline (the template's
 * own layout) goes when it stands next to a tag ("<p>\n  <b>" is
 * "<p><b>"), and is one space inside running text; a run without a newline
 * stays as it is.  Only in text and between attributes: never in a value,
 * a comment or a script. */
static void literal(struct emit *e, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool collapse = e->h.st == H_DATA || e->h.st == H_TAG || e->h.st == H_AFTER_ATTR;
		if (collapse && isspace((unsigned char)s[i])) {
			size_t j = i;
			bool nl = false;
			while (j < n && isspace((unsigned char)s[j]))
				nl |= s[j++] == '\n';
			/* a line's indentation after a block tag took its line */
			if (i == 0 && s > e->text && s[-1] == '\n')
				nl = true;
			if (nl) {
				char prev = i > 0 ? s[i - 1] : (e->lit.len ? e->lit.p[e->lit.len - 1] : 0);
				char next = j < n ? s[j] : 0;
				if (prev != '>' && next != '<' && e->h.st == H_DATA &&
				    (i > 0 || e->lit.len || !e->at_start)) {
					sbuf_add(&e->lit, " ", 1);
					hs_feed(&e->h, " ", 1);
				} else if (e->h.st != H_DATA && prev != '>' && next != '>') {
					sbuf_add(&e->lit, " ", 1);   /* between attributes */
					hs_feed(&e->h, " ", 1);
				}
				i = j - 1;
				continue;
			}
		}
		sbuf_add(&e->lit, s + i, 1);
		hs_feed(&e->h, s + i, 1);
		e->at_start = false;
	}
}

/* Resolves a dotted name to its slot and C expression. */
static const struct slot *resolve(struct cc *cc, struct emit *e, int line,
				  const char *path, const char **cexpr)
{
	char first[64];
	const char *dot = strchr(path, '.');
	size_t fl = dot ? (size_t)(dot - path) : strlen(path);
	if (fl == 0 || fl >= sizeof first)
		fail(cc, line, "\"%s\" is no name", path);
	memcpy(first, path, fl);
	first[fl] = 0;
	const struct slot *s = NULL;
	const char *expr = NULL;
	for (struct scope *sc = e->scope; sc; sc = sc->up) {
		if (strcmp(sc->var, first) == 0) {
			/* the element itself: only with a field */
			if (!dot)
				fail(cc, line, "\"%s\" is a list element: name one of its fields", first);
			const char *rest = dot + 1;
			const char *dot2 = strchr(rest, '.');
			char f[64];
			size_t n = dot2 ? (size_t)(dot2 - rest) : strlen(rest);
			if (n == 0 || n >= sizeof f)
				fail(cc, line, "\"%s\" is no name", path);
			memcpy(f, rest, n);
			f[n] = 0;
			s = find_slot(sc->elem, f);
			if (!s)
				fail(cc, line, "the elements of this list have no \"%s\"", f);
			expr = arena_printf(cc->a, "%s->%s", sc->cvar, f);
			dot = dot2;
			break;
		}
	}
	if (!s) {
		s = find_slot(e->view, first);
		if (!s)
			fail(cc, line, "the view of %s has no slot \"%s\"", cc->t->name, first);
		expr = arena_printf(cc->a, "%s->%s", e->vexpr, first);
	}
	/* .field of a view-typed slot */
	while (dot) {
		if (s->kind != K_VIEW)
			fail(cc, line, "\"%s\": a %s slot has no fields", path, kind_names[s->kind]);
		const struct template *t = NULL;
		for (int i = 0; i < cc->n; i++)
			if (strcmp(cc->all[i].name, s->tmpl) == 0)
				t = &cc->all[i];
		if (!t)
			fail(cc, line, "no template \"%s\"", s->tmpl);
		const char *rest = dot + 1;
		const char *dot2 = strchr(rest, '.');
		char f[64];
		size_t n = dot2 ? (size_t)(dot2 - rest) : strlen(rest);
		if (n == 0 || n >= sizeof f)
			fail(cc, line, "\"%s\" is no name", path);
		memcpy(f, rest, n);
		f[n] = 0;
		const struct slot *fs = find_slot(&t->view, f);
		if (!fs)
			fail(cc, line, "the view of %s has no slot \"%s\"", t->name, f);
		expr = arena_printf(cc->a, "%s.%s", expr, f);
		s = fs;
		dot = dot2;
	}
	*cexpr = expr;
	return s;
}

static void emit_nodes(struct cc *cc, struct emit *e, const struct node *n);
static void compile_template(struct cc *cc, struct template *t, sbuf *c);

/* What a value may be at the current place, or a refusal. */
enum place { P_TEXT, P_ATTR, P_URL_START, P_URL_PART };

static enum place place_of(struct cc *cc, struct emit *e, int line, const char *what)
{
	switch (e->h.st) {
	case H_DATA:
		return P_TEXT;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (strncmp(e->h.attr, "on", 2) == 0 || strcmp(e->h.attr, "style") == 0)
			fail(cc, line, "%s in the %s attribute: no value goes into scripts or styles",
			     what, e->h.attr);
		if (url_attr(e->h.attr))
			return e->h.vlen == 0 ? P_URL_START : P_URL_PART;
		return P_ATTR;
	default:
		fail(cc, line, "%s in %s: values go only into element text or quoted attribute values",
		     what, hstate_names[e->h.st]);
	}
}

static void emit_slot(struct cc *cc, struct emit *e, const struct node *n)
{
	const char *x;
	const struct slot *s = resolve(cc, e, n->line, n->path, &x);
	enum place pl = place_of(cc, e, n->line, arena_printf(cc->a, "slot \"%s\"", n->path));
	flush(e);
	ind(e);
	switch (s->kind) {
	case K_TEXT:
		if (pl == P_URL_START)
			fail(cc, n->line, "text slot \"%s\" begins a URL: declare it url", n->path);
		sbuf_printf(e->c, pl == P_URL_PART ? "tmpl_url_part(b, %s);\n" : "html_text(b, %s);\n", x);
		break;
	case K_URL:
		if (pl == P_URL_PART)
			fail(cc, n->line, "url slot \"%s\" must begin its attribute's value", n->path);
		sbuf_printf(e->c, pl == P_URL_START ? "tmpl_url(b, %s);\n" : "html_text(b, %s);\n", x);
		break;
	case K_INT:
		sbuf_printf(e->c, "tmpl_int(b, %s);\n", x);
		break;
	case K_HTML:
		if (pl != P_TEXT)
			fail(cc, n->line, "html slot \"%s\" inside an attribute", n->path);
		sbuf_printf(e->c, "tmpl_html(b, %s);\n", x);
		break;
	case K_BOOL:
		fail(cc, n->line, "bool slot \"%s\" cannot be printed: use {{#if %s}}", n->path, n->path);
	case K_VIEW:
		fail(cc, n->line, "\"%s\" is a view: include it with {{> %s %s}}", n->path, s->tmpl,
		     n->path);
	case K_LIST:
		fail(cc, n->line, "\"%s\" is a list: go through it with {{#each}}", n->path);
	}
	/* the value's bytes are escaped: the state stays, a value is not empty */
	e->h.vlen++;
}

static void emit_tr(struct cc *cc, struct emit *e, const struct node *n)
{
	enum place pl = place_of(cc, e, n->line, "a translation");
	if (pl == P_URL_START || pl == P_URL_PART)
		fail(cc, n->line, "a translation inside a URL");
	flush(e);
	ind(e);
	if (!n->nargs) {
		sbuf_puts(e->c, "html_text(b, _(");
		c_string(e->c, n->text, strlen(n->text));
		sbuf_puts(e->c, "));\n");
		e->h.vlen++;
		return;
	}
	sbuf_puts(e->c, "{\n");
	e->indent++;
	ind(e);
	sbuf_printf(e->c, "char t%d_[%d][24];\n", cc->tmp, n->nargs);
	ind(e);
	sbuf_printf(e->c, "const char *a%d_[%d];\n", cc->tmp, n->nargs);
	for (int i = 0; i < n->nargs; i++) {
		const char *x;
		const struct slot *s = resolve(cc, e, n->line, n->args[i], &x);
		ind(e);
		if (s->kind == K_TEXT || s->kind == K_URL)
			sbuf_printf(e->c, "a%d_[%d] = %s;\n", cc->tmp, i, x);
		else if (s->kind == K_INT)
			sbuf_printf(e->c, "a%d_[%d] = tmpl_lld(t%d_[%d], %s);\n", cc->tmp, i, cc->tmp, i, x);
		else
			fail(cc, n->line, "a %s slot (\"%s\") in a translation: text or int only",
			     kind_names[s->kind], n->args[i]);
	}
	ind(e);
	sbuf_printf(e->c, "(void)t%d_;\n", cc->tmp);
	ind(e);
	sbuf_puts(e->c, "tmpl_tr(b, _(");
	c_string(e->c, n->text, strlen(n->text));
	sbuf_printf(e->c, "), %d, a%d_);\n", n->nargs, cc->tmp);
	e->indent--;
	ind(e);
	sbuf_puts(e->c, "}\n");
	cc->tmp++;
	e->h.vlen++;
}

static struct template *find_template(struct cc *cc, const char *name)
{
	for (int i = 0; i < cc->n; i++)
		if (strcmp(cc->all[i].name, name) == 0)
			return &cc->all[i];
	return NULL;
}

static void emit_include(struct cc *cc, struct emit *e, const struct node *n)
{
	if (e->h.st != H_DATA)
		fail(cc, n->line, "{{> %s}} in %s: templates are included in element text only",
		     n->tmpl, hstate_names[e->h.st]);
	struct template *t = find_template(cc, n->tmpl);
	if (!t)
		fail(cc, n->line, "no template \"%s\" to include", n->tmpl);
	flush(e);
	ind(e);
	if (!n->path) {
		if (t->view.n)
			fail(cc, n->line, "%s has a view: {{> %s SLOT}} with a slot of type view %s",
			     t->name, t->name, t->name);
		sbuf_printf(e->c, "tmpl_%s(b, NULL);\n", t->name);
		return;
	}
	const char *x;
	const struct slot *s = resolve(cc, e, n->line, n->path, &x);
	if (s->kind != K_VIEW || strcmp(s->tmpl, t->name) != 0)
		fail(cc, n->line, "{{> %s %s}}: \"%s\" is no view of %s", t->name, n->path, n->path,
		     t->name);
	sbuf_printf(e->c, "tmpl_%s(b, &%s);\n", t->name, x);
}

/* The count beside a list's C expression: "v->rows" -> "v->n_rows",
 * "e0_->tags" -> "e0_->n_tags", "v->f.items" -> "v->f.n_items". */
static const char *count_of(struct cc *cc, const char *x)
{
	const char *arrow = strrchr(x, '>');
	const char *dotp = strrchr(x, '.');
	const char *sep = arrow && (!dotp || arrow > dotp) ? arrow : dotp;
	return arena_printf(cc->a, "%.*sn_%s", (int)(sep - x + 1), x, sep + 1);
}

static void emit_if(struct cc *cc, struct emit *e, const struct node *n)
{
	const char *x;
	const struct slot *s = resolve(cc, e, n->line, n->path, &x);
	const char *cond = NULL;
	switch (s->kind) {
	case K_BOOL: cond = x; break;
	case K_INT: cond = arena_printf(cc->a, "%s != 0", x); break;
	case K_TEXT:
	case K_URL: cond = arena_printf(cc->a, "%s && *%s", x, x); break;
	case K_HTML: cond = arena_printf(cc->a, "%s.raw && *%s.raw", x, x); break;
	case K_LIST: {
		cond = arena_printf(cc->a, "%s > 0", count_of(cc, x));
		break;
	}
	case K_VIEW:
		fail(cc, n->line, "{{#if %s}}: a view is always there", n->path);
	}
	flush(e);
	ind(e);
	sbuf_printf(e->c, "if (%s%s%s) {\n", n->negate ? "!(" : "", cond, n->negate ? ")" : "");
	struct hs before = e->h;
	e->indent++;
	emit_nodes(cc, e, n->body);
	flush(e);
	e->indent--;
	struct hs then = e->h;
	if (n->alt) {
		e->h = before;
		ind(e);
		sbuf_puts(e->c, "} else {\n");
		e->indent++;
		emit_nodes(cc, e, n->alt);
		flush(e);
		e->indent--;
		if (!hs_equal(&then, &e->h))
			fail(cc, n->line, "the branches of {{#if %s}} end in different places (%s, %s)",
			     n->path, hstate_names[then.st], hstate_names[e->h.st]);
	} else if (!hs_equal(&then, &before)) {
		fail(cc, n->line, "{{#if %s}} ends in %s but began in %s", n->path,
		     hstate_names[then.st], hstate_names[before.st]);
	}
	if (e->h.st == H_VALUE_DQ || e->h.st == H_VALUE_SQ)
		e->h.vlen = before.vlen + then.vlen + e->h.vlen;   /* maybe not empty */
	hs_merged(&e->h);
	ind(e);
	sbuf_puts(e->c, "}\n");
}

static void emit_each(struct cc *cc, struct emit *e, const struct node *n)
{
	const char *x;
	const struct slot *s = resolve(cc, e, n->line, n->path, &x);
	if (s->kind != K_LIST)
		fail(cc, n->line, "{{#each %s}}: \"%s\" is no list", n->path, n->path);
	for (struct scope *sc = e->scope; sc; sc = sc->up)
		if (strcmp(sc->var, n->var) == 0)
			fail(cc, n->line, "the loop name \"%s\" is taken by an outer loop", n->var);
	if (find_slot(e->view, n->var))
		fail(cc, n->line, "the loop name \"%s\" is a slot of the view", n->var);
	const char *count = count_of(cc, x);
	int d = cc->depth++;
	struct scope sc = {.var = n->var, .cvar = arena_printf(cc->a, "e%d_", d), .elem = s->elem,
			   .up = e->scope};
	flush(e);
	struct hs before = e->h;
	if (n->alt) {
		ind(e);
		sbuf_printf(e->c, "if (%s <= 0) {\n", count);
		e->indent++;
		emit_nodes(cc, e, n->alt);
		flush(e);
		e->indent--;
		ind(e);
		sbuf_puts(e->c, "}\n");
		if (!hs_equal(&before, &e->h))
			fail(cc, n->line, "the {{else}} of {{#each %s}} ends in %s but began in %s",
			     n->path, hstate_names[e->h.st], hstate_names[before.st]);
	}
	ind(e);
	sbuf_printf(e->c, "for (int i%d_ = 0; i%d_ < %s; i%d_++) {\n", d, d, count, d);
	e->indent++;
	ind(e);
	sbuf_printf(e->c, "const struct %s *%s = &%s[i%d_];\n", s->elem->ctag, sc.cvar, x, d);
	e->scope = &sc;
	emit_nodes(cc, e, n->body);
	flush(e);
	e->scope = sc.up;
	e->indent--;
	ind(e);
	sbuf_puts(e->c, "}\n");
	if (!hs_equal(&before, &e->h))
		fail(cc, n->line, "the body of {{#each %s}} ends in %s but began in %s", n->path,
		     hstate_names[e->h.st], hstate_names[before.st]);
	cc->depth--;
}

static void emit_nodes(struct cc *cc, struct emit *e, const struct node *n)
{
	for (; n; n = n->next) {
		switch (n->type) {
		case N_TEXT: literal(e, n->text, n->len); break;
		case N_SLOT: emit_slot(cc, e, n); break;
		case N_TR: emit_tr(cc, e, n); break;
		case N_IF: emit_if(cc, e, n); break;
		case N_EACH: emit_each(cc, e, n); break;
		case N_INCLUDE: emit_include(cc, e, n); break;
		}
	}
}

/* ---- the view as C ----------------------------------------------------------- */

static void emit_struct(struct cc *cc, sbuf *h, const struct vdef *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->slots[i].kind == K_LIST)
			emit_struct(cc, h, v->slots[i].elem);
	sbuf_printf(h, "struct %s {\n", v->ctag);
	if (!v->n)
		sbuf_puts(h, "\tchar none_;\n");
	for (int i = 0; i < v->n; i++) {
		const struct slot *s = &v->slots[i];
		switch (s->kind) {
		case K_TEXT: sbuf_printf(h, "\tconst char *%s;\n", s->name); break;
		case K_URL: sbuf_printf(h, "\tconst char *%s;   /* url */\n", s->name); break;
		case K_INT: sbuf_printf(h, "\tlong long %s;\n", s->name); break;
		case K_BOOL: sbuf_printf(h, "\tbool %s;\n", s->name); break;
		case K_HTML: sbuf_printf(h, "\thtml_t %s;\n", s->name); break;
		case K_VIEW: sbuf_printf(h, "\tstruct tv_%s %s;\n", s->tmpl, s->name); break;
		case K_LIST:
			sbuf_printf(h, "\tconst struct %s *%s;\n\tint n_%s;\n", s->elem->ctag, s->name,
				    s->name);
			break;
		}
	}
	sbuf_puts(h, "};\n\n");
}

/* Views that hold other templates' views by value need those first. */
static void emit_view_deps(struct cc *cc, sbuf *h, struct template *t, int depth);

static void emit_view_of(struct cc *cc, sbuf *h, const struct vdef *v, int depth)
{
	for (int i = 0; i < v->n; i++) {
		if (v->slots[i].kind == K_VIEW) {
			struct template *d = find_template(cc, v->slots[i].tmpl);
			if (!d)
				fail(cc, v->slots[i].line, "no template \"%s\" for slot \"%s\"",
				     v->slots[i].tmpl, v->slots[i].name);
			emit_view_deps(cc, h, d, depth + 1);
		} else if (v->slots[i].kind == K_LIST) {
			emit_view_of(cc, h, v->slots[i].elem, depth);
		}
	}
}

static void emit_view_deps(struct cc *cc, sbuf *h, struct template *t, int depth)
{
	if (t->compiled)
		return;
	if (t->compiling || depth > 32)
		fail(cc, 1, "the views of %s hold each other in a circle", t->name);
	t->compiling = true;
	struct template *saved = cc->t;
	cc->t = t;
	emit_view_of(cc, h, &t->view, depth);
	emit_struct(cc, h, &t->view);
	sbuf_printf(h, "void tmpl_%s(sbuf *b, const struct tv_%s *v);\n", t->name, t->name);
	sbuf_printf(h, "html_t tmpl_%s_html(arena *a, const struct tv_%s *v);\n\n", t->name,
		    t->name);
	cc->t = saved;
	t->compiling = false;
	t->compiled = true;
}

static void compile_template(struct cc *cc, struct template *t, sbuf *c)
{
	cc->t = t;
	struct emit e = {.c = c, .view = &t->view, .vexpr = "v", .indent = 1, .at_start = true,
			 .text = t->text};
	sbuf_init(&e.lit, cc->a, (size_t)1 << 30);
	sbuf_printf(c, "void tmpl_%s(sbuf *b, const struct tv_%s *v)\n{\n", t->name, t->name);
	if (!t->view.n)
		sbuf_puts(c, "\t(void)v;\n");
	emit_nodes(cc, &e, t->body);
	flush(&e);
	if (e.h.st != H_DATA)
		fail(cc, line_at(t->text, t->text + strlen(t->text)),
		     "the template ends in %s, not in element text", hstate_names[e.h.st]);
	sbuf_puts(c, "}\n\n");
	sbuf_printf(c, "html_t tmpl_%s_html(arena *a, const struct tv_%s *v)\n{\n"
		       "\tsbuf b;\n\tsbuf_init(&b, a, TMPL_MAX);\n\ttmpl_%s(&b, v);\n"
		       "\treturn tmpl_take(&b);\n}\n\n",
		    t->name, t->name, t->name);
}

/* ---- reading one file -------------------------------------------------------- */

static const char *base_name(arena *a, const char *path)
{
	const char *s = strrchr(path, '/');
	s = s ? s + 1 : path;
	const char *dot = strrchr(s, '.');
	return arena_strndup(a, s, dot ? (size_t)(dot - s) : strlen(s));
}

static void read_template(struct cc *cc, struct template *t, const struct tmpl_file *f)
{
	t->path = f->path;
	t->text = f->text;
	t->name = base_name(cc->a, f->path);
	cc->t = t;
	check_name(cc, 1, t->name, "template name");
	for (const char *p = t->text; *p; p++)
		if (*p == '\r' && p[1] != '\n')
			fail(cc, line_at(t->text, p), "a lone carriage return");
	t->view.ctag = arena_printf(cc->a, "tv_%s", t->name);
	struct parser ps = {.text = t->text, .p = t->text};
	const char *s = t->text;
	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, "{{#view}}", 9) == 0) {
		const char *end = strstr(s, "{{/view}}");
		if (!end)
			fail(cc, line_at(t->text, s), "{{#view}} is never closed by {{/view}}");
		struct words ws;
		split_words(cc, s + 9, end, line_at(t->text, s), &ws);
		read_decls(cc, &ws, &t->view, false);
		ps.p = end + 9;
		while (*ps.p == ' ' || *ps.p == '\t')
			ps.p++;
		if (*ps.p == '\n')
			ps.p++;
	}
	const char *closer;
	int cl;
	t->body = parse_nodes(cc, &ps, &closer, &cl);
	if (closer)
		fail(cc, cl, "{{%s}} closes nothing", closer);
}

static int read_all(struct cc *cc, const struct tmpl_file *files, int n)
{
	cc->all = arena_alloc(cc->a, (size_t)(n ? n : 1) * sizeof *cc->all);
	cc->n = n;
	for (int i = 0; i < n; i++) {
		read_template(cc, &cc->all[i], &files[i]);
		for (int j = 0; j < i; j++)
			if (strcmp(cc->all[j].name, cc->all[i].name) == 0)
				fail(cc, 1, "a second template named %s (the first: %s)", cc->all[i].name,
				     cc->all[j].path);
	}
	return 0;
}

int tmpl_compile(arena *a, const struct tmpl_file *files, int n,
		 const char *header_name, sbuf *h, sbuf *c, char *err, size_t errlen)
{
	struct cc cc = {.a = a, .err = err, .errlen = errlen};
	if (setjmp(cc.fail))
		return -1;
	read_all(&cc, files, n);
	sbuf_puts(h, "/* Made by tmplc from the templates; do not edit. */\n"
		     "#ifndef KAVEL_TEMPLATES_H\n#define KAVEL_TEMPLATES_H\n\n"
		     "#include <stdbool.h>\n#include <stddef.h>\n\n#include \"web/tmpl_rt.h\"\n\n");
	for (int i = 0; i < n; i++)
		emit_view_deps(&cc, h, &cc.all[i], 0);
	sbuf_puts(h, "#endif\n");
	sbuf_printf(c, "/* Made by tmplc from the templates; do not edit. */\n"
		       "#include \"%s\"\n\n#include \"core/error.h\"\n\n", header_name);
	for (int i = 0; i < n; i++)
		compile_template(&cc, &cc.all[i], c);
	if (h->overflow || c->overflow) {
		snprintf(err, errlen, "the generated C is too large");
		return -1;
	}
	return 0;
}

static void strings_of(struct cc *cc, const struct node *n, sbuf *out)
{
	for (; n; n = n->next) {
		if (n->type == N_TR) {
			sbuf_printf(out, "/* %s:%d */ _(", cc->t->path, n->line);
			c_string(out, n->text, strlen(n->text));
			sbuf_puts(out, ");\n");
		}
		strings_of(cc, n->body, out);
		strings_of(cc, n->alt, out);
	}
}

int tmpl_strings(arena *a, const struct tmpl_file *files, int n, sbuf *out,
		 char *err, size_t errlen)
{
	struct cc cc = {.a = a, .err = err, .errlen = errlen};
	if (setjmp(cc.fail))
		return -1;
	read_all(&cc, files, n);
	for (int i = 0; i < n; i++) {
		cc.t = &cc.all[i];
		strings_of(&cc, cc.all[i].body, out);
	}
	return 0;
}
