#!/bin/sh
# Regenerates everything under testdata/ (see testdata/README.md for what each file is for).
#
#   sh testdata/make-testdata.sh            # from the repository root
#
# Needs: ImageMagick 6 (`convert`, `identify`), exiftool, jpegtran (libjpeg-turbo-progs), a C compiler with
# libjpeg-turbo and Little CMS 2 headers (libjpeg62-turbo-dev, liblcms2-dev),
# python3, the DejaVu fonts, and Debian's colord-data (for two CC0 ICC profiles).
# Copied material comes from the shared corpora folder (CORPORA, default ../shared/corpora
# relative to the repository root). Plasma images use a fixed -seed and nothing writes a
# timestamp, so two runs with the same tool versions give byte-identical files.
set -eu

cd "$(dirname "$0")"                        # testdata/
CORPORA=${CORPORA:-../../shared/corpora}
SRGB=/usr/share/color/icc/colord/sRGB.icc             # colord-data, CC0-1.0
ADOBE=/usr/share/color/icc/colord/AdobeRGB1998.icc    # colord-data, CC0-1.0
BIN=${TMPDIR:-/tmp}/imgpool-testdata-tools
BOLD=DejaVu-Sans-Bold
PNGOPT="-define png:exclude-chunk=date,time"          # no timestamps in PNGs

mkdir -p "$BIN"
cc -O2 -o "$BIN/make-cmyk-profile" tools/make-cmyk-profile.c -llcms2 -lm
cc -O2 -o "$BIN/write-cmyk-jpeg" tools/write-cmyk-jpeg.c -ljpeg

# label POINTSIZE: ImageMagick text options for a caption at the bottom edge (-annotate follows).
label() { echo "-font $BOLD -pointsize $1 -fill white -stroke black -strokewidth 2 -gravity south"; }

###############################################################################
# images/  -- the README demo folder
###############################################################################
rm -rf images && mkdir -p images/nested/deeper
L1=$CORPORA/exif-orientation/Landscape_1.jpg      # orientation 1 (normal)
P1=$CORPORA/exif-orientation/Portrait_1.jpg

# photos (MIT, Dave Perrett's exif-orientation-examples); a light blur keeps them small
convert "$L1" -strip -gaussian-blur 0x1.2 -resize 1200x800 -quality 75 images/waterfall.jpg
convert "$P1" -strip -gaussian-blur 0x1.2 -resize 800x1200 -quality 75 -interlace JPEG \
        images/portrait-progressive.jpg
convert "$P1" -strip -gaussian-blur 0x1.2 -resize 800x1200 -quality 70 -define webp:method=6 \
        images/nested/waterfall-portrait.webp
# stored 640x960 (rotated 90 degrees anticlockwise) + EXIF Orientation=6: displays upright as 960x640
convert "$L1" -strip -gaussian-blur 0x1.2 -resize 960x640 -rotate -90 -quality 75 \
        images/nested/deeper/rotated-exif6.jpg
exiftool -q -Orientation#=6 -overwrite_original images/nested/deeper/rotated-exif6.jpg

# synthetic images
convert -size 1400x900 gradient:'#1d3557-#457b9d' \
        -fill '#e63946' -draw 'circle 330,330 330,530' \
        -fill '#f1faee' -draw 'roundrectangle 620,150 1250,420 40,40' \
        -fill '#a8dadc' -draw 'polygon 700,820 1000,480 1300,820' \
        -fill '#ffb703' -draw 'rectangle 120,620 560,820' \
        $(label 64) -annotate +0+30 'PNG truecolour RGB 1400x900' \
        -strip -type TrueColor $PNGOPT PNG24:images/poster-rgb.png
convert -size 900x900 xc:none \
        -fill 'rgba(230,57,70,0.85)' -draw 'circle 330,360 330,110' \
        -fill 'rgba(42,157,143,0.70)' -draw 'circle 570,360 570,110' \
        -fill 'rgba(69,123,157,0.60)' -draw 'circle 450,570 450,320' \
        $(label 52) -annotate +0+40 'PNG RGBA, transparent' \
        -strip $PNGOPT PNG32:images/badge-rgba.png
