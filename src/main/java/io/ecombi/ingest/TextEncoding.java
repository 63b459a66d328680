package io.ecombi.ingest;

import org.mozilla.universalchardet.UniversalDetector;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The text encoding of a dropped file: a byte-order mark if it has one; else UTF-8 when every byte
 * sequence is valid UTF-8 (exports today mostly are); else what juniversalchardet detects
 * (Latin-1/Windows-1252, the usual other case). A file the detector cannot decide is refused with
 * the reason. Files are then read with a decoder that fails on any byte it cannot map, so a
 * replacement character (U+FFFD) is never stored in place of a letter.
 */
public record TextEncoding(Charset charset, int bomLength, String how) {

    /** What ingest.files.encoding records, e.g. "UTF-8", "UTF-8 (byte-order mark)", "WINDOWS-1252 (detected)". */
    public String describe() {
        return charset.name() + (how.isEmpty() ? "" : " (" + how + ")");
    }

    public static TextEncoding of(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] head = new byte[4];
        int n;
        try (InputStream in = open(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) return new TextEncoding(StandardCharsets.UTF_8, 3, "byte-order mark");
        if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) return new TextEncoding(StandardCharsets.UTF_16BE, 2, "byte-order mark");
        if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) return new TextEncoding(StandardCharsets.UTF_16LE, 2, "byte-order mark");
        long bad = firstInvalid(file, StandardCharsets.UTF_8);
        if (bad < 0) return new TextEncoding(StandardCharsets.UTF_8, 0, "");
        UniversalDetector detector = new UniversalDetector();
        try (InputStream in = open(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0 && !detector.isDone()) detector.handleData(buf, 0, r);
        }
        detector.dataEnd();
        String detected = detector.getDetectedCharset();
        Charset cs = null;
        if (detected != null && Charset.isSupported(detected)) cs = Charset.forName(detected);
        if (cs == null || cs.equals(StandardCharsets.UTF_8) || firstInvalid(file, cs) >= 0) {
            throw new IllegalArgumentException(name + ": cannot tell its text encoding: it is not UTF-8 (byte " + bad + " starts an invalid sequence)"
                    + (detected == null ? " and the encoding detector could not decide" : " and it does not read as " + detected + " either")
                    + "; export or save it as UTF-8 and drop it again");
        }
        return new TextEncoding(cs, 0, "detected");
    }

    /** A reader that fails on bytes the charset cannot map, after the byte-order mark. */
    public Reader reader(Path file) throws IOException {
        return reader(file, new java.util.concurrent.atomic.AtomicLong());
    }

    /** The same, counting the bytes read from the file as stored (before gunzip) into bytesRead. */
    public Reader reader(Path file, java.util.concurrent.atomic.AtomicLong bytesRead) throws IOException {
        InputStream in = open(file, bytesRead);
        in.skipNBytes(bomLength);
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }

    static InputStream open(Path file) throws IOException {
        return open(file, new java.util.concurrent.atomic.AtomicLong());
    }

    private static InputStream open(Path file, java.util.concurrent.atomic.AtomicLong bytesRead) throws IOException {
        InputStream in = new java.io.FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) bytesRead.incrementAndGet();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) bytesRead.addAndGet(n);
                return n;
            }
        };
        if (file.getFileName().toString().toLowerCase().endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (EOFException e) {
                in.close();
                throw new IllegalArgumentException(file.getFileName() + ": the .gz file is empty or cut short (no gzip header); nothing to load");
            } catch (java.util.zip.ZipException e) {
                in.close();
                throw new IllegalArgumentException(file.getFileName() + ": not a gzip file (" + e.getMessage() + ")");
            }
        }
        return in;
    }

    /** Offset of the first byte that does not decode in cs, or -1. */
    private static long firstInvalid(Path file, Charset cs) throws IOException {
        CharsetDecoder decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long consumed = 0;
        try (InputStream s = open(file)) {
            byte[] buf = in.array();
            boolean eof = false;
            while (!eof) {
                int r = s.read(buf, in.position(), in.remaining());
                if (r < 0) eof = true;
                else in.position(in.position() + r);
                in.flip();
                int before = in.position();
                CoderResult cr = decoder.decode(in, out, eof);
                if (cr.isError()) return consumed + (in.position() - before);
                consumed += in.position() - before;
                out.clear();
                in.compact();
            }
            if (decoder.flush(out).isError()) return consumed;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return -1;
    }
}
