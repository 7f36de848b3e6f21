package com.commerceidentity.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The load generator's connection: HTTP/1.1 over one kept-alive loopback socket, requests written as bytes
 * prepared up front, one at a time (as a platform's delivery worker does), answers read just far enough to
 * know their status and where they end. It does what wrk does, in-process: {@code java.net.http.HttpClient}
 * spends about 0.3 ms of CPU per request, which on two shared cores would cap the measured rate by itself.
 */
final class KeepAliveSender implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    KeepAliveSender(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** A complete POST request, headers and body, ready to write. */
    static byte[] post(String path, int port, String[][] headers, byte[] body) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port).append("\r\n");
        for (String[] h : headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A GET request for {@code pathAndQuery}. */
    static byte[] get(String pathAndQuery, int port) {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request and returns the answer's status once the whole answer is read. */
    int exchange(byte[] request) throws IOException {
        return exchange(request, null);
    }

    /** Sends one request; the answer's body goes to {@code body} (when not null); returns its status. */
    int exchange(byte[] request, java.io.ByteArrayOutputStream body) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = h.toLowerCase().contains("chunked");
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                read(size, body);
                line();
            }
            line();
        } else if (length > 0) {
            read(length, body);
        }
        return code;
    }

    private void read(long n, java.io.ByteArrayOutputStream body) throws IOException {
        if (body == null) {
            skip(n);
            return;
        }
        byte[] buf = new byte[8192];
        for (long left = n; left > 0; ) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("connection closed inside an answer");
            }
            body.write(buf, 0, r);
            left -= r;
        }
    }

    private void skip(long n) throws IOException {
        for (long left = n; left > 0; ) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside an answer");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
