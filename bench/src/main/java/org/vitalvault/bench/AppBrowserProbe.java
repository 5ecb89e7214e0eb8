package org.vitalvault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The app benchmark's browser: the Debian Chromium, headless, through chromedriver (Selenium). Logs in
 * through the vault's dev login as a person would, loads a page as a new document and reads the time
 * from navigation start to the page's {@code performance.mark}, with the page's resource timings.
 */
final class AppBrowserProbe implements AutoCloseable {

    /** A page to time: its URL, the mark it sets when done, and the part of the URL of its data request. */
    record Page(String name, String url, String mark, String dataRequest) {
    }

    /** The page's data request from its resource timing, in ms since navigation start. */
    record Fetch(String url, double startMs, double responseStartMs, double responseEndMs, long bodyBytes,
                 long transferBytes) {
    }

    /** One timed load: navigation start → mark, the points drawn (#chart data-drawn) and the resolution asked. */
    record Load(double markMs, String drawn, String resolution, Fetch fetch, double domContentLoadedMs,
                List<String> marks, List<String> requests) {
        String describe() {
            String f = fetch == null ? "no data request seen" : String.format(Locale.ROOT,
                    "data request %.1f → first byte %.1f → last byte %.1f ms (%,d bytes)", fetch.startMs(),
                    fetch.responseStartMs(), fetch.responseEndMs(), fetch.bodyBytes());
            return String.format(Locale.ROOT, "%.1f ms; DOMContentLoaded %.1f ms; %s; drawn %s, resolution %s; marks %s",
                    markMs, domContentLoadedMs, f, drawn == null ? "-" : drawn, resolution == null ? "-" : resolution,
                    marks);
        }

        /** Every request of the load, "path start→end ms" (from the browser's cache: "(cache)"). */
        String waterfall() {
            return String.join(", ", requests);
        }
    }

    /** A chart's data, fetched and handled again step by step inside the page (ms each). */
    record InPage(int status, double waitMs, double downloadMs, long chars, double parseMs, double columnsMs,
                  int points, double drawMs, long compactChars, double compactParseMs) {
        String describe() {
            return String.format(Locale.ROOT, "fetch: wait %.1f ms + body %.1f ms (%,d characters, status %d); JSON.parse"
                            + " %.1f ms; to columns (Date.parse per point) %.1f ms; uPlot draw of %,d points %s; the same"
                            + " data as compact columnar JSON (epoch-second deltas + values) would be %,d characters, parsed"
                            + " in %.1f ms", waitMs, downloadMs, chars, status, parseMs, columnsMs, points,
                    Double.isNaN(drawMs) ? "not measured (no uPlot in the page)"
                            : String.format(Locale.ROOT, "%.1f ms", drawMs), compactChars, compactParseMs);
        }
    }

    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path failures;

    private AppBrowserProbe(ChromeDriver driver, Path failures) {
        this.driver = driver;
        this.failures = failures;
    }

