#!/bin/sh
test_description='lifebelt github app: a GitHub App'"'"'s ID and private key, and github.api_url'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up: a data directory and keys of every kind' '
	lifebelt init >/dev/null &&
	openssl genrsa -traditional -out app.pem 2048 2>/dev/null &&
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out app8.pem 2>/dev/null &&
	openssl genrsa -out short.pem 1024 2>/dev/null &&
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null &&
	openssl rsa -in app.pem -pubout -out app.pub 2>/dev/null &&
	ssh-keygen -q -t rsa -b 2048 -N "" -f sshkey </dev/null &&
	head -c 3000 /dev/urandom | base64 >noise.txt &&
	test_snapshot before
'

# refuse WHAT ARGS...: one line, naming WHAT, and nothing stored.
refuse() {
	what=$1
	shift
	test_must_fail lifebelt github app "$@" >out 2>err &&
	test_cmp /dev/null out &&
	test $(wc -l <err) = 1 &&
	test_grep "$what" err &&
	test_snapshot after && test_cmp before after
}

test_expect_success 'an App ID that is not a number: one line, nothing stored' '
	refuse "'"'"'my-app'"'"' is not an App ID: give the number" my-app app.pem &&
	refuse "is not an App ID" 12x app.pem &&
	refuse "unknown option -5" -5 app.pem &&
	refuse "is not an App ID" 0 app.pem &&
	refuse "is not an App ID" 99999999999999999999 app.pem
'

test_expect_success 'a key file that is not there: one line, nothing stored' '
	refuse "cannot read the GitHub App'"'"'s private key from missing.pem: No such file" 123 missing.pem
'

test_expect_success 'a file that is not a PEM RSA private key: one line, nothing stored' '
	refuse "noise.txt is not the App'"'"'s private key: it is not a private key in PEM" 123 noise.txt &&
	refuse "app.pub is not the App'"'"'s private key: it is not a private key in PEM" 123 app.pub &&
	refuse "sshkey.pub is not the App'"'"'s private key" 123 sshkey.pub &&
	refuse "ec.pem is not the App'"'"'s private key: it is not an RSA key" 123 ec.pem &&
	refuse "short.pem is not the App'"'"'s private key: it is a 1024-bit RSA key, too short" 123 short.pem &&
	: >empty.pem && refuse "is empty" 123 empty.pem &&
	refuse "stdin is not the App'"'"'s private key" 123 - <noise.txt
'

test_expect_success 'wrong arguments: the usage line' '
	test_must_fail lifebelt github app 123 2>err &&
	test_grep "usage: lifebelt github app APP_ID KEYFILE|-" err &&
	test_must_fail lifebelt github app 1 a.pem b.pem 2>err &&
	test_grep "unexpected argument b.pem" err
'

test_expect_success 'without a data directory: says so, nothing made' '
	(LIFEBELT_HOME=$TRASH_DIRECTORY/nohome && export LIFEBELT_HOME &&
	 test_must_fail lifebelt github app 123 app.pem 2>err) &&
	test_grep "lifebelt init" err && ! test -e nohome
'

test_expect_success 'a PKCS#1 key, as GitHub gives it: stored 0600, never printed' '
	lifebelt github app 0123 app.pem >out 2>err &&
	test_cmp /dev/null err &&
	test_grep "GitHub App 123 set; its private key is kept in $LIFEBELT_HOME/github/app-key.pem (mode 0600)" out &&
	! grep -e "PRIVATE" -e "$(sed -n 2p app.pem)" out &&
	test "$(stat -c %a "$LIFEBELT_HOME/github")" = 700 &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/app-key.pem")" = 600 &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/app-id")" = 600 &&
	test_cmp app.pem "$LIFEBELT_HOME/github/app-key.pem" &&
	printf 123 >expect && test_cmp expect "$LIFEBELT_HOME/github/app-id" &&
	! sqlite3 "$LIFEBELT_HOME/lifebelt.db" .dump | grep -F "$(sed -n 2p app.pem)"
'

test_expect_success 'a bad key later leaves the App as it was' '
	cp "$LIFEBELT_HOME/github/app-key.pem" key.before &&
	test_must_fail lifebelt github app 456 ec.pem 2>err &&
	test_cmp key.before "$LIFEBELT_HOME/github/app-key.pem" &&
	printf 123 >expect && test_cmp expect "$LIFEBELT_HOME/github/app-id"
'

test_expect_success 'a PKCS#8 key from stdin replaces it' '
	lifebelt github app 456 - <app8.pem >out &&
	test_grep "GitHub App 456 set" out &&
	test_cmp app8.pem "$LIFEBELT_HOME/github/app-key.pem" &&
	printf 456 >expect && test_cmp expect "$LIFEBELT_HOME/github/app-id"
'

test_expect_success 'github.api_url: https, or http only to this machine, without a trailing slash' '
	test "$(lifebelt config get github.api_url)" = https://api.github.com &&
	lifebelt config set github.api_url https://ghe.example.com/api/v3 &&
	lifebelt config set github.api_url http://127.0.0.1:8999 &&
	lifebelt config set github.api_url http://localhost/api &&
	test_must_fail lifebelt config set github.api_url http://api.github.com 2>err &&
	test_grep "github.api_url must start with https:// (http:// only to 127.0.0.1), not" err &&
	test_must_fail lifebelt config set github.api_url http://127.0.0.1.evil.example 2>err &&
	test_grep "must start with https://" err &&
	test_must_fail lifebelt config set github.api_url https://ghe.example.com/api/v3/ 2>err &&
	test_grep "must not end with" err &&
	test_must_fail lifebelt config set github.api_url ftp://x 2>err &&
	test "$(lifebelt config get github.api_url)" = http://localhost/api
'

test_done
