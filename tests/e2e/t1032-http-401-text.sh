#!/bin/bash
test_description='over HTTP, a refused login tells the student where a token comes from'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
LINE="remote: authentication required: your Lifebelt login as the user name and your access token as the password; your teacher gives you the token (ask them for a new one if it is lost or refused)"

test_expect_success 'a wrong token: git shows the line, which names no admin command' '
	test_must_fail git clone http://alice:lbt_wrong@127.0.0.1:$HTTP_PORT/git/cs101/hw1.git w 2>err &&
	test_grep "^$LINE" err &&
	! grep -q "lifebelt token" err
'

test_expect_success 'no credentials at all: the same line, with a 401' '
	curl -s -o body -w "%{http_code}\n" \
		"$HTTP_URL/git/cs101/hw1.git/info/refs?service=git-upload-pack" >code &&
	test "$(cat code)" = 401 &&
	echo "${LINE#remote: }" >expect &&
	test_cmp expect body
'

test_done
