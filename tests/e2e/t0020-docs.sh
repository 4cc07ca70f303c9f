#!/bin/sh
test_description='guides, manual pages, version and install'
. "$(dirname "$0")/test-lib.sh"

inst=$TRASH_DIRECTORY/inst
man1=$inst/usr/share/man/man1
man5=$inst/usr/share/man/man5
links=$TEST_DIRECTORY/lib-links.py

# The roff of a page as plain lines: no font changes, minus signs as '-'.
plain() {
	sed -e 's/\\f[BIR]//g' -e 's/\\-/-/g' -e 's/ *$//' "$1"
}

test_expect_success 'every relative link of the guides leads to a file and heading' '
	(cd "$SRC_ROOT" && python3 "$links" README.md docs/*.md) &&
	(cd "$SRC_ROOT" && ls docs/teacher.md docs/student.md docs/admin.md \
		docs/design.md docs/hacking.md docs/lifebelt.service docs/lifebelt-runner.service LICENSE)
'

test_expect_success 'the link check finds a missing file and a missing heading' '
	mkdir -p d/docs && cp "$SRC_ROOT/README.md" d/ &&
	printf "# Guide\n\n[up](../README.md#two-commands) [gone](gone.md) [here](#nowhere)\n" >d/docs/g.md &&
	test_must_fail python3 "$links" d/docs/g.md >out &&
	test_grep "g.md:3: broken link gone.md: no file" out &&
	test_grep "g.md:3: broken link #nowhere: no heading #nowhere" out &&
	! grep README out
'

test_expect_success 'make install installs the programs, the manual pages and the guides' '
	make -s -C "$SRC_ROOT" BUILD="$LIFEBELT_BUILD" PREFIX=/usr DESTDIR="$inst" install >out 2>&1 &&
	test -x "$inst/usr/bin/lifebelt" &&
	test -f "$man1/lifebelt.1" && test -f "$man5/lifebelt.json.5" &&
	test -f "$man5/lifebelt-config.5" &&
	test -f "$inst/usr/share/doc/lifebelt/README.md" &&
	test -f "$inst/usr/share/doc/lifebelt/docs/student.md" &&
	(cd "$inst/usr/share/doc/lifebelt" && python3 "$links" README.md docs/*.md) &&
	MANPATH=$inst/usr/share/man man -w lifebelt.json >out &&
	test_grep "man5/lifebelt.json.5" out
'

test_expect_success 'the manual pages render without a warning' '
	for page in "$man1/lifebelt.1" "$man5/lifebelt.json.5" "$man5/lifebelt-config.5"
	do
		groff -ww -z -man "$page" 2>err && test_cmp /dev/null err &&
		MANWIDTH=80 man -l "$page" >page.txt 2>err && test_cmp /dev/null err &&
		test $(wc -l <page.txt) -gt 40 || return 1
	done
'

test_expect_success 'lifebelt --version prints the version the build stamped in' '
	version=$(make -s -C "$SRC_ROOT" version) && test -n "$version" &&
	echo "lifebelt version $version" >expect &&
	lifebelt --version >actual && test_cmp expect actual &&
	lifebelt version >actual && test_cmp expect actual &&
	lifebelt --help >out && test_grep "version $version" out &&
	test_grep "^\.TH .*\"lifebelt $version\"" "$man5/lifebelt-config.5" &&
	test_must_fail lifebelt version 2 2>err &&
	test_grep "unexpected argument 2; usage: lifebelt version" err
'

test_expect_success 'lifebelt(1) describes every command lifebelt help lists' '
	lifebelt help >help &&
	sed -n "s/^   \(lifebelt .*\)/\1/p" help | sed "s/ *$//" >commands &&
	test $(wc -l <commands) -gt 20 &&
	plain "$man1/lifebelt.1" >page &&
	while read -r line
	do
		grep -Fx "$line" page >/dev/null || { echo "not in lifebelt(1): $line"; return 1; }
	done <commands
'

test_expect_success 'lifebelt-config(5) and lifebelt.json(5) list every setting and limit' '
	lifebelt init >/dev/null &&
	lifebelt config list | cut -d" " -f1 >keys &&
	test_grep "^push.repo_mb$" keys && test_grep "^limits.disk_mb$" keys &&
	plain "$man5/lifebelt-config.5" >config &&
	plain "$man5/lifebelt.json.5" >json &&
	while read -r key
	do
		grep -Fx "$key" config >/dev/null || { echo "not in lifebelt-config(5): $key"; return 1; }
		case $key in
		limits.*)
			grep -Fx "${key#limits.}" json >/dev/null ||
				{ echo "not in lifebelt.json(5): $key"; return 1; } ;;
		esac
	done <keys
'

test_expect_success 'the systemd units are valid and run the installed programs' '
	for unit in lifebelt.service lifebelt-runner.service
	do
		sed "s|/usr/local/bin/|$inst/usr/bin/|g" "$SRC_ROOT/docs/$unit" >$unit || return 1
	done &&
	test_grep "^Delegate=yes" lifebelt-runner.service &&
	test_grep "lifebelt runner" lifebelt-runner.service &&
	test_grep "lifebelt serve" lifebelt.service &&
	MANPATH=$inst/usr/share/man systemd-analyze verify lifebelt.service lifebelt-runner.service >out 2>&1 &&
	test_cmp /dev/null out
'

test_done
