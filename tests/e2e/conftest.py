"""Fixtures for the end-to-end suite: one stack and one logged-in browser page per module."""
import os
import tempfile
from pathlib import Path

import pytest

from tests.e2e.stack import ADMIN_EMAIL, ADMIN_PASSWORD, CHROMIUM, CHROMIUM_FLAGS, Stack
from tests.harness import REPO

ARTIFACTS = Path(os.environ.get("ALPHAOMEGA_ARTIFACTS", REPO / "test-artifacts")) / "e2e"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack.start(tmp_path_factory.mktemp("e2e"))
    yield running
    running.stop()


class Shots:
    """Screenshots of each step, kept as test artifacts."""

    def __init__(self, page, directory: Path):
        self.page = page
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> Path:
        path = self.directory / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="alphaomega-chromium-"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 860})
        context.set_default_timeout(30_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def page(browser, stack):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    """A page logged in as the admin, with OpenWebUI's first-login "What's New" dialog dismissed."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(stack.owui_url + "/auth", wait_until="load")
    page.locator("#email").fill(ADMIN_EMAIL)
    page.locator("#password").fill(ADMIN_PASSWORD)
    page.shots = Shots(page, ARTIFACTS)
    page.shots("01_login")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#chat-input").wait_for()
    okay = page.get_by_role("button", name="Okay, Let's Go!")
    try:
        okay.wait_for(state="visible", timeout=5_000)
    except PlaywrightTimeout:
        pass  # the dialog only shows on a first login
    else:
        okay.click()
        okay.wait_for(state="hidden")
    page.outside_requests = outside
    yield page
