package dev.imgpool.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A buffered {@code ImageInputStream} over any {@link SeekableByteChannel}, so files on any
 * {@code FileSystem} (jimfs in tests) decode without {@code Path.toFile()} and without ImageIO's
 * disk cache. An interrupt closes a file channel, which is how a stuck read is stopped.
 *
 * <p>Not thread-safe, like every ImageInputStream.
 */
final class ChannelImageInputStream extends ImageInputStreamImpl {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final SeekableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
  private long bufferStart; // file position of buffer[0]
  private boolean reachedEnd; // a read found no more bytes: the decoder wanted data past the end

  ChannelImageInputStream(SeekableByteChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    buffer.limit(0);
  }

  @Override
  public int read() throws IOException {
    checkClosed();
    bitOffset = 0;
    if (!fill()) {
      return -1;
    }
    streamPos++;
    return buffer.get() & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkClosed();
    Objects.checkFromIndexSize(off, len, b.length);
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    streamPos += n;
    return n;
  }

  /**
   * True once a read asked for bytes past the end of the file. A decoder that fails after that
   * most likely met a truncated file, whatever its exception says.
   */
  boolean reachedEnd() {
    return reachedEnd;
  }

  /** Forgets that the end was reached, after the readers' probes have looked at the first bytes. */
  void clearReachedEnd() {
    reachedEnd = false;
  }

  @Override
  public long length() {
    try {
      return channel.size();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void seek(long pos) throws IOException {
    checkClosed();
    if (pos < flushedPos) {
      throw new IndexOutOfBoundsException("pos < flushedPos");
    }
    bitOffset = 0;
    if (pos >= bufferStart && pos <= bufferStart + buffer.limit()) {
      buffer.position((int) (pos - bufferStart));
    } else {
      buffer.limit(0);
      bufferStart = pos;
      channel.position(pos);
    }
    streamPos = pos;
  }

  @Override
  public void close() throws IOException {
    super.close();
    channel.close();
  }

  /** Makes sure the buffer has bytes at streamPos; false at the end of the channel. */
  private boolean fill() throws IOException {
    if (buffer.hasRemaining()) {
      return true;
    }
    bufferStart = streamPos;
    if (channel.position() != streamPos) {
      channel.position(streamPos);
    }
    buffer.clear();
    int n;
    do {
      n = channel.read(buffer);
    } while (n == 0);
    buffer.flip();
    if (n < 0) {
      reachedEnd = true;
      return false;
    }
    return true;
  }
}
