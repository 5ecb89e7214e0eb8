package org.vitalvault.deploy.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driving the owner app (Debian's {@code chromium} and
 * {@code chromium-driver}; other paths by {@code -Dvitalvault.chromium} / {@code
 * -Dvitalvault.chromedriver}). Waits are on what the page says about itself — {@code
 * main[data-ready=true]}, an element — never on time. On a failed wait, and for every open browser
 * when a test annotated with {@link OnFailure} fails, a screenshot and the page source go to
 * {@code target/browser/}.
 *
 * <p>Every page load gets a listener for {@code securitypolicyviolation} events (installed through
 * the DevTools protocol, which the page's CSP does not govern); {@link #violations()} and
 * {@link #consoleErrors()} let a test assert that the app runs under its CSP without a single
 * refusal.
 */
public final class AppBrowser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<AppBrowser> OPEN = ConcurrentHashMap.newKeySet();
    private static final String VIOLATION_LISTENER = """
            (() => {
              const key = 'vv.cspViolations';
              document.addEventListener('securitypolicyviolation', e => {
                try {
                  const list = JSON.parse(sessionStorage.getItem(key) || '[]');
                  list.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' at ' + e.sourceFile + ':' + e.lineNumber);
                  sessionStorage.setItem(key, JSON.stringify(list));
                } catch (ignored) { }
              });
            })();
            """;

    private final ChromeDriver driver;
    private final String baseUrl;
    private final List<String> consoleErrors = new ArrayList<>();

    private AppBrowser(ChromeDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** Starts Chromium (headless, phone-sized unless told otherwise) and opens the app at {@code baseUrl}/app/. */
    public static AppBrowser open(String baseUrl) {
        return open(baseUrl, 1280, 900);
    }

    /** As {@link #open(String)} with a window of the given CSS pixel size (e.g. 375 × 812 for a phone). */
    public static AppBrowser open(String baseUrl, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("vitalvault.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=" + Math.max(width, 500) + "," + height,
                "--disable-extensions", "--no-first-run", "--lang=en-GB");
        if (width < 500) {
            // Headless Chromium's window is at least 500 px wide: a phone's viewport is emulated instead.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2.0, "mobile", true, "touch", true)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("vitalvault.chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_LISTENER));
        AppBrowser browser = new AppBrowser(driver, baseUrl);
        OPEN.add(browser);
        driver.get(browser.baseUrl + "/app/");
        return browser;
    }

    /**
     * Signs in through the app's login button and the development login page as {@code subject} in
     * {@code role}, and waits for the landing page (owner: home; caregiver: care; clinician:
     * clinician) to be ready.
     */
    public AppBrowser login(String subject, String role) {
        if (!driver.getCurrentUrl().contains("/app/")) {
            driver.get(baseUrl + "/app/");
        }
        click("#login");
        waitFor("form[action='/dev/oidc/authorize'] #subject");
        WebElement field = driver.findElement(By.id("subject"));
        field.clear();
        field.sendKeys(subject);
        new Select(driver.findElement(By.id("role"))).selectByValue(role);
        driver.findElement(By.id("sign-in")).click();
        String page = switch (role) {
            case "owner" -> "home";
            case "caregiver" -> "care";
            case "clinician" -> "clinician";
            default -> "login";
        };
        waitFor("main[data-page='" + page + "'][data-ready='true']");
        return this;
    }

    /** Goes to a hash route ({@code #/devices} or {@code /devices}) and waits until its page is ready. */
    public AppBrowser go(String route) {
        String hash = "#" + route.replaceFirst("^#", "").replaceFirst("^(?!/)", "/");
        // A fresh <main> replaces the old one, so waiting for data-ready waits for the new page.
        js("document.getElementById('main').removeAttribute('data-ready');"
                + " if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange'));"
                + " else location.hash = arguments[0];", hash);
        waitFor("main[data-ready='true']");
        return this;
    }

    /** Waits (up to 30 s) for an element matching {@code css} to be present, and returns it. */
    public WebElement waitFor(String css) {
        try {
            return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
        } catch (TimeoutException e) {
            dump("waitFor-" + css.replaceAll("[^A-Za-z0-9]+", "_"));
            throw new AssertionError("no element '" + css + "' within " + WAIT.toSeconds() + " s; page: "
                    + driver.getCurrentUrl() + "; alert: " + alertText(), e);
        }
    }

    /** Waits for an element to be visible and clicks it. */
    public AppBrowser click(String css) {
        waitFor(css);
        try {
            new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
        } catch (TimeoutException e) {
            dump("click-" + css.replaceAll("[^A-Za-z0-9]+", "_"));
            throw new AssertionError("'" + css + "' not clickable within " + WAIT.toSeconds() + " s", e);
        }
        return this;
    }

    /** Types into a field (cleared first). */
    public AppBrowser type(String css, String text) {
        WebElement e = waitFor(css);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    /** The visible text of the first element matching {@code css} (after waiting for it). */
    public String text(String css) {
        return waitFor(css).getText();
    }

    /** Every element matching {@code css} now (no wait). */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Runs a script in the page and returns its result. */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** CSP violations reported to the page since the browser opened (kept in this tab's sessionStorage). */
    @SuppressWarnings("unchecked")
    public List<String> violations() {
        Object v = js("return JSON.parse(sessionStorage.getItem('vv.cspViolations') || '[]');");
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** Console errors (level SEVERE) logged since the browser opened, CSP refusals among them. */
    public List<String> consoleErrors() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(e.getMessage());
            }
        }
        return List.copyOf(consoleErrors);
    }

    /** The current URL. */
    public String url() {
        return driver.getCurrentUrl();
    }

    /** The underlying driver, for what this class does not wrap. */
    public ChromeDriver driver() {
        return driver;
    }

    private String alertText() {
        try {
            return driver.findElements(By.cssSelector("[role=alert]")).stream().map(WebElement::getText)
                    .filter(t -> !t.isBlank()).findFirst().orElse("(none)");
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }

    /** Writes a screenshot and the page source to target/browser/{name}-{time}.{png,html}. */
    public void dump(String name) {
        try {
            Path dir = Path.of("target", "browser");
            Files.createDirectories(dir);
            String stem = name + "-" + Instant.now().toEpochMilli();
            Files.write(dir.resolve(stem + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(dir.resolve(stem + ".html"), "<!-- " + driver.getCurrentUrl() + " -->\n"
                    + driver.getPageSource(), StandardCharsets.UTF_8);
            Files.write(dir.resolve(stem + ".console.txt"), consoleErrors(), StandardCharsets.UTF_8);
            System.err.println("browser state written to " + dir.resolve(stem).toAbsolutePath() + ".*");
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write the browser state: " + e);
        }
    }

    @Override
    public void close() {
        OPEN.remove(this);
        driver.quit();
    }

    /** JUnit extension: when a test fails, every open browser's screenshot and page source go to target/browser/. */
    public static final class OnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName()
                    .replaceAll("[^A-Za-z0-9]+", "_");
            for (AppBrowser b : OPEN) {
                b.dump(name);
            }
        }
    }
}
