package dev.imgpool.image;

import dev.imgpool.image.codec.JpegDecoder;
import dev.imgpool.image.codec.PngDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-image stages on one real image: decode (each JPEG reader, with and without source
 * subsampling; imgpool's own JPEG and PNG decoders, which fail on the other format), resize (imgpool's box shrink and Lanczos reduce against Thumbnailator) and
 * JPEG encode. Run with {@code mvn -Pjmh verify}; pick the image with {@code -Dbench.image=...}
 * (default: a photo from testdata).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StagesBenchmark {
  @Param({"800"})
  public int target;

  private Path image;
  private byte[] bytes;
  private BufferedImage decoded;
  private BufferedImage thumbnail;
  private Size size;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ImageIO.setUseCache(false);
    image = Path.of(System.getProperty("bench.image", "testdata/images/waterfall.jpg")).toAbsolutePath();
    bytes = Files.readAllBytes(image);
    decoded = decode(null, 1);
    size = Geometry.parse(target + "x" + target).apply(decoded.getWidth(), decoded.getHeight());
    thumbnail = Resampler.downscale(decoded, size);
  }

  private BufferedImage decode(String readerClass, int step) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(bytes);
        ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      ImageReader reader = readers.next();
      while (readerClass != null && !reader.getClass().getName().startsWith(readerClass) && readers.hasNext()) {
        reader = readers.next();
      }
      try {
        reader.setInput(stream, true, true);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
  }

  @Benchmark
  public BufferedImage decodeDefaultReader() throws IOException {
    return decode(null, 1);
  }

  @Benchmark
  public BufferedImage decodeJdkJpegSubsampled() throws IOException {
    int step = Decoder.subsamplingStep("JPEG", new Size(decoded.getWidth(), decoded.getHeight()), size);
    return decode("com.sun.imageio", step);
  }

  @Benchmark
  public BufferedImage decodeTwelveMonkeysJpegSubsampled() throws IOException {
    int step = Decoder.subsamplingStep("JPEG", new Size(decoded.getWidth(), decoded.getHeight()), size);
    return decode("com.twelvemonkeys", step);
  }

  /** imgpool's own baseline JPEG decoder at the DCT scale the pipeline picks for the target. */
  @Benchmark
  public BufferedImage decodeJpegScaled() throws Exception {
    int scale = FastPath.jpegScale(new Size(decoded.getWidth(), decoded.getHeight()), size);
    return JpegDecoder.parse(bytes, bytes.length).decode(scale, () -> false);
  }

  /** imgpool's own PNG decoder, box-shrinking to twice the target as it inflates. */
  @Benchmark
  public BufferedImage decodePngStreaming() throws Exception {
    int kx = Resampler.boxFactor(decoded.getWidth(), size.width());
    int ky = Resampler.boxFactor(decoded.getHeight(), size.height());
    return PngDecoder.parse(bytes, bytes.length).decode(kx, ky, () -> false);
  }

  @Benchmark
  public BufferedImage resizeBoxAndLanczos() {
    return Resampler.downscale(decoded, size);
  }

  @Benchmark
  public BufferedImage resizeThumbnailator() throws IOException {
    return Thumbnails.of(decoded).forceSize(size.width(), size.height()).asBufferedImage();
  }

  @Benchmark
  public int encodeJpeg85() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder.write(thumbnail, ImageFormat.JPG, 85, false, out);
    return out.size();
  }
}