convert -size 1024x768 gradient:gray90-gray20 \
        -fill gray50 -stroke white -strokewidth 8 -draw 'circle 300,330 300,560' \
        -fill black -stroke none -draw 'rectangle 580,140 920,500' \
        -fill white -draw 'polygon 620,460 880,460 750,250' \
        $(label 56) -annotate +0+30 'PNG grayscale 1024x768' \
        -strip -colorspace Gray -type Grayscale -depth 8 $PNGOPT -define png:color-type=0 \
        images/gray-shapes.png
convert -size 1000x700 xc:'#264653' \
        -fill '#2a9d8f' -draw 'circle 250,260 250,430' \
        -fill '#e9c46a' -draw 'polygon 600,70 900,330 420,330' \
        -fill '#f4a261' -draw 'rectangle 470,400 930,620' \
        -fill '#e76f51' -draw 'ellipse 230,560 170,80 0,360' \
        $(label 48) -annotate +0+20 'PNG palette (indexed)' \
        -strip +dither -colors 32 $PNGOPT PNG8:images/palette-shapes.png
convert -size 240x160 pattern:hexagons -scale 400% +level-colors '#3d405b','#f2cc8f' \
        $(label 60) -annotate +0+40 'GIF 960x640' \
        -strip +dither -colors 16 images/tiles.gif
convert -seed 11 -size 200x150 plasma:fractal -blur 0x4 \
        $(label 24) -annotate +0+10 'BMP 24-bit' \
        -strip -type TrueColor BMP3:images/bitmap.bmp
convert -size 1280x960 gradient:'#fefae0-#dda15e' \
        -fill '#606c38' -draw 'circle 360,400 360,650' \
        -fill '#283618' -draw 'rectangle 700,200 1150,700' \
        $(label 72) -annotate +0+40 'TIFF LZW 1280x960' \
        -strip -type TrueColor -depth 8 -compress LZW -define tiff:predictor=2 images/scan.tiff
convert -seed 23 -size 1024x768 plasma:fractal -blur 0x6 \
        $(label 64) -annotate +0+30 'CMYK JPEG' \
        -strip -colorspace CMYK -quality 80 images/nested/cmyk-plasma.jpg
convert -size 1280x720 gradient:'#0b1d51-#ff9e5e' \
        \( -seed 5 -size 1280x720 plasma:fractal -blur 0x10 -colorspace Gray \) \
        -compose soft-light -composite \
        $(label 56) -annotate +0+30 'file name with a space' \
        -strip -quality 80 'images/nested/sky at dusk.jpg'
convert -seed 3 -size 320x240 plasma:fractal -blur 0x3 \
        $(label 24) -annotate +0+10 '320x240: no upscaling' \
        -strip -quality 85 images/nested/deeper/small.jpg

{
  echo 'waterfall.jpg, portrait-progressive.jpg, nested/waterfall-portrait.webp and'
  echo 'nested/deeper/rotated-exif6.jpg are resized, blurred and re-encoded copies of'
  echo 'Landscape_1.jpg and Portrait_1.jpg from exif-orientation-examples by Dave Perrett'
  echo '(https://github.com/recurser/exif-orientation-examples; photos by Pierre Bouillot'
  echo 'and John Salvino on Unsplash). They are used under the MIT licence below.'
  echo 'The other files in this folder are synthetic (see ../README.md).'
  echo
  cat "$CORPORA/exif-orientation/LICENSE"
  echo
} > images/PHOTOS-LICENSE.txt

###############################################################################
# mixed/  -- the end-to-end folder
###############################################################################
rm -rf mixed && mkdir -p mixed/sub
convert -seed 101 -size 640x480 plasma:fractal -blur 0x4 $(label 40) -annotate +0+20 'a.jpg 640x480' \
        -strip -quality 80 mixed/a.jpg
convert -size 300x200 xc:none -fill 'rgba(0,120,255,0.6)' -draw 'circle 110,100 110,20' \
        -fill 'rgba(255,80,0,0.8)' -draw 'rectangle 150,40 280,160' \
        -strip $PNGOPT PNG32:mixed/b.png
convert -size 200x100 xc:'#ffd166' -fill '#118ab2' -draw 'rectangle 20,20 180,80' \
        $(label 20) -annotate +0+5 'c.gif' -strip mixed/c.gif
