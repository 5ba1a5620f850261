package dev.imgpool.image.codec;

/**
 * Inverse DCT of one 8x8 block to an M-by-N grid of samples, M and N in {1, 2, 4, 8, 16}.
 *
 * <p>Along one axis the 8-point IDCT is f(x) = sum_u a(u) F(u) cos((2x+1)u pi/16). Averaging it
 * over the s = 8/M samples behind each output sample gives exactly
 * sum_u a(u) D(u) F(u) cos((2k+1)u pi/2M), with D(u) = sin(s u pi/16) / (s sin(u pi/16)): an M-point
 * cosine sum over all eight frequencies (the upper ones fold onto the lower). So a reduced decode
 * costs one small transform and equals the box-filtered full decode up to rounding. Keeping only
 * the low M frequencies instead (a plain M-point IDCT) saves a few multiplications but leaves
 * ringing at the block edges: on the test photo at 1/2 that is 36 dB from the box-filtered full
 * decode, this 52 dB. For M = 16 (chroma subsampled 2x, output at full size) the same sum with
 * D = 1 samples the block's cosine series between the chroma samples: upsampling by the IDCT, with
 * no separate pass.
 *
 * <p>Every size uses the fixed-point weights of {@link #weight}, 2^13 sqrt(8) a(u) D(u) cos(...)
 * rounded (the DC weight is exactly 2^13, so a flat block's DC/8 rounds alike at every size), with
 * 2 extra bits between the column pass and the row pass. The full-size 8x8 splits each 8-point sum
 * into an even and an odd half ({@link #idct8x8}). On random blocks it is within 1 level of the
 * IDCT computed in doubles (0.6-1.3% of the samples off by 1); a full-size decode of 4:4:4 and grey
 * photos is within 1 level of the JDK's reader in all but 0.01% of the samples. The square sizes of
 * 4:4:4 and grey images are unrolled; the rest goes through {@link #separable}.
 */
final class ScaledIdct {
  /** The fixed-point weights carry 13 fraction bits: DC weighs 2^13. */
  private static final int WEIGHT_BITS = 13;
  /** Fraction bits kept in the workspace between the column pass and the row pass. */
  private static final int EXTRA_BITS = 2;
  /** Rounding, added before the final shift. */
  private static final int OUT_BIAS = 1 << (WEIGHT_BITS + EXTRA_BITS + 2);
  private static final int OUT_SHIFT = WEIGHT_BITS + EXTRA_BITS + 3;
  /**
   * The output clamp as a table: x + 128 clamped to 0..255, looked up at x & 1023. Beyond +-512,
   * which only damaged data reaches, it wraps around instead of clamping; in return it is one load
   * without a bounds check (the JIT knows the index fits), much cheaper than clamping.
   */
  private static final int[] RANGE = new int[1024];

  /** 1 + the largest row (COLUMNS: column) among the first k+1 coefficients in zig-zag order. */
  private static final int[] ROWS = new int[64];
  private static final int[] COLUMNS = new int[64];

  static {
    int rows = 0;
    int columns = 0;
    for (int k = 0; k < 64; k++) {
      rows = Math.max(rows, EntropyReader.NATURAL[k] / 8 + 1);
      columns = Math.max(columns, EntropyReader.NATURAL[k] % 8 + 1);
      ROWS[k] = rows;
      COLUMNS[k] = columns;
    }
    for (int i = 0; i < 1024; i++) {
      RANGE[i] = clamp((i < 512 ? i : i - 1024) + 128);
    }
  }

  /** The weight of frequency u at output x of m, 2^13 sqrt(8) a(u) D(u) cos((2x+1)u pi/2m), rounded. */
  private static int weight(int m, int x, int u) {
    int step = Math.max(1, 8 / m); // full-size samples per output sample
    double a = u == 0 ? 1 : Math.sqrt(2);
    double box = u == 0 || step == 1 ? 1 : Math.sin(step * u * Math.PI / 16) / (step * Math.sin(u * Math.PI / 16));
    return (int) Math.round((1 << WEIGHT_BITS) * a * box * Math.cos((2 * x + 1) * u * Math.PI / (2 * m)));
  }

