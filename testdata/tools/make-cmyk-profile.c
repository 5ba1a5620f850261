/*
 * make-cmyk-profile.c - writes a small synthetic CMYK output ICC profile (v4)
 * for imgpool's colour tests. It models four made-up process inks on white
 * paper with a little dot gain, so converting through the profile gives
 * visibly different colours than the naive 1-(C+K) formula: a test can tell
 * whether a decoder honoured the embedded profile.
 *
 * Build and run (needs liblcms2-dev):
 *   cc -O2 -o /tmp/make-cmyk-profile make-cmyk-profile.c -llcms2 -lm
 *   /tmp/make-cmyk-profile imgpool-test-cmyk.icc
 *
 * Written for imgpool's test data (no third-party code).
 */
#include <lcms2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sRGB colour (8-bit) of each ink printed solid on the paper: C, M, Y, K. */
static const double INK[4][3] = {
    {0, 158, 224}, {236, 0, 140}, {255, 237, 0}, {35, 31, 32}};
static double T[4][3]; /* linear-light transmittance of each ink */
static cmsHTRANSFORM rgb2lab, lab2rgb;

static double to_linear(double v) {
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}
static double to_srgb(double v) {
    if (v <= 0) return 0;
    if (v >= 1) return 1;
    return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055;
}

/* CMYK coverage 0..1 -> linear RGB reflectance 0..1. */
static void forward(const double cmyk[4], double lin[3]) {
    for (int ch = 0; ch < 3; ch++) {
        double r = 1.0;
        for (int i = 0; i < 4; i++) {
            double a = cmyk[i] < 0 ? 0 : cmyk[i] > 1 ? 1 : cmyk[i];
            a = 1 - pow(1 - a, 1.3); /* dot gain */
            r *= 1 - a * (1 - T[i][ch]);
        }
        lin[ch] = r;
    }
}

static int sample_a2b(const cmsUInt16Number in[], cmsUInt16Number out[], void *cargo) {
    double cmyk[4], lin[3], rgb[3];
    cmsCIELab lab;
    (void)cargo;
    for (int i = 0; i < 4; i++) cmyk[i] = in[i] / 65535.0;
    forward(cmyk, lin);
    for (int i = 0; i < 3; i++) rgb[i] = to_srgb(lin[i]);
    cmsDoTransform(rgb2lab, rgb, &lab, 1);
    cmsFloat2LabEncoded(out, &lab);
    return TRUE;
}

static int sample_b2a(const cmsUInt16Number in[], cmsUInt16Number out[], void *cargo) {
    cmsCIELab lab;
    double rgb[3], want[3], cmyk[4], got[3];
    (void)cargo;
    cmsLabEncoded2Float(&lab, in);
    cmsDoTransform(lab2rgb, &lab, rgb, 1);
    for (int i = 0; i < 3; i++) {
        double v = rgb[i] < 0 ? 0 : rgb[i] > 1 ? 1 : rgb[i];
        want[i] = to_linear(v);
        cmyk[i] = 1 - v;
    }
    /* grey component replacement: take 70% of the common grey into K */
    double k = cmyk[0];
    if (cmyk[1] < k) k = cmyk[1];
    if (cmyk[2] < k) k = cmyk[2];
    k *= 0.7;
    cmyk[3] = k;
    for (int i = 0; i < 3; i++) cmyk[i] = k >= 1 ? 0 : (cmyk[i] - k) / (1 - k);
    /* refine C, M, Y by damped Newton steps on the forward model */
    for (int it = 0; it < 40; it++) {
        double J[3][3], e[3], d[3];
        forward(cmyk, got);
        for (int i = 0; i < 3; i++) e[i] = got[i] - want[i];
        for (int j = 0; j < 3; j++) {
            double c2[4] = {cmyk[0], cmyk[1], cmyk[2], cmyk[3]}, g2[3];
            double h = c2[j] > 0.5 ? -1e-4 : 1e-4;
            c2[j] += h;
            forward(c2, g2);
            for (int i = 0; i < 3; i++) J[i][j] = (g2[i] - got[i]) / h;
        }
        double det = J[0][0] * (J[1][1] * J[2][2] - J[1][2] * J[2][1])
                   - J[0][1] * (J[1][0] * J[2][2] - J[1][2] * J[2][0])
                   + J[0][2] * (J[1][0] * J[2][1] - J[1][1] * J[2][0]);
        if (fabs(det) < 1e-12) break;
        /* Cramer's rule */
        for (int j = 0; j < 3; j++) {
            double M[3][3];
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) M[r][c] = c == j ? e[r] : J[r][c];
            d[j] = (M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
                  - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
                  + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0])) / det;
        }
        for (int j = 0; j < 3; j++) {
            cmyk[j] -= 0.7 * d[j];
            if (cmyk[j] < 0) cmyk[j] = 0;
            if (cmyk[j] > 1) cmyk[j] = 1;
        }
    }
    for (int i = 0; i < 4; i++) out[i] = (cmsUInt16Number)floor(cmyk[i] * 65535.0 + 0.5);
    return TRUE;
}

