"""Child processes of the local stack: started with their output in a log file, stopped gracefully."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path


class ManagedProcess:
    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            # Own process group: Ctrl-C in the terminal reaches the stack, which then stops children in order.
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: signal.Signals) -> None:
        if self.running and self.process is not None:
            self.process.send_signal(sig)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    async def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost node would: no drain, no flush."""
        if self.running and self.process is not None:
            self.process.kill()
            await asyncio.to_thread(self.process.wait)

    async def stop(self, grace_seconds: float = 25.0) -> None:
        if not self.running or self.process is None:
            return
        # A paused process cannot act on SIGTERM until it runs again.
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        try:
            await asyncio.wait_for(asyncio.to_thread(self.process.wait), grace_seconds)
        except TimeoutError:
            self.process.kill()
            await asyncio.to_thread(self.process.wait)


async def port_open(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 1.0)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def wait_until(
    condition: Callable[[], Awaitable[bool]],
    timeout: float,
    what: str,
    *,
    alive: ManagedProcess | None = None,
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if alive is not None and not alive.running:
            raise RuntimeError(f"{alive.name} exited while waiting for {what}; see {alive.log_path}")
        if loop.time() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)
