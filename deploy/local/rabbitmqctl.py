"""`rabbitmqctl` on the local broker, run one bounded way by the stack (users) and by the tests (faults)."""

from __future__ import annotations

import asyncio

TIMEOUT_SECONDS = 30.0


class RabbitmqctlError(RuntimeError):
    """A `rabbitmqctl` command failed or did not finish in time; the message says which and why."""


async def rabbitmqctl(
    *args: str, stdin: str | None = None, allow_failure: bool = False, timeout: float = TIMEOUT_SECONDS
) -> bool:
    """Run one command; False when it fails and `allow_failure`, else RabbitmqctlError."""
    returncode, _, errors = await _run(args, stdin, timeout)
    if returncode == 0:
        return True
    if allow_failure:
        return False
    raise RabbitmqctlError(f"rabbitmqctl {args[0]} failed: {errors.strip()}")


async def rabbitmqctl_output(*args: str, timeout: float = TIMEOUT_SECONDS) -> str:
    """What a command prints (`list_…`); RabbitmqctlError when it fails."""
    returncode, output, errors = await _run(args, None, timeout)
    if returncode != 0:
        raise RabbitmqctlError(f"rabbitmqctl {args[0]} failed: {errors.strip()}")
    return output


async def _run(args: tuple[str, ...], stdin: str | None, timeout: float) -> tuple[int, str, str]:
    """Bounded: a busy broker must not hang a stack's start or stop, or a test."""
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl",
        "-q",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate(None if stdin is None else (stdin + "\n").encode())
    except TimeoutError:
        process.kill()
        await process.wait()
        raise RabbitmqctlError(f"rabbitmqctl {args[0]} timed out after {timeout}s") from None
    return -1 if process.returncode is None else process.returncode, out.decode(), (err or out).decode()
