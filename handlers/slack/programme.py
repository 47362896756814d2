"""A new programme version dropped into the staff channel: preview in a thread, then import.

Also `/programme`: the current programme as a workbook, and the template, to download.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import Translator
from bot.programme.exporter import export_programme
from bot.programme.schema import MAX_FILE_BYTES, ProgrammeError, validate
from bot.programme.sources import is_workbook_name, load_content
from bot.programme.upload import (
    PendingUploads,
    Preview,
    StaleUpload,
    import_previewed,
    preview_import,
)
from bot.programme.workbook import MAX_WORKBOOK_BYTES, write_workbook
from handlers.slack.blocks import chunked_sections, context, mrkdwn_escape, plain, section

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.slack.console import Console

log = logging.getLogger(__name__)
IMPORT, CANCEL = "programme_import", "programme_cancel"
PROGRAMME_SUFFIXES = (".xlsx", ".xlsm", ".yaml", ".yml")
# Problems shown in the thread; the rest are counted.
SHOWN_PROBLEMS = 30


def _thread_of(file: dict[str, Any], channel: str) -> str | None:
    """The timestamp of the message that shared the file in the channel, to answer under."""
    shares = file.get("shares") or {}
    for kind in ("public", "private"):
        posts = (shares.get(kind) or {}).get(channel) or []
        if posts:
            return str(posts[0].get("ts"))
    return None


async def _download(url: str, token: str, limit: int) -> bytes:
    """Fetch a file's content with the bot token (files:read), refusing it past ``limit``."""
    timeout = aiohttp.ClientTimeout(total=60)
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        http.get(url, headers={"Authorization": f"Bearer {token}"}) as response,
    ):
        response.raise_for_status()
        data = await response.content.read(limit + 1)
    return data


def _problem_blocks(t: Translator, name: str, exc: ProgrammeError) -> list[dict[str, Any]]:
    head = t.ngettext(
        "*{name}* was not imported: {n} problem. Nothing was changed.",
        "*{name}* was not imported: {n} problems. Nothing was changed.",
        exc.total,
        name=mrkdwn_escape(name),
    )
    lines = [f"• {mrkdwn_escape(p)}" for p in exc.problems[:SHOWN_PROBLEMS]]
    return [section(head), *chunked_sections(lines)]


def _preview_blocks(t: Translator, name: str, preview: Preview, token: str) -> list[dict[str, Any]]:
    blocks = [section(t.gettext("*{name}*: what importing it changes", name=mrkdwn_escape(name)))]
    if preview.first:
        blocks.append(section(t.gettext("A new programme: everything in the file is added.")))
    elif not preview.changed:
        blocks.append(section(t.gettext("No changes: the programme already matches the file.")))
    lines = []
    for line in preview.events:
        told = (
            t.ngettext("notifies {n} person", "notifies {n} people", line.notified)
            if line.soon
            else t.ngettext(
                "{n} person told in the daily agenda",
                "{n} people told in the daily agenda",
                line.notified,
            )
        )
        lines.append(f"• {mrkdwn_escape(line.text)} — _{told}_")
    blocks.extend(chunked_sections(lines))
    people = []
    if preview.participants_added:
        people.append(
            t.gettext(
                "Participants added: {names}",
                names=", ".join(mrkdwn_escape(n) for n in preview.participants_added),
            )
        )
    if preview.participants_removed:
        people.append(
            t.gettext(
                "Participants removed: {names}",
                names=", ".join(mrkdwn_escape(n) for n in preview.participants_removed),
            )
        )
    blocks.extend(chunked_sections(people))
    if preview.changed:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": IMPORT,
                        "style": "primary",
                        "text": plain(t.pgettext("button", "Import")),
                        "value": token,
                    },
                    {
                        "type": "button",
                        "action_id": CANCEL,
                        "text": plain(t.pgettext("button", "Cancel")),
                        "value": token,
                    },
                ],
            }
        )
    return blocks


