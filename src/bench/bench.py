#!/usr/bin/env python3
"""imgpool against its peers on one job, in one run on one machine.

The job: every image of a corpus fit inside SIZExSIZE, written as JPEG quality 85. Each round
runs every tool once, in turn (imgpool and the peers alternate, so a noisy spell hurts all
alike); the report gives each tool's median wall time, its ratio to imgpool, peak RSS, and the
mean PSNR of its outputs against a full-decode Lanczos reference made by ImageMagick.

usage: src/bench/bench.py [--corpus DIR] [--rounds N] [--size N] [--only imgpool,vips,...]
                          [--scaling] [--long-batch K] [--startup]
--scaling adds imgpool alone at -w 1 and -w N (alternating, same rounds) and their throughput
ratio, beside -w 1 pinned to one core and Pillow's pool at 1 and N processes; --long-batch K does
-w 1 against -w N again over the corpus K times over, where the JIT's warm-up is a small part of
the run; --startup adds ten runs over a folder holding only the corpus's smallest JPEG.
Builds the corpus (real photographs and artwork from Debian's wallpaper packages) when DIR is
missing, and installs the peers from Debian's packages when they are missing.
"""
import argparse
import errno
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NEEDS = {
    "vipsthumbnail": "libvips-tools", "vips": "libvips-tools", "gm": "graphicsmagick", "mogrify": "imagemagick",
    "compare": "imagemagick", "parallel": "parallel", "/usr/bin/time": "time",
}


def sh(command, **kwargs):
    return subprocess.run(command, shell=True, check=True, **kwargs)


def install_missing():
    missing = sorted({pkg for tool, pkg in NEEDS.items() if shutil.which(tool) is None and not os.path.exists(tool)})
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import PIL"], check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        missing.append("python3-pil")
    if missing:
        sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + " ".join(missing) + " >/dev/null")


def build_corpus(corpus, count):
    """count distinct crops of the JPEG and PNG wallpapers of two Debian packages (deterministic)."""
    work = tempfile.mkdtemp()
    try:
        sh(f"cd {work} && apt-get download -qq plasma-workspace-wallpapers mate-backgrounds >/dev/null 2>&1 || "
           f"(apt-get update -qq && cd {work} && apt-get download -qq plasma-workspace-wallpapers mate-backgrounds)")
        for deb in glob.glob(os.path.join(work, "*.deb")):
            sh(f"dpkg -x {deb} {work}/x")
        sources = sorted(p for p in glob.glob(f"{work}/x/**/*", recursive=True)
                         if p.endswith((".jpg", ".png")) and os.path.getsize(p) > 200_000)
        os.makedirs(corpus, exist_ok=True)
        for i in range(count):
            src = sources[i % len(sources)]
            w = int(subprocess.check_output(["vipsheader", "-f", "width", src]))
            h = int(subprocess.check_output(["vipsheader", "-f", "height", src]))
            cw, ch = w * (85 + i % 15) // 100, h * (85 + (i * 7) % 15) // 100
            x, y = (w - cw) * (i % 5) // 4, (h - ch) * (i % 3) // 2
            ext = src.rsplit(".", 1)[1]
            target = os.path.join(corpus, f"img{i:04d}.{ext}")
            suffix = "[Q=90]" if ext == "jpg" else ""
            sh(f"vips crop '{src}' '{target}{suffix}' {x} {y} {cw} {ch}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tools(corpus, out, size, workers):
    imgpool = os.path.join(ROOT, "dist", "imgpool")
    return {
        "imgpool": f"{imgpool} {corpus} {out} -w {workers} --resize {size}x{size} --format jpg --quality 85 -q",
        "vipsthumbnail": f"vipsthumbnail {corpus}/* -s {size} -o {out}/%s.jpg[Q=85]",
        "parallel vipsthumbnail": f"ls {corpus}/* | parallel -j{workers} vipsthumbnail {{}} -s {size} -o {out}/%s.jpg[Q=85]",
        "pillow pool+draft": f"/usr/bin/python3 {HERE}/pillow_pool.py {corpus} {out} {workers} {size} 85",
        "gm mogrify": f"cd {corpus} && gm mogrify -output-directory {out} -format jpg -size {2*size}x{2*size} "
                      f"-thumbnail {size}x{size} -quality 85 *",
        "imagemagick mogrify": f"mogrify -path {out} -format jpg -define jpeg:size={2*size}x{2*size} "
                               f"-thumbnail {size}x{size} -quality 85 {corpus}/*",
    }


def timed(command):
    """Wall seconds, peak RSS in MB, exit code and CPU seconds of a shell command.

    The RSS is GNU time's: the largest of the command's processes, not their sum. The CPU seconds
    are user and system time of all of them.
    """
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "sh", "-c", command + " >/dev/null 2>&1"],
                            capture_output=True, text=True)
    wall, rss, user, system = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, result.returncode, float(user) + float(system)


