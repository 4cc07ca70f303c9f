#!/bin/bash
test_description='grades for Canvas and Moodle, and the course gradebook on the command line and the web'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
lifebelt course add c2 >/dev/null
lifebelt teacher add c2 tina >/dev/null
web_token tina

# csv_rows FILE: the rows as python3's csv module reads them, one repr() a line.
csv_rows() {
	python3 -c 'import csv, sys
for row in csv.reader(open(sys.argv[1], newline="")):
    print(repr(row))' "$1"
}

test_expect_success 'setup: two assignments graded by the runner, one of them by a team' '
	lifebelt student add c1 carol --name "=HYPERLINK(1) <b>" --email carol@example.com >/dev/null &&
	lifebelt student add c1 alice --email alice@example.com >/dev/null &&
	mkdir tests-hw2 &&
	echo "{ \"build\": \"true\", \"tests\": [ { \"name\": \"runs\", \"run\": \"true\", \"points\": 3 } ] }" \
		>tests-hw2/lifebelt.json &&
	lifebelt assignment add c1 hw2 --tests tests-hw2 --late-penalty 50 \
		--due "$(date -u -d "-1 hour" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null &&
	lifebelt team add c1 hw2 duo alice bob >/dev/null &&
	web_push alice a1 && web_push carol c1 &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hw2/duo.git" duo 2>/dev/null &&
	(cd duo && echo x >x && git add x && git commit -qm x && git push -q origin HEAD:main 2>/dev/null) &&
	lifebelt runner --drain 2>runner.log &&
	test "$(sqlite3 "$DB" "SELECT count(*) FROM jobs WHERE status = \"passed\"")" = 3
'

test_expect_success 'the course gradebook: every assignment a column, then the total' '
	lifebelt grades c1 >out &&
	head -n 1 out | grep "^LOGIN  *hw2  *hw1  *TOTAL$" &&
	grep "^alice  *1.5  *1  *2.5$" out &&
	grep "^bob  *1.5  *-  *1.5$" out &&
	grep "^carol  *-  *1  *1$" out
'

test_expect_success 'the course gradebook as CSV' '
	lifebelt grades c1 --csv >course.csv &&
	lifebelt grades c1 --format csv >course2.csv &&
	test_cmp course.csv course2.csv &&
	csv_rows course.csv >actual &&
	cat >expect <<-\EOF &&
	['"'"'login'"'"', '"'"'name'"'"', '"'"'email'"'"', '"'"'hw2'"'"', '"'"'hw1'"'"', '"'"'total'"'"']
	EOF
	head -n 1 actual >head && test_cmp expect head &&
	test_grep "^\[.alice., .Alice A., .alice@example.com., .1.5., .1., .2.5.\]$" actual &&
	test_grep "^\[.bob., .Bob B., .., .1.5., .., .1.5.\]$" actual
'

test_expect_success 'Canvas: its import columns, the Points Possible row, students by SIS Login ID' '
	lifebelt grades c1 --format canvas >canvas.csv &&
	printf "Student,ID,SIS User ID,SIS Login ID,Section,hw2,hw1\r\nPoints Possible,,,,,3,1\r\n" >expect &&
	head -n 2 canvas.csv >head && test_cmp expect head &&
	python3 - canvas.csv <<-\PY
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="")))
	assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw2", "hw1"], rows[0]
	assert rows[1][0] == "Points Possible" and rows[1][5:] == ["3", "1"], rows[1]
	by = {r[3]: r for r in rows[2:]}
	assert sorted(by) == ["alice", "bob", "carol"], by
	assert by["alice"] == ["Alice A", "", "", "alice", "", "1.5", "1"], by["alice"]
	assert by["bob"] == ["Bob B", "", "", "bob", "", "1.5", ""], by["bob"]
	# A name a spreadsheet would run as a formula is defused.
	assert by["carol"][0] == "\x27=HYPERLINK(1) <b>" and by["carol"][6] == "1", by["carol"]
	assert all(len(r) == 7 for r in rows), rows
	PY
