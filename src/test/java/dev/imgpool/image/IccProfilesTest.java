package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imgpool.image.codec.JpegSegments;
import dev.imgpool.image.codec.NotDecodedException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which embedded profiles count as sRGB, and what that lets a JPEG skip. */
class IccProfilesTest {
  private static final Path ICC = Path.of("testdata", "colour", "icc");

  @TempDir Path tmp;

  @Test
  void srgbProfiles_areRecognised() throws Exception {
    assertTrue(IccProfiles.isSrgb(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()), "the JDK's (curv)");
    assertTrue(IccProfiles.isSrgb(Files.readAllBytes(ICC.resolve("sRGB-colord.icc"))), "colord's (para, v4)");
  }

  @Test
  void otherProfiles_areNot() throws Exception {
    assertFalse(IccProfiles.isSrgb(Files.readAllBytes(ICC.resolve("AdobeRGB1998-colord.icc"))), "Adobe RGB");
    assertFalse(IccProfiles.isSrgb(Files.readAllBytes(ICC.resolve("imgpool-test-cmyk.icc"))), "CMYK");
    assertFalse(IccProfiles.isSrgb(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()), "linear sRGB primaries");
    assertFalse(IccProfiles.isSrgb(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData()), "gray");
  }

  @Test
  void damagedOrAlteredSrgbProfiles_areNot() throws Exception {
    byte[] srgb = Files.readAllBytes(ICC.resolve("sRGB-colord.icc"));
    assertFalse(IccProfiles.isSrgb(new byte[0]));
    assertFalse(IccProfiles.isSrgb(Arrays.copyOf(srgb, 600)), "cut inside the tag data");
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);
    assertFalse(IccProfiles.isSrgb(garbage));

    byte[] greener = srgb.clone();
    int gxyz = entry(greener, "gXYZ");
    int offset = readInt(greener, gxyz + 4);
    greener[offset + 14] += 2; // Y of the green primary up by 2/256
    assertFalse(IccProfiles.isSrgb(greener), "moved primary");

    byte[] liftedShadows = srgb.clone(); // colord's curves are para type 3: g, a, b, c, d
    for (String curve : new String[] {"rTRC", "gTRC", "bTRC"}) {
      int at = readInt(liftedShadows, entry(liftedShadows, curve) + 4);
      assertEquals(3, (liftedShadows[at + 8] & 0xFF) << 8 | (liftedShadows[at + 9] & 0xFF));
      writeInt(liftedShadows, at + 24, readInt(liftedShadows, at + 24) * 8 / 5); // the linear part's slope 1.6 times
    }
    // within 0.002 of sRGB in linear light, but up to 6 levels brighter in the darkest tenth
    assertFalse(IccProfiles.isSrgb(liftedShadows), "lifted shadows");

    byte[] withTable = srgb.clone();
    System.arraycopy("A2B0".getBytes(StandardCharsets.US_ASCII), 0, withTable, entry(withTable, "chad"), 4);
    assertFalse(IccProfiles.isSrgb(withTable), "a lookup table takes precedence over the curves");
  }

  @Test
  void jpegWithAnSrgbProfile_takesTheFastDecoder_otherProfilesDoNot() throws Exception {
    byte[] plain = Files.readAllBytes(Path.of("testdata", "jpeg", "444.jpg"));
    byte[] srgb = withProfile(plain, Files.readAllBytes(ICC.resolve("sRGB-colord.icc")));
    byte[] adobe = withProfile(plain, Files.readAllBytes(ICC.resolve("AdobeRGB1998-colord.icc")));

    JpegHeader srgbHeader = JpegHeader.parse(srgb, srgb.length);
    assertTrue(srgbHeader.hasIccProfile() && srgbHeader.srgbProfile() && srgbHeader.plainYCbCrOrGray());
    JpegHeader adobeHeader = JpegHeader.parse(adobe, adobe.length);
    assertTrue(adobeHeader.hasIccProfile());
    assertFalse(adobeHeader.srgbProfile() || adobeHeader.plainYCbCrOrGray());
    JpegHeader cut = JpegHeader.parse(srgb, 3000); // the profile runs past the bytes parsed
    assertTrue(cut == null || !cut.srgbProfile());

    BufferedImage image = decodeFast(srgb);
    assertEquals(decodeFast(plain).getRGB(3, 3), image.getRGB(3, 3));
    // Adobe RGB slipped past the header check (an APP2 after the frame, say): the decoder still refuses it
    assertThrows(NotDecodedException.class, () -> decodeFast(adobe, srgb));
  }

  /** The fast decode of {@code bytes}, planned from the leading bytes of {@code planFrom}. */
  private BufferedImage decodeFast(byte[] bytes, byte[] planFrom) throws Exception {
    BufferedImage full = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    Size size = new Size(full.getWidth(), full.getHeight());
    Size half = new Size(size.width() / 2, size.height() / 2);
    JpegHeader header = JpegHeader.parse(planFrom, planFrom.length);
    FastPath.Plan plan =
        FastPath.plan("JPEG", header, planFrom, planFrom.length, bytes.length, size, half).orElseThrow();
    Path file = Files.write(tmp.resolve("in.jpg"), bytes);
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      return plan.decode(channel, () -> false);
    }
  }

  private BufferedImage decodeFast(byte[] bytes) throws Exception {
    return decodeFast(bytes, bytes);
  }

  /** The JPEG with {@code profile} in one APP2 segment before its frame header. */
  private static byte[] withProfile(byte[] jpeg, byte[] profile) {
    return JpegSegments.insertBefore(jpeg, 0xDB, JpegSegments.iccChunk(profile, 0, profile.length, 1, 1));
  }

  private static int entry(byte[] profile, String signature) {
    int count = readInt(profile, 128);
    for (int i = 0; i < count; i++) {
      int at = 132 + 12 * i;
      if (new String(profile, at, 4, StandardCharsets.US_ASCII).equals(signature)) {
        return at;
      }
    }
    throw new AssertionError("no " + signature + " tag");
  }

  @Test
  void hostileProfiles_neverThrow() throws Exception {
    byte[] srgb = Files.readAllBytes(ICC.resolve("sRGB-colord.icc"));
    byte[] farOffset = srgb.clone();
    writeInt(farOffset, entry(farOffset, "rXYZ") + 4, Integer.MAX_VALUE - 3);
    assertFalse(IccProfiles.isSrgb(farOffset));
    byte[] farCurve = srgb.clone();
    writeInt(farCurve, entry(farCurve, "gTRC") + 4, Integer.MAX_VALUE - 1);
    assertFalse(IccProfiles.isSrgb(farCurve));
    Random random = new Random(11);
    int tableEnd = 132 + 12 * readInt(srgb, 128);
    for (int i = 0; i < 20_000; i++) {
      byte[] mutant = srgb.clone();
      for (int j = 0, n = 1 + random.nextInt(4); j < n; j++) {
        int at = random.nextBoolean() ? 128 + random.nextInt(tableEnd - 128) : random.nextInt(mutant.length);
        mutant[at] = (byte) (random.nextInt(3) == 0 ? 0x7F : random.nextInt(256));
      }
      IccProfiles.isSrgb(mutant); // must return, whatever it answers
    }
  }

  private static void writeInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }
}
