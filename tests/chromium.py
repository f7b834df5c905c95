"""Headless Debian Chromium for every browser test (one Playwright per test session)."""
CHROMIUM = "/usr/bin/chromium"
BASE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright, extra_args=()):
    """Headless Chromium the way the project runs it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=[*BASE_ARGS, *extra_args])
