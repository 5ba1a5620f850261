package dev.imgpool.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which files are image tasks: by extension, or, for files without one, by their first bytes.
 */
public final class InputFormats {
  /** Extensions of the formats the readers on the class path (JDK plus TwelveMonkeys) decode. */
  private static final Set<String> EXTENSIONS =
      Set.of(
          "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib", "tif", "tiff", "webp", "ico", "cur",
          "psd", "psb", "pbm", "pgm", "ppm", "pnm", "pam", "pfm", "tga", "icb", "vda", "vst", "iff",
          "lbm", "ilbm", "sgi", "rgb", "rgba", "bw", "pcx", "dcx", "pict", "pct", "hdr", "icns");

  private InputFormats() {}

  /** The lower-case extension of a file name, or "" when it has none. */
  public static String extensionOf(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot <= 0 || dot == fileName.length() - 1 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** True when the name's extension names a readable image format. */
  public static boolean hasImageExtension(String fileName) {
    return EXTENSIONS.contains(extensionOf(fileName));
  }

  /**
   * True when {@code file} is an image task: a known extension, or no extension and an image
   * signature in its first bytes. A file that cannot be read is a task (its read fails later,
   * with a message) only when its extension says so.
   */
  public static boolean isTask(Path file) {
    String name = file.getFileName().toString();
    if (hasImageExtension(name)) {
      return true;
    }
    if (!extensionOf(name).isEmpty()) {
      return false;
    }
    return sniff(file).isPresent();
  }

  /** The format a file's first bytes announce, if any. */
  public static Optional<String> sniff(Path file) {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return Optional.empty();
    }
    return sniff(head, n);
  }

  /** The format that {@code n} leading bytes announce, if any. */
  public static Optional<String> sniff(byte[] head, int n) {
    if (startsWith(head, n, 0xFF, 0xD8, 0xFF)) {
      return Optional.of("JPEG");
    }
    if (startsWith(head, n, 0x89, 'P', 'N', 'G')) {
      return Optional.of("PNG");
    }
    if (startsWith(head, n, 'G', 'I', 'F', '8')) {
      return Optional.of("GIF");
    }
    if (startsWith(head, n, 'I', 'I', 0x2A, 0x00) || startsWith(head, n, 'M', 'M', 0x00, 0x2A)
        || startsWith(head, n, 'I', 'I', 0x2B, 0x00) || startsWith(head, n, 'M', 'M', 0x00, 0x2B)) {
      return Optional.of("TIFF");
    }
    if (n >= 12 && startsWith(head, n, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B'
        && head[11] == 'P') {
      return Optional.of("WebP");
    }
    if (startsWith(head, n, 'B', 'M')) {
      return Optional.of("BMP");
    }
    if (startsWith(head, n, '8', 'B', 'P', 'S')) {
      return Optional.of("PSD");
    }
    if (startsWith(head, n, 'i', 'c', 'n', 's')) {
      return Optional.of("ICNS");
    }
    if (startsWith(head, n, 0x00, 0x00, 0x01, 0x00) || startsWith(head, n, 0x00, 0x00, 0x02, 0x00)) {
      return Optional.of("ICO");
    }
    if (n >= 12 && startsWith(head, n, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
      return Optional.of("JPEG XL");
    }
    if (startsWith(head, n, 0xFF, 0x0A)) {
      return Optional.of("JPEG XL");
    }
    if (n >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
      String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
      return Optional.of(brand.startsWith("avi") ? "AVIF" : brand.startsWith("hei") || brand.startsWith("mif") ? "HEIF" : "ISO media");
    }
    if (startsWith(head, n, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ')) {
      return Optional.of("JPEG 2000");
    }
    if (startsWith(head, n, 'I', 'I', 0xBC)) {
      return Optional.of("JPEG XR");
    }
    if (n >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7') {
      return Optional.of("PNM");
    }
    if (startsWith(head, n, 0x01, 0xDA)) {
      return Optional.of("SGI");
    }
    if (startsWith(head, n, '#', '?')) {
      return Optional.of("HDR");
    }
    if (startsWith(head, n, 'F', 'O', 'R', 'M')) {
      return Optional.of("IFF");
    }
    if (startsWith(head, n, 0x0A) && n > 1 && head[1] <= 5) {
      return Optional.of("PCX");
    }
    return Optional.empty();
  }

  /**
   * A message when the first bytes are an image signature that was damaged, recognisable by what
   * follows it: a PNG's signature mangled by a text-mode transfer (CR/LF conversion) or with a
   * changed byte, before an intact IHDR chunk. Empty for anything else.
   */
  public static Optional<String> damagedSignature(byte[] head, int n) {
    if (n < 16) {
      return Optional.empty();
    }
    boolean pngName = head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
    boolean intactSignature = (head[0] & 0xFF) == 0x89 && pngName && head[4] == '\r' && head[5] == '\n'
        && head[6] == 0x1A && head[7] == '\n';
    if (intactSignature) {
      return Optional.empty();
    }
    // IHDR comes right after the 8-byte signature; a CR/LF conversion shifts it by a byte or two.
    for (int offset = 10; offset <= 14 && offset + 4 <= n; offset++) {
      if (head[offset] == 'I' && head[offset + 1] == 'H' && head[offset + 2] == 'D' && head[offset + 3] == 'R') {
        boolean lineEndings = pngName && (offset != 12 || !lineEndsIntact(head) && onlyLineEndBytes(head, 4, 8));
        if (lineEndings) {
          return Optional.of("corrupt PNG: the signature was mangled by a text-mode transfer (CR/LF conversion);"
              + " fetch the file again in binary mode");
        }
        if (pngName && head[0] == 0x09 && lineEndsIntact(head)) {
          return Optional.of("corrupt PNG: the signature lost its high bit in a 7-bit transfer;"
              + " fetch the file again in binary mode");
        }
        return Optional.of("corrupt PNG: the signature at the start of the file is damaged");
      }
    }
    return Optional.empty();
  }

  private static boolean lineEndsIntact(byte[] head) {
    return head[4] == '\r' && head[5] == '\n' && head[6] == 0x1A && head[7] == '\n';
  }

  private static boolean onlyLineEndBytes(byte[] head, int from, int to) {
    for (int i = from; i < to; i++) {
      if (head[i] != '\r' && head[i] != '\n' && head[i] != 0x1A) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] head, int n, int... signature) {
    if (n < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
