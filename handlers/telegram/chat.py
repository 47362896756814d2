"""Telegram updates: parse, call one use case, render, send. No business rules here."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.accounts import (
    AGENDA_TIMES,
    LinkLimits,
    LinkOutcome,
    agenda_time,
    apply_setting,
    choose_language,
    heard_from,
    link_account,
)
from bot.assistant.service import NO_PROGRAMME
from bot.calendars.links import links, participant_owner
from bot.callbacks import (
    Prefix,
    parse_answer,
    parse_forget,
    parse_language,
    parse_setting,
    parse_venue,
)
from bot.commands import (
    ASK,
    CALENDAR,
    COMMANDS,
    FORGET,
    HELP,
    LANGUAGE,
    SETTINGS,
    START,
    Command,
)
from bot.conversation import FORWARDED, PASSED_ON, Turn, converse
from bot.i18n import FSI, PDI, Translator, clean
from bot.privacy import ERASE_QUESTION, ERASED, NOT_ERASED, NOTHING_TO_ERASE, forget
from bot.replies import Reply, Venue
from bot.staff.campaigns import Answer, answer
from bot.staff.relay import ask_staff
from bot.store.models import Participant, Response
from handlers.telegram import views
from handlers.telegram.observed import ObservedUpdates
from handlers.telegram.views import escape

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
KEYBOARD_COMMANDS = "keyboard_commands"
STRANGER_LANGUAGE = "language"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The composed services this application was built with."""
    return context.application.bot_data["services"]  # type: ignore[no-any-return]


def translator_for(
    app: Services, participant: Participant | None, user: User | None, chosen: str | None = None
) -> Translator:
    """The participant's language, else what the stranger chose, else Telegram's, else default."""
    return app.i18n.translator(
        participant.effective_language if participant else None,
        chosen,
        user.language_code if user else None,
    )


async def send_reply(message: Message, reply: Reply, t: Translator, *, menu: bool) -> None:
    """Send a reply: text (split), then venue pins and contact cards."""
    keyboard = views.inline_keyboard(reply)
    chunks = views.split_message(views.reply_html(reply)) if (reply.text or reply.contacts) else []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        markup = keyboard if last and keyboard else (views.main_keyboard(t) if menu else None)
        await message.reply_text(chunk, reply_markup=markup)
    for venue in reply.venues:
        await _send_venue(message, venue)
    if len(reply.contacts) <= views.MAX_CONTACT_CARDS:
        for card in reply.contacts:
            if card.phone:
                await message.reply_contact(
                    phone_number=clean(card.phone).strip(FSI + PDI),
                    first_name=clean(card.name).strip(FSI + PDI)[:64],
                )


async def _send_venue(message: Message, venue: Venue) -> None:
    if venue.latitude is None or venue.longitude is None:
        return
    await message.reply_venue(
        latitude=venue.latitude,
        longitude=venue.longitude,
        title=clean(venue.name),
        address=clean(venue.address) or clean(venue.name),
    )


async def _edit(edit: Awaitable[object]) -> bool:
    """Run an edit; False when Telegram finds it changes nothing (the same button tapped)."""
    try:
        await edit
    except BadRequest as exc:
        if "message is not modified" not in exc.message.lower():
            raise
        return False
    return True


def _is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _addressed(message: Message, username: str) -> bool:
    """Whether a group message is meant for the bot: a mention, a reply, or its command."""
    text = message.text or ""
    if f"@{username}".casefold() in text.casefold():
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.username == username)


def _private(handler: Handler) -> Handler:
    """Run a handler in private chats only; in groups, point to a private chat instead."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if _is_group(update.effective_chat):
            return await _in_group(update, context)
        return await handler(update, context)

    return guarded


async def _in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups: never programme details; point to a private chat."""
    message = update.effective_message
    if message is None or not _addressed(message, context.bot.username):
        return
    t = translator_for(services(context), None, update.effective_user)
    await message.reply_text(
        escape(t.gettext("I answer questions about your programme only in a private chat.")),
        reply_markup=views.private_chat_keyboard(t, context.bot.username),
    )


