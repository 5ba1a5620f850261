package dev.imgpool.hostile;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * A decoder that runs away: it claims files starting with {@link #MAGIC}, reports a 16x16 image,
 * and its {@code read} ignores {@code abort()} and interrupts until the test lets it go. What a
 * real decoder stuck in a loop or in native code looks like to imgpool.
 */
final class RunawayReader extends ImageReader {
  static final byte[] MAGIC = "IMGPOOL-RUNAWAY!".getBytes(StandardCharsets.US_ASCII);

  private static volatile CountDownLatch release = new CountDownLatch(1);
  private static volatile CountDownLatch entered = new CountDownLatch(1);
  private static volatile Thread stuck;

  private RunawayReader(ImageReaderSpi spi) {
    super(spi);
  }

  /** Registers the reader with ImageIO until {@link #unregister}. */
  static Spi register() {
    release = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    stuck = null;
    Spi spi = new Spi();
    IIORegistry.getDefaultInstance().registerServiceProvider(spi, ImageReaderSpi.class);
    return spi;
  }

  /** Lets every stuck read return, waits for its thread to end, and removes the reader. */
  static void unregister(Spi spi) throws InterruptedException {
    release.countDown();
    Thread thread = stuck;
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    IIORegistry.getDefaultInstance().deregisterServiceProvider(spi, ImageReaderSpi.class);
  }

  static boolean awaitEntered(long seconds) throws InterruptedException {
    return entered.await(seconds, TimeUnit.SECONDS);
  }

  static byte[] file() {
    return Arrays.copyOf(MAGIC, MAGIC.length + 64);
  }

  @Override
  public int getNumImages(boolean allowSearch) {
    return 1;
  }

  @Override
  public int getWidth(int imageIndex) {
    return 16;
  }

  @Override
  public int getHeight(int imageIndex) {
    return 16;
  }

  @Override
  public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) {
    return List.of(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB)).iterator();
  }

  @Override
  public IIOMetadata getStreamMetadata() {
    return null;
  }

  @Override
  public IIOMetadata getImageMetadata(int imageIndex) {
    return null;
  }

  @Override
  public BufferedImage read(int imageIndex, ImageReadParam param) {
    stuck = Thread.currentThread();
    entered.countDown();
    while (release.getCount() > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // deaf to abort() and to interrupts
    }
    return new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
  }

  /** The service provider that makes ImageIO pick the reader for files that start with the magic. */
  static final class Spi extends ImageReaderSpi {
    Spi() {
      super("imgpool tests", "1", new String[] {"runaway"}, new String[] {"sgi"}, new String[0],
          RunawayReader.class.getName(), new Class<?>[] {ImageInputStream.class}, null, false, null, null, null, null,
          false, null, null, null, null);
    }

    @Override
    public boolean canDecodeInput(Object source) throws IOException {
      if (!(source instanceof ImageInputStream stream)) {
        return false;
      }
      byte[] head = new byte[MAGIC.length];
      stream.mark();
      try {
        return stream.read(head) == head.length && Arrays.equals(head, MAGIC);
      } finally {
        stream.reset();
      }
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
      return new RunawayReader(this);
    }

    @Override
    public String getDescription(Locale locale) {
      return "a reader that never returns, for tests";
    }
  }
}
