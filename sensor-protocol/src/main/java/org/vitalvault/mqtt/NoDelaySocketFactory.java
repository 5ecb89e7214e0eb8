package org.vitalvault.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets with TCP_NODELAY, for the project's Paho clients (gateway, benchmarks): with Nagle
 * on, small PUBACKs wait for the delayed-ACK timer and a broker that limits in-flight messages
 * stalls ~40 ms per window (measured with HiveMQ here).
 *
 * <p>{@link #withReadBuffer} also buffers what the socket reads. Paho 1.2.5 reads the socket
 * unbuffered: per incoming packet one {@code available()} (an ioctl), one read for the fixed header
 * byte, one per length byte and one for the rest — four system calls for a 150-byte PUBLISH. With
 * a buffer, a receiver that falls behind takes many packets per read; one that keeps up still
 * reads each packet with one call.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    private final SocketFactory delegate = SocketFactory.getDefault();
    private final int readBuffer;

    /** Unbuffered sockets, as Paho expects them. */
    public NoDelaySocketFactory() {
        this(0);
    }

    private NoDelaySocketFactory(int readBuffer) {
        this.readBuffer = readBuffer;
    }

    /** Sockets whose input stream reads ahead up to {@code bytes}. */
    public static NoDelaySocketFactory withReadBuffer(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("read buffer must be positive, was " + bytes);
        }
        return new NoDelaySocketFactory(bytes);
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = readBuffer > 0 ? new ReadBufferedSocket(readBuffer) : delegate.createSocket();
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A socket whose input stream is buffered; everything else is the plain socket's. */
    private static final class ReadBufferedSocket extends Socket {
        private final int size;
        private InputStream in;

        ReadBufferedSocket(int size) {
            this.size = size;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new ReadAhead(super.getInputStream(), size);
            }
            return in;
        }
    }

    /** Answers {@code available()} from the buffer when it holds bytes, without asking the kernel. */
    private static final class ReadAhead extends BufferedInputStream {
        ReadAhead(InputStream in, int size) {
            super(in, size);
        }

        @Override
        public synchronized int available() throws IOException {
            int buffered = count - pos;
            return buffered > 0 ? buffered : super.available();
        }
    }
}
