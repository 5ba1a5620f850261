#!/usr/bin/env python3
"""Pillow peer for bench.py: fit every image in a folder inside SIZExSIZE as JPEG, with a
process pool and JPEG draft mode (DCT-domain downscaling), the fastest way Pillow offers."""
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from PIL import Image

SOURCE, TARGET, WORKERS, SIZE, QUALITY = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])


def one(name):
    with Image.open(os.path.join(SOURCE, name)) as image:
        image.draft("RGB", (SIZE, SIZE))
        image = image.convert("RGB")
        image.thumbnail((SIZE, SIZE), Image.LANCZOS)
        stem = os.path.splitext(name)[0]
        image.save(os.path.join(TARGET, stem + ".jpg"), quality=QUALITY)


if __name__ == "__main__":
    os.makedirs(TARGET, exist_ok=True)
    with ProcessPoolExecutor(WORKERS) as pool:
        list(pool.map(one, sorted(os.listdir(SOURCE)), chunksize=4))
