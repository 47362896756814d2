"""Slack's files on top of the fake Web API: files.info, downloads and the upload steps."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fake_slack import BOT_TOKEN, Call, FakeSlack


class FakeSlackFiles(FakeSlack):
    """The fake Web API, plus files people shared and a file host that checks the token."""

    def __init__(self, members: list[str]) -> None:
        super().__init__(members)
        self.files: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, bytes] = {}
        self.uploaded: dict[str, bytes] = {}
        self._host: web.AppRunner | None = None
        self.host_root = ""
        self._uploads = 0

    async def start(self) -> str:
        """Serve the Web API and, on a second loopback port, the file host."""
        base = await super().start()
        host = web.Application()
        host.router.add_get("/download/{id}/{name}", self._download)
        host.router.add_post("/upload/{id}", self._upload)
        self._host = web.AppRunner(host, access_log=None)
        await self._host.setup()
        site = web.TCPSite(self._host, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.host_root = f"http://127.0.0.1:{port}"
        return base

    async def stop(self) -> None:
        """Stop both servers."""
        if self._host is not None:
            await self._host.cleanup()
        await super().stop()

    def share(
        self, file_id: str, name: str, content: bytes, *, channel: str, ts: str, user: str
    ) -> dict[str, Any]:
        """A file someone shared in a channel, as files.info describes it."""
        self.contents[file_id] = content
        self.files[file_id] = {
            "id": file_id,
            "name": name,
            "size": len(content),
            "user": user,
            "url_private_download": f"{self.host_root}/download/{file_id}/{name}",
            "shares": {"public": {channel: [{"ts": ts, "channel_name": "staff"}]}},
        }
        return self.files[file_id]

    async def _download(self, request: web.Request) -> web.Response:
        # Slack serves private files only to a request bearing a token with files:read.
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.Response(status=302, headers={"Location": "/login"})
        content = self.contents.get(request.match_info["id"])
        if content is None:
            return web.Response(status=404)
        await self._record(Call("download", {"file": request.match_info["id"]}))
        return web.Response(body=content, content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploaded[request.match_info["id"]] = await request.read()
        return web.Response(text="OK - uploaded")

    def _result(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "files.info":
            file = self.files.get(str(p.get("file")))
            return {"ok": True, "file": file} if file else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            self._uploads += 1
            file_id = f"FUP{self._uploads}"
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"{self.host_root}/upload/{file_id}",
            }
        if method == "files.completeUploadExternal":
            files = p.get("files") or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return super()._result(method, p)