class _Uploads:
    """The listeners, sharing the console's settings and the previews waiting for a decision."""

    def __init__(self, app: Services) -> None:
        settings = app.settings
        assert settings.slack_bot_token is not None
        self.app = app
        self.t = app.i18n.translator(settings.slack_language)
        self.pending = PendingUploads()
        self.channel = settings.slack_staff_channel or ""
        self.token = settings.slack_bot_token.get_secret_value()
        self.secret = app.invite_secret.get_secret_value()

    async def say(
        self, client: AsyncWebClient, thread: str | None, text: str, blocks: list[Any]
    ) -> None:
        await client.chat_postMessage(
            channel=self.channel, thread_ts=thread, text=text, blocks=blocks
        )

    async def file_shared(self, event: dict[str, Any], client: AsyncWebClient) -> None:
        """A file shared in the staff channel: if it is a programme, preview it in a thread."""
        if not self.channel or event.get("channel_id") != self.channel:
            return
        info = await client.files_info(file=str(event.get("file_id")))
        file = info.get("file") or {}
        name = str(file.get("name") or "")
        if not name.lower().endswith(PROGRAMME_SUFFIXES):
            return  # another kind of file: not ours to answer
        t, thread = self.t, _thread_of(file, self.channel)
        limit = MAX_WORKBOOK_BYTES if is_workbook_name(name) else MAX_FILE_BYTES
        try:
            content = await _download(str(file.get("url_private_download")), self.token, limit)
            doc = load_content(content, name)
        except ProgrammeError as exc:
            text = t.gettext("The file was not imported.")
            await self.say(client, thread, text, _problem_blocks(t, name, exc))
            return
        except aiohttp.ClientError as exc:
            log.warning("could not download a shared file: %s", type(exc).__name__)
            text = t.gettext("The file could not be downloaded from Slack.")
            await self.say(client, thread, text, [section(text)])
            return
        now = self.app.clock.now()
        preview = await preview_import(self.app.sessions, doc, secret=self.secret, now=now)
        # A newer upload supersedes this preview: its buttons then do nothing.
        kept = self.pending.put(self.channel, name, content, preview.revision)
        text = t.gettext("Preview of {name}", name=name)
        await self.say(client, thread, text, _preview_blocks(t, name, preview, kept.token))

    async def import_clicked(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Import the previewed file, unless superseded or the programme moved on."""
        await ack()
        t, message, ts, user = self.t, *_clicked(body)
        kept = self.pending.take(self.channel, str(body["actions"][0].get("value", "")))
        if kept is None:
            text = t.gettext(
                "This preview is no longer current: a newer file was uploaded, or it was "
                "imported or cancelled already."
            )
            await client.chat_postEphemeral(
                channel=self.channel, user=user, text=text, thread_ts=message.get("thread_ts")
            )
            return
        try:
            doc = load_content(kept.content, kept.name)
            result = await import_previewed(
                self.app.sessions,
                doc,
                revision=kept.revision,
                secret=self.secret,
                now=self.app.clock.now(),
            )
        except (StaleUpload, ProgrammeError):
            text = t.gettext(
                "The programme changed since this preview was made; nothing was imported. "
                "Upload the file again for a new preview."
            )
            await client.chat_update(channel=self.channel, ts=ts, text=text, blocks=[section(text)])
            return
        text = t.gettext(
            "{name} imported by {user}: programme revision {revision}.",
            name=mrkdwn_escape(kept.name),
            user=f"<@{user}>",
            revision=result.revision,
        )
        blocks = [*message.get("blocks", [])[:-1], context(text)]
        await client.chat_update(channel=self.channel, ts=ts, text=text, blocks=blocks)

    async def cancel_clicked(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Drop the previewed file."""
        await ack()
        message, ts, user = _clicked(body)
        self.pending.take(self.channel, str(body["actions"][0].get("value", "")))
        text = self.t.gettext("Cancelled by {user}; nothing was imported.", user=f"<@{user}>")
        blocks = [*message.get("blocks", [])[:-1], context(text)]
        await client.chat_update(channel=self.channel, ts=ts, text=text, blocks=blocks)

    async def programme(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Offer the current programme as a workbook, and the template, to download."""
        t = self.t
        await ack(
            t.gettext(
                "Drop an edited workbook (.xlsx) or YAML file into the staff channel for a "
                "preview of what it changes."
            )
        )
        async with self.app.sessions() as session:
            try:
                raw: dict[str, Any] | None = await export_programme(session)
            except LookupError:
                raw = None
        uploads = []
        if raw is not None:
            uploads.append(
                {
                    "content": write_workbook(validate(raw, "<store>")),
                    "filename": f"{raw['programme']['key']}.xlsx",
                    "title": t.gettext("The current programme"),
                }
            )
        uploads.append(
            {
                "content": write_workbook(None, self.app.i18n.languages),
                "filename": "programme-template.xlsx",
                "title": t.gettext("The programme template"),
            }
        )
        try:
            await client.files_upload_v2(
                channel=body.get("channel_id") or self.channel,
                file_uploads=uploads,
                initial_comment=t.gettext("The programme as a workbook, and the template."),
            )
        except SlackApiError as exc:
            log.warning("could not upload the programme workbook: %s", exc.response.get("error"))


def _clicked(body: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """The message a button is on, its timestamp, and who clicked."""
    message = body.get("message") or {}
    ts = str((body.get("container") or {}).get("message_ts") or message.get("ts") or "")
    return message, ts, str((body.get("user") or {}).get("id", ""))


def register(bolt: AsyncApp, console: Console) -> None:
    """Listen for programme files in the staff channel, their buttons, and `/programme`."""
    uploads = _Uploads(console.app)
    bolt.event("file_shared")(uploads.file_shared)
    bolt.action(IMPORT)(uploads.import_clicked)
    bolt.action(CANCEL)(uploads.cancel_clicked)
    bolt.command("/programme")(uploads.programme)