  // 4 points (at x = 0, 1; x = 3, 2 mirror them): frequency 4 has weight 0, 2 and 6 differ only in sign
  private static final int E2 = weight(4, 0, 2);
  private static final int E6 = weight(4, 0, 6);
  private static final int O01 = weight(4, 0, 1);
  private static final int O03 = weight(4, 0, 3);
  private static final int O05 = weight(4, 0, 5);
  private static final int O07 = weight(4, 0, 7);
  private static final int O11 = weight(4, 1, 1);
  private static final int O13 = weight(4, 1, 3);
  private static final int O15 = weight(4, 1, 5);
  private static final int O17 = weight(4, 1, 7);
  // 8 points (x = 0..3; x = 7..4 mirror them, the odd frequencies with the opposite sign). Frequency 4
  // weighs exactly 2^13 at x = 0, 3 and -2^13 at x = 1, 2 (sqrt(2) cos(pi/4) = 1: a shift); 2 and 6
  // weigh at x = 3 the negatives of their weights at x = 0, and at x = 2 those at x = 1.
  private static final int E8_04 = weight(8, 0, 4);
  private static final int E8_02 = weight(8, 0, 2);
  private static final int E8_06 = weight(8, 0, 6);
  private static final int E8_12 = weight(8, 1, 2);
  private static final int E8_16 = weight(8, 1, 6);
  private static final int O8_01 = weight(8, 0, 1);
  private static final int O8_03 = weight(8, 0, 3);
  private static final int O8_05 = weight(8, 0, 5);
  private static final int O8_07 = weight(8, 0, 7);
  private static final int O8_11 = weight(8, 1, 1);
  private static final int O8_13 = weight(8, 1, 3);
  private static final int O8_15 = weight(8, 1, 5);
  private static final int O8_17 = weight(8, 1, 7);
  private static final int O8_21 = weight(8, 2, 1);
  private static final int O8_23 = weight(8, 2, 3);
  private static final int O8_25 = weight(8, 2, 5);
  private static final int O8_27 = weight(8, 2, 7);
  private static final int O8_31 = weight(8, 3, 1);
  private static final int O8_33 = weight(8, 3, 3);
  private static final int O8_35 = weight(8, 3, 5);
  private static final int O8_37 = weight(8, 3, 7);
  // 2 points (x = 0; x = 1 mirrors it): only the odd frequencies besides DC have a weight
  private static final int P1 = weight(2, 0, 1);
  private static final int P3 = weight(2, 0, 3);
  private static final int P5 = weight(2, 0, 5);
  private static final int P7 = weight(2, 0, 7);
  /** 16 points (x = 0..7; 15-x mirror them): weight(16, x, u) at [8x + u]. */
  private static final int[] W16 = new int[64];

  static {
    for (int x = 0; x < 8; x++) {
      for (int u = 0; u < 8; u++) {
        W16[8 * x + u] = weight(16, x, u);
      }
    }
  }

  private final int[] workspace = new int[16 * 8];
  private final int[] kernelOut = new int[16];

  /**
   * Writes {@code width} x {@code height} samples (0-255) to {@code lines[firstLine..]} from {@code x} on.
   *
   * @param block dequantised coefficients in natural order; left all zero for the next block
   * @param last the zig-zag index of the last non-zero coefficient, which bounds the work
   */
  void transform(int[] block, int last, int width, int height, int[][] lines, int firstLine, int x) {
    if (width == 8 && height == 8 && last != 0) {
      if (ROWS[last] <= 4 && COLUMNS[last] <= 4) {
        idct8x8Low(block, COLUMNS[last], lines, firstLine, x);
      } else {
        idct8x8(block, COLUMNS[last], lines, firstLine, x);
      }
    } else if (width == 4 && height == 4 && last != 0) {
      if (ROWS[last] <= 4 && COLUMNS[last] <= 4) {
        box4x4Low(block, COLUMNS[last], lines, firstLine, x);
      } else {
        box4x4(block, COLUMNS[last], lines, firstLine, x);
      }
    } else if (width == 2 && height == 2 && last != 0) {
      box2x2(block, COLUMNS[last], lines, firstLine, x);
    } else if (last == 0 || width == 1 && height == 1) { // DC only (common in chroma) or 1x1: a flat block
      int v = RANGE[((block[0] + 4) >> 3) & 1023];
      for (int y = 0; y < height; y++) {
        int[] line = lines[firstLine + y];
        for (int i = 0; i < width; i++) {
          line[x + i] = v;
        }
      }
      clear(block, last);
    } else {
      separable(block, COLUMNS[last], width, height, lines, firstLine, x);
    }
  }

