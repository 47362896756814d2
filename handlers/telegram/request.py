"""A python-telegram-bot networking backend on aiohttp.

PTB's default backend (httpx) spends most of a busy bot's CPU time managing its connection
pool; aiohttp's client does the same work several times cheaper. PTB supports replacing the
backend by subclassing ``BaseRequest``.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class NotSent(NetworkError):
    """No connection could be made: the request never reached the server."""


class NoAnswer(TimedOut):
    """The request went out but no answer came in time: the server may have acted on it."""


class Dropped(NetworkError):
    """The connection broke after the request went out: the server may have acted on it."""


class AiohttpRequest(BaseRequest):
    """Sends Bot API requests with one shared aiohttp session."""

    def __init__(
        self,
        connection_pool_size: int = 32,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the HTTP session."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the HTTP session."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return the status code and the raw body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        write = write_timeout
        if isinstance(write, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        # aiohttp has no separate write timeout: the whole exchange gets read + write.
        total = None if read is None or write is None else read + write
        timeout = aiohttp.ClientTimeout(total=total, connect=connect, sock_read=read)
        body: aiohttp.FormData | bytes | None = None
        headers = {}
        if files and request_data is not None:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            # The Bot API takes JSON bodies; encoding them is cheaper than form encoding.
            body = request_data.json_payload
            headers["Content-Type"] = "application/json"
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as err:
            raise NotSent(f"aiohttp.{err.__class__.__name__}: {err}") from err
        except TimeoutError as err:
            raise NoAnswer from err
        except aiohttp.ClientOSError as err:
            # A pooled connection the server had closed: the request was never written whole.
            if "write request body" in str(err):
                raise NotSent(f"aiohttp.{err.__class__.__name__}: {err}") from err
            raise Dropped(f"aiohttp.{err.__class__.__name__}: {err}") from err
        except aiohttp.ClientError as err:
            raise Dropped(f"aiohttp.{err.__class__.__name__}: {err}") from err