convert -size 120x90 gradient:red-blue -strip -type TrueColor BMP3:mixed/d.bmp
convert -size 400x300 gradient:'#06d6a0-#073b4c' $(label 30) -annotate +0+10 'e.tiff' \
        -strip -type TrueColor -depth 8 -compress LZW -define tiff:predictor=2 mixed/e.tiff
convert -seed 102 -size 1000x500 plasma:fractal -blur 0x5 $(label 48) -annotate +0+20 'sub/f.jpg 1000x500' \
        -strip -quality 80 mixed/sub/f.jpg
# broken.jpg: the first 40% of a complete 640x480 JPEG
convert -seed 103 -size 640x480 plasma:fractal -blur 0x4 -strip -quality 80 "$BIN/whole.jpg"
head -c $(( $(wc -c < "$BIN/whole.jpg") * 40 / 100 )) "$BIN/whole.jpg" > mixed/broken.jpg
printf 'These are notes, not an image.\nimgpool should skip this file.\n' > mixed/notes.txt
printf 'This is plain text pretending to be a PNG.\n' > mixed/fake.png
convert -size 64x64 xc:'#8338ec' -fill white -draw 'circle 32,32 32,12' -strip $PNGOPT PNG24:mixed/noext

###############################################################################
# orientation/  -- exif-orientation-examples at half size (MIT)
###############################################################################
rm -rf orientation && mkdir -p orientation
for f in "$CORPORA"/exif-orientation/*.jpg; do
  convert "$f" -resize 50% -quality 65 "orientation/$(basename "$f")"   # keeps the EXIF block
done
cp "$CORPORA/exif-orientation/LICENSE" "$CORPORA/exif-orientation/README.markdown" orientation/

###############################################################################
# pngsuite/ and hostile/pngsuite-corrupt/  -- PngSuite (free use)
###############################################################################
rm -rf pngsuite hostile && mkdir -p pngsuite hostile/pngsuite-corrupt
for f in "$CORPORA"/pngsuite/*.png; do
  case "$(basename "$f")" in
    x*) cp "$f" hostile/pngsuite-corrupt/ ;;
    *)  cp "$f" pngsuite/ ;;
  esac
done
cp "$CORPORA/pngsuite/LICENSE" "$CORPORA/pngsuite/PngSuite.README" pngsuite/
cp "$CORPORA/pngsuite/LICENSE" "$CORPORA/pngsuite/PngSuite.README" hostile/pngsuite-corrupt/

###############################################################################
# hostile/  -- files that must be rejected cleanly
###############################################################################
: > hostile/empty.jpg
printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1><p>The requested image was not found.</p></body></html>\n' \
        > hostile/text.jpg
convert -seed 201 -size 160x160 plasma:fractal -blur 0x1 -strip $PNGOPT PNG24:"$BIN/whole.png"
head -c $(( $(wc -c < "$BIN/whole.png") / 2 )) "$BIN/whole.png" > hostile/truncated.png
convert -seed 202 -size 640x480 plasma:fractal -blur 0x3 -strip -quality 85 "$BIN/whole2.jpg"
head -c $(( $(wc -c < "$BIN/whole2.jpg") * 60 / 100 )) "$BIN/whole2.jpg" > hostile/truncated.jpg

###############################################################################
# jpeg/  -- small JPEGs for the fast baseline decoder (dev.imgpool.image.codec)
###############################################################################
rm -rf jpeg && mkdir -p jpeg
# 203x131: odd sizes, not multiples of the 8/16-pixel MCU, so the edge cropping is exercised
SMALL="images/waterfall.jpg -resize 203x131! -strip -quality 90"
convert $SMALL -sampling-factor 1x1 jpeg/444.jpg
convert $SMALL -sampling-factor 2x2 jpeg/420.jpg
convert $SMALL -sampling-factor 2x1 jpeg/422.jpg
convert $SMALL -sampling-factor 1x2 jpeg/440.jpg
convert $SMALL -colorspace Gray jpeg/gray.jpg
# ImageMagick 6 cannot write restart markers or arithmetic coding: jpegtran rewrites the entropy
# coding losslessly (same coefficients, so the same pixels as the source file)
jpegtran -restart 2B -outfile jpeg/420-restart.jpg jpeg/420.jpg
jpegtran -restart 2B -outfile jpeg/gray-restart.jpg jpeg/gray.jpg
jpegtran -arithmetic -outfile jpeg/arithmetic.jpg jpeg/444.jpg
convert images/waterfall.jpg -gravity center -crop 17x9+0+0 +repage -strip -quality 90 \
        -sampling-factor 2x2 jpeg/17x9.jpg
convert images/waterfall.jpg -gravity center -crop 1x1+0+0 +repage -strip -quality 90 jpeg/1x1.jpg
convert $SMALL -sampling-factor 2x2 -interlace JPEG jpeg/progressive.jpg
head -c $(( $(wc -c < jpeg/420.jpg) * 60 / 100 )) jpeg/420.jpg > jpeg/truncated.jpg
# one byte of the entropy data inverted: libjpeg (djpeg) reports "bad Huffman code" for it
cp jpeg/420.jpg jpeg/bad-code.jpg
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[6510] ^= 0xFF; open(sys.argv[1], "wb").write(d)' \
        jpeg/bad-code.jpg

###############################################################################
# colour/  -- colour-handling references
###############################################################################
rm -rf colour && mkdir -p colour/icc
"$BIN/make-cmyk-profile" colour/icc/imgpool-test-cmyk.icc
cp "$SRGB" colour/icc/sRGB-colord.icc
cp "$ADOBE" colour/icc/AdobeRGB1998-colord.icc
{
  echo 'sRGB-colord.icc and AdobeRGB1998-colord.icc are copied unchanged from Debian'"'"'s'
  echo 'colord-data package (/usr/share/color/icc/colord/; upstream colord data/profiles/).'
  echo 'Their entry in /usr/share/doc/colord-data/copyright reads:'
  echo
  echo 'Files: data/profiles/*'
  echo 'Copyright: (c) 2012 Richard Hughes <richard@hughsie.com>'
  echo 'License: CC0-1.0'
  echo
  awk 'p && !/^ / { if (n) exit; p = 0 }
       p { sub(/^ /, ""); if ($0 == ".") $0 = ""; print; n++ }
       /^License: CC0-1.0$/ { p = 1 }' /usr/share/doc/colord-data/copyright
  echo
  echo 'imgpool-test-cmyk.icc is not third-party: tools/make-cmyk-profile.c makes it.'
} > colour/icc/LICENSE-colord.txt
CMYKICC=colour/icc/imgpool-test-cmyk.icc

# the shared source: four flat 128x128 patches, 256x256
convert -size 128x128 xc:'rgb(200,60,50)' xc:'rgb(60,140,90)' +append \
        \( -size 128x128 xc:'rgb(70,110,180)' xc:'rgb(230,200,120)' +append \) -append \
        -strip $PNGOPT PNG24:"$BIN/quads.png"

# one set of CMYK pixels (the patches separated through the test profile), three encodings
convert "$BIN/quads.png" -profile "$SRGB" -profile "$CMYKICC" -depth 8 cmyk:"$BIN/quads.cmyk"
"$BIN/write-cmyk-jpeg" cmyk "$BIN/quads.cmyk" 256 256 colour/cmyk.jpg "$CMYKICC"
"$BIN/write-cmyk-jpeg" cmyk "$BIN/quads.cmyk" 256 256 colour/cmyk-noprofile.jpg
"$BIN/write-cmyk-jpeg" ycck "$BIN/quads.cmyk" 256 256 colour/ycck.jpg "$CMYKICC"
convert "$BIN/quads.png" -profile "$SRGB" -profile "$ADOBE" -quality 90 colour/srgb-with-profile.jpg
convert -size 100x512 gradient:black-white -rotate -90 -strip -depth 16 \
        -define png:color-type=0 -define png:bit-depth=16 $PNGOPT colour/gray16.png
convert \( -size 300x200 gradient:black-white -rotate 90 -resize 300x200\! \) \
        \( -size 300x200 gradient:white-black \) \( -size 300x200 xc:'gray(25%)' \) \
        -combine -strip -depth 16 $PNGOPT PNG48:colour/rgb16.png
convert -size 100x100 xc:'rgb(0,128,255)' \( -size 100x100 xc:'rgba(255,0,0,0.502)' \) +append \
        -strip $PNGOPT PNG32:colour/alpha.png
python3 tools/make-palette-alpha.py colour/palette-alpha.png
convert "$BIN/quads.png" -strip -interlace PNG $PNGOPT PNG24:colour/interlaced.png
convert -delay 50 -size 120x80 xc:red xc:lime xc:blue -loop 0 -strip colour/animated.gif

# REFERENCE.md: mean colours as ImageMagick measures them
mean() { convert "$@" -format '%[fx:mean.r*255] %[fx:mean.g*255] %[fx:mean.b*255]' info: \
         | awk '{ printf "%.1f, %.1f, %.1f", $1, $2, $3 }'; }
meana() { convert "$@" -alpha extract -format '%[fx:mean*255]' info: | awk '{ printf "%.1f", $1 }'; }
# patches FILE [OPTIONS]: the mean of the 64x64 square at the centre of each quadrant
patches() {
  f=$1; shift
  for at in +32+32 +160+32 +32+160 +160+160; do
    printf ' %s |' "$(mean "$f" "$@" -crop "64x64$at" +repage)"
  done
}
dims() { identify -format '%wx%h' "$1[0]"; }
{
  cat <<'EOF'
# Colour reference values

Generated by `testdata/make-testdata.sh`; do not edit by hand. Each value is the mean
R, G, B (0..255) over all pixels, measured with ImageMagick 6 (Little CMS 2 for ICC
conversions). Decoders round differently and JPEG is lossy, so compare with a tolerance
(a delta of about 3 per channel is enough for the same decoding path; the gap between the
colour-managed and the naive path is far larger, see the numbers).

Source of the patch images (`cmyk.jpg`, `cmyk-noprofile.jpg`, `ycck.jpg`,
`srgb-with-profile.jpg`, `interlaced.png`): four flat 128x128 quadrants,
top-left rgb(200,60,50), top-right rgb(60,140,90), bottom-left rgb(70,110,180),
bottom-right rgb(230,200,120) (sRGB); their exact mean is 140.0, 127.5, 110.0.

| file | size | what it is | reference mean R, G, B | how measured |
| --- | --- | --- | --- | --- |
EOF
  echo "| cmyk.jpg | $(dims colour/cmyk.jpg) | plain CMYK JPEG (Adobe APP14 transform 0, stored inverted as Photoshop does), embedded ICC \`icc/imgpool-test-cmyk.icc\` | $(mean colour/cmyk.jpg -profile "$SRGB") | \`convert cmyk.jpg -profile icc/sRGB-colord.icc\` (colour-managed) |"
  echo "| cmyk.jpg (profile ignored) | | same file, naive conversion | $(mean colour/cmyk.jpg +profile '*' -colorspace sRGB) | \`convert cmyk.jpg +profile '*' -colorspace sRGB\`: R=(1-C)(1-K) etc.; a decoder that drops the profile gets this |"
  echo "| cmyk-noprofile.jpg | $(dims colour/cmyk-noprofile.jpg) | the same CMYK pixels and encoding, no ICC profile | $(mean colour/cmyk-noprofile.jpg -colorspace sRGB) | \`convert cmyk-noprofile.jpg -colorspace sRGB\` (naive). A decoder may instead apply its own default CMYK profile (TwelveMonkeys does when one is configured), which gives other numbers |"
  echo "| cmyk-noprofile.jpg via the test profile | | | $(mean colour/cmyk-noprofile.jpg -profile "$CMYKICC" -profile "$SRGB") | \`convert cmyk-noprofile.jpg -profile icc/imgpool-test-cmyk.icc -profile icc/sRGB-colord.icc\` |"
  echo "| ycck.jpg | $(dims colour/ycck.jpg) | the same CMYK pixels stored as YCCK (Adobe APP14 transform 2), same embedded profile | $(mean colour/ycck.jpg -profile "$SRGB") | \`convert ycck.jpg -profile icc/sRGB-colord.icc\` |"
  echo "| ycck.jpg (profile ignored) | | | $(mean colour/ycck.jpg +profile '*' -colorspace sRGB) | \`convert ycck.jpg +profile '*' -colorspace sRGB\` |"
  echo "| srgb-with-profile.jpg | $(dims colour/srgb-with-profile.jpg) | RGB JPEG whose pixels are in Adobe RGB (1998), with that profile embedded (colord's CC0 \`AdobeRGB1998.icc\`) | $(mean colour/srgb-with-profile.jpg -profile "$SRGB") | \`convert srgb-with-profile.jpg -profile icc/sRGB-colord.icc\` (colour-managed: close to the source) |"
  echo "| srgb-with-profile.jpg (profile ignored) | | | $(mean colour/srgb-with-profile.jpg +profile '*') | \`convert srgb-with-profile.jpg +profile '*'\`: the raw Adobe RGB numbers read as sRGB |"
  echo "| interlaced.png | $(dims colour/interlaced.png) | 8-bit RGB PNG, Adam7 interlaced | $(mean colour/interlaced.png) | \`convert interlaced.png\` (exact, lossless) |"
  echo "| gray16.png | $(dims colour/gray16.png) | 16-bit greyscale PNG (colour type 0), 0 at the left edge to 65535 at the right (about 128 per pixel). Raw sample mean; Java keeps 16-bit grey as TYPE_USHORT_GRAY in the linear CS_GRAY space, so a ColorConvertOp to sRGB gives a brighter mean: compare raw samples (or the sRGB value of the same path on both sides) | $(mean colour/gray16.png -colorspace sRGB) | \`convert gray16.png -colorspace sRGB\` |"
  echo "| rgb16.png | $(dims colour/rgb16.png) | 16-bit RGB PNG (48 bits per pixel): R falls from 65535 at the left edge to 0 at the right, G from 65535 at the top to 0 at the bottom, B is a flat 16384; most samples are not multiples of 257, so an 8-bit round trip shows | $(mean colour/rgb16.png) | \`convert rgb16.png\` |"
  echo "| alpha.png | $(dims colour/alpha.png) | RGBA PNG: left half opaque rgb(0,128,255), right half rgb(255,0,0) at alpha 128 | $(mean colour/alpha.png) ; mean alpha $(meana colour/alpha.png) | straight (unpremultiplied) channel means, \`convert alpha.png\` |"
  echo "| alpha.png on white | | | $(mean colour/alpha.png -background white -alpha remove) | \`convert alpha.png -background white -alpha remove\` |"
  echo "| alpha.png on black | | | $(mean colour/alpha.png -background black -alpha remove) | \`convert alpha.png -background black -alpha remove\` |"
  echo "| palette-alpha.png | $(dims colour/palette-alpha.png) | indexed PNG with tRNS: quadrants red a=255, green a=128, blue a=0, white a=64 | $(mean colour/palette-alpha.png) ; mean alpha $(meana colour/palette-alpha.png) | straight channel means |"
  echo "| palette-alpha.png on white | | | $(mean colour/palette-alpha.png -background white -alpha remove) | \`convert palette-alpha.png -background white -alpha remove\` |"
  echo "| animated.gif frame 0 | $(dims colour/animated.gif) | 3-frame GIF, 0.5 s per frame, loops: red, lime, blue | $(mean 'colour/animated.gif[0]') | \`convert 'animated.gif[0]'\` (what a single-image decoder returns) |"
  echo "| animated.gif frame 1 | | | $(mean 'colour/animated.gif[1]') | \`convert 'animated.gif[1]'\` |"
  echo "| animated.gif frame 2 | | | $(mean 'colour/animated.gif[2]') | \`convert 'animated.gif[2]'\` |"
  cat <<'EOF'

Per patch: the mean of the 64x64 square at the centre of each quadrant, away from
JPEG ringing at the patch edges. Whole-image means hide much of the difference between
Adobe RGB and sRGB (it is mostly saturation), so test `srgb-with-profile.jpg` per patch.

| file, path | top-left | top-right | bottom-left | bottom-right |
| --- | --- | --- | --- | --- |
| source (sRGB) | 200.0, 60.0, 50.0 | 60.0, 140.0, 90.0 | 70.0, 110.0, 180.0 | 230.0, 200.0, 120.0 |
EOF
  echo "| cmyk.jpg, colour-managed |$(patches colour/cmyk.jpg -profile "$SRGB")"
  echo "| cmyk.jpg, naive |$(patches colour/cmyk.jpg +profile '*' -colorspace sRGB)"
  echo "| ycck.jpg, colour-managed |$(patches colour/ycck.jpg -profile "$SRGB")"
  echo "| srgb-with-profile.jpg, colour-managed |$(patches colour/srgb-with-profile.jpg -profile "$SRGB")"
  echo "| srgb-with-profile.jpg, profile ignored |$(patches colour/srgb-with-profile.jpg +profile '*')"
  echo "| interlaced.png |$(patches colour/interlaced.png)"
  echo
  echo "The \`icc/\` folder holds the profiles used above: \`imgpool-test-cmyk.icc\` (made by"
  echo "\`tools/make-cmyk-profile.c\`), and \`sRGB-colord.icc\` and \`AdobeRGB1998-colord.icc\` from"
  echo "Debian's colord-data package (colord's \`data/profiles/\`, CC0-1.0, (c) 2012 Richard Hughes)."
} > colour/REFERENCE.md

###############################################################################
# mixed/EXPECTED.md
###############################################################################
{
  cat <<'EOF'
# mixed/: expected results

Generated by `testdata/make-testdata.sh`. Width and height are those of the stored pixels
(none of these files has an EXIF orientation). 10 files: 6 ordinary images, a truncated
JPEG, two files that are not images, and a PNG without an extension.

| file | format | width | height | expected outcome |
| --- | --- | --- | --- | --- |
EOF
  row() { echo "| $1 | $2 | $3 | $4 | $5 |"; }
  w() { identify -format '%w' "mixed/$1[0]"; }
  h() { identify -format '%h' "mixed/$1[0]"; }
  row a.jpg 'JPEG, baseline, 8-bit YCbCr' "$(w a.jpg)" "$(h a.jpg)" 'ok: decoded and processed'
  row b.png 'PNG, 8-bit RGBA (colour type 6), real transparency' "$(w b.png)" "$(h b.png)" 'ok: decoded and processed (alpha kept if the output format has alpha, flattened otherwise)'
  row c.gif 'GIF89a, single frame' "$(w c.gif)" "$(h c.gif)" 'ok: decoded and processed'
  row d.bmp 'BMP v3, 24-bit, uncompressed' "$(w d.bmp)" "$(h d.bmp)" 'ok: decoded and processed'
  row e.tiff 'TIFF, 8-bit RGB, LZW with horizontal predictor' "$(w e.tiff)" "$(h e.tiff)" 'ok: decoded and processed'
  row sub/f.jpg 'JPEG, baseline, in a subfolder' "$(w sub/f.jpg)" "$(h sub/f.jpg)" 'ok: found by the recursive walk; output keeps the sub/ path'
  row broken.jpg 'JPEG, truncated: the first 40% of a complete 640x480 file (no EOI marker)' 640 480 'failed: reported as a decode error for this one file; the batch goes on. (The header is intact, so lenient decoders such as libjpeg/ImageMagick only warn and return a partly grey image; imgpool should not count that as success, or at least must flag it.)'
  row notes.txt 'plain text' - - 'not an image: skipped (or reported as unsupported); no output, no crash'
  row fake.png 'plain text with a .png name' - - 'failed: no decoder accepts the content (bad PNG signature); reported, batch goes on'
  row noext 'PNG, 8-bit RGB, no file extension' "$(w noext)" "$(h noext)" 'ok if formats are detected from content (magic bytes); skipped if input is selected by extension. Either way a test should pin the chosen behaviour'
  echo
  echo 'Summary with content sniffing: 7 ok (a, b, c, d, e, sub/f, noext), 2 failed (broken.jpg, fake.png), 1 skipped (notes.txt).'
  echo 'With extension filtering: 6 ok, 2 failed, 2 skipped (notes.txt, noext).'
} > mixed/EXPECTED.md

rm -rf "$BIN"
echo "testdata regenerated"
