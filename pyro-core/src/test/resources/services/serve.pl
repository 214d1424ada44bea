# A tiny HTTP/1.0 server for service tests (perl is in every Debian with git):
#   perl serve.pl PORT [DELAY_MS [ADDRESS]]
# waits DELAY_MS before it listens on ADDRESS:PORT (default 127.0.0.1), logs each request line on stdout
# and answers every request "200 OK" with "hello from perl"; a request for /fail gets 500.
use strict;
use warnings;
use IO::Socket::INET;
$| = 1;
my ($port, $delay, $addr) = @ARGV;
select(undef, undef, undef, ($delay || 0) / 1000);
my $server = IO::Socket::INET->new(LocalAddr => $addr || "127.0.0.1", LocalPort => $port, Listen => 16, ReuseAddr => 1)
    or die "cannot listen on $port: $!\n";
print "listening on $port\n";
while (my $c = $server->accept) {
    my $line = <$c> // "";
    $line =~ s/\r?\n$//;
    print "request: $line\n";
    while (my $h = <$c>) { last if $h =~ /^\r?\n$/ }
    my ($status, $body) = $line =~ m{ /fail } ? ("500 Internal Server Error", "failing\n") : ("200 OK", "hello from perl\n");
    print $c "HTTP/1.0 $status\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
    close $c;
}
