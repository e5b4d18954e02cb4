#!/usr/bin/env bash
# Regenerates plugin/languages/keysmith.pot from every translatable string in plugin/ (text domain
# `keysmith`). WP-CLI's `wp i18n make-pot` is not available here, so GNU xgettext does the work
# with WordPress's gettext function names.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's/^ \* Version: *//p' plugin/keysmith.php | head -n1)"
out=plugin/languages/keysmith.pot
mkdir -p target
find plugin -name '*.php' -not -path 'plugin/stubs/*' | LC_ALL=C sort > target/potfiles.txt

xgettext --language=PHP --from-code=UTF-8 --add-comments=translators: --sort-by-file \
	--package-name=Keysmith --package-version="$version" \
	--msgid-bugs-address="https://example.invalid/keysmith" \
	--keyword=__:1,2t --keyword=_e:1,2t --keyword=_x:1,2c,3t --keyword=_ex:1,2c,3t \
	--keyword=_n:1,2,4t --keyword=_nx:1,2,4c,5t --keyword=_n_noop:1,2,3t --keyword=_nx_noop:1,2,3c,4t \
	--keyword=esc_html__:1,2t --keyword=esc_html_e:1,2t --keyword=esc_html_x:1,2c,3t \
	--keyword=esc_attr__:1,2t --keyword=esc_attr_e:1,2t --keyword=esc_attr_x:1,2c,3t \
	-f target/potfiles.txt -o "$out.tmp"

# xgettext leaves placeholders in the header; fill in what WordPress's tools would write.
sed -e 's/^"Content-Type: text\/plain; charset=CHARSET\\n"/"Content-Type: text\/plain; charset=UTF-8\\n"/' \
	-e 's/^# SOME DESCRIPTIVE TITLE./# Keysmith translation template./' \
	-e "s/^# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER/# This file is distributed under the GPL-2.0-or-later license./" \
	-e '/^# This file is distributed under the same license as the Keysmith package./d' \
	-e '/^# FIRST AUTHOR/d' \
	-e 's/^"POT-Creation-Date: .*"/"POT-Creation-Date: \\n"/' \
	-e 's/^"Language-Team: .*"/"Language-Team: \\n"/' \
	-e 's/^"Last-Translator: .*"/"Last-Translator: \\n"/' \
	-e 's/^"Language: \\n"/"Language: \\n"\n"X-Domain: keysmith\\n"/' \
	"$out.tmp" > "$out"
rm -f "$out.tmp"
msgfmt --check-format -o /dev/null "$out"
echo "make-pot: $(grep -c '^msgid ' "$out") strings in $out"
