package dev.imgpool.image.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Huffman-coded entropy data of one baseline scan: a 64-bit bit buffer over the byte array and the
 * decoding of 8x8 blocks of coefficients (T.81 F.2.2), dequantised and in natural order.
 *
 * <p>The buffer holds its valid bits at the top (most significant first). A refill stops at a
 * marker (0xFF followed by neither 0x00 nor fill 0xFF) or at the end of the data and then supplies
 * zero bits, counted in {@link #fake}: good data never consumes them, so consuming one means the
 * data ended too early, which {@link #overrun()} reports.
 */
final class EntropyReader {
  /**
   * Natural (row-major) index of the k-th coefficient in zig-zag order. A run can carry k up to 78
   * before the overflow check after the block: those indices lead to the scratch slot 64 (so a
   * block array has 65 ints, and quantisation tables are padded to 80).
   */
  static final int[] NATURAL = new int[80];

  static final int BLOCK_LENGTH = 65;
  static final int QUANT_LENGTH = 80;

  static {
    int[] zigzag = {
      0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
      12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
      35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
      58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
    System.arraycopy(zigzag, 0, NATURAL, 0, 64);
    Arrays.fill(NATURAL, 64, 80, 64);
  }

  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] data;
  private final int end;
  private int pos;
  private long bits;
  private int nbits;
  /** How many of the low valid bits are padding after a marker or the end of the data. */
  private int fake;
  private boolean stopped;
  /** The last position where eight bytes can be read at once; -1 once the data has stopped. */
  private int fastLimit;
  private final int[] dcPredictors;

  EntropyReader(byte[] data, int start, int end, int components) {
    this.data = data;
    this.pos = start;
    this.end = end;
    this.fastLimit = end - 8;
    this.dcPredictors = new int[components];
  }

  /** True when the blocks decoded so far needed bits beyond the entropy data. */
  boolean overrun() {
    return nbits < fake;
  }

  /**
   * Decodes one block into {@code block} (BLOCK_LENGTH ints, all zero), dequantised with
   * {@code quant} (zig-zag order, QUANT_LENGTH ints) and placed in natural order.
   *
   * @return the zig-zag index of the last coefficient written (0 when only the DC term is)
   */
  int decodeBlock(int[] block, HuffmanTable dcTable, HuffmanTable acTable, int[] quant, int component)
      throws NotDecodedException {
    byte[] data = this.data;
    int fastLimit = this.fastLimit;
    long bits = this.bits;
    int nbits = this.nbits;
    int pos = this.pos;
    if (nbits < 32) {
      this.pos = pos;
      refill();
      bits = this.bits;
      nbits = this.nbits;
      pos = this.pos;
    }
    // DC: a magnitude category, then that many bits of difference from the predictor
    int e = dcTable.fast[(int) (bits >>> (64 - HuffmanTable.FAST_BITS))];
    if (e == 0) {
      e = slowDecode(dcTable, bits);
    }
    int len = e >>> 8;
    int size = e & 0xFF;
    bits <<= len;
    nbits -= len;
    int dc = dcPredictors[component];
    if (size != 0) {
      int v = (int) (bits >>> (64 - size));
      bits <<= size;
      nbits -= size;
      if (v < 1 << (size - 1)) {
        v += (-1 << size) + 1;
      }
      dc += v;
      dcPredictors[component] = dc;
    }
    int q0 = quant[0];
    int dcValue = dc * q0;
    // an 8-bit image's DC term lies in [-1024, 1016] before quantisation: beyond that it is damage
    if (dcValue > 1024 + q0 || dcValue < -1024 - q0) {
      throw new NotDecodedException("DC coefficient out of range");
    }
    block[0] = dcValue;

    int[] acFast = acTable.acFast;
    int last = 0;
    int k = 1;
    while (k < 64) {
      if (nbits < 32) {
        // eight bytes at once when none of them is 0xFF (no stuffing, no marker): the usual case
        long word;
        if (pos <= fastLimit && noByteFF(word = (long) LONG_BE.get(data, pos))) {
          int n = (64 - nbits) >>> 3;
          bits |= (word >>> (64 - 8 * n)) << (64 - nbits - 8 * n);
          nbits += 8 * n;
          pos += n;
        } else {
          this.bits = bits;
          this.nbits = nbits;
          this.pos = pos;
          refill();
          bits = this.bits;
          nbits = this.nbits;
          pos = this.pos;
        }
      }
      e = acFast[(int) (bits >>> (64 - HuffmanTable.FAST_BITS))];
      if ((e & HuffmanTable.HAS_VALUE) != 0) { // code and magnitude in one go: the common case
        bits <<= e; // a long shift uses the low 6 bits of e, the length: one step less on the critical path
        nbits -= e & 31;
        k += (e >>> 12) & 15;
        block[NATURAL[k]] = (e >> 16) * quant[k];
        last = k++;
        continue;
      }
      if (e == 0) {
        int slow = slowDecode(acTable, bits);
        e = (slow & 0xFF) << 8 | slow >>> 8; // into the acFast layout
      }
      len = e & 31;
      int rs = (e >>> 8) & 0xFF;
      bits <<= len;
      nbits -= len;
      size = rs & 15;
      if (size == 0) {
        if (rs != 0xF0) {
          break; // EOB
        }
        k += 16; // ZRL: sixteen zeros
        continue;
      }
      k += rs >>> 4;
      int v = (int) (bits >>> (64 - size));
      bits <<= size;
      nbits -= size;
      if (v < 1 << (size - 1)) {
        v += (-1 << size) + 1;
      }
      block[NATURAL[k]] = v * quant[k];
      last = k++;
    }
    if (last > 63 || k > 64) { // a run went past the end of the block
      throw new NotDecodedException("coefficient index overflow");
    }
    this.bits = bits;
    this.nbits = nbits;
    this.pos = pos;
    return last;
  }

  /** True when none of the eight bytes is 0xFF: none of them is 0 in the complement (SWAR zero-byte test). */
  private static boolean noByteFF(long word) {
    long t = ~word;
    return ((t - 0x0101010101010101L) & ~t & 0x8080808080808080L) == 0;
  }

  /** A code longer than FAST_BITS (or no code): (length << 8) | symbol, as in {@link HuffmanTable#fast}. */
  private static int slowDecode(HuffmanTable table, long bits) throws NotDecodedException {
    int peek = (int) (bits >>> 48);
    for (int len = HuffmanTable.FAST_BITS + 1; len <= 16; len++) {
      int code = peek >>> (16 - len);
      if (code <= table.maxCode[len]) {
        return len << 8 | (table.values[table.valueOffset[len] + code] & 0xFF);
      }
    }
    throw new NotDecodedException("bad Huffman code");
  }

  /** Tops the buffer up to at least 57 valid bits. */
  private void refill() {
    if (stopped) {
      pad();
      return;
    }
    int nbits = this.nbits;
    int pos = this.pos;
    if (pos <= end - 8) { // fast path: eight bytes at once when none of them is 0xFF
      long word = (long) LONG_BE.get(data, pos);
      if (noByteFF(word)) {
        int n = (64 - nbits) >>> 3;
        bits |= (word >>> (64 - 8 * n)) << (64 - nbits - 8 * n);
        this.nbits = nbits + 8 * n;
        this.pos = pos + n;
        return;
      }
    }
    long bits = this.bits;
    while (nbits <= 56) {
      if (pos >= end) {
        stopped = true;
        break;
      }
      int b = data[pos] & 0xFF;
      if (b == 0xFF) {
        int next = pos + 1 < end ? data[pos + 1] & 0xFF : -1;
        if (next != 0) { // a marker (possibly after fill bytes), or the data ends on 0xFF
          stopped = true;
          break;
        }
        pos += 2; // stuffed 0xFF00 stands for 0xFF
      } else {
        pos++;
      }
      bits |= (long) b << (56 - nbits);
      nbits += 8;
    }
    this.bits = bits;
    this.nbits = nbits;
    this.pos = pos;
    if (stopped) {
      fastLimit = -1;
      pad();
    }
  }

  private void pad() {
    fake += 64 - nbits; // the bits below the valid ones are zero already
    nbits = 64;
  }

  /**
   * After the last block: the rest of the current byte is padding, then the end-of-image marker
   * must follow (fill bytes 0xFF allowed). Anything else (data running out, extra data, another
   * marker) means the file is not the whole, plain image this decoder handles.
   */
  void finish() throws NotDecodedException {
    if (nbits < fake) {
      throw new NotDecodedException("entropy data ended early");
    }
    if (nbits - fake >= 8) {
      throw new NotDecodedException("extra entropy data after the last block");
    }
    int p = pos;
    while (p < end && (data[p] & 0xFF) == 0xFF) {
      p++;
    }
    if (p == pos || p >= end || (data[p] & 0xFF) != 0xD9) {
      throw new NotDecodedException("no end-of-image marker after the image data");
    }
  }

  /**
   * At the end of a restart interval: the rest of the current byte is padding, then the marker
   * RST{@code expected} must follow (fill bytes 0xFF allowed); resets the decoder state.
   */
  void restart(int expected) throws NotDecodedException {
    if (nbits < fake) {
      throw new NotDecodedException("entropy data ended early");
    }
    if (nbits - fake >= 8) {
      throw new NotDecodedException("extra entropy data before a restart marker");
    }
    int p = pos;
    if (p >= end || (data[p] & 0xFF) != 0xFF) {
      throw new NotDecodedException("missing restart marker");
    }
    while (p < end && (data[p] & 0xFF) == 0xFF) {
      p++;
    }
    if (p >= end || (data[p] & 0xFF) != 0xD0 + expected) {
      throw new NotDecodedException("restart marker out of sequence");
    }
    pos = p + 1;
    bits = 0;
    nbits = 0;
    fake = 0;
    stopped = false;
    fastLimit = end - 8;
    Arrays.fill(dcPredictors, 0);
  }
}