@_private
async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [CODE]: link with a code from a deep link, or ask for the code."""
    code = " ".join(context.args or []).strip()
    if code:
        return await _link(update, context, code)
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        t = translator_for(app, participant, user, _stranger_language(context))
        if participant is not None:
            reply = await app.assistant.ask(session, participant, HELP.text, app.clock.now())
    if participant is not None:
        return await send_reply(message, reply, t, menu=True)
    await message.reply_text(
        escape(t.gettext("Welcome! Please send me your invite code (for example ABCD-1234)."))
    )


async def _link(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    now = app.clock.now()
    # A transaction of its own: the guessing counters stay locked until it ends.
    async with app.sessions.begin() as session:
        result = await link_account(
            session,
            user.id,
            code,
            now,
            app.invite_secret.get_secret_value(),
            LinkLimits(everyone=app.settings.wrong_codes_per_hour),
        )
    app.accounts.forget(user.id)
    if result.paused_everyone:
        app.desk.guessing(app.settings.wrong_codes_per_hour)
    async with app.sessions() as session:
        t = translator_for(app, result.participant, user, _stranger_language(context))
        help_reply = None
        if result.outcome is LinkOutcome.LINKED:
            help_reply = await app.assistant.ask(session, result.participant, HELP.text, now)
        email = (await app.assistant.public_contact(session)) or ""
    texts = {
        LinkOutcome.LINKED: t.gettext(
            "Welcome, {name}! Your account is now linked.",
            name=result.participant.name if result.participant else "",
        ),
        LinkOutcome.ALREADY_LINKED: t.gettext("Your account is already linked."),
        LinkOutcome.WRONG_CODE: t.ngettext(
            "That code is not valid. Please check it and try again ({n} try left).",
            "That code is not valid. Please check it and try again ({n} tries left).",
            result.tries_left,
        ),
        LinkOutcome.CODE_USED: t.gettext(
            "This invite code has already been used by another account. "
            "Please contact the programme staff: {email}",
            email=email,
        ),
        LinkOutcome.COOLING_DOWN: t.gettext(
            "Too many wrong codes. Please wait an hour and try again, "
            "or contact the programme staff: {email}",
            email=email,
        ),
        LinkOutcome.PAUSED: t.gettext(
            "Too many wrong codes have been sent to this bot, so it checks no codes for "
            "a while. Please try again in an hour, or contact the programme staff: {email}",
            email=email,
        ),
    }
    await message.reply_text(
        escape(texts[result.outcome]),
        reply_markup=views.main_keyboard(t) if result.participant else None,
    )
    if help_reply is not None:
        await send_reply(message, help_reply, t, menu=True)


def _stranger_language(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    return (context.user_data or {}).get(STRANGER_LANGUAGE)


@_private
async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other text or command: the assistant answers (privately, and only the person)."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    text = context.bot_data[KEYBOARD_COMMANDS].get(message.text.strip(), message.text)
    now = app.clock.now()
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        t = translator_for(app, participant, user, _stranger_language(context))
        language = t.code
        outcome = await converse(
            session,
            app.assistant,
            participant,
            text,
            now,
            staff=app.desk.enabled,
            replying=_replies_to_bot(message),
            language_hint=_stranger_language(context) or user.language_code,
        )
        if participant is not None:
            # A message may change the language ("answer in French"); keep memory true.
            if outcome.seen or participant.effective_language != language:
                app.accounts.remember(user.id, participant)
            t = app.i18n.translator(participant.effective_language)
    if outcome.reply is not None and not outcome.reply.understood:
        app.metrics.not_understood.inc()
    if outcome.turn is Turn.CODE:
        return await _link(update, context, message.text)
    if outcome.turn in (Turn.RELAYED, Turn.FORWARDED):
        app.desk.nudge()
        said = t.gettext(FORWARDED) if outcome.turn is Turn.FORWARDED else _passed_on(t)
        return await message.reply_text(escape(said))
    assert outcome.reply is not None
    # The persistent keyboard stays once sent; help brings it back if a client lost it.
    await send_reply(message, outcome.reply, t, menu=participant is not None and text == HELP.text)


def _passed_on(t: Translator) -> str:
    return t.gettext(PASSED_ON)


def _replies_to_bot(message: Message) -> bool:
    """Whether a message replies to one of the bot's."""
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.is_bot)