'

test_expect_success 'Moodle: a username and an e-mail address to map from, a column per assignment' '
	lifebelt grades c1 --format moodle >moodle.csv &&
	python3 - moodle.csv <<-\PY
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="")))
	assert rows[0] == ["Username", "Email address", "hw2", "hw1"], rows[0]
	by = {r[0]: r for r in rows[1:]}
	assert by["alice"] == ["alice", "alice@example.com", "1.5", "1"], by["alice"]
	assert by["carol"] == ["carol", "carol@example.com", "", "1"], by["carol"]
	assert by["bob"] == ["bob", "", "1.5", ""], by["bob"]
	assert len(rows) == 4, rows
	PY
'

test_expect_success 'one assignment for Canvas and Moodle; --format csv is --csv' '
	lifebelt grades c1 hw2 --format canvas >one.csv &&
	printf "Student,ID,SIS User ID,SIS Login ID,Section,hw2\r\nPoints Possible,,,,,3\r\n" >expect &&
	head -n 2 one.csv >head && test_cmp expect head &&
	test $(wc -l <one.csv) -eq 5 &&
	lifebelt grades c1 hw2 --format moodle >one.csv &&
	head -n 1 one.csv | grep "^Username,Email address,hw2" &&
	lifebelt grades c1 hw1 --csv >a.csv && lifebelt grades c1 hw1 --format csv >b.csv &&
	test_cmp a.csv b.csv && head -n 1 a.csv | grep "^login,name,email,score,"
'

test_expect_success 'an unknown format, two formats, an unknown course: one line each' '
	test_must_fail lifebelt grades c1 --format excel >out 2>err &&
	test $(wc -l <err) -eq 1 && test_grep "bad value for --format: .excel. (csv, canvas or moodle)" err &&
	test_must_fail lifebelt grades c1 --csv --format canvas 2>err &&
	test $(wc -l <err) -eq 1 && test_grep "two formats" err &&
	test_must_fail lifebelt grades nope 2>err &&
	test $(wc -l <err) -eq 1 && test_grep "no course .nope." err
'

test_expect_success 'the web: the course gradebook, escaped, and the same CSV files' '
	web_start &&
	cookie=$(web_sign_in tom "$tom_token") && test -n "$cookie" &&
	test "$(web_get /t/c1/ -H "Cookie: $cookie")" = 200 &&
	test_grep "<td>alice</td><td class=\"hide-small\">Alice A</td><td class=\"num\">1.5</td><td class=\"num\">1</td><td class=\"num\">2.5</td>" out.html &&
	test_grep "<td class=\"hide-small\">=HYPERLINK(1) &lt;b&gt;</td>" out.html &&
	! grep "HYPERLINK(1) <b>" out.html &&
	test_grep "href=\"/t/c1/hw2/\">hw2</a>" out.html &&
	for f in canvas moodle; do
		test "$(web_get "/t/c1/grades.csv?format=$f" -H "Cookie: $cookie")" = 200 &&
		test_grep "^Content-Disposition: attachment; filename=\"c1-grades-$f.csv\"" out.hdr &&
		test_cmp $f.csv out.html || return 1
	done &&
	test "$(web_get /t/c1/grades.csv -H "Cookie: $cookie")" = 200 &&
	test_cmp course.csv out.html &&
	test "$(web_get "/t/c1/grades.csv?format=excel" -H "Cookie: $cookie")" = 404 &&
	test "$(web_get /t/ -H "Cookie: $cookie")" = 200 &&
	test_grep "href=\"/t/c1/\">Every assignment of c1" out.html
'

test_expect_success 'the web: another course'\''s teacher and no session get nothing' '
	cookie=$(web_sign_in tina "$tina_token") && test -n "$cookie" &&
	test "$(web_get /t/c1/ -H "Cookie: $cookie")" = 404 &&
	test "$(web_get "/t/c1/grades.csv?format=canvas" -H "Cookie: $cookie")" = 404 &&
	test "$(web_get /t/c1/)" = 303
'

test_done
