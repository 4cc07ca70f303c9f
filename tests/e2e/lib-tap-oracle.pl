#!/usr/bin/perl
# lib-tap-oracle.pl FILE: what prove's own parser, TAP::Parser, reads from a
# TAP stream, in cases-dump's words: "pass|fail|skip NAME" per test, then
# "broken: ERROR" for its first parse error or a bail-out.
# Names are TAP::Parser's descriptions (a "#" that starts no SKIP or TODO
# directive stays in the name), "\#" and "\\" unescaped, leading dashes
# and blanks dropped.
# Perl 5.36's TAP::Parser knows TAP versions up to 13 only; its complaint
# about "TAP version 14" is no error here.
use strict;
use warnings;
use TAP::Parser;

open(my $fh, '<:raw', $ARGV[0]) or die "$ARGV[0]: $!\n";
my $parser = TAP::Parser->new({ source => $fh });
my ($n, $broken) = (0, undef);
binmode(STDOUT);
while (my $r = $parser->next) {
	if ($r->is_bailout) {
		$broken = 'Bail out! ' . $r->explanation;
		last;
	}
	next unless $r->is_test;
	$n++;
	my $desc = $r->description;
	$desc =~ s/\\([\\#])/$1/g;
	$desc =~ s/^[ -]+//;
	$desc =~ s/ +$//;
	$desc = "case $n" if $desc eq '';
	utf8::encode($desc) if utf8::is_utf8($desc);
	my $state = $r->is_unplanned ? 'fail'
		: $r->has_todo ? 'skip'
		: $r->has_skip ? ($r->is_actual_ok ? 'skip' : 'fail')
		: $r->is_actual_ok ? 'pass' : 'fail';
	print "$state $desc\n";
}
my @errors = grep { !/we don't know about versions later than 13/ } $parser->parse_errors;
$broken //= $errors[0];
if (defined $broken) {
	$broken =~ s/\n.*//s;
	print "broken: $broken\n";
}
