package io.incidentsdk.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's server) for the remote sinks' tests: records every request,
 * answers with scripted responses (status, {@code Retry-After}, or hanging until released), and can be
 * stopped and started again on the same port.
 */
final class TestReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(long atNanos, String method, String path, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A scripted answer. */
    record Answer(int status, String retryAfter, boolean hang) {
        static Answer status(int status) {
            return new Answer(status, null, false);
        }
    }

    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int defaultStatus = 200;
    private volatile boolean hangAll;
    private HttpServer server;
    private ExecutorService executor;

    private TestReceiver(int port) {
        this.port = port;
    }

    /** A receiver listening now on a free port. */
    static TestReceiver started() throws IOException {
        TestReceiver receiver = new TestReceiver(freePort());
        receiver.start();
        return receiver;
    }

    /** A receiver on a free port that is not listening yet: connections are refused until {@link #start()}. */
    static TestReceiver down() throws IOException {
        return new TestReceiver(freePort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-receiver-" + port);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Answers the next requests in this order, then with the default status. */
    TestReceiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    TestReceiver defaultStatus(int status) {
        this.defaultStatus = status;
        return this;
    }

    /** Every request hangs until {@link #close()}. */
    TestReceiver hangAll() {
        this.hangAll = true;
        return this;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        received.add(new Received(System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                headers, body));
        Answer answer = script.poll();
        if (answer == null) {
            answer = new Answer(defaultStatus, null, hangAll);
        }
        if (answer.hang()) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        stop();
    }
}