  /** Zeroes the rows and columns that can hold coefficients (the unrolled transforms zero what they read). */
  private static void clear(int[] block, int last) {
    int rows = 8 * ROWS[last];
    int columns = COLUMNS[last];
    for (int r = 0; r < rows; r += 8) {
      for (int c = 0; c < columns; c++) {
        block[r + c] = 0;
      }
    }
  }

  /** 0..255 without branches (the data decides the branches badly; these also vectorise). */
  static int clamp(int v) {
    int w = v & ~(v >> 31); // max(v, 0)
    return (w | ((255 - w) >> 31)) & 255; // min(w, 255)
  }

  private static int clampOut(int sum) {
    return RANGE[(sum >> OUT_SHIFT) & 1023];
  }

  /**
   * Any other size pair (the non-square ones of subsampled chroma, 16x16): a column pass and a row
   * pass of the 1-D {@link #kernel}s, the columns past the last non-zero coefficient skipped.
   */
  private void separable(int[] block, int columns, int width, int height, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int[] t = kernelOut;
    int round1 = 1 << (WEIGHT_BITS - EXTRA_BITS - 1);
    for (int c = 0; c < 8; c++) {
      if (c >= columns) {
        for (int y = 0; y < height; y++) {
          ws[8 * y + c] = 0;
        }
        continue;
      }
      if ((block[8 + c] | block[16 + c] | block[24 + c] | block[32 + c] | block[40 + c] | block[48 + c]
          | block[56 + c]) == 0) {
        int dc = block[c] << EXTRA_BITS;
        for (int y = 0; y < height; y++) {
          ws[8 * y + c] = dc;
        }
      } else {
        kernel(height, block, c, 8, t);
        for (int y = 0; y < height; y++) {
          ws[8 * y + c] = (t[y] + round1) >> (WEIGHT_BITS - EXTRA_BITS);
        }
      }
      block[c] = block[8 + c] = block[16 + c] = block[24 + c] = block[32 + c] = block[40 + c] = block[48 + c]
          = block[56 + c] = 0;
    }
    for (int y = 0; y < height; y++) {
      int[] line = lines[firstLine + y];
      int r = 8 * y;
      if ((ws[r + 1] | ws[r + 2] | ws[r + 3] | ws[r + 4] | ws[r + 5] | ws[r + 6] | ws[r + 7]) == 0) {
        int v = RANGE[((ws[r] + (1 << (EXTRA_BITS + 2))) >> (EXTRA_BITS + 3)) & 1023];
        for (int x = 0; x < width; x++) {
          line[x0 + x] = v;
        }
        continue;
      }
      kernel(width, ws, r, 1, t);
      for (int x = 0; x < width; x++) {
        line[x0 + x] = clampOut(t[x] + OUT_BIAS);
      }
    }
  }