@_private
async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION: pass a question straight to the programme staff."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    question = " ".join(context.args or []).strip()
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        t = translator_for(app, participant, user, _stranger_language(context))
        if participant is None:
            reply = await app.assistant.ask(session, None, ASK.text, app.clock.now())
        elif question and app.desk.enabled:
            await ask_staff(session, participant, question, app.clock.now())
        email = (await app.assistant.public_contact(session)) or ""
    if participant is None:
        return await send_reply(message, reply, t, menu=False)
    if not question:
        text = t.gettext(
            "Write your question after /ask, for example: /ask Can I bring a guest to the dinner?"
        )
    elif not app.desk.enabled:
        text = t.gettext(
            "I cannot reach the staff from here right now. Please write to {email}.", email=email
        )
    else:
        app.desk.nudge()
        text = t.gettext(
            "I have passed your question to the programme staff. They will answer you here."
        )
    await message.reply_text(escape(text))


def _answer_text(t: Translator, answered: Answer | None) -> str:
    if answered is None:
        return t.gettext("This message no longer takes answers.")
    if answered.response == Response.HELP:
        return t.gettext(
            "Staff have been alerted and will contact you as soon as possible. "
            "If your life is in danger, call 911."
        )
    if answered.response == Response.SAFE:
        return t.gettext("Thank you. We are glad you are safe.")
    return t.gettext("Thank you, noted.")


def keyboard_commands(app: Services) -> dict[str, str]:
    """Every keyboard label, in every language, mapped back to its command."""
    return {
        label: command
        for code in app.i18n.languages
        for label, command in views.keyboard_labels(app.i18n.translator(code)).items()
    }


@_private
async def on_calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/calendar [reset]: a subscription link that follows changes, and the .ics file."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    now = app.clock.now()
    async with app.sessions() as session:
        participant = await app.accounts.participant(session, user.id)
        t = translator_for(app, participant, user, _stranger_language(context))
        if participant is None:
            reply = await app.assistant.ask(session, None, CALENDAR.text, now)
    if participant is None:
        return await send_reply(message, reply, t, menu=False)
    data = await app.calendars.participant_file(participant, now)
    if data is None:
        return await message.reply_text(escape(t.gettext(NO_PROGRAMME)))
    public_url = app.settings.public_url
    if public_url:
        reset = [a.lower() for a in context.args or []] == ["reset"]
        token = await app.calendars.token(participant_owner(participant.key), now, reset=reset)
        text, keyboard = views.calendar_subscription(t, links(public_url, token), reset=reset)
        # The link opens the participant's programme: it is not to be forwarded.
        await message.reply_text(text, reply_markup=keyboard, protect_content=True)
    await message.reply_document(
        document=data,
        filename="programme.ics",
        caption=views.calendar_caption(t, subscribed=bool(public_url)),
    )


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: the six languages as buttons."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    async with app.sessions() as session:
        participant = await app.accounts.participant(session, user.id)
    t = translator_for(app, participant, user, _stranger_language(context))
    await message.reply_text(
        escape(t.gettext("Choose your language:")),
        reply_markup=views.language_keyboard(t, app.i18n.languages),
    )


@_private
async def on_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings: the daily agenda and reminders, with buttons to change them."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    async with app.sessions() as session:
        participant = await app.accounts.participant(session, user.id)
        if participant is None:
            reply = await app.assistant.ask(session, None, SETTINGS.text, app.clock.now())
        else:
            at = await agenda_time(session, participant)
    t = translator_for(app, participant, user, _stranger_language(context))
    if participant is None:
        return await send_reply(message, reply, t, menu=False)
    await message.reply_text(
        views.settings_text(t, participant.agenda_enabled, at, participant.reminder_minutes),
        reply_markup=views.settings_keyboard(
            t, participant.agenda_enabled, participant.reminder_minutes, AGENDA_TIMES
        ),
    )


