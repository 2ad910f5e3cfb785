package io.incidentsdk.sink;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event as one line of JSON to a file (JSON Lines), with size-based rotation and a
 * configurable fsync policy.
 *
 * <p>Rotation: when the next line would make the file larger than {@code maxFileSize}, the file is renamed
 * to {@code name.1} (older ones shift to {@code name.2} ... up to {@code maxFiles}; the oldest is deleted)
 * and a new file is started. A file left with a half-written last line by a crash is continued on a fresh
 * line, and {@link #read(Path)} skips such a line, so it is never fatal. A failed write (a full disk, a
 * removed directory) throws to the SDK, which counts and retries it; the file is reopened on the next event.
 *
 * @since 0.1.0
 */
public final class JsonLinesFileSink implements IncidentSink {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileSink.class);
    private static final byte NEWLINE = '\n';

    /**
     * When the sink forces written data to the storage device.
     *
     * @since 0.1.0
     */
    public enum Fsync {
        /** Leave it to the operating system (fastest; a machine crash may lose the latest events). */
        NEVER,
        /** After every event (safest; one device flush per event). */
        EVERY_EVENT
    }

    private final Path file;
    private final long maxFileSize;
    private final int maxFiles;
    private final Fsync fsync;
    private FileChannel channel;
    private long size;

    private JsonLinesFileSink(Builder builder) {
        this.file = builder.file;
        this.maxFileSize = builder.maxFileSize;
        this.maxFiles = builder.maxFiles;
        this.fsync = builder.fsync;
    }

    /**
     * A sink writing to {@code file} with default settings (50 MB per file, 5 rotated files, no fsync).
     *
     * @param file the file, not {@code null}; its directory is created when missing
     * @return a new sink
     */
    public static JsonLinesFileSink toFile(Path file) {
        return builder(file).build();
    }

    /**
     * Starts configuring a sink.
     *
     * @param file the file, not {@code null}
     * @return a builder
     */
    public static Builder builder(Path file) {
        return new Builder(Objects.requireNonNull(file, "file must not be null"));
    }

    /**
     * The file written to.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void publish(IncidentEvent event) throws IOException {
        byte[] json = IncidentJson.toJson(event).getBytes(StandardCharsets.UTF_8);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put(NEWLINE).flip();
        try {
            FileChannel out = open();
            if (size > 0 && size + line.remaining() > maxFileSize) {
                rotate();
                out = open();
            }
            while (line.hasRemaining()) {
                size += out.write(line);
            }
            if (fsync == Fsync.EVERY_EVENT) {
                out.force(false);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private FileChannel open() throws IOException {
        if (channel != null) {
            return channel;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // NIO refuses READ together with APPEND: the last byte is checked through a channel of its own
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            long existing = opened.size();
            if (existing > 0 && !endsWithNewline(file, existing)) {
                // a crash left half a line: start ours on a fresh one; readers skip the broken line
                ByteBuffer nl = ByteBuffer.wrap(new byte[] {NEWLINE});
                while (nl.hasRemaining()) {
                    opened.write(nl);
                }
                existing++;
            }
            size = existing;
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel = opened;
        return opened;
    }

    private static boolean endsWithNewline(Path file, long size) throws IOException {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return reader.read(last, size - 1) == 1 && last.get(0) == NEWLINE;
        }
    }

    private void rotate() throws IOException {
        closeQuietly();
        Path oldest = sibling(maxFiles);
        Files.deleteIfExists(oldest);
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path from = sibling(i);
            if (Files.exists(from)) {
                Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (maxFiles >= 1) {
            Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(file);
        }
        size = 0;
    }

    private Path sibling(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", file, e);
            }
            channel = null;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            try {
                channel.force(false);
            } finally {
                closeQuietly();
            }
        }
    }

    @Override
    public String name() {
        return "file";
    }

    /**
     * Reads the events of one JSON Lines file, oldest first. Lines that are not a complete event (a
     * half-written line after a crash, garbage) are skipped and logged at WARN, never fatal.
     *
     * @param file the file, not {@code null}
     * @return the events
     * @throws IOException when the file cannot be read
     */
    public static List<IncidentEvent> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        List<IncidentEvent> events = new ArrayList<>();
        int skipped = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(IncidentJson.fromJson(line));
                } catch (IncidentJson.IncidentJsonException e) {
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            LOG.warn("Skipped {} unreadable lines in {}", skipped, file);
        }
        return events;
    }

    /**
     * Configures a {@link JsonLinesFileSink}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Path file;
        private long maxFileSize = 50L * 1024 * 1024;
        private int maxFiles = 5;
        private Fsync fsync = Fsync.NEVER;

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Rotates when a file would grow beyond this size (default 50 MB).
         *
         * @param bytes between 1 KB and 1 TB
         * @return this builder
         */
        public Builder maxFileSize(long bytes) {
            if (bytes < 1024 || bytes > (1L << 40)) {
                throw new IllegalArgumentException("maxFileSize must be between 1024 and 2^40 bytes, was " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /**
         * How many rotated files to keep (default 5; 0 keeps none).
         *
         * @param count between 0 and 1000
         * @return this builder
         */
        public Builder maxFiles(int count) {
            if (count < 0 || count > 1000) {
                throw new IllegalArgumentException("maxFiles must be between 0 and 1000, was " + count);
            }
            this.maxFiles = count;
            return this;
        }

        /**
         * Sets the fsync policy (default {@link Fsync#NEVER}).
         *
         * @param fsync not {@code null}
         * @return this builder
         */
        public Builder fsync(Fsync fsync) {
            this.fsync = Objects.requireNonNull(fsync, "fsync must not be null");
            return this;
        }

        /**
         * Builds the sink; the file is opened on the first event.
         *
         * @return a new sink
         */
        public JsonLinesFileSink build() {
            return new JsonLinesFileSink(this);
        }
    }
}
