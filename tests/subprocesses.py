"""Stopping the bot's processes in tests."""

from __future__ import annotations

import asyncio


async def terminated(process: asyncio.subprocess.Process, seconds: float = 60) -> int:
    """SIGTERM a process and return its exit code; a process that does not stop fails the test."""
    if process.returncode is None:
        process.terminate()
    try:
        return await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"the process did not stop within {seconds:g} s of SIGTERM") from None
