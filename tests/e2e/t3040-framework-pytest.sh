#!/bin/sh
test_description='a pytest suite (--junitxml) is graded case by case as pytest itself judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# The sandbox's python3 is Debian's, with Debian's pytest.
PY=/usr/bin/python3

test_expect_success 'set up a course, a pytest suite and a submission' '
	$PY -m pytest --version &&
	fw_setup &&
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "files": ["test_calc.py"],
	  "limits": { "cpu_seconds": 20, "wall_seconds": 30 },
	  "tests": [
	    { "name": "pytest", "format": "junit", "report": "report.xml",
	      "run": "python3 -m pytest -p no:cacheprovider -o junit_logging=all --junitxml=report.xml" }
	  ] }
	JSON
	cat >tests/test_calc.py <<-\PY &&
	import pytest
	from calc import add

	def test_adds():
	    assert add(2, 3) == 5

	def test_prints_markup():
	    print("<failure message=\"no\">]]></failure> & <error/> <skipped/>")
	    assert add(1, 1) == 2

	def test_wrong():
	    assert add(2, 2) == 5, "why: add(2, 2) is not 5"

	def test_raises():
	    raise RuntimeError("why: the code blew up")

	@pytest.fixture
	def broken():
	    raise OSError("why: the fixture failed")

	def test_fixture_error(broken):
	    pass

	@pytest.mark.skip(reason="not graded yet")
	def test_skipped():
	    assert False

	def test_skip_inside():
	    pytest.skip("no network")

	@pytest.mark.xfail(reason="known bug")
	def test_xfail():
	    assert add(1, 2) == 4

	@pytest.mark.xfail(reason="fixed since")
	def test_xpass():
	    assert add(1, 2) == 3

	@pytest.mark.parametrize("a,b", [(1, 2)], ids=["a > b & c < d # e"])
	def test_names(a, b):
	    assert add(a, b) == 3

	@pytest.mark.parametrize("a,b", [(1, 2)], ids=["x<y]]>&#"])
	def test_names_fail(a, b):
	    assert add(a, b) == 4, "why: <&> ]]> in the message"
	PY
	printf "def add(a, b):\n    return a + b\n" >sub/calc.py
'

test_expect_success 'pytest'"'"'s own verdicts' '
	mkdir own && cp tests/test_calc.py sub/calc.py own/ &&
	(cd own && $PY -m pytest -v -p no:cacheprovider -o console_output_style=classic >../own.out 2>&1; test $? = 1) &&
	fw_oracle pytest oracle own.out &&
	test_grep "3 failed, 3 passed, 2 skipped, 1 xfailed, 1 xpassed, 1 error" own.out &&
	test $(wc -l <oracle) = 11
'

fw_expect_agree 'Lifebelt grades each case as pytest does' \
	py tests sub oracle pytest name

test_done
