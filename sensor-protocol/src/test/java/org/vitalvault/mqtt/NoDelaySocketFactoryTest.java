package org.vitalvault.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {

    @Test
    void aReadBufferedSocketDeliversEveryByteInOrderAsPahoReadsThem() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = NoDelaySocketFactory.withReadBuffer(16).createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
            assertTrue(client.getTcpNoDelay());
            byte[] sent = new byte[1000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 7);
            }
            try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                out.write(sent);
                out.flush();
                // As Paho's MqttInputStream: a byte, then a block, through a DataInputStream.
                DataInputStream in = new DataInputStream(client.getInputStream());
                byte[] got = new byte[sent.length];
                got[0] = in.readByte();
                in.readFully(got, 1, got.length - 1);
                assertArrayEquals(sent, got);
            }
        }
    }

    @Test
    void availableCountsBufferedBytesAndATimeoutLosesNothing() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = NoDelaySocketFactory.withReadBuffer(64).createSocket(
                     InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            client.setSoTimeout(100);
            InputStream in = client.getInputStream();
            // Paho sets a read timeout and reads again after it: nothing may be lost in between.
            assertThrows(SocketTimeoutException.class, in::read);
            peer.getOutputStream().write(new byte[] {1, 2, 3});
            assertEquals(1, in.read());
            assertEquals(2, in.available(), "the rest is buffered");
            assertEquals(2, in.read());
            assertEquals(3, in.read());
            assertEquals(0, in.available());
        }
    }
}