  /**
   * One 1-D transform: the 8 values {@code in[at + i * step]} to {@code m} outputs in {@code out},
   * unscaled (the DC term weighs 2^13). The outputs come in mirrored pairs: output m-1-x takes the
   * odd frequencies with the opposite sign, so only half of them are computed in full.
   */
  private static void kernel(int m, int[] in, int at, int step, int[] out) {
    int d0 = in[at];
    int d1 = in[at + step];
    int d2 = in[at + 2 * step];
    int d3 = in[at + 3 * step];
    int d4 = in[at + 4 * step];
    int d5 = in[at + 5 * step];
    int d6 = in[at + 6 * step];
    int d7 = in[at + 7 * step];
    int dc = d0 << WEIGHT_BITS;
    switch (m) {
      case 1 -> out[0] = dc; // the box weights of all other frequencies are 0 at one point
      case 2 -> {
        int o = P1 * d1 + P3 * d3 + P5 * d5 + P7 * d7; // even frequencies vanish at 2 points
        out[0] = dc + o;
        out[1] = dc - o;
      }
      case 4 -> {
        int t = E2 * d2 + E6 * d6; // frequency 4 vanishes at 4 points
        int o0 = O01 * d1 + O03 * d3 + O05 * d5 + O07 * d7;
        int o1 = O11 * d1 + O13 * d3 + O15 * d5 + O17 * d7;
        out[0] = dc + t + o0;
        out[3] = dc + t - o0;
        out[1] = dc - t + o1;
        out[2] = dc - t - o1;
      }
      case 8 -> { // the even/odd split of idct8x8
        int f4 = E8_04 * d4;
        int a = E8_02 * d2 + E8_06 * d6;
        int b = E8_12 * d2 + E8_16 * d6;
        int e0 = dc + f4 + a;
        int e3 = dc + f4 - a;
        int e1 = dc - f4 + b;
        int e2 = dc - f4 - b;
        int o0 = O8_01 * d1 + O8_03 * d3 + O8_05 * d5 + O8_07 * d7;
        int o1 = O8_11 * d1 + O8_13 * d3 + O8_15 * d5 + O8_17 * d7;
        int o2 = O8_21 * d1 + O8_23 * d3 + O8_25 * d5 + O8_27 * d7;
        int o3 = O8_31 * d1 + O8_33 * d3 + O8_35 * d5 + O8_37 * d7;
        out[0] = e0 + o0;
        out[1] = e1 + o1;
        out[2] = e2 + o2;
        out[3] = e3 + o3;
        out[4] = e3 - o3;
        out[5] = e2 - o2;
        out[6] = e1 - o1;
        out[7] = e0 - o0;
      }
      default -> { // 16 points from 8 frequencies (2x upsampling)
        int[] k = W16;
        // the even frequencies at points x and 7-x differ in the sign of frequencies 2 and 6 only
        for (int x = 0; x < 4; x++) {
          int ee = dc + k[8 * x + 4] * d4;
          int eo = k[8 * x + 2] * d2 + k[8 * x + 6] * d6;
          int even = ee + eo;
          int odd = k[8 * x + 1] * d1 + k[8 * x + 3] * d3 + k[8 * x + 5] * d5 + k[8 * x + 7] * d7;
          out[x] = even + odd;
          out[15 - x] = even - odd;
          int x2 = 7 - x;
          even = ee - eo;
          odd = k[8 * x2 + 1] * d1 + k[8 * x2 + 3] * d3 + k[8 * x2 + 5] * d5 + k[8 * x2 + 7] * d7;
          out[x2] = even + odd;
          out[15 - x2] = even - odd;
        }
      }
    }
  }

  /**
   * {@link #separable} for 4x4, unrolled: 10 multiplications per 4 points. Frequency 4 has weight 0
   * at 4 points (its cosine vanishes at every output centre), so column 4 is skipped.
   */
  private void box4x4(int[] in, int columns, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int shift1 = WEIGHT_BITS - EXTRA_BITS;
    int round1 = 1 << (shift1 - 1);
    if (columns > 4) {
      in[4] = in[12] = in[20] = in[28] = in[36] = in[44] = in[52] = in[60] = 0;
    }
    for (int c = 0; c < 8; c++) {
      if (c == 4) {
        continue;
      }
      if (c >= columns) {
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = 0;
        continue;
      }
      int d0 = in[c];
      int d1 = in[8 + c];
      int d2 = in[16 + c];
      int d3 = in[24 + c];
      int d5 = in[40 + c];
      int d6 = in[48 + c];
      int d7 = in[56 + c];
      in[c] = in[8 + c] = in[16 + c] = in[24 + c] = in[32 + c] = in[40 + c] = in[48 + c] = in[56 + c] = 0;
      // no shortcut for columns holding DC only: the branch would mispredict more than it saves
      int dc = (d0 << WEIGHT_BITS) + round1;
      int t = E2 * d2 + E6 * d6;
      int e0 = dc + t;
      int e1 = dc - t;
      int o0 = O01 * d1 + O03 * d3 + O05 * d5 + O07 * d7;
      int o1 = O11 * d1 + O13 * d3 + O15 * d5 + O17 * d7;
      ws[c] = (e0 + o0) >> shift1;
      ws[24 + c] = (e0 - o0) >> shift1;
      ws[8 + c] = (e1 + o1) >> shift1;
      ws[16 + c] = (e1 - o1) >> shift1;
    }
    for (int r = 0; r < 32; r += 8) {
      int[] line = lines[firstLine + (r >> 3)];
      int d1 = ws[r + 1];
      int d2 = ws[r + 2];
      int d3 = ws[r + 3];
      int d5 = ws[r + 5];
      int d6 = ws[r + 6];
      int d7 = ws[r + 7];
      int dc = (ws[r] << WEIGHT_BITS) + OUT_BIAS;
      int t = E2 * d2 + E6 * d6;
      int e0 = dc + t;
      int e1 = dc - t;
      int o0 = O01 * d1 + O03 * d3 + O05 * d5 + O07 * d7;
      int o1 = O11 * d1 + O13 * d3 + O15 * d5 + O17 * d7;
      line[x0] = clampOut(e0 + o0);
      line[x0 + 3] = clampOut(e0 - o0);
      line[x0 + 1] = clampOut(e1 + o1);
      line[x0 + 2] = clampOut(e1 - o1);
    }
  }