def _tapped(update: Update) -> tuple[CallbackQuery, User, str] | None:
    """The query, who tapped and the button's data."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return None
    return query, user, query.data


@_private
async def on_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: ask to confirm the erasure of the participant's data."""
    app = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    async with app.sessions() as session:
        participant = await app.accounts.participant(session, user.id)
    t = translator_for(app, participant, user, _stranger_language(context))
    if participant is None:
        return await message.reply_text(escape(t.gettext(NOTHING_TO_ERASE)))
    await message.reply_text(
        escape(t.gettext(ERASE_QUESTION)), reply_markup=views.forget_keyboard(t)
    )


async def on_forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to /forget: erase everything of the participant, or nothing."""
    tapped = _tapped(update)
    if tapped is None:
        return
    query, user, data = tapped
    confirmed = parse_forget(data)
    if confirmed is None:
        await query.answer()
        return
    app = services(context)
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        # In the language they read until now: erasing forgets their choice too.
        t = translator_for(app, participant, user, _stranger_language(context))
        if confirmed and participant is not None:
            await forget(session, participant.key, app.clock.now())
    if confirmed and participant is not None:
        app.accounts.forget(user.id)
        app.assistant.conversations.forget(participant.key)
        log.info("participant %s erased their data on request", participant.key)
    await query.answer()
    text = NOTHING_TO_ERASE if participant is None else ERASED if confirmed else NOT_ERASED
    if isinstance(query.message, Message):
        await _edit(query.message.edit_text(escape(t.gettext(text)), reply_markup=None))


async def on_language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A language chosen from the buttons: remembered for a participant or a stranger."""
    tapped = _tapped(update)
    if tapped is None:
        return
    query, user, data = tapped
    app = services(context)
    code = parse_language(data)
    if code is None or code not in app.i18n.languages:
        await query.answer()
        return
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        if participant is not None:
            await choose_language(session, participant, code)
            app.accounts.remember(user.id, participant)
        else:
            context.user_data[STRANGER_LANGUAGE] = code  # type: ignore[index]
    t = translator_for(app, participant, user, _stranger_language(context))
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    confirmed = await _edit(
        message.edit_text(
            escape(
                t.gettext(
                    "From now on I will answer in {language}.", language=t.language_name(t.code)
                )
            )
        )
    )
    if confirmed and participant is not None:
        await message.reply_text(
            escape(t.gettext("Ask me anything about your programme.")),
            reply_markup=views.main_keyboard(t),
        )


async def on_venue_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A map button under an agenda: the place as a venue pin, for participants."""
    tapped = _tapped(update)
    if tapped is None:
        return
    query, user, data = tapped
    key = parse_venue(data)
    if key is None:
        await query.answer()
        return
    app = services(context)
    async with app.sessions() as session:
        participant = await app.accounts.participant(session, user.id)
        venue = await app.assistant.venue(session, key) if participant is not None else None
    await query.answer()
    if venue is not None and isinstance(query.message, Message):
        await _send_venue(query.message, venue)


async def on_setting_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A settings button: change the preference and show the settings again."""
    tapped = _tapped(update)
    if tapped is None:
        return
    query, user, data = tapped
    chosen = parse_setting(data)
    if chosen is None:
        await query.answer()
        return
    app = services(context)
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        if participant is not None:
            await apply_setting(session, participant, *chosen)
            app.accounts.remember(user.id, participant)
        at = await agenda_time(session, participant) if participant is not None else ""
    await query.answer()
    if participant is None or not isinstance(query.message, Message):
        return
    t = translator_for(app, participant, user)
    await _edit(
        query.message.edit_text(
            views.settings_text(t, participant.agenda_enabled, at, participant.reminder_minutes),
            reply_markup=views.settings_keyboard(
                t, participant.agenda_enabled, participant.reminder_minutes, AGENDA_TIMES
            ),
        )
    )