def references(corpus, size, cache):
    os.makedirs(cache, exist_ok=True)
    for src in sorted(glob.glob(f"{corpus}/*")):
        stem = os.path.splitext(os.path.basename(src))[0]
        ref = os.path.join(cache, stem + ".png")
        if not os.path.exists(ref):
            sh(f"convert '{src}' -auto-orient -colorspace sRGB -filter Lanczos -resize {size}x{size} '{ref}'")


def size_of(path):
    w, h = subprocess.check_output(["identify", "-format", "%w %h", path], text=True).split()
    return int(w), int(h)


def psnr(candidate, ref):
    """PSNR of candidate against ref; where rounding made them differ by a pixel, over the common part."""
    (cw, ch), (rw, rh) = size_of(candidate), size_of(ref)
    w, h = min(cw, rw), min(ch, rh)
    if (cw, ch) == (rw, rh):
        r = subprocess.run(["compare", "-metric", "PSNR", candidate, ref, "null:"], capture_output=True, text=True)
        value = re.match(r"\s*([0-9.]+|inf)", r.stderr)
        return 99.0 if value is None or value.group(1) == "inf" else min(float(value.group(1)), 99.0)
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "a.png"), os.path.join(tmp, "b.png")
        sh(f"convert '{candidate}' -crop {w}x{h}+0+0 +repage {a} && convert '{ref}' -crop {w}x{h}+0+0 +repage {b}")
        r = subprocess.run(["compare", "-metric", "PSNR", a, b, "null:"], capture_output=True, text=True)
    value = re.match(r"\s*([0-9.]+|inf)", r.stderr)
    return 99.0 if value is None or value.group(1) == "inf" else min(float(value.group(1)), 99.0)


def opaque_stems(corpus):
    """Inputs without an alpha channel. For the others a JPEG output is defined only up to the
    background each tool flattens onto (imgpool: white; Pillow drops alpha; ...), so a PSNR
    against one reference would measure that choice, not the resampling."""
    stems = set()
    for src in glob.glob(f"{corpus}/*"):
        alpha = subprocess.run(["identify", "-format", "%A", src], capture_output=True, text=True).stdout.strip()
        if alpha in ("False", "Undefined", ""):
            stems.add(os.path.splitext(os.path.basename(src))[0])
    return stems


