package io.incidentsdk.internal.delivery;

import io.incidentsdk.sink.DeliveryOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first-in first-out queue of byte records on disk, in segment files, with one reader that acknowledges
 * records in order.
 *
 * <p>Layout of a spool directory: {@code spool.lock} (held with an OS file lock while a spool is open, so
 * two processes never share one), {@code cursor} (the position of the first unacknowledged record:
 * segment, offset, CRC; rewritten in place on every acknowledgement and never forced, because a stale or
 * torn cursor only means records are delivered again), {@code NNNNNNNNNNNNNNNNNNNN.seg} (segments, by
 * increasing sequence number), and {@code quarantine/} (the damaged tails of segments, kept for inspection;
 * bounded: at most {@value #QUARANTINE_MAX_FILES} files and a quarter of the spool's byte bound, the oldest
 * removed first and counted in the {@link Recovery}).
 *
 * <p>A record is {@code magic(4) length(4) crc32c(4) writtenAtMillis(8) payload(length)}; the CRC covers
 * {@code writtenAtMillis} and the payload. On open, every segment is checked record by record; at the first
 * record that is truncated or fails its check, the rest of the segment is moved into {@code quarantine/}
 * and counted. A process killed in the middle of an append leaves exactly such a tail: that append had not
 * returned, so nothing that was accepted is lost. A new process always appends to a new segment.
 *
 * <p>Bounded by bytes: when an append would exceed the bound, whole segments are dropped from the head
 * (oldest first) and their unacknowledged records counted. The reader reads only what this process knows
 * was completely written, so a failed append (a full disk) can never be read back half-written.
 *
 * <p>Thread-safe: every method holds the spool's monitor for the duration of one file operation.
 */
public final class Spool implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    static final int MAGIC = 0x49534431; // "ISD1"
    /** magic, length, crc, writtenAtMillis. */
    static final int HEADER = 4 + 4 + 4 + 8;
    private static final int CURSOR_BYTES = 8 + 8 + 4;
    private static final String SEGMENT_SUFFIX = ".seg";
    /** The largest payload accepted; records are bounded far below. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    /** One record read back from the spool. */
    public record Entry(long segment, long offset, int length, long writtenAtMillis, byte[] payload) {
    }

    /**
     * What opening the spool found.
     *
     * @param pending                  records waiting to be sent
     * @param quarantinedSegments      segments whose damaged tail was moved into {@code quarantine/}
     * @param quarantinedBytes         the bytes of those tails
     * @param quarantineRemovedFiles   older files removed from {@code quarantine/} to keep it within its bound
     * @param quarantineRemovedBytes   their bytes
     */
    public record Recovery(long pending, int quarantinedSegments, long quarantinedBytes, int quarantineRemovedFiles,
                           long quarantineRemovedBytes) {
    }

    /** The most files {@code quarantine/} keeps. */
    static final int QUARANTINE_MAX_FILES = 16;
    private static final String QUARANTINE_SUFFIX = ".damaged";

    private static final class Segment {
        final long seq;
        final Path path;
        long size;
        long records;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final DeliveryOptions.Fsync fsync;
    private final long fsyncIntervalNanos;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel cursorChannel;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final Recovery recovery;
    /** The highest segment number seen in the directory or the cursor: new segments go above it. */
    private long highestSeq;
    private FileChannel writer;
    private FileChannel reader;
    private long readerSeq = -1;
    /** Offset of the first unacknowledged record in the head segment. */
    private long readOffset;
    /** Acknowledged records of the head segment. */
    private long headAcked;
    private long totalBytes;
    private long pending;
    private boolean unsynced;
    private long lastSyncNanos = System.nanoTime();
    private boolean closed;

    private Spool(Path dir, long maxBytes, DeliveryOptions.Fsync fsync, long fsyncIntervalNanos) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(16 * 1024, Math.min(4L * 1024 * 1024, maxBytes / 4));
        this.fsync = fsync;
        this.fsyncIntervalNanos = fsyncIntervalNanos;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (held == null) {
            lockChannel.close();
            throw new SpoolLockedException(dir);
        }
        this.lock = held;
        FileChannel cursor = null;
        try {
            cursor = FileChannel.open(dir.resolve("cursor"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.cursorChannel = cursor;
            this.recovery = recover();
            startSegment(highestSeq + 1);
            writeCursor();
        } catch (IOException | RuntimeException e) {
            if (cursor != null) {
                cursor.close();
            }
            held.release();
            lockChannel.close();
            throw e;
        }
    }

    /** The directory is held by another open spool (of this or another process). */
    public static final class SpoolLockedException extends IOException {
        private static final long serialVersionUID = 1L;

        SpoolLockedException(Path dir) {
            super("spool directory " + dir + " is in use by another sink or process");
        }
    }

    /**
     * Opens (and recovers) the spool in a directory.
     *
     * @param dir                the directory, created when missing
     * @param maxBytes           the bound of all segments together
     * @param fsync              the fsync policy
     * @param fsyncIntervalNanos the batch interval under {@code BATCHED}
     * @return the open spool
     * @throws IOException when the directory cannot be used (locked: {@link SpoolLockedException})
     */
    public static Spool open(Path dir, long maxBytes, DeliveryOptions.Fsync fsync, long fsyncIntervalNanos)
            throws IOException {
        return new Spool(dir, maxBytes, fsync, fsyncIntervalNanos);
    }

    /**
     * What opening found: pending records and quarantined damage.
     *
     * @return the recovery
     */
    public Recovery recovery() {
        return recovery;
    }

    private Recovery recover() throws IOException {
        long[] cursor = readCursor();
        List<Long> seqs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SEGMENT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    seqs.add(Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length())));
                } catch (NumberFormatException e) {
                    // not ours: left alone
                }
            }
        }
        Collections.sort(seqs);
        highestSeq = Math.max(seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1), cursor != null ? cursor[0] : 0);
        int quarantined = 0;
        long quarantinedBytes = 0;
        boolean cursorFound = false;
        for (long seq : seqs) {
            Path path = segmentPath(seq);
            if (cursor != null && seq < cursor[0]) {
                Files.deleteIfExists(path); // acknowledged completely before the crash
                continue;
            }
            byte[] data = Files.readAllBytes(path);
            Segment segment = new Segment(seq, path);
            List<Long> starts = new ArrayList<>();
            long valid = scan(data, starts);
            if (valid < data.length) {
                quarantine(seq, data, valid);
                quarantined++;
                quarantinedBytes += data.length - valid;
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(true);
                }
            }
            segment.size = valid;
            segment.records = starts.size();
            if (segment.records == 0) {
                Files.deleteIfExists(path);
                continue;
            }
            if (segments.isEmpty()) {
                // the head: the cursor applies only when it names this segment and a record boundary
                if (cursor != null && cursor[0] == seq) {
                    int at = starts.indexOf(cursor[1]);
                    if (at >= 0) {
                        readOffset = cursor[1];
                        headAcked = at;
                        cursorFound = true;
                    } else if (cursor[1] == valid) {
                        Files.deleteIfExists(path); // every record was acknowledged
                        continue;
                    }
                }
            }
            segments.addLast(segment);
            totalBytes += segment.size;
            pending += segment.records;
        }
        if (!segments.isEmpty()) {
            pending -= headAcked;
        }
        if (cursor == null && !segments.isEmpty()) {
            LOG.debug("spool {}: no valid cursor, replaying every record", dir);
        } else if (!cursorFound && !segments.isEmpty()) {
            readOffset = 0;
            headAcked = 0;
        }
        long[] removed = boundQuarantine(Math.max(segmentBytes, maxBytes / 4));
        return new Recovery(pending, quarantined, quarantinedBytes, (int) removed[0], removed[1]);
    }

    /**
     * Keeps {@code quarantine/} within {@value #QUARANTINE_MAX_FILES} files and {@code maxBytes}: removes the
     * oldest damaged tails first (by modification time, then name). Returns the files and bytes removed.
     */
    private long[] boundQuarantine(long maxBytes) {
        Path q = dir.resolve("quarantine");
        if (!Files.isDirectory(q)) {
            return new long[2];
        }
        record Kept(Path path, long modified, long size) {
        }
        List<Kept> files = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> list = Files.newDirectoryStream(q, "*" + QUARANTINE_SUFFIX)) {
            for (Path file : list) {
                try {
                    java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                            java.nio.file.attribute.BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        files.add(new Kept(file, a.lastModifiedTime().toMillis(), a.size()));
                        total += a.size();
                    }
                } catch (IOException e) {
                    // gone meanwhile, or unreadable: not counted
                }
            }
        } catch (IOException e) {
            LOG.warn("spool {}: could not list quarantine/ to keep it bounded ({})", dir, e.toString());
            return new long[2];
        }
        files.sort(java.util.Comparator.comparingLong(Kept::modified)
                .thenComparing(k -> k.path().getFileName().toString()));
        long removedFiles = 0;
        long removedBytes = 0;
        int count = files.size();
        for (Kept oldest : files) {
            if (count <= QUARANTINE_MAX_FILES && total <= maxBytes) {
                break;
            }
            try {
                Files.deleteIfExists(oldest.path());
                removedFiles++;
                removedBytes += oldest.size();
            } catch (IOException e) {
                LOG.warn("spool {}: could not remove {} from quarantine/ ({})", dir, oldest.path().getFileName(),
                        e.toString());
            }
            count--;
            total -= oldest.size();
        }
        if (removedFiles > 0) {
            LOG.warn("spool {}: quarantine/ over its bound ({} files, {} bytes): removed the {} oldest damaged tails "
                    + "({} bytes)", dir, QUARANTINE_MAX_FILES, maxBytes, removedFiles, removedBytes);
        }
        return new long[] {removedFiles, removedBytes};
    }

    /** Checks records from the start; returns the end of the last valid one and collects record starts. */
    static long scan(byte[] data, List<Long> starts) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        int pos = 0;
        CRC32C crc = new CRC32C();
        while (data.length - pos >= HEADER) {
            int magic = buf.getInt(pos);
            int length = buf.getInt(pos + 4);
            if (magic != MAGIC || length < 0 || length > MAX_PAYLOAD || data.length - pos - HEADER < length) {
                break;
            }
            crc.reset();
            crc.update(data, pos + 12, 8 + length);
            if ((int) crc.getValue() != buf.getInt(pos + 8)) {
                break;
            }
            starts.add((long) pos);
            pos += HEADER + length;
        }
        return pos;
    }

    private void quarantine(long seq, byte[] data, long valid) {
        try {
            Path q = dir.resolve("quarantine");
            Files.createDirectories(q);
            Path target = q.resolve(String.format("%020d-at-%d", seq, valid) + QUARANTINE_SUFFIX);
            Files.write(target, java.util.Arrays.copyOfRange(data, (int) valid, data.length));
        } catch (IOException e) {
            LOG.warn("spool {}: could not keep the damaged tail of segment {} in quarantine/ ({}); it is discarded",
                    dir, seq, e.toString());
        }
    }

    private long[] readCursor() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CURSOR_BYTES);
        while (buf.hasRemaining()) {
            if (cursorChannel.read(buf, buf.position()) < 0) {
                return null;
            }
        }
        buf.flip();
        long seq = buf.getLong();
        long offset = buf.getLong();
        int check = buf.getInt();
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 16);
        return (int) crc.getValue() == check && seq > 0 && offset >= 0 ? new long[] {seq, offset} : null;
    }

    private void writeCursor() throws IOException {
        Segment head = segments.peekFirst();
        if (head == null) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(CURSOR_BYTES);
        buf.putLong(head.seq).putLong(readOffset);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 16);
        buf.putInt((int) crc.getValue()).flip();
        while (buf.hasRemaining()) {
            cursorChannel.write(buf, buf.position());
        }
    }

    private Path segmentPath(long seq) {
        return dir.resolve(String.format("%020d", seq) + SEGMENT_SUFFIX);
    }

    private void startSegment(long seq) throws IOException {
        if (writer != null) {
            if (unsynced) {
                writer.force(false);
                unsynced = false;
            }
            writer.close();
            writer = null;
        }
        Segment segment = new Segment(seq, segmentPath(seq));
        writer = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.addLast(segment);
        if (fsync != DeliveryOptions.Fsync.NEVER) {
            forceDirectory();
        }
    }

    /** Makes the new file's name durable, where the platform allows forcing a directory. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the data itself is still forced
        }
    }

    /**
     * Appends one record, after dropping the oldest segments when the bound would be exceeded.
     *
     * @param payload    the payload
     * @param nowMillis  the time stored with it (for the age bound)
     * @return how many unacknowledged records were dropped to make room
     * @throws IOException when the write failed; the spool then stays usable (the failed record is not there)
     */
    public synchronized long append(byte[] payload, long nowMillis) throws IOException {
        ensureOpen();
        int length = HEADER + payload.length;
        if (payload.length > MAX_PAYLOAD || length > maxBytes / 2) {
            throw new IOException("record of " + length + " bytes exceeds the spool's record bound");
        }
        Segment active = segments.getLast();
        if (active.size > 0 && active.size + length > segmentBytes) {
            startSegment(active.seq + 1);
            active = segments.getLast();
        }
        long dropped = 0;
        while (totalBytes + length > maxBytes && segments.size() > 1) {
            dropped += dropHead();
        }
        ByteBuffer record = ByteBuffer.allocate(length);
        record.putInt(MAGIC).putInt(payload.length).putInt(0).putLong(nowMillis).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), 12, 8 + payload.length);
        record.putInt(8, (int) crc.getValue()).flip();
        long before = active.size;
        try {
            while (record.hasRemaining()) {
                writer.write(record, before + record.position());
            }
            if (fsync == DeliveryOptions.Fsync.EVERY_EVENT) {
                writer.force(false);
            } else if (fsync == DeliveryOptions.Fsync.BATCHED) {
                unsynced = true;
                syncIfDue();
            }
        } catch (IOException | RuntimeException e) {
            try {
                writer.truncate(before);
            } catch (IOException suppressed) {
                // the reader never reads past the known size; a restart quarantines the tail
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        active.size += length;
        active.records++;
        totalBytes += length;
        pending++;
        return dropped;
    }

    /** Drops the head segment; returns its unacknowledged records. */
    private long dropHead() throws IOException {
        Segment head = segments.removeFirst();
        long lost = head.records - headAcked;
        pending -= lost;
        totalBytes -= head.size;
        closeReader();
        readOffset = 0;
        headAcked = 0;
        Files.deleteIfExists(head.path);
        writeCursor();
        return lost;
    }

    /**
     * Forces appended records to the device when the batch interval has passed (under {@code BATCHED}).
     *
     * @throws IOException when forcing failed
     */
    public synchronized void syncIfDue() throws IOException {
        if (unsynced && !closed && System.nanoTime() - lastSyncNanos >= fsyncIntervalNanos) {
            writer.force(false);
            unsynced = false;
            lastSyncNanos = System.nanoTime();
        }
    }

    /**
     * Whether appended records wait for a batched force.
     *
     * @return {@code true} when a force is due at some point
     */
    public synchronized boolean unsynced() {
        return unsynced;
    }

    /**
     * The first unacknowledged record, without removing it.
     *
     * @return the record, {@code null} when none is pending
     * @throws IOException when reading failed; nothing changed, and the next call opens the segment afresh (a
     *         fault of the file system may be gone by then)
     */
    public synchronized Entry peek() throws IOException {
        ensureOpen();
        try {
            return peekHead();
        } catch (IOException e) {
            try {
                closeReader();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Entry peekHead() throws IOException {
        while (true) {
            Segment head = segments.peekFirst();
            if (head == null) {
                return null;
            }
            if (readOffset >= head.size) {
                if (head == segments.peekLast()) {
                    return null; // the writer's segment, read to its end
                }
                finishHead();
                continue;
            }
            if (readerSeq != head.seq) {
                closeReader();
                reader = FileChannel.open(head.path, StandardOpenOption.READ);
                readerSeq = head.seq;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(header, readOffset);
            header.flip();
            int magic = header.getInt();
            int length = header.getInt();
            int check = header.getInt();
            long writtenAt = header.getLong();
            if (magic != MAGIC || length < 0 || readOffset + HEADER + length > head.size) {
                skipDamagedRest(head);
                continue;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, readOffset + HEADER);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 12, 8);
            crc.update(payload.array(), 0, length);
            if ((int) crc.getValue() != check) {
                skipDamagedRest(head);
                continue;
            }
            return new Entry(head.seq, readOffset, HEADER + length, writtenAt, payload.array());
        }
    }

    /**
     * The first unacknowledged records, in order, without removing them: for senders that keep several records
     * in flight and acknowledge them one by one, in the same order. Stops early at a record that does not read
     * back whole (it is dealt with when it becomes the first, by {@link #peek()}).
     *
     * @param max      the most records, at least 1
     * @param maxBytes the most payload bytes after the first record
     * @return the records, empty when none is pending
     * @throws IOException when reading failed
     */
    public synchronized List<Entry> peek(int max, long maxBytes) throws IOException {
        Entry first = peek();
        if (first == null) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>(Math.min(max, 64));
        entries.add(first);
        long bytes = first.length();
        java.util.Iterator<Segment> it = segments.iterator();
        Segment segment = it.next(); // the head: first's segment
        long offset = first.offset() + first.length();
        FileChannel channel = reader;
        boolean own = false;
        try {
            while (entries.size() < max && bytes < maxBytes) {
                if (offset >= segment.size) {
                    if (!it.hasNext()) {
                        break;
                    }
                    segment = it.next();
                    offset = 0;
                    if (own) {
                        channel.close();
                    }
                    channel = FileChannel.open(segment.path, StandardOpenOption.READ);
                    own = true;
                    continue;
                }
                Entry entry = readEntry(channel, segment, offset);
                if (entry == null) {
                    break;
                }
                entries.add(entry);
                bytes += entry.length();
                offset += entry.length();
            }
        } finally {
            if (own) {
                channel.close();
            }
        }
        return entries;
    }

    /** The record at {@code offset} of a segment, {@code null} when it does not read back whole. */
    private static Entry readEntry(FileChannel channel, Segment segment, long offset) throws IOException {
        if (segment.size - offset < HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(channel, header, offset);
        header.flip();
        int magic = header.getInt();
        int length = header.getInt();
        int check = header.getInt();
        long writtenAt = header.getLong();
        if (magic != MAGIC || length < 0 || length > MAX_PAYLOAD || offset + HEADER + length > segment.size) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload, offset + HEADER);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 12, 8);
        crc.update(payload.array(), 0, length);
        if ((int) crc.getValue() != check) {
            return null;
        }
        return new Entry(segment.seq, offset, HEADER + length, writtenAt, payload.array());
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("spool segment ended early");
            }
        }
    }

    /** Damage found while running (the file was changed under us): the rest of the segment is skipped. */
    private void skipDamagedRest(Segment head) throws IOException {
        long lost = head.records - headAcked;
        LOG.warn("spool {}: segment {} is damaged at offset {}; its {} remaining records are skipped", dir, head.seq,
                readOffset, lost);
        pending -= lost;
        headAcked = head.records;
        readOffset = head.size;
        damagedWhileRunning += lost;
        if (head == segments.peekLast()) {
            startSegment(head.seq + 1);
        }
    }

    private long damagedWhileRunning;

    /**
     * Records lost to damage found while running (and not yet taken by the caller).
     *
     * @return the count, reset to zero
     */
    public synchronized long takeDamaged() {
        long n = damagedWhileRunning;
        damagedWhileRunning = 0;
        return n;
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (reader.read(buf, position + buf.position()) < 0) {
                throw new IOException("spool segment ended early");
            }
        }
    }

    /**
     * Marks a record done; a no-op when it is not the first pending one (its segment was dropped meanwhile).
     *
     * @param entry the record returned by {@link #peek()}
     * @throws IOException when the cursor could not be written
     */
    public synchronized void ack(Entry entry) throws IOException {
        if (closed) {
            return;
        }
        Segment head = segments.peekFirst();
        if (head == null || head.seq != entry.segment() || readOffset != entry.offset()) {
            return;
        }
        readOffset += entry.length();
        headAcked++;
        pending--;
        if (readOffset >= head.size && head != segments.peekLast()) {
            finishHead();
        } else {
            writeCursor();
        }
    }

    private void finishHead() throws IOException {
        Segment head = segments.removeFirst();
        totalBytes -= head.size;
        closeReader();
        readOffset = 0;
        headAcked = 0;
        writeCursor(); // names the next segment before the finished one disappears
        Files.deleteIfExists(head.path);
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            FileChannel closing = reader;
            reader = null;
            readerSeq = -1;
            closing.close();
        }
    }

    /**
     * Records waiting to be acknowledged.
     *
     * @return the count
     */
    public synchronized long pending() {
        return pending;
    }

    /**
     * Bytes of all segments on disk.
     *
     * @return the size
     */
    public synchronized long bytes() {
        return totalBytes;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool " + dir + " is closed");
        }
    }

    /**
     * Forces what is unsynced, writes the cursor and releases the directory. Every step is tried even when an
     * earlier one failed, so the files are closed and the directory's lock is released whenever this returns.
     * An interrupt of the calling thread is set aside for the duration (a file channel used by an interrupted
     * thread closes itself and fails) and restored before returning.
     *
     * @throws IOException the first step that failed, the others suppressed
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = Thread.interrupted();
        IOException failure = null;
        try {
            if (writer != null) {
                if (fsync != DeliveryOptions.Fsync.NEVER) {
                    failure = attempt(failure, () -> writer.force(false));
                }
                failure = attempt(failure, writer::close);
            }
            failure = attempt(failure, this::writeCursor);
            failure = attempt(failure, this::closeReader);
            failure = attempt(failure, cursorChannel::close);
            failure = attempt(failure, lock::release);
            failure = attempt(failure, lockChannel::close);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private interface FileStep {
        void run() throws IOException;
    }

    private static IOException attempt(IOException failure, FileStep step) {
        try {
            step.run();
            return failure;
        } catch (IOException | RuntimeException e) {
            IOException f = e instanceof IOException io ? io : new IOException(e);
            if (failure == null) {
                return f;
            }
            failure.addSuppressed(f);
            return failure;
        }
    }
}