  /** box4x4 for blocks whose coefficients all lie in the top-left 4x4: 5 multiplications per 4 points. */
  private void box4x4Low(int[] in, int columns, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int shift1 = WEIGHT_BITS - EXTRA_BITS;
    int round1 = 1 << (shift1 - 1);
    for (int c = 0; c < 4; c++) {
      if (c >= columns) {
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = 0;
        continue;
      }
      int d0 = in[c];
      int d1 = in[8 + c];
      int d2 = in[16 + c];
      int d3 = in[24 + c];
      in[c] = in[8 + c] = in[16 + c] = in[24 + c] = 0;
      int dc = (d0 << WEIGHT_BITS) + round1;
      int t = E2 * d2;
      int e0 = dc + t;
      int e1 = dc - t;
      int o0 = O01 * d1 + O03 * d3;
      int o1 = O11 * d1 + O13 * d3;
      ws[c] = (e0 + o0) >> shift1;
      ws[24 + c] = (e0 - o0) >> shift1;
      ws[8 + c] = (e1 + o1) >> shift1;
      ws[16 + c] = (e1 - o1) >> shift1;
    }
    for (int r = 0; r < 32; r += 8) {
      int[] line = lines[firstLine + (r >> 3)];
      int d1 = ws[r + 1];
      int d2 = ws[r + 2];
      int d3 = ws[r + 3];
      int dc = (ws[r] << WEIGHT_BITS) + OUT_BIAS;
      int t = E2 * d2;
      int e0 = dc + t;
      int e1 = dc - t;
      int o0 = O01 * d1 + O03 * d3;
      int o1 = O11 * d1 + O13 * d3;
      line[x0] = clampOut(e0 + o0);
      line[x0 + 3] = clampOut(e0 - o0);
      line[x0 + 1] = clampOut(e1 + o1);
      line[x0 + 2] = clampOut(e1 - o1);
    }
  }

  /**
   * {@link #separable} for 2x2, unrolled. At 2 points the even frequencies above 0 have weight 0:
   * only the DC term and the odd ones count (the even columns are transformed for nothing but
   * zeroing them; skipping them costs a branch that mispredicts).
   */
  private void box2x2(int[] in, int columns, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int shift1 = WEIGHT_BITS - EXTRA_BITS;
    int round1 = 1 << (shift1 - 1);
    for (int c = 0; c < 8; c++) {
      if (c >= columns) {
        ws[c] = ws[8 + c] = 0;
        continue;
      }
      int d0 = in[c];
      int d1 = in[8 + c];
      int d3 = in[24 + c];
      int d5 = in[40 + c];
      int d7 = in[56 + c];
      in[c] = in[8 + c] = in[16 + c] = in[24 + c] = in[32 + c] = in[40 + c] = in[48 + c] = in[56 + c] = 0;
      int dc = (d0 << WEIGHT_BITS) + round1;
      int o = P1 * d1 + P3 * d3 + P5 * d5 + P7 * d7;
      ws[c] = (dc + o) >> shift1;
      ws[8 + c] = (dc - o) >> shift1;
    }
    for (int r = 0; r < 16; r += 8) {
      int[] line = lines[firstLine + (r >> 3)];
      int dc = (ws[r] << WEIGHT_BITS) + OUT_BIAS;
      int o = P1 * ws[r + 1] + P3 * ws[r + 3] + P5 * ws[r + 5] + P7 * ws[r + 7];
      line[x0] = clampOut(dc + o);
      line[x0 + 1] = clampOut(dc - o);
    }
  }

