#!/bin/sh
test_description='server settings'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' 'lifebelt init >/dev/null'

test_expect_success 'defaults are shown before anything is set' '
	test "$(lifebelt config get web.url)" = http://127.0.0.1:8080 &&
	test "$(lifebelt config get limits.memory_mb)" = 512 &&
	lifebelt config list >out &&
	test_grep "^ssh.host  *localhost" out &&
	test_grep "limits.cpu_seconds" out
'

test_expect_success 'set stores a value that get returns and links use' '
	lifebelt config set web.url https://grader.example.edu >out &&
	test_grep "web.url = https://grader.example.edu" out &&
	test "$(lifebelt config get web.url)" = https://grader.example.edu &&
	lifebelt config set limits.memory_mb 256 &&
	test "$(lifebelt config get limits.memory_mb)" = 256 &&
	lifebelt course add c1 >/dev/null && lifebelt student add c1 s1 >/dev/null &&
	lifebelt token s1 >out &&
	test_grep "^web: *https://grader.example.edu/me/s1/" out
'

test_expect_success 'bad keys and values are refused and change nothing' '
	test_snapshot before &&
	test_must_fail lifebelt config get nope 2>err &&
	test_grep "no setting .nope.; known settings: web.url" err &&
	test_must_fail lifebelt config set limits.memory_mb lots 2>err &&
	test_grep "limits.memory_mb must be a whole number from 1 to 65536, not .lots." err &&
	test_must_fail lifebelt config set limits.memory_mb 0 2>err &&
	test_must_fail lifebelt config set limits.cpu_seconds 3601 2>err &&
	test_grep "limits.cpu_seconds must be a whole number from 1 to 3600, not .3601." err &&
	test_must_fail lifebelt config set web.url ftp://x 2>err &&
	test_grep "must start with http" err &&
	test_must_fail lifebelt config set web.url "http://a b" 2>err &&
	test_grep "must not contain spaces" err &&
	test_must_fail lifebelt config set ssh.port 2>err &&
	test_grep "missing VALUE" err &&
	test_must_fail lifebelt config frob x 2>err &&
	test_grep "unknown config verb" err &&
	test_snapshot after &&
	test_cmp before after
'

test_done