async def on_answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "Got it" under a broadcast, or an answer to a safety check-in."""
    tapped = _tapped(update)
    if tapped is None:
        return
    query, user, data = tapped
    parsed = parse_answer(data)
    if parsed is None:
        await query.answer()
        return
    app = services(context)
    answered: Answer | None = None
    async with app.sessions.begin() as session:
        participant = await app.accounts.participant(session, user.id)
        if participant is not None:
            answered = await answer(session, participant.key, *parsed, app.clock.now())
    t = translator_for(app, participant, user, _stranger_language(context))
    await _answered(app, query, t, answered, participant is not None)


async def on_other_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of a kind no longer offered: acknowledged, nothing done."""
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _answered(
    app: Services, query: CallbackQuery, t: Translator, answered: Answer | None, linked: bool
) -> None:
    """Confirm a tap on "Got it" or a check-in button, and tell staff at once."""
    if not linked:
        await query.answer()
        return
    text = _answer_text(t, answered)
    await query.answer(text[:200])
    message = query.message
    if answered is not None and answered.changed:
        app.desk.nudge()
    if isinstance(message, Message):
        if answered is not None and answered.response == Response.ACK:
            # Acknowledged once is enough: the button goes away.
            await _edit(message.edit_reply_markup(reply_markup=None))
        if answered is None or answered.changed:
            await message.reply_text(escape(text))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (never the message text or a token), tell staff, answer the user."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update %s failed: %s",
        update_id,
        type(context.error).__name__,
        exc_info=context.error,
        extra={"update_id": update_id},
    )
    app = services(context)
    if isinstance(context.application.update_processor, ObservedUpdates):
        context.application.update_processor.failed(update)
    app.desk.incident(type(context.error).__name__)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    t = translator_for(app, None, update.effective_user)
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            escape(t.gettext("Sorry, something went wrong. Please try again.")),
        )
    except Exception:  # the apology is best effort: the failure may be the network itself
        log.warning("could not apologise for update %s", update_id)


async def on_any_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Whoever writes, taps or unblocks the bot can be reached again; who blocks it cannot."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    member = update.my_chat_member
    blocked = (
        member is not None
        and member.chat.type == ChatType.PRIVATE
        and member.new_chat_member.status == ChatMemberStatus.BANNED
    )
    app = services(context)
    async with app.sessions.begin() as session:
        await heard_from(session, app.accounts, user.id, blocked=blocked)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add every handler; order matters: specific commands before the catch-all text handler."""
    app: Services = application.bot_data["services"]
    # Group -1 sees every update before the handlers that answer it (and does not stop them).
    application.add_handler(TypeHandler(Update, on_any_update), group=-1)
    application.bot_data[KEYBOARD_COMMANDS] = keyboard_commands(app)
    for command in COMMANDS:
        application.add_handler(CommandHandler(command.name, command_handler(command)))
    buttons: list[tuple[Handler, str]] = [
        (on_language_button, Prefix.LANGUAGE.pattern),
        (on_venue_button, Prefix.VENUE.pattern),
        (on_setting_button, Prefix.SETTING.pattern),
        (on_answer_button, f"{Prefix.ACK.pattern}|{Prefix.CHECKIN.pattern}"),
        (on_forget_button, Prefix.FORGET.pattern),
    ]
    for handler, pattern in buttons:
        application.add_handler(CallbackQueryHandler(handler, pattern=pattern))
    application.add_handler(CallbackQueryHandler(on_other_button))
    # Anything else, a command nobody knows included, goes to the assistant.
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_error_handler(on_error)


def command_handler(command: Command) -> Handler:
    """The handler of a command: its own, or the assistant's answer to its intent."""
    own: dict[Command, Handler] = {
        START: on_start,
        CALENDAR: on_calendar,
        LANGUAGE: on_language,
        SETTINGS: on_settings,
        ASK: on_ask,
        FORGET: on_forget,
    }
    handler = own.get(command) or (on_text if command.intent is not None else None)
    if handler is None:
        raise LookupError(f"{command.text} has no Telegram handler")
    return handler