  /**
   * {@link #separable} for 8x8, unrolled. The even frequencies weigh the same at x and 7-x, the odd
   * ones opposite, so with E(x) and O(x) the sums over each: f(x) = E(x) + O(x), f(7-x) = E(x) -
   * O(x), x = 0..3. Computing each pair once halves the multiplications (32 per 8 points instead of
   * 64), and E shares more: frequencies 0 and 4 are shifts and 2 and 6 a 2x2 rotation common to x
   * and 3-x, 4 multiplications for all four E; O is a 4x4 product over frequencies 1, 3, 5, 7 (16).
   * Columns past {@code columns} are zero, and columns and rows without AC terms are flat.
   */
  private void idct8x8(int[] in, int columns, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int shift = WEIGHT_BITS - EXTRA_BITS;
    int round = 1 << (shift - 1);
    for (int c = 0; c < 8; c++) {
      if (c >= columns) {
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = ws[32 + c] = ws[40 + c] = ws[48 + c] = ws[56 + c] = 0;
        continue;
      }
      int d0 = in[c];
      int d1 = in[8 + c];
      int d2 = in[16 + c];
      int d3 = in[24 + c];
      int d4 = in[32 + c];
      int d5 = in[40 + c];
      int d6 = in[48 + c];
      int d7 = in[56 + c];
      in[c] = in[8 + c] = in[16 + c] = in[24 + c] = in[32 + c] = in[40 + c] = in[48 + c] = in[56 + c] = 0;
      if ((d1 | d2 | d3 | d4 | d5 | d6 | d7) == 0) { // DC only: the column is flat
        int dc = d0 << EXTRA_BITS;
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = ws[32 + c] = ws[40 + c] = ws[48 + c] = ws[56 + c] = dc;
        continue;
      }
      int dc = (d0 << WEIGHT_BITS) + round; // every output carries it once
      int f4 = E8_04 * d4;
      int a = E8_02 * d2 + E8_06 * d6;
      int b = E8_12 * d2 + E8_16 * d6;
      int e0 = dc + f4 + a;
      int e3 = dc + f4 - a;
      int e1 = dc - f4 + b;
      int e2 = dc - f4 - b;
      int o0 = O8_01 * d1 + O8_03 * d3 + O8_05 * d5 + O8_07 * d7;
      int o1 = O8_11 * d1 + O8_13 * d3 + O8_15 * d5 + O8_17 * d7;
      int o2 = O8_21 * d1 + O8_23 * d3 + O8_25 * d5 + O8_27 * d7;
      int o3 = O8_31 * d1 + O8_33 * d3 + O8_35 * d5 + O8_37 * d7;
      ws[c] = (e0 + o0) >> shift;
      ws[8 + c] = (e1 + o1) >> shift;
      ws[16 + c] = (e2 + o2) >> shift;
      ws[24 + c] = (e3 + o3) >> shift;
      ws[32 + c] = (e3 - o3) >> shift;
      ws[40 + c] = (e2 - o2) >> shift;
      ws[48 + c] = (e1 - o1) >> shift;
      ws[56 + c] = (e0 - o0) >> shift;
    }
    for (int r = 0; r < 64; r += 8) {
      int[] line = lines[firstLine + (r >> 3)];
      int d1 = ws[r + 1];
      int d2 = ws[r + 2];
      int d3 = ws[r + 3];
      int d4 = ws[r + 4];
      int d5 = ws[r + 5];
      int d6 = ws[r + 6];
      int d7 = ws[r + 7];
      if ((d1 | d2 | d3 | d4 | d5 | d6 | d7) == 0) {
        fill8(line, x0, RANGE[((ws[r] + (1 << (EXTRA_BITS + 2))) >> (EXTRA_BITS + 3)) & 1023]);
        continue;
      }
      int dc = (ws[r] << WEIGHT_BITS) + OUT_BIAS;
      int f4 = E8_04 * d4;
      int a = E8_02 * d2 + E8_06 * d6;
      int b = E8_12 * d2 + E8_16 * d6;
      int e0 = dc + f4 + a;
      int e3 = dc + f4 - a;
      int e1 = dc - f4 + b;
      int e2 = dc - f4 - b;
      int o0 = O8_01 * d1 + O8_03 * d3 + O8_05 * d5 + O8_07 * d7;
      int o1 = O8_11 * d1 + O8_13 * d3 + O8_15 * d5 + O8_17 * d7;
      int o2 = O8_21 * d1 + O8_23 * d3 + O8_25 * d5 + O8_27 * d7;
      int o3 = O8_31 * d1 + O8_33 * d3 + O8_35 * d5 + O8_37 * d7;
      line[x0] = clampOut(e0 + o0);
      line[x0 + 1] = clampOut(e1 + o1);
      line[x0 + 2] = clampOut(e2 + o2);
      line[x0 + 3] = clampOut(e3 + o3);
      line[x0 + 4] = clampOut(e3 - o3);
      line[x0 + 5] = clampOut(e2 - o2);
      line[x0 + 6] = clampOut(e1 - o1);
      line[x0 + 7] = clampOut(e0 - o0);
    }
  }

