#!/usr/bin/env bash
# Extracts every _() and N_() string into po/kavel.pot and merges it into
# po/nl.po (new strings arrive untranslated and fuzzy-free; translate them).
set -euo pipefail
cd "$(dirname "$0")/.."
# The templates' {{_ "..."}} strings, as C, by the template compiler.
ninja -C build src/tmpl/tmplc >/dev/null
strings=build/tmpl-strings.c
build/src/tmpl/tmplc --strings "$strings" $(git ls-files 'src/web/tmpl/*.tmpl')
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --keyword=ngettext:1,2 --add-comments=TRANSLATORS --package-name=kavel \
  -o po/kavel.pot $(git ls-files 'src/*.c' 'src/**/*.c') "$strings"
msgmerge --quiet --update --no-fuzzy-matching --backup=none po/nl.po po/kavel.pot
echo "po/nl.po: $(msgfmt --statistics -o /dev/null po/nl.po 2>&1)"
