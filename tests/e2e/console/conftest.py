"""The console in a real browser: Debian's chromium driven by Playwright, against the session's local stack.

Screenshots of every page go to the run's temporary directory (printed at the end of the session) so a
person can look at what the operators see.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from deploy.local.stack import CONSOLE, LocalStack

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        await browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console-screenshots")


@dataclass
class Desk:
    """An operator's browser tab on the console."""

    page: Page
    url: str
    screenshots: Path

    async def open(self, path: str) -> None:
        await self.page.goto(f"{self.url}{path}")

    async def snapshot(self, name: str, *, docs: str | None = None) -> None:
        """The whole page into the run's directory; with `CONSOLE_DOCS=docs`, the desk's first screen
        into docs/ as well (the README's pictures: `CONSOLE_DOCS=docs pytest tests/e2e/console`)."""
        await self.page.screenshot(path=self.screenshots / f"{name}.png", full_page=True)
        if docs and (folder := os.environ.get("CONSOLE_DOCS")):
            await self.page.screenshot(path=Path(folder) / f"console-{docs}.png")


@dataclass
class Console:
    browser: Browser
    url: str
    screenshots: Path

    async def signed_in(self, role: str, operator_id: str) -> Desk:
        """A fresh browser context (its own cookies) signed in through the sandbox sign-in page."""
        desk = await self.anonymous()
        await desk.open("/signin")
        await desk.page.select_option("select[name=role]", role)
        await desk.page.fill("input[name=operator_id]", operator_id)
        await desk.page.click("button[type=submit]")
        await desk.page.wait_for_url(f"{self.url}/")
        return desk

    async def anonymous(self, *, bearer: str | None = None) -> Desk:
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else None
        context = await self.browser.new_context(
            viewport={"width": 1200, "height": 760}, extra_http_headers=headers
        )
        return Desk(await context.new_page(), self.url, self.screenshots)


@pytest.fixture
async def console(chromium: Browser, stack: LocalStack, screenshots: Path) -> AsyncIterator[Console]:
    yield Console(chromium, stack.url(CONSOLE), screenshots)
    for context in chromium.contexts:
        await context.close()