  /**
   * {@link #idct8x8} for blocks whose coefficients all lie in the top-left 4x4, as most chroma
   * blocks do: frequencies 4-7 drop out, leaving 10 multiplications per 8 points.
   */
  private void idct8x8Low(int[] in, int columns, int[][] lines, int firstLine, int x0) {
    int[] ws = workspace;
    int shift = WEIGHT_BITS - EXTRA_BITS;
    int round = 1 << (shift - 1);
    for (int c = 0; c < 4; c++) {
      if (c >= columns) {
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = ws[32 + c] = ws[40 + c] = ws[48 + c] = ws[56 + c] = 0;
        continue;
      }
      int d0 = in[c];
      int d1 = in[8 + c];
      int d2 = in[16 + c];
      int d3 = in[24 + c];
      in[c] = in[8 + c] = in[16 + c] = in[24 + c] = 0;
      if ((d1 | d2 | d3) == 0) {
        int dc = d0 << EXTRA_BITS;
        ws[c] = ws[8 + c] = ws[16 + c] = ws[24 + c] = ws[32 + c] = ws[40 + c] = ws[48 + c] = ws[56 + c] = dc;
        continue;
      }
      int dc = (d0 << WEIGHT_BITS) + round;
      int a = E8_02 * d2;
      int b = E8_12 * d2;
      int o0 = O8_01 * d1 + O8_03 * d3;
      int o1 = O8_11 * d1 + O8_13 * d3;
      int o2 = O8_21 * d1 + O8_23 * d3;
      int o3 = O8_31 * d1 + O8_33 * d3;
      ws[c] = (dc + a + o0) >> shift;
      ws[8 + c] = (dc + b + o1) >> shift;
      ws[16 + c] = (dc - b + o2) >> shift;
      ws[24 + c] = (dc - a + o3) >> shift;
      ws[32 + c] = (dc - a - o3) >> shift;
      ws[40 + c] = (dc - b - o2) >> shift;
      ws[48 + c] = (dc + b - o1) >> shift;
      ws[56 + c] = (dc + a - o0) >> shift;
    }
    for (int r = 0; r < 64; r += 8) {
      int[] line = lines[firstLine + (r >> 3)];
      int d1 = ws[r + 1];
      int d2 = ws[r + 2];
      int d3 = ws[r + 3];
      if ((d1 | d2 | d3) == 0) {
        fill8(line, x0, RANGE[((ws[r] + (1 << (EXTRA_BITS + 2))) >> (EXTRA_BITS + 3)) & 1023]);
        continue;
      }
      int dc = (ws[r] << WEIGHT_BITS) + OUT_BIAS;
      int a = E8_02 * d2;
      int b = E8_12 * d2;
      int o0 = O8_01 * d1 + O8_03 * d3;
      int o1 = O8_11 * d1 + O8_13 * d3;
      int o2 = O8_21 * d1 + O8_23 * d3;
      int o3 = O8_31 * d1 + O8_33 * d3;
      line[x0] = clampOut(dc + a + o0);
      line[x0 + 1] = clampOut(dc + b + o1);
      line[x0 + 2] = clampOut(dc - b + o2);
      line[x0 + 3] = clampOut(dc - a + o3);
      line[x0 + 4] = clampOut(dc - a - o3);
      line[x0 + 5] = clampOut(dc - b - o2);
      line[x0 + 6] = clampOut(dc + b - o1);
      line[x0 + 7] = clampOut(dc + a - o0);
    }
  }

  private static void fill8(int[] line, int x0, int v) {
    line[x0] = v;
    line[x0 + 1] = v;
    line[x0 + 2] = v;
    line[x0 + 3] = v;
    line[x0 + 4] = v;
    line[x0 + 5] = v;
    line[x0 + 6] = v;
    line[x0 + 7] = v;
  }
}