def mean_psnr(out, cache, opaque):
    values = []
    for ref in sorted(glob.glob(f"{cache}/*.png")):
        stem = os.path.splitext(os.path.basename(ref))[0]
        if stem not in opaque:
            continue
        candidates = glob.glob(f"{out}/{stem}.jpg")
        if not candidates:
            return None
        values.append(psnr(candidates[0], ref))
    return statistics.mean(values) if values else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="/tmp/imgpool-corpus")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=800)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--only", default="")
    parser.add_argument("--no-psnr", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="imgpool -w 1 against -w N")
    parser.add_argument("--long-batch", type=int, default=0, metavar="K",
                        help="imgpool -w 1 against -w N over the corpus K times over")
    parser.add_argument("--startup", action="store_true", help="imgpool over one small image")
    parser.add_argument("--psnr-tools", default="imgpool,vipsthumbnail,pillow pool+draft",
                        help="tools whose outputs are compared with the reference (each takes a minute or two)")
    args = parser.parse_args()

    install_missing()
    if not os.path.isdir(args.corpus):
        build_corpus(args.corpus, args.count)
    if not os.path.exists(os.path.join(ROOT, "dist", "imgpool.jar")):
        sh(f"cd {ROOT} && mvn -B -q -DskipTests package")
    out = tempfile.mkdtemp()
    commands = tools(args.corpus, out, args.size, args.workers)
    if args.only:
        commands = {k: v for k, v in commands.items() if k in args.only.split(",")}
    times = {name: [] for name in commands}
    peaks = {name: [] for name in commands}
    psnr = {}
    opaque = opaque_stems(args.corpus)
    for round_ in range(args.rounds + 1):  # round 0 warms the caches and is not counted
        for name, command in commands.items():
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            wall, rss, code, _ = timed(command)
            if code != 0:
                print(f"{name}: exit {code}", file=sys.stderr)
            if round_ > 0:
                times[name].append(wall)
                peaks[name].append(rss)
            if round_ == args.rounds and not args.no_psnr and name in args.psnr_tools.split(","):
                cache = os.path.join(args.corpus + "-reference", str(args.size))
                references(args.corpus, args.size, cache)
                psnr[name] = mean_psnr(out, cache, opaque)
    shutil.rmtree(out, ignore_errors=True)

    medians = {name: statistics.median(v) for name, v in times.items()}
    peers = {k: v for k, v in medians.items() if k != "imgpool"}
    fastest = min(peers, key=peers.get) if peers else None
    print(f"corpus {args.corpus}: {len(os.listdir(args.corpus))} files, fit {args.size}x{args.size}, "
          f"JPEG q85, {args.workers} workers, median of {args.rounds} rounds")
    print(f"PSNR: mean over the {len(opaque)} inputs without alpha, against ImageMagick's Lanczos resize of the full decode")
    print(f"{'tool':<24}{'median s':>10}{'vs imgpool':>12}{'peak RSS MB':>13}{'PSNR dB':>9}")
    for name in commands:
        ratio = medians[name] / medians["imgpool"] if "imgpool" in medians else float("nan")
        p = psnr.get(name)
        print(f"{name:<24}{medians[name]:>10.2f}{ratio:>12.2f}{max(peaks[name]):>13.0f}"
              f"{(f'{p:.2f}' if p is not None else '-'):>9}")
    if fastest and "imgpool" in medians:
        print(f"imgpool / fastest peer ({fastest}): {medians['imgpool'] / medians[fastest]:.2f}")
    if args.scaling:
        scaling(args, out)
    if args.long_batch:
        long_batch(args, out)
    if args.startup:
        startup(args)


def scaling(args, out):
    """imgpool at one worker and at --workers, alternating, beside two references from the same rounds.

    - imgpool -w 1 pinned to one core (taskset): its compiler and collector threads then share the
      worker's core instead of taking the idle one, as they must at -w N. (That JVM also sees one
      processor, which sizes nothing the run depends on: one compiler thread of each kind, the
      serial collector, -w 1.)
    - Pillow's process pool at 1 and N processes: what the machine gives a peer whose processes share
      nothing.
    """
    if args.workers < 2:
        sys.exit("--scaling compares -w 1 with --workers, which must be 2 or more")
    n = args.workers
    runs = {
        "imgpool -w 1": tools(args.corpus, out, args.size, 1)["imgpool"],
        f"imgpool -w {n}": tools(args.corpus, out, args.size, n)["imgpool"],
        "pillow 1 process": tools(args.corpus, out, args.size, 1)["pillow pool+draft"],
        f"pillow {n} processes": tools(args.corpus, out, args.size, n)["pillow pool+draft"],
    }
    if shutil.which("taskset") and hasattr(os, "sched_getaffinity"):
        core = min(os.sched_getaffinity(0))  # one this process may use (a container may not have core 0)
        runs["imgpool -w 1 on one core"] = f"taskset -c {core} " + runs["imgpool -w 1"]
    else:
        print("scaling: no taskset here, so no run pinned to one core", file=sys.stderr)
    walls, _ = alternate(runs, out, args.rounds, warm_up=True)
    shutil.rmtree(out, ignore_errors=True)
    median = {name: statistics.median(v) for name, v in walls.items()}

    def line(label, one, many):
        print(f"{label}: {one} median {median[one]:.2f} s {walls[one]}, {many} median {median[many]:.2f} s "
              f"{walls[many]}: {median[one] / median[many]:.2f} times the throughput")

    line("scaling", "imgpool -w 1", f"imgpool -w {n}")
    if "imgpool -w 1 on one core" in median:
        line("  reference", "imgpool -w 1 on one core", f"imgpool -w {n}")
    line("  reference", "pillow 1 process", f"pillow {n} processes")


