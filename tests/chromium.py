"""Headless Debian Chromium for every browser test (one Playwright per test session)."""

CHROMIUM = "/usr/bin/chromium"
BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every wait in a browser test is for an event (a selector, a function, a download); this is
# only how long to wait before calling it failed, generous because the machine may be busy.
TIMEOUT_MS = 60_000


def launch(playwright, extra_args=()):
    """Headless Chromium the way the project runs it."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*BASE_ARGS, *extra_args]
    )


def new_context(browser, **options):
    """A browser context whose waits time out after TIMEOUT_MS, not Playwright's 30 s, and
    which fails its test when closed after a page broke the Content-Security-Policy."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    watch_csp(context)
    return context


def watch_csp(context) -> list[str]:
    """Collect the CSP violations of every page in the context in context.csp_violations
    (Chromium reports each as a console error, and fires securitypolicyviolation)."""
    violations: list[str] = []
    context.csp_violations = violations
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        text = message.text
        if (
            "Content Security Policy" in text or text.startswith("CSP violation")
        ) and CSP_SENTINEL not in text:
            violations.append(text)

    context.on("console", on_console)
    close = context.close

    def close_and_check(*args, **kwargs):
        close(*args, **kwargs)
        assert not violations, f"Content-Security-Policy violations: {violations}"

    context.close = close_and_check
    return violations


CSP_SENTINEL = (
    "csp-sentinel.invalid"  # a violation tests make on purpose (tests/server/test_csp_pages.py)
)
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"""


def supervisor_sign_in(
    page, url: str, password: str = "zhuguan-demo-2026", username: str = "supervisor"
) -> None:
    """Sign in as a demo user (the supervisor unless told) through the office pages' shared
    form (pwa/static/supervisor/page.js); the caller waits for its own page."""
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.login button")


def office_sign_in(page, base_url, username, path="/coverage", ready="header .office-nav a"):
    """Open an office page, sign in on its form with the live password, wait for `ready`."""
    from tests.live_server import PASSWORD  # the live server's test users

    page.goto(base_url + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_selector(ready)
