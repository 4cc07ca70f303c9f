#!/bin/sh
test_description='a JUnit 5 suite (console launcher, --reports-dir) is graded case by case as JUnit judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# Debian's junit5 ships the platform's console launcher with every engine.
LAUNCHER=/usr/share/java/junit-platform-console-standalone.jar

test_expect_success 'set up a course, a JUnit 5 suite and a submission' '
	test -f $LAUNCHER &&
	fw_setup &&
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-EOF &&
	{ "build": "javac -d classes -cp $LAUNCHER CalcTest.java Calc.java",
	  "files": ["CalcTest.java"],
	  "limits": { "cpu_seconds": 30, "wall_seconds": 30 },
	  "tests": [
	    { "name": "junit5", "format": "junit", "report": "reports/TEST-junit-jupiter.xml",
	      "run": "java -jar $LAUNCHER --disable-banner --disable-ansi-colors -cp classes --select-class CalcTest --reports-dir=reports" }
	  ] }
	EOF
	cat >tests/CalcTest.java <<-\EOF &&
	import static org.junit.jupiter.api.Assertions.*;
	import static org.junit.jupiter.api.Assumptions.*;
	import org.junit.jupiter.api.*;
	import org.junit.jupiter.params.ParameterizedTest;
	import org.junit.jupiter.params.provider.ValueSource;

	class CalcTest {
		@Test void adds() { assertEquals(5, Calc.add(2, 3)); }
		@Test void printsMarkup() {
			System.out.println("<failure message=\"no\">]]></failure> & <error/> <skipped/>");
			assertEquals(2, Calc.add(1, 1));
		}
		@Test void wrong() { assertEquals(5, Calc.add(2, 2), "why: add(2, 2) is not 5 <&>"); }
		@Test void throwsUp() { throw new IllegalStateException("why: the code blew up"); }
		@Test @Disabled("not graded") void later() { fail("why: never run"); }
		@Test void assumes() { assumeTrue(false, "no network"); }
		@Test @DisplayName("a > b & c < d # e") void named() { assertEquals(3, Calc.add(1, 2)); }
		@ParameterizedTest(name = "x<y]]>&# {0}") @ValueSource(ints = {1, 2})
		void param(int x) { assertEquals(1, x, "why: ]]> <&> only one"); }
	}
	EOF
	echo "class Calc { static int add(int a, int b) { return a + b; } }" >sub/Calc.java
'

test_expect_success 'JUnit'"'"'s own verdicts' '
	mkdir own && cp tests/CalcTest.java sub/Calc.java own/ &&
	(cd own && javac -d classes -cp $LAUNCHER CalcTest.java Calc.java &&
	 java -jar $LAUNCHER --disable-banner --disable-ansi-colors --details=tree -cp classes \
		--select-class CalcTest --reports-dir=reports >../own.out 2>&1; test $? = 1) &&
	fw_oracle junit5 oracle own.out own/reports/TEST-junit-jupiter.xml &&
	test_grep "9 tests found" own.out &&
	test $(wc -l <oracle) = 9
'

fw_expect_agree 'Lifebelt grades each case as JUnit does' \
	j5 tests sub oracle junit5 name

test_done