def alternate(runs, out, rounds, warm_up):
    """Each command of runs once a round, in turn, into a fresh out folder; exits when one fails.

    Returns the wall and the CPU seconds of each by name, one per round; with warm_up, a first
    round that warms the caches is run and not counted.
    """
    walls = {name: [] for name in runs}
    cpus = {name: [] for name in runs}
    for round_ in range(rounds + 1 if warm_up else rounds):
        for name, command in runs.items():
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            wall, _, code, cpu = timed(command)
            if code != 0:
                sys.exit(f"{name}: exit {code}")
            if round_ > 0 or not warm_up:
                walls[name].append(wall)
                cpus[name].append(round(cpu, 1))
    return walls, cpus


def long_batch(args, out):
    """imgpool at one worker and at --workers over the corpus K times over (links to its files).

    On the corpus alone the compiler threads' work is a large part of a five-second run, and -w 1
    gets it done on the idle core; over a batch K times as long it is a small part. Each round runs
    both, so its own ratio is printed too: this machine's speed drifts, and the CPU seconds of one
    width's rounds show when it did (the same work then costs more CPU). No warm-up round: the
    corpus rounds before it have warmed the caches. Links only the corpus's own files (not its
    subfolders or hidden files), as imgpool would scan them.
    """
    if args.workers < 2:
        sys.exit("--long-batch compares -w 1 with --workers, which must be 2 or more")
    if args.long_batch < 1:
        sys.exit("--long-batch K needs K of 1 or more")
    n = args.workers
    work = tempfile.mkdtemp()
    try:
        folder = os.path.join(work, "in")
        os.makedirs(folder)
        for copy in range(args.long_batch):
            for name in sorted(os.listdir(args.corpus)):
                source, link = os.path.join(args.corpus, name), os.path.join(folder, f"{copy:03d}-{name}")
                if name.startswith(".") or not os.path.isfile(source):
                    continue
                try:
                    os.link(source, link)
                except OSError as e:
                    if e.errno != errno.EXDEV:
                        raise
                    shutil.copy(source, link)  # another file system
        count = len(os.listdir(folder))
        if count == 0:
            sys.exit(f"--long-batch: no files in {args.corpus}")
        single, several = f"imgpool -w 1 over {count} files", f"imgpool -w {n} over {count} files"
        runs = {single: tools(folder, out, args.size, 1)["imgpool"], several: tools(folder, out, args.size, n)["imgpool"]}
        walls, cpus = alternate(runs, out, args.rounds, warm_up=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    one, many = statistics.median(walls[single]), statistics.median(walls[several])
    per_round = [round(a / b, 2) for a, b in zip(walls[single], walls[several])]
    print(f"long batch: {count} files (the corpus {args.long_batch} times): imgpool -w 1 median {one:.2f} s "
          f"{walls[single]}, -w {n} median {many:.2f} s {walls[several]}: {one / many:.2f} times the throughput")
    print(f"  each round: {per_round}; CPU s -w 1 {cpus[single]}, -w {n} {cpus[several]}")


def startup(args):
    """Ten runs of imgpool over a folder with one small image (the corpus's smallest JPEG)."""
    jpegs = glob.glob(f"{args.corpus}/*.jpg")
    if not jpegs:
        sys.exit(f"--startup needs a .jpg in {args.corpus}")
    first = min(jpegs, key=os.path.getsize)
    work = tempfile.mkdtemp()
    try:
        folder = os.path.join(work, "in")
        os.makedirs(folder)
        shutil.copy(first, folder)
        walls = []
        for _ in range(10):
            shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
            wall, _, code, _ = timed(tools(folder, os.path.join(work, "out"), args.size, args.workers)["imgpool"])
            if code != 0:
                sys.exit(f"imgpool over {first}: exit {code}")
            walls.append(wall)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"startup: one image ({os.path.basename(first)}), ten runs: median {statistics.median(walls):.2f} s, "
          f"{min(walls):.2f}-{max(walls):.2f} s")


if __name__ == "__main__":
    main()
