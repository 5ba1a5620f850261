package dev.imgpool.report;

import dev.imgpool.io.TempFiles;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run as one self-contained HTML page: the summary, every failure, then a contact sheet of
 * the outputs. The page makes no network request: its CSS and its small script are inline (and
 * pinned by hash in a Content-Security-Policy that allows nothing else), thumbnails are either
 * relative links to the outputs (when the page lies under OUTPUT, so an uploaded OUTPUT folder is
 * browsable) or small JPEGs embedded as data URIs. Without JavaScript everything is shown; with
 * it, a filter by status and a search over names work, and a {@code #status=failed&q=name}
 * fragment (or the same as a query) applies a filter on load.
 *
 * <p>Memory stays bounded on huge runs: the page keeps every failed and timed-out result (they
 * are always all listed), the first {@link #cardLimit} cards and cancelled names, and counts.
 *
 * <p>Not thread-safe: one collector feeds it, then writes it once.
 */
public final class HtmlReport {
  /** Cards kept when thumbnails are links: a few hundred bytes each. */
  public static final int LINKED_CARD_LIMIT = 2000;
  /** Cards kept when thumbnails are embedded: a few kilobytes each. */
  public static final int EMBEDDED_CARD_LIMIT = 500;
  /** Extensions every current browser shows in an {@code <img>}; other outputs get an embedded preview. */
  private static final Set<String> BROWSER_FORMATS = Set.of("jpg", "jpeg", "png", "gif", "webp", "bmp");

  private final Path page;
  private final Optional<Path> outputRoot;
  /** The URL from the page's folder to OUTPUT, ending in '/' unless empty; empty when unknown. */
  private final Optional<String> outputUrl;
  private final boolean linked;
  private final List<String> commandLine;
  private final int cardLimit;

  private final List<Entry> failures = new ArrayList<>();
  private final List<Entry> cancelled = new ArrayList<>();
  private final List<Entry> cards = new ArrayList<>();
  private final Summary.Builder counts = new Summary.Builder();
  private long cardCount;
  private long duplicates;
  private final List<String> notes = new ArrayList<>();

  private record Entry(TaskResult result, boolean duplicate) {}

  /**
   * A page to be written at {@code page}, for outputs under {@code outputRoot} when it is known.
   *
   * @param page where the page goes
   * @param outputRoot OUTPUT, for thumbnails; empty when the outputs cannot be found
   * @param commandLine the command's arguments, shown as the options used
   */
  public HtmlReport(Path page, Optional<Path> outputRoot, List<String> commandLine) {
    this(page, outputRoot, commandLine, -1);
  }

  /** As above, keeping at most {@code cardLimit} cards (-1: the default for the kind of thumbnails). */
  public HtmlReport(Path page, Optional<Path> outputRoot, List<String> commandLine, int cardLimit) {
    this.page = page.toAbsolutePath().normalize();
    this.outputRoot = outputRoot.map(root -> root.toAbsolutePath().normalize());
    this.commandLine = List.copyOf(commandLine);
    this.linked = this.outputRoot.isPresent() && this.page.startsWith(this.outputRoot.get());
    this.outputUrl = this.outputRoot.flatMap(root -> relativeUrl(this.page.getParent(), root));
    if (cardLimit < -1) {
      throw new IllegalArgumentException("cardLimit (" + cardLimit + ") must be -1 or more");
    }
    this.cardLimit = cardLimit >= 0 ? cardLimit : linked ? LINKED_CARD_LIMIT : EMBEDDED_CARD_LIMIT;
  }

  /**
   * Where {@code --html FILE} puts the page: a bare file name goes under OUTPUT (when there is
   * one), anything with a folder is relative to the working folder.
   */
  public static Path placement(Path given, Path workingDir, Optional<Path> outputRoot) {
    Path target = given.getParent() == null && !given.isAbsolute() && outputRoot.isPresent()
        ? outputRoot.get().resolve(given.toString())
        : workingDir.resolve(given);
    return target.toAbsolutePath().normalize();
  }

  public Path page() {
    return page;
  }

  /** True when thumbnails are relative links to the outputs (the page lies under OUTPUT). */
  public boolean linksOutputs() {
    return linked;
  }

  public void add(TaskResult result) {
    add(result, false);
  }

  /** Adds one result; {@code duplicate} marks an input already seen in another report. */
  public void add(TaskResult result, boolean duplicate) {
    Objects.requireNonNull(result, "result");
    counts.add(result);
    if (duplicate) {
      duplicates++;
    }
    switch (result.status()) {
      case FAILED, TIMEOUT -> failures.add(new Entry(result, duplicate));
      case CANCELLED -> {
        if (cancelled.size() < cardLimit) {
          cancelled.add(new Entry(result, duplicate));
        }
      }
      case OK, SKIPPED -> {
        cardCount++;
        if (cards.size() < cardLimit) {
          cards.add(new Entry(result, duplicate));
        }
      }
    }
  }

  /** A line shown under the summary (for example which reports were merged). */
  public void note(String text) {
    notes.add(Objects.requireNonNull(text, "text"));
  }

  /** Writes the page beside its target and moves it into place, so no reader sees half a page. */
  public void write(Summary summary) throws IOException {
    new TempFiles().writeAtomically(
        page,
        out -> {
          Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          render(summary, writer);
          writer.flush();
        },
        () -> true);
  }

  /** Renders the page; {@code summary} gives the times, totals and exit code. */
  void render(Summary summary, Writer out) throws IOException {
    // Results arrive in completion order; the page lists them by path, so two runs read alike.
    Comparator<Entry> byInput = Comparator.comparing(entry -> entry.result().input());
    failures.sort(byInput);
    cancelled.sort(byInput);
    cards.sort(byInput);
    String title = "imgpool: " + summary.toSentence();
    out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' data: file:; "
        + "style-src '" + PageAssets.STYLE_HASH + "'; script-src '" + PageAssets.SCRIPT_HASH + "'; "
        + "base-uri 'none'; form-action 'none'\">\n");
    out.write("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.write("<link rel=\"icon\" href=\"data:,\">\n");
    out.write("<title>" + Html.escape(title) + "</title>\n");
    out.write("<style>" + PageAssets.STYLE + "</style>\n</head>\n<body>\n");
    renderSummary(summary, out);
    renderFilters(out);
    renderFailures(out);
    renderCancelled(out);
    renderSheet(out);
    out.write("<script>" + PageAssets.SCRIPT + "</script>\n</body>\n</html>\n");
  }

  private void renderSummary(Summary summary, Writer out) throws IOException {
    out.write("<header>\n<h1>imgpool run</h1>\n<p class=\"sentence\">" + Html.escape(summary.toSentence()) + "</p>\n");
    out.write("<table class=\"counts\"><tr><th>files</th>");
    for (Status status : Status.values()) {
      out.write("<th class=\"s-" + status.word() + "\">" + status.word() + "</th>");
    }
    if (duplicates > 0) {
      out.write("<th class=\"s-failed\">duplicates</th>");
    }
    out.write("</tr>\n<tr><td id=\"count-files\">" + summary.files() + "</td>");
    for (var entry : summary.counts().entrySet()) {
      out.write("<td id=\"count-" + entry.getKey().word() + "\">" + entry.getValue() + "</td>");
    }
    if (duplicates > 0) {
      out.write("<td id=\"count-duplicates\">" + duplicates + "</td>");
    }
    out.write("</tr></table>\n<dl class=\"facts\">\n");
    double seconds = summary.millis() / 1000.0;
    fact(out, "wall time", String.format(Locale.ROOT, "%.1f s", seconds));
    fact(out, "files per second",
        seconds > 0 ? String.format(Locale.ROOT, "%.1f", summary.files() / seconds) : "-");
    fact(out, "bytes in", Html.bytes(summary.bytesIn()) + " (" + summary.bytesIn() + ")");
    fact(out, "bytes out", Html.bytes(summary.bytesOut()) + " (" + summary.bytesOut() + ")");
    fact(out, "exit code", summary.exitCode() + ": " + exitMeaning(summary.exitCode()));
    out.write("<dt>options</dt><dd><code id=\"command\">" + Html.escape(Html.shellWords(commandLine)) + "</code></dd>\n");
    out.write("</dl>\n");
    if (duplicates > 0) {
      out.write("<p class=\"warning\">" + duplicates
          + (duplicates == 1 ? " input appears" : " inputs appear")
          + " in more than one report: the shards overlap. Duplicates are kept and marked.</p>\n");
    }
    for (String note : notes) {
      out.write("<p class=\"note\">" + Html.escape(note) + "</p>\n");
    }
    out.write("</header>\n");
  }

  private static void fact(Writer out, String term, String value) throws IOException {
    out.write("<dt>" + term + "</dt><dd>" + Html.escape(value) + "</dd>\n");
  }

  static String exitMeaning(int code) {
    return switch (code) {
      case 0 -> "every file ok or skipped";
      case 1 -> "some files failed or timed out";
      case 2 -> "usage error";
      case 3 -> "internal error";
      case 124 -> "--timeout expired";
      case 130 -> "interrupted (SIGINT)";
      case 143 -> "terminated (SIGTERM)";
      default -> "unknown";
    };
  }

  private void renderFilters(Writer out) throws IOException {
    // Shown by the script: without JavaScript the filters could not work, and everything is listed.
    out.write("<form id=\"filters\" hidden><fieldset><legend>Show</legend>");
    for (Status status : Status.values()) {
      out.write("<label class=\"s-" + status.word() + "\"><input type=\"checkbox\" name=\"status\" value=\""
          + status.word() + "\" checked> " + status.word() + "</label> ");
    }
    out.write("<label>name <input type=\"search\" id=\"q\" autocomplete=\"off\" placeholder=\"part of a file name\"></label>");
    out.write(" <output id=\"shown\"></output></fieldset></form>\n");
  }

  private void renderFailures(Writer out) throws IOException {
    out.write("<section id=\"failures\">\n<h2>Failures (" + failures.size() + ")</h2>\n");
    if (failures.isEmpty()) {
      out.write("<p>None: no file failed or timed out.</p>\n</section>\n");
      return;
    }
    out.write("<table class=\"failures\"><thead><tr><th>file</th><th>status</th><th>reason</th><th>message</th></tr></thead><tbody>\n");
    for (Entry entry : failures) {
      TaskResult result = entry.result();
      String name = Html.escape(result.input());
      out.write("<tr class=\"item\" data-status=\"" + result.status().word() + "\" data-name=\"" + name + "\"><td class=\"name\">"
          + name + (entry.duplicate() ? " <span class=\"dup\">duplicate</span>" : "") + "</td><td class=\"s-"
          + result.status().word() + "\">" + result.status().word() + "</td><td>"
          + Html.escape(Objects.toString(result.reason(), "")) + "</td><td>"
          + Html.escape(Objects.toString(result.error(), "")) + "</td></tr>\n");
    }
    out.write("</tbody></table>\n</section>\n");
  }

  private void renderCancelled(Writer out) throws IOException {
    long total = counts.count(Status.CANCELLED);
    if (total == 0) {
      return;
    }
    out.write("<section id=\"cancelled-section\">\n<details id=\"cancelled\"><summary>Cancelled ("
        + total + ")" + (total > cancelled.size() ? ", " + cancelled.size() + " listed" : "")
        + "</summary>\n<ul class=\"cancelled\">\n");
    for (Entry entry : cancelled) {
      String name = Html.escape(entry.result().input());
      out.write("<li class=\"item\" data-status=\"cancelled\" data-name=\"" + name + "\">" + name
          + (entry.duplicate() ? " <span class=\"dup\">duplicate</span>" : "") + "</li>\n");
    }
    out.write("</ul>\n</details>\n</section>\n");
  }

  private void renderSheet(Writer out) throws IOException {
    out.write("<section id=\"sheet\">\n<h2>Files (" + cardCount + ")</h2>\n");
    if (cardCount > cards.size()) {
      out.write("<p class=\"note\" id=\"limited\">" + cards.size() + " of " + cardCount
          + " files are shown (the first to finish); every file is in the JSON Lines report.</p>\n");
    }
    String[] previews = embeddedPreviews();
    out.write("<ul class=\"cards\">\n");
    for (int i = 0; i < cards.size(); i++) {
      renderCard(cards.get(i), previews[i], out);
    }
    out.write("</ul>\n</section>\n");
  }

  private void renderCard(Entry entry, String embedded, Writer out) throws IOException {
    TaskResult result = entry.result();
    String name = Html.escape(result.input());
    String status = result.status().word();
    out.write("<li class=\"card item\" data-status=\"" + status + "\" data-name=\"" + name + "\">");
    Optional<OutputFile> shown = previewSource(result, linked);
    Optional<String> href = shown.flatMap(this::outputHref);
    String src = linked && shown.isPresent() && browserShows(shown.get()) ? href.orElse(null) : embedded;
    String image = src == null
        ? "<span class=\"none\">no preview</span>"
        : "<img src=\"" + src + "\" alt=\"\"" + (src.startsWith("data:") ? "" : " loading=\"lazy\"") + ">";
    if (href.isPresent()) {
      out.write("<a class=\"thumb\" href=\"" + href.get() + "\">" + image + "</a>");
    } else {
      out.write("<span class=\"thumb\">" + image + "</span>");
    }
    out.write("<span class=\"name\">" + name + "</span>");
    if (result.status() == Status.SKIPPED) {
      out.write("<span class=\"badge s-skipped\">skipped</span>");
    }
    if (entry.duplicate()) {
      out.write("<span class=\"dup\">duplicate</span>");
    }
    out.write("<small>" + dimensions(result.width(), result.height()) + Html.bytes(result.bytesIn()) + " &rarr; ");
    List<OutputFile> outputs = result.outputs();
    if (outputs.isEmpty()) {
      out.write("no output");
    } else {
      OutputFile first = outputs.get(0);
      out.write(dimensions(first.width(), first.height()) + Html.bytes(first.bytes()));
      if (outputs.size() > 1) {
        long rest = outputs.stream().skip(1).mapToLong(OutputFile::bytes).sum();
        out.write(" + " + (outputs.size() - 1) + " more (" + Html.bytes(rest) + ")");
      }
    }
    out.write("</small>");
    for (String warning : result.warnings().subList(0, Math.min(2, result.warnings().size()))) {
      out.write("<small class=\"warn\">" + Html.escape(warning) + "</small>");
    }
    out.write("</li>\n");
  }

  private static String dimensions(int width, int height) {
    return width > 0 && height > 0 ? width + "&times;" + height + ", " : "";
  }

  /**
   * The output a card previews: the smallest (a browser-shown one first when linking), by
   * pixels when known, else by bytes.
   */
  private static Optional<OutputFile> previewSource(TaskResult result, boolean linking) {
    Comparator<OutputFile> order = Comparator.comparing((OutputFile o) -> linking && !browserShows(o))
        .thenComparingLong(o -> o.width() > 0 ? (long) o.width() * o.height() : Long.MAX_VALUE)
        .thenComparingLong(OutputFile::bytes);
    return result.outputs().stream().min(order);
  }

  private static boolean browserShows(OutputFile output) {
    String path = output.path();
    int dot = path.lastIndexOf('.');
    return dot >= 0 && BROWSER_FORMATS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private Optional<String> outputHref(OutputFile output) {
    return outputUrl.map(prefix -> prefix + Html.urlPath(output.path()));
  }

  /**
   * Data URIs for the cards that need one (all of them when the page is away from OUTPUT, the
   * ones whose output a browser cannot show when it is under it), made on a few threads.
   */
  private String[] embeddedPreviews() throws IOException {
    String[] previews = new String[cards.size()];
    if (outputRoot.isEmpty()) {
      return previews;
    }
    List<Integer> wanted = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < cards.size(); i++) {
      Optional<OutputFile> source = previewSource(cards.get(i).result(), linked);
      if (source.isPresent() && (!linked || !browserShows(source.get()))) {
        wanted.add(i);
        files.add(outputRoot.get().resolve(source.get().path()));
      }
    }
    if (wanted.isEmpty()) {
      return previews;
    }
    int threads = Math.max(1, Math.min(4, Math.min(wanted.size(), Runtime.getRuntime().availableProcessors())));
    AtomicInteger number = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "imgpool-preview-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Optional<String>>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> Thumbnail.dataUri(file)));
      }
      for (int j = 0; j < futures.size(); j++) {
        previews[wanted.get(j)] = futures.get(j).get().orElse(null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a second cancel: write the page without the rest
    } catch (ExecutionException e) {
      throw new IOException("cannot make previews: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return previews;
  }

  /** The URL from folder {@code from} to folder {@code to}, ending in '/' unless empty. */
  private static Optional<String> relativeUrl(Path from, Path to) {
    try {
      Path relative = from.relativize(to);
      StringBuilder url = new StringBuilder();
      for (Path segment : relative) {
        String text = segment.toString();
        if (text.isEmpty()) {
          continue;
        }
        url.append(text.equals("..") ? ".." : Html.urlPath(text)).append('/');
      }
      return Optional.of(url.toString());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // different roots (another drive): no relative link exists
    }
  }

  /** The page's stylesheet and script, with the hashes its Content-Security-Policy pins. */
  static final class PageAssets {
    static final String STYLE = """
        :root{color-scheme:light dark;--ok:#1a7f37;--skipped:#6e7781;--failed:#cf222e;--timeout:#bc4c00;--cancelled:#8250df;--line:#d0d7de}
        [hidden]{display:none!important}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:1rem 1.5rem;max-width:1400px}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        .sentence{font-size:1.1rem;margin:.2rem 0 .8rem}
        table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.25rem .6rem;text-align:left;vertical-align:top}
        .counts td{font-size:1.2rem;font-variant-numeric:tabular-nums;text-align:right}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.8rem 0}
        .facts dt{font-weight:600}.facts dd{margin:0}code{word-break:break-all}
        .s-ok{color:var(--ok)}.s-skipped{color:var(--skipped)}.s-failed{color:var(--failed)}.s-timeout{color:var(--timeout)}.s-cancelled{color:var(--cancelled)}
        .warning{color:var(--failed);font-weight:600}.note{color:var(--skipped)}
        #filters fieldset{border:1px solid var(--line);display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
        #filters input[type=search]{min-width:16rem}
        .failures td.name{word-break:break-all;font-family:ui-monospace,monospace}
        .cancelled{columns:3 18rem;font-family:ui-monospace,monospace;word-break:break-all}
        .cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.8rem}
        .card{border:1px solid var(--line);border-radius:6px;padding:.5rem;display:flex;flex-direction:column;gap:.2rem}
        .thumb{height:160px;display:flex;align-items:center;justify-content:center;background:repeating-conic-gradient(#8881 0 25%,#0000 0 50%) 0 0/16px 16px}
        .thumb img{max-width:100%;max-height:160px}
        .none{color:var(--skipped)}
        .card .name{font-family:ui-monospace,monospace;word-break:break-all}
        .card small{color:var(--skipped)}.card .warn{color:var(--timeout)}
        .badge,.dup{font-size:.8rem;font-weight:600}.dup{color:var(--failed)}
        """;
    static final String SCRIPT = """
        (function () {
          "use strict";
          var form = document.getElementById("filters");
          var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=status]"));
          var search = document.getElementById("q");
          var shown = document.getElementById("shown");
          var cancelled = document.getElementById("cancelled");
          var items = Array.prototype.slice.call(document.querySelectorAll(".item"));
          function wanted() {
            var text = location.hash.length > 1 ? location.hash.slice(1) : location.search.slice(1);
            return new URLSearchParams(text);
          }
          function apply() {
            var on = {}, all = true;
            boxes.forEach(function (box) { on[box.value] = box.checked; all = all && box.checked; });
            var q = search.value.trim().toLowerCase();
            var visible = 0, visibleCancelled = 0;
            items.forEach(function (item) {
              var status = item.getAttribute("data-status");
              var show = on[status] === true && (q === "" || item.getAttribute("data-name").toLowerCase().indexOf(q) >= 0);
              item.hidden = !show;
              if (show) { visible++; if (status === "cancelled") { visibleCancelled++; } }
            });
            if (cancelled && (!all || q !== "") && visibleCancelled > 0) { cancelled.open = true; }
            shown.textContent = visible + " of " + items.length + " listed entries shown";
            shown.setAttribute("data-visible", String(visible));
            return all;
          }
          function load() {
            var params = wanted();
            var statuses = params.get("status");
            var list = statuses ? statuses.toLowerCase().split(",") : null;
            boxes.forEach(function (box) { box.checked = list === null || list.indexOf(box.value) >= 0; });
            search.value = params.get("q") || "";
            apply();
          }
          function save() {
            var all = apply();
            var params = new URLSearchParams();
            if (!all) {
              params.set("status", boxes.filter(function (box) { return box.checked; })
                  .map(function (box) { return box.value; }).join(","));
            }
            if (search.value !== "") { params.set("q", search.value); }
            var text = params.toString();
            try {
              history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
            } catch (e) {
              // some browsers refuse replaceState on file: pages; the filter still works
            }
          }
          form.hidden = false;
          form.addEventListener("change", save);
          search.addEventListener("input", save);
          form.addEventListener("submit", function (event) { event.preventDefault(); });
          window.addEventListener("hashchange", load);
          load();
        })();
        """;
    static final String STYLE_HASH = sha256(STYLE);
    static final String SCRIPT_HASH = sha256(SCRIPT);

    private PageAssets() {}

    private static String sha256(String text) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return "sha256-" + Base64.getEncoder().encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JVM", e);
      }
    }
  }
}
