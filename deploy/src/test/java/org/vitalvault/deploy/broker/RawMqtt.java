package org.vitalvault.deploy.broker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal MQTT 5 client on a plain socket, for attacks a real client library refuses to make:
 * a PUBLISH whose declared length exceeds the broker's maximum packet size, streamed so that the
 * attacker never holds it in memory, and stopped as soon as the broker closes the connection.
 * Only what the tests need: CONNECT with user name and password, one QoS 1 PUBLISH, and reading
 * the broker's answer (PUBACK, DISCONNECT or a closed connection).
 */
public final class RawMqtt implements AutoCloseable {

    /** What the broker answered to CONNECT. */
    public record Connack(int reasonCode, long maximumPacketSize) {
    }

    /**
     * What became of a publish.
     *
     * @param bytesWritten   how many bytes of the PUBLISH packet (header included) the socket took
     *                       before the broker closed it or the packet was complete
     * @param packetType     the broker's answer: 4 = PUBACK, 14 = DISCONNECT, -1 = none (closed)
     * @param reasonCode     its reason code, or -1
     */
    public record Outcome(long bytesWritten, int packetType, int reasonCode) {
        public boolean refused() {
            return packetType == -1 || packetType == 14 || reasonCode >= 0x80;
        }
    }

    public static final int PUBACK = 4;
    public static final int DISCONNECT = 14;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects (clean start, keep-alive 60 s) and returns the client; check {@link #connack}. */
    public static RawMqtt connect(String host, int port, String clientId, String user, byte[] password,
                                  Connack[] connack) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(20_000);
        RawMqtt client = new RawMqtt(socket);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(5);                       // protocol level: MQTT 5
        body.write(0x80 | 0x40 | 0x02);      // user name, password, clean start
        body.write(0);
        body.write(60);                      // keep-alive
        body.write(0);                       // no properties
        writeString(body, clientId);
        writeString(body, user);
        body.write(password.length >> 8);
        body.write(password.length & 0xFF);
        body.write(password, 0, password.length);
        client.out.write(0x10);
        client.out.write(varint(body.size()));
        body.writeTo(client.out);
        client.out.flush();
        int header = client.in.readUnsignedByte();
        byte[] ack = client.readBody();
        if (header >> 4 != 2 || ack.length < 2) {
            socket.close();
            throw new IOException("expected CONNACK, got packet type " + (header >> 4));
        }
        connack[0] = new Connack(ack[1] & 0xFF, maximumPacketSize(ack));
        return client;
    }

    /**
     * Sends one QoS 1 PUBLISH whose payload is {@code payloadLength} bytes produced by repeating
     * {@code pattern}, written in chunks; stops writing when the broker closes the connection.
     * Then reads the broker's answer (waiting at most 20 s).
     */
    public Outcome publishQos1(String topic, long payloadLength, byte[] pattern) throws IOException {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        long remaining = 2L + topicBytes.length + 2 + 1 + payloadLength;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(0x32);                    // PUBLISH, QoS 1
        head.write(varint(remaining));
        head.write(topicBytes.length >> 8);
        head.write(topicBytes.length & 0xFF);
        head.write(topicBytes, 0, topicBytes.length);
        head.write(0);
        head.write(1);                       // packet id 1
        head.write(0);                       // no properties
        long written = 0;
        try {
            out.write(head.toByteArray());
            written += head.size();
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = pattern[i % pattern.length];
            }
            long left = payloadLength;
            long offset = 0;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                if (offset % pattern.length != 0) {
                    // keep the pattern aligned: only needed when the pattern does not divide the chunk
                    byte[] aligned = new byte[n];
                    for (int i = 0; i < n; i++) {
                        aligned[i] = pattern[(int) ((offset + i) % pattern.length)];
                    }
                    out.write(aligned, 0, n);
                } else {
                    out.write(chunk, 0, n);
                }
                written += n;
                offset += n;
                left -= n;
            }
            out.flush();
        } catch (IOException closedByBroker) {
            // "Broken pipe" / "Connection reset": the broker closed the connection mid-packet.
        }
        return readAnswer(written);
    }

    /** Sends one QoS 1 PUBLISH with exactly these payload bytes. */
    public Outcome publishQos1(String topic, byte[] payload) throws IOException {
        return publishQos1(topic, payload.length, payload.length == 0 ? new byte[] {0} : payload);
    }

    private Outcome readAnswer(long written) {
        try {
            int header = in.readUnsignedByte();
            byte[] body = readBody();
            int type = header >> 4;
            int reason = switch (type) {
                case PUBACK -> body.length >= 3 ? body[2] & 0xFF : 0;
                case DISCONNECT -> body.length >= 1 ? body[0] & 0xFF : 0;
                default -> -1;
            };
            return new Outcome(written, type, reason);
        } catch (EOFException | SocketTimeoutException e) {
            return new Outcome(written, -1, -1);
        } catch (IOException e) {
            return new Outcome(written, -1, -1);
        }
    }

    private byte[] readBody() throws IOException {
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    /** Property 0x27 of a CONNACK body, or -1 when absent. */
    private static long maximumPacketSize(byte[] ack) {
        ByteBuffer p = ByteBuffer.wrap(ack, 2, ack.length - 2);
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = p.get() & 0xFF;
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        int end = p.position() + length;
        while (p.position() < end) {
            int id = p.get() & 0xFF;
            switch (id) {
                case 0x27 -> {
                    return p.getInt() & 0xFFFFFFFFL;
                }
                case 0x11 -> p.getInt();
                case 0x21, 0x22, 0x13 -> p.getShort();
                case 0x24, 0x25, 0x28, 0x29, 0x2A -> p.get();
                case 0x12, 0x1F, 0x1A, 0x1C, 0x15, 0x16 -> p.position(p.position() + (p.getShort() & 0xFFFF));
                case 0x26 -> {
                    p.position(p.position() + (p.getShort() & 0xFFFF));
                    p.position(p.position() + (p.getShort() & 0xFFFF));
                }
                default -> {
                    return -1; // a property this helper does not know: stop, the size is not known
                }
            }
        }
        return -1;
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.write(b, 0, b.length);
    }

    private static byte[] varint(long value) {
        if (value > 268_435_455L) {
            throw new IllegalArgumentException("MQTT remaining length is at most 268,435,455");
        }
        byte[] b = new byte[4];
        int n = 0;
        do {
            int digit = (int) (value % 128);
            value /= 128;
            b[n++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return Arrays.copyOf(b, n);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
