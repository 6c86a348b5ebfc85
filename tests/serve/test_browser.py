"""The follow-along page in a real headless Chromium (Debian's `chromium` and
`chromium-driver`), at three moments of a built track: the script must show the same
exercise, side and seconds left that the timeline says. Screenshots at phone size go to
out/screenshots/ (and the test's tmp dir)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import Server

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
from .test_http import moments

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
PHONE = (390, 844)  # CSS pixels of a common phone in portrait
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="!!! NO HEADLESS CHROMIUM: the follow-along page was NOT tested in a browser. "
    "Install Debian's chromium and chromium-driver (.ci/run does).",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(DRIVER)))
    driver.set_page_load_timeout(20)
    # A phone's viewport, 2x pixels, touch: what --window-size alone does not give.
    metrics = {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield driver
    finally:
        driver.quit()


def shown(driver: WebDriver, name: str) -> str:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, f'[data-now="{name}"]')
    return str(element.text).strip()


@pytest.mark.parametrize("stem", ["seed", "sides"])
def test_the_page_follows_the_timeline(
    server: Server, browser: WebDriver, tmp_path: Path, stem: str
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sidecar = server.request(f"/timeline/{stem}.json").json()
    for number, (t, expected) in enumerate(moments(sidecar)):
        browser.get(f"{server.url}/play/{stem}?t={t}")
        WebDriverWait(browser, 10).until(
            lambda d: d.execute_script("return document.documentElement.dataset.following")
        )
        left = expected["left"]
        WebDriverWait(browser, 10).until(lambda d, left=left: shown(d, "left") == left)
        assert shown(browser, "exercise") == expected["exercise"]
        assert shown(browser, "side").lower() == expected["side"]
        assert (
            browser.execute_script(
                "return document.querySelector('[data-now=exercise]').getAttribute('aria-live')"
            )
            == "polite"
        )
        for folder in (tmp_path, SCREENSHOTS):
            assert browser.save_screenshot(str(folder / f"play-{stem}-{number}.png"))
    browser.get(f"{server.url}/")
    browser.save_screenshot(str(SCREENSHOTS / "library.png"))


def test_the_script_keeps_the_page_current_as_time_moves(
    server: Server, browser: WebDriver
) -> None:
    """Seeking the audio (as playing does) moves the page on: the script, not the server."""
    from selenium.webdriver.support.ui import WebDriverWait

    sidecar = server.request("/timeline/sides.json").json()
    (t, _), (rest_t, rest), _ = moments(sidecar)
    browser.get(f"{server.url}/play/sides?t={t}")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.querySelector('audio').readyState") >= 1
    )
    browser.execute_script(f"document.querySelector('audio').currentTime = {rest_t}")
    WebDriverWait(browser, 10).until(lambda d: shown(d, "exercise") == "Rest")
    assert shown(browser, "left") == rest["left"]