    static AppBrowserProbe start(String chromium, String chromedriver, int width, int height, Path failures) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, o);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().pageLoadTimeout(PAGE_TIMEOUT).scriptTimeout(PAGE_TIMEOUT);
        return new AppBrowserProbe(driver, failures);
    }

    String version() {
        Map<String, Object> caps = driver.getCapabilities().asMap();
        Object chrome = caps.get("chrome");
        return "Chromium " + caps.get("browserVersion") + ", chromedriver "
                + (chrome instanceof Map<?, ?> m ? String.valueOf(m.get("chromedriverVersion")).split(" ")[0] : "?");
    }

    /**
     * Logs in as {@code subject} through the dev login as a person does: the app's "Sign in" button
     * ({@code #login}), the dev authorize page's subject and role, "Sign in" ({@code #sign-in}), then
     * waits for the owner's home page to be ready. The token stays in this tab's sessionStorage.
     */
    void devLogin(String appUrl, String subject, String role) throws IOException {
        try {
            driver.get(appUrl);
            WebDriverWait wait = new WebDriverWait(driver, PAGE_TIMEOUT);
            wait.until(d -> d.findElement(By.id("login"))).click();
            WebElement who = wait.until(d -> d.findElement(By.cssSelector("form[action='/dev/oidc/authorize'] #subject")));
            who.clear();
            who.sendKeys(subject);
            new Select(driver.findElement(By.id("role"))).selectByValue(role);
            driver.findElement(By.id("sign-in")).click();
            wait.until(d -> !d.findElements(By.cssSelector("main#main[data-page=home][data-ready=true]")).isEmpty());
        } catch (WebDriverException e) {
            throw new IllegalStateException("dev login failed at " + driver.getCurrentUrl() + ": " + keep("login"), e);
        }
    }

    /**
     * Loads the page as a new document (from about:blank, so that a hash change cannot be a same-document
     * navigation), waits for its mark and reads the timings. The HTTP cache and sessionStorage stay.
     */
    Load load(Page page) throws IOException {
        try {
            driver.get("about:blank");
            driver.get(page.url());
            Object outcome = driver.executeAsyncScript(WAIT_FOR_MARK, page.mark());
            if (!(outcome instanceof Number markMs)) {
                throw new IllegalStateException(page.name() + ": " + outcome + " (" + keep(page.name()) + ")");
            }
            JsonNode t = JSON.readTree((String) driver.executeScript(TIMINGS));
            Fetch fetch = null;
            for (JsonNode r : t.path("res")) {
                String name = r.path("name").asText();
                if (name.contains(page.dataRequest())) {
                    fetch = new Fetch(name, r.path("start").asDouble(), r.path("respStart").asDouble(),
                            r.path("end").asDouble(), r.path("body").asLong(), r.path("transfer").asLong());
                }
            }
            List<String> requests = new ArrayList<>();
            for (JsonNode r : t.path("res")) {
                String name = r.path("name").asText().replaceFirst("^https?://[^/]+", "");
                name = name.contains("?") ? name.substring(0, name.indexOf('?')) + "?…" : name;
                requests.add(String.format(Locale.ROOT, "%s %.0f→%.0f%s", name, r.path("start").asDouble(),
                        r.path("end").asDouble(), r.path("transfer").asLong() == 0 ? " (cache)" : ""));
            }
            List<String> marks = new ArrayList<>();
            t.path("marks").forEach(m -> marks.add(String.format(Locale.ROOT, "%s@%.1f", m.path("name").asText(),
                    m.path("t").asDouble())));
            t.path("measures").forEach(m -> marks.add(String.format(Locale.ROOT, "%s=%.1f", m.path("name").asText(),
                    m.path("d").asDouble())));
            return new Load(markMs.doubleValue(), t.path("drawn").isNull() ? null : t.path("drawn").asText(),
                    fetch == null ? null : resolution(fetch.url()), fetch, t.path("dcl").asDouble(), marks, requests);
        } catch (WebDriverException e) {
            throw new IllegalStateException(page.name() + " failed at " + driver.getCurrentUrl() + ": " + keep(page.name()), e);
        }
    }

    /** The resolution a data request asked for: the vault's default (raw) when it names none. */
    private static String resolution(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String p : url.substring(q + 1).split("&")) {
            if (p.startsWith("resolution=")) {
                return URLDecoder.decode(p.substring("resolution=".length()), StandardCharsets.UTF_8);
            }
        }
        return "raw";
    }

    /** Fetches {@code url} with {@code token} in the current page and times each step a chart takes. */
    InPage inPage(String url, String token) throws IOException {
        Object r = driver.executeAsyncScript(IN_PAGE, url, token);
        JsonNode n = JSON.readTree((String) r);
        return new InPage(n.path("status").asInt(), n.path("waitMs").asDouble(), n.path("bodyMs").asDouble(),
                n.path("chars").asLong(), n.path("parseMs").asDouble(), n.path("columnsMs").asDouble(),
                n.path("points").asInt(), n.path("drawMs").isNumber() ? n.path("drawMs").asDouble() : Double.NaN,
                n.path("compactChars").asLong(), n.path("compactParseMs").asDouble());
    }

    /** Screenshot and page source into the failure folder; says where. */
    private String keep(String label) {
        try {
            Files.createDirectories(failures);
            Path png = failures.resolve(label + ".png");
            Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(failures.resolve(label + ".html"), driver.getPageSource());
            Object alert = driver.executeScript(
                    "const a = document.querySelector('[role=alert]'); return a ? a.textContent.trim() : '';");
            return "alert '" + alert + "'; screenshot and page source in " + failures;
        } catch (IOException | RuntimeException e) {
            return "no screenshot (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    /**
     * Resolves with the mark's startTime (ms since navigation start) as soon as the page sets it
     * (a PerformanceObserver, buffered: no polling on the page's thread for the mark), or with a
     * string when the page shows an error in [role=alert] instead.
     */
    private static final String WAIT_FOR_MARK = """
            const name = arguments[0], done = arguments[arguments.length - 1];
            const found = performance.getEntriesByName(name, 'mark')[0];
            if (found) { done(found.startTime); return; }
            let over = false;
            new PerformanceObserver((list, observer) => {
              const m = list.getEntries().find(e => e.name === name);
              if (m && !over) { over = true; observer.disconnect(); done(m.startTime); }
            }).observe({type: 'mark', buffered: true});
            const check = setInterval(() => {
              const a = document.querySelector('[role=alert]');
              if (over) { clearInterval(check); }
              else if (a && a.textContent.trim()) { over = true; clearInterval(check); done('the page shows an error: ' + a.textContent.trim()); }
            }, 250);
            """;

    private static final String TIMINGS = """
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource').map(r => ({name: r.name, start: r.startTime,
                respStart: r.responseStart, end: r.responseEnd, transfer: r.transferSize, body: r.decodedBodySize}));
            const marks = performance.getEntriesByType('mark').map(m => ({name: m.name, t: m.startTime}));
            const measures = performance.getEntriesByType('measure').map(m => ({name: m.name, d: m.duration}));
            const chart = document.querySelector('#chart');
            return JSON.stringify({dcl: nav ? nav.domContentLoadedEventEnd : -1, res, marks, measures,
                drawn: chart && chart.dataset.drawn !== undefined ? chart.dataset.drawn : null});
            """;

    /**
     * The chart's work split into steps, in the page: fetch (wait for the first byte, then the body),
     * JSON.parse, turning the points into the columns uPlot takes (Date.parse per point), one uPlot draw
     * of those columns at the chart's size (when the page has uPlot), and what the same data would
     * cost to parse as a compact columnar JSON.
     */
    private static final String IN_PAGE = """
            const [url, token, done] = arguments;
            (async () => {
              const out = {};
              const t0 = performance.now();
              const r = await fetch(url, {headers: {Authorization: 'Bearer ' + token}});
              const t1 = performance.now();
              const text = await r.text();
              const t2 = performance.now();
              const body = JSON.parse(text);
              const t3 = performance.now();
              Object.assign(out, {status: r.status, waitMs: t1 - t0, bodyMs: t2 - t1, chars: text.length, parseMs: t3 - t2});
              const list = body.readings || body.buckets || [];
              const t4 = performance.now();
              const xs = new Float64Array(list.length), ys = new Float64Array(list.length);
              for (let i = 0; i < list.length; i++) {
                const p = list[i];
                xs[i] = Date.parse(p.time || p.start) / 1000;
                ys[i] = p.value !== undefined ? p.value : p.mean;
              }
              out.columnsMs = performance.now() - t4;
              out.points = list.length;
              const deltas = Array.from(xs, (x, i) => i ? x - xs[i - 1] : x);
              const compact = JSON.stringify({start: xs.length ? xs[0] : 0, dt: deltas, v: Array.from(ys)});
              out.compactChars = compact.length;
              const t5 = performance.now();
              JSON.parse(compact);
              out.compactParseMs = performance.now() - t5;
              if (window.uPlot && list.length) {
                const chart = document.querySelector('#chart');
                const box = document.createElement('div');
                document.body.appendChild(box);
                const width = chart ? Math.max(300, chart.clientWidth) : 1200;
                const t6 = performance.now();
                const u = new uPlot({width, height: 300, series: [{}, {stroke: 'red'}]}, [Array.from(xs), Array.from(ys)], box);
                await new Promise(res => setTimeout(res, 0)); // uPlot draws in a microtask after construction
                out.drawMs = performance.now() - t6;
                u.destroy();
                box.remove();
              }
              return JSON.stringify(out);
            })().then(done, e => done(JSON.stringify({status: -1, error: String(e)})));
            """;
}
