package dev.pyro.guest.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams over a {@link SocketChannel}. {@code Channels.newInputStream} is not
 * used on purpose: for selectable channels it may hold the channel's blocking lock during a
 * read, which would stall a concurrent write. A {@code SocketChannel} itself allows one
 * reader and one writer at the same time, which is exactly what the client needs.
 */
final class SocketChannelStreams {
    private SocketChannelStreams() {
    }

    static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n;
                do {
                    n = ch.read(ByteBuffer.wrap(b, off, len));
                } while (n == 0);
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** Connects to a Unix socket, retrying while it does not exist or refuses, until the deadline. */
    static SocketChannel connectUnix(java.nio.file.Path path, long deadlineNanos) throws IOException {
        long backoffMs = 5;
        while (true) {
            SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            try {
                ch.connect(java.net.UnixDomainSocketAddress.of(path));
                return ch;
            } catch (java.net.SocketException | java.nio.file.NoSuchFileException e) {
                ch.close();
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw e;
                }
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            try {
                Thread.sleep(backoffMs); // bounded retry: the socket appears when the VMM is up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while connecting to " + path);
            }
            backoffMs = Math.min(backoffMs * 2, 100);
        }
    }
}