static cmsStage *identity_curves(int n) {
    cmsToneCurve *c[4];
    for (int i = 0; i < n; i++) c[i] = cmsBuildGamma(NULL, 1.0);
    cmsStage *s = cmsStageAllocToneCurves(NULL, n, c);
    for (int i = 0; i < n; i++) cmsFreeToneCurve(c[i]);
    return s;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s out.icc\n", argv[0]);
        return 2;
    }
    for (int i = 0; i < 4; i++)
        for (int ch = 0; ch < 3; ch++) T[i][ch] = to_linear(INK[i][ch] / 255.0);

    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHPROFILE lab = cmsCreateLab4Profile(NULL);
    rgb2lab = cmsCreateTransform(srgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC, 0);
    lab2rgb = cmsCreateTransform(lab, TYPE_Lab_DBL, srgb, TYPE_RGB_DBL, INTENT_RELATIVE_COLORIMETRIC, 0);

    cmsHPROFILE p = cmsCreateProfilePlaceholder(NULL);
    cmsSetProfileVersion(p, 4.3);
    cmsSetDeviceClass(p, cmsSigOutputClass);
    cmsSetColorSpace(p, cmsSigCmykData);
    cmsSetPCS(p, cmsSigLabData);
    cmsSetHeaderRenderingIntent(p, INTENT_PERCEPTUAL);

    cmsPipeline *a2b = cmsPipelineAlloc(NULL, 4, 3);
    cmsStage *clut = cmsStageAllocCLut16bit(NULL, 7, 4, 3, NULL);
    cmsStageSampleCLut16bit(clut, sample_a2b, NULL, 0);
    cmsPipelineInsertStage(a2b, cmsAT_END, identity_curves(4));
    cmsPipelineInsertStage(a2b, cmsAT_END, clut);
    cmsPipelineInsertStage(a2b, cmsAT_END, identity_curves(3));

    cmsPipeline *b2a = cmsPipelineAlloc(NULL, 3, 4);
    cmsStage *clut2 = cmsStageAllocCLut16bit(NULL, 11, 3, 4, NULL);
    cmsStageSampleCLut16bit(clut2, sample_b2a, NULL, 0);
    cmsPipelineInsertStage(b2a, cmsAT_END, identity_curves(3));
    cmsPipelineInsertStage(b2a, cmsAT_END, clut2);
    cmsPipelineInsertStage(b2a, cmsAT_END, identity_curves(4));

    cmsMLU *desc = cmsMLUalloc(NULL, 1), *cprt = cmsMLUalloc(NULL, 1);
    cmsMLUsetASCII(desc, "en", "US", "imgpool test CMYK (synthetic inks, not for production)");
    cmsMLUsetASCII(cprt, "en", "US", "Synthetic test profile made for imgpool; no third-party data");
    int ok = cmsWriteTag(p, cmsSigProfileDescriptionTag, desc)
          && cmsWriteTag(p, cmsSigCopyrightTag, cprt)
          && cmsWriteTag(p, cmsSigMediaWhitePointTag, cmsD50_XYZ())
          && cmsWriteTag(p, cmsSigAToB0Tag, a2b)
          && cmsWriteTag(p, cmsSigBToA0Tag, b2a);
    /* Little CMS stamps the current time into the header; put a fixed date there
       instead (bytes 24..35, big-endian year, month, day, hour, minute, second) so
       the file is the same on every run, then compute the profile ID. */
    cmsUInt32Number len = 0;
    if (!ok || !cmsSaveProfileToMem(p, NULL, &len)) {
        fprintf(stderr, "could not build the profile\n");
        return 1;
    }
    unsigned char *mem = malloc(len);
    static const unsigned char date[12] = {0x07, 0xE9, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0}; /* 2025-01-01 */
    if (!mem || !cmsSaveProfileToMem(p, mem, &len)) return 1;
    memcpy(mem + 24, date, sizeof date);
    cmsHPROFILE fixed = cmsOpenProfileFromMem(mem, len);
    if (!fixed || !cmsMD5computeID(fixed) || !cmsSaveProfileToFile(fixed, argv[1])) {
        fprintf(stderr, "could not write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
