package io.incidentsdk.internal.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Events a receiver refused, one JSON object a line: {@code deadLetteredAt}, {@code sink}, {@code status},
 * {@code reason} and the {@code event} (the incident record, which holds no secrets). Bounded: beyond
 * {@link #MAX_BYTES} the file is renamed to {@code name.1} (replacing an older one) and started again.
 */
public final class DeadLetterFile {

    /** Size at which the file is rotated. */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    private final Path file;

    /**
     * A dead-letter file.
     *
     * @param file the path; its directory is created when missing
     */
    public DeadLetterFile(Path file) {
        this.file = file;
    }

    /**
     * The file's path.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /**
     * Appends one refused event and forces it to disk.
     *
     * @param sink   the sink's name
     * @param status the HTTP status, 0 when there was none
     * @param reason why it was refused
     * @param event  the event
     * @throws IOException when writing failed
     */
    public synchronized void write(String sink, int status, String reason, IncidentEvent event) throws IOException {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("deadLetteredAt", Instant.now().toString());
        line.put("sink", sink);
        line.put("status", status);
        line.put("reason", reason);
        line.set("event", IncidentJson.toTree(event));
        byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(file) && Files.size(file) + bytes.length > MAX_BYTES) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(false);
        }
    }
}
