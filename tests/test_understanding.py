"""Understanding that generalizes: the project's corpora, follow-ups, declines and greetings."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.assistant.names import NameIndex, NameSkeletons
from bot.clock import FixedClock
from bot.config import Settings
from bot.services import Services, import_file, services
from bot.yamlio import load_yaml
from tests.conftest import DATA, FIXTURE
from tests.facts import problems

CORPUS = DATA / "corpus"
# The share of each language's corpus questions answered right, at least. The corpora are
# the team's own; held-out questions decide acceptance, these floors catch regressions.
FLOOR = {"en": 0.95, "es": 0.95, "fr": 0.96, "pt": 0.95, "ar": 0.94, "ru": 0.95}


class Asker:
    """The assistant on one imported programme, asked in process (no Telegram, no CLI)."""

    def __init__(self, runner: asyncio.Runner, app: Services) -> None:
        self.runner = runner
        self.app = app

    def __call__(self, key: str, now: str, text: str) -> str:
        """The reply participant ``key`` reads, as plain text."""
        return self.runner.run(self._ask(key, now, text))

    async def _ask(self, key: str, now: str, text: str) -> str:
        async with self.app.sessions.begin() as session:
            person = await self.app.assistant.participant(session, key)
            assert person is not None, key
            reply = await self.app.assistant.ask(session, person, text, datetime.fromisoformat(now))
        return reply.plain()


def _asker(programme: Path, folder: Path) -> Iterator[Asker]:
    config = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'store.sqlite3'}")
    with asyncio.Runner() as runner:
        context = services(config, FixedClock(datetime.fromisoformat("2024-05-01T08:00-04:00")))
        app = runner.run(context.__aenter__())
        try:
            runner.run(import_file(app, programme))
            yield Asker(runner, app)
        finally:
            runner.run(context.__aexit__(None, None, None))


@pytest.fixture
def ask(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2024 test programme."""
    yield from _asker(FIXTURE, tmp_path)


def test_every_language_meets_its_floor_on_the_corpora(tmp_path: Path) -> None:
    """Every corpus question asked in process; each language's share of right answers."""
    right: dict[str, list[bool]] = defaultdict(list)
    failures: dict[str, list[str]] = defaultdict(list)
    by_programme: dict[Path, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for path in sorted(CORPUS.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"))
        language = path.stem.split("-")[0]
        programme = (path.parent / data["programme"]).resolve()
        by_programme[programme].extend((language, q) for q in data["questions"])
    for n, (programme, questions) in enumerate(sorted(by_programme.items())):
        folder = tmp_path / str(n)
        folder.mkdir()
        for asker in _asker(programme, folder):
            for language, q in questions:
                reply = asker(str(q["as"]), str(q["now"]), str(q["text"]))
                wrong = problems(q, reply)
                right[language].append(not wrong)
                if wrong:
                    failures[language].append(f"{q['text']!r}: {', '.join(wrong)}")
    assert set(right) == set(FLOOR)
    assert all(len(results) >= 100 for results in right.values())
    low = {
        language: f"{sum(results) / len(results):.1%}"
        for language, results in right.items()
        if sum(results) / len(results) < FLOOR[language]
    }
    assert not low, (low, {language: failures[language][:10] for language in low})


def test_a_follow_up_borrows_the_day_or_the_event(ask: Asker) -> None:
    """'And tomorrow?', 'where is it?', 'what should I wear there?' follow the question
    before, for the same participant, within minutes."""
    ask("P11", "2024-05-01T08:00-04:00", "where do we go this afternoon?")
    tomorrow = ask("P11", "2024-05-01T08:01-04:00", "and tomorrow?")
    assert "700 Army Navy" in tomorrow  # the DEA, tomorrow afternoon: still "where"
    assert "935 Pennsylvania" not in tomorrow
    ask("P11", "2024-05-01T08:02-04:00", "when is the FBI briefing?")
    assert "935 Pennsylvania" in ask("P11", "2024-05-01T08:03-04:00", "where is it?")
    assert "business" in ask("P11", "2024-05-01T08:04-04:00", "what should I wear there?")


def test_context_is_per_participant_and_expires(ask: Asker) -> None:
    """Another participant's question, or minutes later, is not a follow-up."""
    ask("P11", "2024-05-01T08:00-04:00", "when is the FBI briefing?")
    other = ask("P12", "2024-05-01T08:01-04:00", "where is it?")
    assert "935 Pennsylvania" not in other
    later = ask("P11", "2024-05-01T08:30-04:00", "where is it?")
    assert "935 Pennsylvania" not in later


def test_a_complete_question_never_depends_on_the_one_before(ask: Asker) -> None:
    """A question with its own day or thing is answered the same after any other."""
    alone = ask("P12", "2024-05-02T08:00-04:00", "what's on today?")
    ask("P11", "2024-05-02T07:59-04:00", "what should I wear?")
    ask("P12", "2024-05-02T07:59-04:00", "when is the welcome dinner?")
    assert ask("P12", "2024-05-02T08:00-04:00", "what's on today?") == alone


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("which hotel is Awa Diop in?", ["Hyatt", "Dupont Circle"]),
        ("where is Jorge now?", ["Chicago Police", "935 Pennsylvania"]),
        ("¿En qué hotel está Karim?", ["Palmer House"]),
        # Names written in another script than the roster's, and with an event word beside.
        ("в каком отеле живёт Бeaтрис Оливейра?", ["Hyatt", "122 North 2nd"]),
        ("وين رايحة بياتريس أوليفيرا بكرة؟", ["Hyatt", "122 North 2nd"]),
        ("what is on Koffi Kouassi's programme today?", ["Phoenix Police", "620 West Washington"]),
    ],
)
def test_another_participant_is_never_located(ask: Asker, text: str, absent: list[str]) -> None:
    """Asked about someone else by name: a clear decline naming no one's whereabouts."""
    reply = ask("P12", "2024-05-07T09:00-07:00", text)
    assert all(fact not in reply for fact in absent), reply
    assert "other participants" in reply or "otros participantes" in reply, reply


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like in Phoenix today?",
        "how much is a dollar in naira?",
        "¿quién ganó el partido de fútbol anoche?",
        "any good restaurant near the hotel tonight?",
        "who won the hockey game yesterday?",
        "quel temps fera-t-il à Phoenix demain ?",
        "кто вчера выиграл в хоккей?",
    ],
)
def test_off_topic_gets_an_honest_answer(ask: Asker, text: str) -> None:
    """Weather, money, sport, restaurants: outside what the bot knows, and how to ask staff."""
    reply = ask("P12", "2024-05-06T09:00-07:00", text)
    assert "/ask" in reply, reply
    assert "Phoenix Police" not in reply and "122 North 2nd" not in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("morning!! anything on today?", "08:30"),
        ("Buenas tardes, ¿qué hay mañana?", "10:00"),
        ("Bonjour ! On fait quoi aujourd'hui ?", "08:30"),
        ("Доброе утро, что у нас сегодня?", "08:30"),
    ],
)
def test_greetings_are_not_content(ask: Asker, text: str, expected: str) -> None:
    """A greeting before the question is dropped: the day asked about decides."""
    assert expected in ask("P12", "2024-05-06T07:00-07:00", text)


def test_a_named_city_or_night_picks_that_hotel(ask: Asker) -> None:
    """'The hotel in New York', 'where do we sleep on the 9th': that leg, not tonight's."""
    assert "2130 Broadway" in ask("P11", "2024-05-02T12:00-04:00", "hotel in New York?")
    assert "Palmer House" in ask("P11", "2024-05-02T12:00-04:00", "where do we sleep on the 9th")
    ended = ask("P11", "2024-06-20T12:00-04:00", "where is my hotel")
    assert "2130 Broadway" not in ended and "17" in ended


def test_an_interpreter_who_speaks_french_is_a_person(ask: Asker) -> None:
    """Asking for a French-speaking interpreter names one; it does not switch language."""
    reply = ask("P11", "2024-05-02T10:00-04:00", "is there an interpreter who speaks French?")
    assert "Claire Moreau" in reply and "From now on" not in reply


async def test_the_console_follows_the_same_conversation_policy(
    database_url: str, tmp_path: Path
) -> None:
    """With a staff console configured, what the bot cannot answer goes to staff from the
    console as from Telegram; without one, the console answers on its own."""
    from sqlalchemy import func, select

    from bot.store.models import ThreadMessage
    from handlers import console

    garbled = "qwzx vbnm plkj"
    for token, relayed in ((None, False), ("xoxb-test", True)):
        config = Settings(
            database_url=database_url, data_dir=tmp_path / "data", slack_bot_token=token
        )
        clock = FixedClock(datetime.fromisoformat("2024-05-02T09:00-04:00"))
        async with services(config, clock) as app:
            await import_file(app, FIXTURE)
            reply = await console._reply(app, "P11", garbled, clock.now())
            assert reply is not None
            async with app.sessions() as session:
                count = await session.scalar(select(func.count()).select_from(ThreadMessage))
            assert (count == 1) is relayed, (token, count)
            assert ("passed it to the programme staff" in reply.plain()) is relayed
            assert "Tampa" not in reply.plain()


def test_programme_dates_and_its_first_and_last_day(ask: Asker) -> None:
    """ "When does the programme start?" gives its dates; "the last day" is the programme's."""
    dates = ask("P11", "2024-05-02T10:00-04:00", "when does the programme start?")
    assert "April 29" in dates and "May 17" in dates, dates
    assert "Programme orientation" not in dates
    last = ask("P11", "2024-05-02T10:00-04:00", "what do we do on the last day?")
    assert "May 17" in last, last


def test_the_next_city_and_leaving_one(ask: Asker) -> None:
    """ "The hotel after we move" is the next city's; "after Phoenix" is the journey leaving it."""
    hotel = ask("P07", "2024-05-09T10:00-05:00", "адрес гостиницы после переезда?")
    assert "2130 Broadway" in hotel and "Palmer House" not in hotel, hotel
    onward = ask("P03", "2024-05-08T18:00-07:00", "après Phoenix on va dans quelle ville ?")
    assert "New York" in onward, onward


def test_check_in_time_comes_from_the_programme(ask: Asker) -> None:
    """ "From what time can we check in?" answers with the hotel and the check-in event's time."""
    for text in (
        "from what time can I check in at the hotel?",
        "à partir de quelle heure on peut prendre la chambre ?",
        "Со скольки можно заселиться в отель?",
    ):
        reply = ask("P12", "2024-04-29T11:00-04:00", text)
        assert "14:00" in reply, (text, reply)


def test_a_contact_named_is_reached_with_their_telegram_name(ask: Asker) -> None:
    """A staff contact asked for by name comes with phone and Telegram username."""
    reply = ask("P02", "2024-05-01T12:00-04:00", "¿cuál es el telegram de Dana?")
    assert "@dana_po" in reply, reply
    assert "Marcus Lee" in ask("P04", "2024-05-02T10:00-04:00", "comment je contacte Marcus Lee ?")


def test_this_meeting_is_the_one_going_on(ask: Asker) -> None:
    """ "When does this meeting end?" during an event is about that event."""
    reply = ask("P10", "2024-05-01T14:30-04:00", "essa reunião termina que horas?")
    assert "16:00" in reply, reply


@pytest.fixture
def ask_fall(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the autumn 2027 test programme (an online seminar, Wi-Fi FAQ)."""
    yield from _asker(DATA / "programme-fall-2027.yaml", tmp_path)


def test_what_an_events_own_notes_say_beats_the_faq(ask_fall: Asker) -> None:
    """A passcode in an online event's notes answers "the Zoom passcode"; the hotel Wi-Fi
    password, which only the FAQ gives, answers "the Wi-Fi code here in Vegas"."""
    for text in (
        "whats the zoom id and passcode for the webinar today?",
        "дай код доступа к онлайн-семинару сегодня",
    ):
        reply = ask_fall("X01", "2027-11-05T10:30-05:00", text)
        assert "Courts27" in reply and "Jackpot702" not in reply, (text, reply)
    wifi = ask_fall("X06", "2027-11-03T20:00-07:00", "le code wifi de l'hôtel ici à Vegas svp")
    assert "Jackpot702" in wifi, wifi


def test_what_is_asked_beside_where_one_is(ask_fall: Asker) -> None:
    """ "Checked in, what is next?" and "at the hotel, what do we have tomorrow?" ask about the
    programme, not the hotel; "the court is over, where next?" is what follows the court."""
    plan = ask_fall(
        "X01", "2027-11-05T21:30-05:00", "just got back to the hotel. what do we have tmrw?"
    )
    assert "Harley" in plan, plan
    after = ask_fall("X06", "2027-11-04T11:45-07:00", "la police c'est fini, et après on va où ?")
    assert "13:30" in after and "Regional Justice" in after, after


def test_an_interpreter_asked_for_urgently_is_the_interpreter(ask_fall: Asker) -> None:
    """ "The interpreter's number, urgent" gives the interpreter for the language named."""
    reply = ask_fall("X09", "2027-11-04T13:00-06:00", "нужен телефон переводчика с русским, срочно")
    assert "Russian" in reply or "русск" in reply.lower(), reply


@pytest.fixture
def ask_maritime(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2029 maritime test programme (lobby calls, flights, a train)."""
    yield from _asker(DATA / "programme-maritime-2029.yaml", tmp_path)


def test_a_journey_is_every_step_of_its_day(ask_maritime: Asker) -> None:
    """Leaving for the airport is the lobby call, the flight and where it leaves from; a train
    day is the lobby call and the train with its number."""
    airport = ask_maritime(
        "P01",
        "2029-07-10T20:00-07:00",
        "what time do we leave for the airport tmrw and which terminal",
    )
    assert "06:30" in airport and "HA 2417" in airport and "Terminal 2" in airport, airport
    train = ask_maritime(
        "P01",
        "2029-07-18T21:00-04:00",
        "train tmrw - what time is lobby and whats the train number",
    )
    assert "06:45" in train and "351" in train and "555 0170" not in train, train
    arriving = ask_maritime(
        "P10", "2029-07-19T09:00-04:00", "во сколько мы приезжаем в Чикаго по местному времени?"
    )
    assert "12:40" in arriving, arriving


def test_a_number_beside_a_journey_is_its_flights(ask_maritime: Asker) -> None:
    """ "The flight's number" is the journey's, in dialect too; nobody's phone is read into it."""
    reply = ask_maritime(
        "P07", "2029-07-10T21:00-07:00", "بكرة الطيارة الساعة كام؟ ورقم الرحلة ايه؟"
    )
    assert "HA 2417" in reply and "09:10" in reply, reply


def test_security_asked_with_whom_to_call_is_the_security_officer(ask_maritime: Asker) -> None:
    """A theft and "is there a security service?" reach the programme's security officer."""
    reply = ask_maritime(
        "P10",
        "2029-07-19T22:00-05:00",
        "у меня в городе украли кошелёк с карточками. кому звонить из программы? "
        "есть служба безопасности?",
    )
    assert "619 555 0150" in reply, reply


def test_how_long_until_an_event_says_the_time_left(tmp_path: Path) -> None:
    """ "How long until the FinCEN session?" gives its time and the minutes left."""
    for asker in _asker(DATA / "programme-cyber-2029.yaml", tmp_path):
        reply = asker(
            "P08", "2029-11-02T10:15-05:00", "il reste combien de temps avant la session FinCEN ?"
        )
        assert "45 minutes" in reply, reply


@pytest.fixture
def ask_judicial(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2031 judicial test programme (clocks go forward on the day
    the groups leave Seattle; per-hotel Wi-Fi; a weather FAQ)."""
    yield from _asker(DATA / "programme-judicial-2031.yaml", tmp_path)


def test_a_clock_change_beside_a_time_asked_gives_the_time_then_the_change(
    ask_judicial: Asker,
) -> None:
    """ "Clocks change tonight? Lobby call tomorrow?": tomorrow's lobby call (not tomorrow
    evening's), then what the FAQ says; at 22:00 in Seattle before a flight east, tomorrow is
    the day of the flight, though it is already that day in Chicago."""
    reply = ask_judicial(
        "P18",
        "2031-03-08T21:30-08:00",
        "wait do the clocks change tonight? what time is our lobby call tmrw",
    )
    assert "06:45" in reply and "one hour" in reply, reply
    reply = ask_judicial(
        "P10", "2031-03-08T22:00-08:00", "в котором часу завтра сбор в лобби? часы переводить надо?"
    )
    assert "07:30" in reply and "9 марта" in reply, reply


def test_an_faq_that_goes_hotel_by_hotel_gives_the_participants_own(ask_judicial: Asker) -> None:
    """The Wi-Fi password is the hotel's where one sleeps, or in the city named."""
    reply = ask_judicial("P10", "2031-03-09T20:00-05:00", "какой пароль от вайфая в отеле?")
    assert "Justice31" in reply, reply
    assert not any(other in reply for other in ("Gavel2031", "Crescent31", "Boise2031")), reply
    reply = ask_judicial("P18", "2031-03-09T20:30-06:00", "hotel wifi password here in boise?")
    assert "Boise2031" in reply and "Justice31" not in reply, reply


def test_who_speaks_or_hosts_is_answered_from_the_visit(ask_judicial: Asker) -> None:
    """ "Whom do we meet at the public defender's?" is the visit's description, not contacts;
    "who is lecturing now?" the event going on."""
    reply = ask_judicial(
        "P05", "2031-03-12T13:00-05:00", "qui on rencontre au Delta Public Defender cet aprem?"
    )
    assert "Keisha Fontenot" in reply, reply
    reply = ask_judicial("P12", "2031-03-06T15:30-08:00", "privet, kto chitaet lekciyu seichas?")
    assert "Helen Marsh-Tanaka" in reply, reply


def test_the_weather_is_the_faqs_when_the_programme_has_one(ask_judicial: Asker) -> None:
    """Weather is outside what the bot knows, unless the programme's FAQ covers it."""
    reply = ask_judicial(
        "P06",
        "2031-03-08T10:30-08:00",
        "y va faire quel temps à Boise? faut-tu que j'amène ma tuque?",
    )
    assert "0 à 13" in reply, reply


def test_a_city_named_with_a_call_is_where_one_is(ask_judicial: Asker) -> None:
    """ "The Hague call, our time in Chicago?" is the online event in both zones, not the
    coordinator whose role names Chicago; the hotel's phone is its front desk."""
    reply = ask_judicial(
        "P16",
        "2031-03-11T07:30-05:00",
        "the hague call today, what time is that for us in chicago?",
    )
    assert "10:00" in reply and "555" not in reply, reply
    reply = ask_judicial("P15", "2031-03-12T12:40-06:00", "qual é o telefone da recepção do hotel?")
    assert "208 555 0129" in reply, reply


@pytest.fixture
def ask_narcotics(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2031 narcotics test programme (one Wi-Fi FAQ entry per
    hotel, a SIM card entry about mobile internet)."""
    yield from _asker(DATA / "programme-narcotics-2031.yaml", tmp_path)


def test_one_faq_entry_per_hotel_gives_the_one_where_one_sleeps(ask_narcotics: Asker) -> None:
    """Eight "Wi-Fi at <hotel>" entries: the password is the participant's hotel's, not the
    SIM card entry's, which is about mobile internet."""
    for key, now, text, password in (
        ("P18", "2031-04-28T21:00-04:00", "wifi password?", "Seelbach1905"),
        ("P14", "2031-04-24T20:00-07:00", "qual a senha do wifi?", "SonoranSun50"),
        ("P05", "2031-04-28T22:00-07:00", "c'est quoi le code wifi ?", "Harmon105LV"),
    ):
        reply = ask_narcotics(key, now, text)
        assert password in reply and "T-Mobile" not in reply, reply


@pytest.fixture
def ask_digital(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2032 digital-evidence test programme (calls held on Vienna
    and Singapore time; Honolulu without daylight saving)."""
    yield from _asker(DATA / "programme-digital-2032.yaml", tmp_path)


def test_a_call_held_far_away_falls_on_the_readers_own_day(ask_digital: Asker) -> None:
    """08:00 on Tuesday in Singapore is 14:00 on Monday in Honolulu: Monday's agenda lists it,
    and its time where one is names that day."""
    reply = ask_digital("P18", "2032-10-03T16:00-10:00", "anything on monday?")
    assert "INTERPOL" in reply and "14:00" in reply, reply
    reply = ask_digital(
        "P06",
        "2032-10-04T08:00-10:00",
        "INTERPOL c'est à 8h à Singapour, ça fait quelle heure ici ?",
    )
    assert "lun. 4 octobre, 14:00" in reply, reply


def test_the_city_one_is_in_says_where_one_is_not_which_event(ask_digital: Asker) -> None:
    """ "The Vienna call on the 6th, what time for us in Salt Lake?" is the Vienna call, not
    the visit in Salt Lake City that day."""
    reply = ask_digital(
        "P02",
        "2032-09-29T20:00-04:00",
        "la reunion con Viena del 6, a q hora es para nosotros en Salt Lake?",
    )
    assert "UNODC" in reply and "9:00" in reply and "Secret Service" not in reply, reply


def test_a_call_over_asks_what_comes_next(ask_digital: Asker) -> None:
    """ "Vienna call done, what's next?" asks for the next event, not whom to call."""
    reply = ask_digital("P18", "2032-10-06T10:00-07:00", "ok vienna call done. what's next for us?")
    assert "13:00" in reply and "Forensics" in reply, reply


def test_the_hotels_reception_is_the_hotel_not_an_faq_answer(ask_narcotics: Asker) -> None:
    """ "The hotel's reception number" is the hotel's front desk, not the laundry FAQ whose
    answer mentions the reception; the Russian "по программе" is the programme."""
    reply = ask_narcotics("P06", "2031-04-27T13:30-04:00", "le numéro de la réception de l'hôtel ?")
    assert "502 555 0158" in reply, reply


def test_a_function_word_is_no_other_languages_intent(ask_digital: Asker) -> None:
    """ "Что сегодня по программе?" is today's programme; the Portuguese "ou" is no French
    "où"."""
    reply = ask_digital("P10", "2032-10-08T07:00-04:00", "что сегодня по программе?")
    assert "09:30" in reply and "Attorney General" in reply, reply


@pytest.fixture
def ask_election(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2030 election-security test programme (one Wi-Fi answer
    listing every hotel in one sentence)."""
    yield from _asker(DATA / "programme-election-2030.yaml", tmp_path)


def test_a_list_of_hotels_in_one_sentence_gives_the_participants_own(ask_election: Asker) -> None:
    """ "Washington A; Denver B; Phoenix C." gives only the clause of the hotel one is in."""
    reply = ask_election("P17", "2030-03-04T20:00-07:00", "wifi password at this hotel?")
    assert "MileHigh5280" in reply and "Sonoran85" not in reply, reply
    assert reply.startswith("Hotel Wi-Fi (network / password): Denver"), reply


@pytest.fixture
def ask_juvenile(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2034 juvenile-justice test programme (Wi-Fi entries named
    by city, a weather FAQ going city by city)."""
    yield from _asker(DATA / "programme-juvenile-2034.yaml", tmp_path)


def test_a_city_picks_an_entry_of_the_topic_not_the_topic(ask_juvenile: Asker) -> None:
    """ "The weather in San Francisco?" is the weather entry's sentence on San Francisco, not
    the entry "Wi-Fi at the San Francisco hotel"."""
    reply = ask_juvenile(
        "P01", "2034-06-17T21:00-07:00", "q clima hace en san francisco? hace frio?"
    )
    assert "12-19" in reply and "Fog1849" not in reply and "Milwaukee" not in reply, reply


def test_everyday_ways_of_asking_reach_the_topic(ask_narcotics: Asker) -> None:
    """Laundry asked with verbs ("laver ses vêtements", "lavo roupa"), the per diem spelled in
    Arabic letters, and the day's programme asked as such."""
    reply = ask_narcotics(
        "P04", "2031-04-28T20:00-05:00", "on peut laver ses vêtements à l'hôtel ?"
    )
    assert "Hilton Minneapolis" in reply, reply
    reply = ask_narcotics("P13", "2031-04-28T20:00-05:00", "onde lavo roupa aqui no hotel?")
    assert "Hilton Minneapolis" in reply, reply
    reply = ask_narcotics("P07", "2031-04-28T20:00-05:00", "شحال هو البيرديام ديال كل نهار؟")
    assert "79" in reply, reply
    reply = ask_narcotics("P04", "2031-04-25T07:30-04:00", "bonjour, programme du jour svp")
    assert reply.startswith("Votre programme du vendredi 25 avril"), reply


@pytest.fixture
def ask_forensic(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2035 forensic-science test programme (Wi-Fi passwords in
    each hotel's notes, calls with Tokyo and The Hague, a lost-passport FAQ)."""
    yield from _asker(DATA / "programme-forensic-2035.yaml", tmp_path)


def test_the_hotels_own_notes_give_its_wifi_password(ask_forensic: Asker) -> None:
    """The FAQ only says "see your hotel": the hotel's notes hold the password."""
    reply = ask_forensic(
        "P02", "2035-09-24T22:00-05:00", "cual es la contraseña del wifi del hotel?"
    )
    assert "Lab2035tx" in reply, reply
    reply = ask_forensic(
        "P10", "2035-09-23T13:30-06:00", "какой пароль от вайфая в отеле в денвере"
    )
    assert "Rocky2035" in reply, reply


def test_cities_abroad_in_the_readers_language_name_the_call(ask_forensic: Asker) -> None:
    """ "Tokio", "Гаагой": the call with Tokyo or The Hague, asked with a clock time too."""
    reply = ask_forensic("P03", "2035-09-24T18:00-07:00", "cuando es la videollamada con Tokio?")
    assert "17:00" in reply and "Tokyo" in reply, reply
    reply = ask_forensic(
        "P11", "2035-09-18T20:00-04:00", "созвон с Гаагой в 9 утра, а у них сколько будет?"
    )
    assert "09:00" in reply and "Hague" in reply, reply


def test_what_the_days_notes_say_beats_an_faq_on_the_same_word(ask_forensic: Asker) -> None:
    """ "What is on tomorrow? Do I need my passport?": the day's visits and their notes, not
    the lost-passport FAQ; "the dress code tomorrow, and the passport?" likewise."""
    reply = ask_forensic(
        "P13", "2035-09-16T20:00-04:00", "o que temos amanhã? preciso levar passaporte?"
    )
    assert "09:00" in reply and "Bring your passport" in reply, reply
    assert "202 555 0199" not in reply, reply
    reply = ask_forensic(
        "P04", "2035-09-16T20:00-04:00", "demain c'est quoi la tenue ? et faut le passeport ?"
    )
    assert "09:00" in reply and "passeport" in reply, reply


def test_a_word_with_a_names_consonants_is_not_that_name() -> None:
    """ "Maintenu" has the consonants of Montaño, yet names nobody; a typo of a name does."""
    skeletons = NameSkeletons({})
    index = NameIndex(skeletons, {"P01": ["gabriela", "rios", "montano"]})
    assert index.named(["maintenu"]) == set()
    assert index.named(["montanno"]) == {"P01"}


@pytest.fixture
def ask_emergency(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2036 emergency-management test programme (visits to
    emergency offices and a hospital)."""
    yield from _asker(DATA / "programme-emergency-2036.yaml", tmp_path)


def test_a_visit_named_by_an_alarming_word_is_a_visit(ask_emergency: Asker) -> None:
    """ "The hospital visit tomorrow", "the emergency management meeting": when and where, not
    the emergency numbers."""
    reply = ask_emergency(
        "P17", "2036-04-15T19:00-06:00", "what time is the hospital visit tomorrow"
    )
    assert "13:30" in reply and "Intermountain" in reply, reply
    reply = ask_emergency(
        "P02",
        "2036-04-13T15:00-06:00",
        "a q hora es la reunion de manejo de emergencias de utah? es mañana verdad",
    )
    assert "9:00" in reply and "911" not in reply, reply


def test_a_days_programme_asked_with_a_reason_is_the_day(ask_emergency: Asker) -> None:
    """ "What do we have today? To know if I wear a jacket": the day's items with their times
    and dress; a group's coordinator asked in Russian is the group's own."""
    reply = ask_emergency(
        "P01", "2036-04-15T07:05-05:00", "buenos dias, q tenemos hoy? para saber si llevo saco"
    )
    assert "9:30" in reply and "15:00" in reply, reply
    reply = ask_emergency("P12", "2036-04-15T19:00-07:00", "кто координатор нашей группы?")
    assert "Karim Mansour" in reply, reply


def test_each_question_of_a_message_is_answered(ask_forensic: Asker) -> None:
    """ "The closing? And the farewell dinner?": both; "which hotel tonight? the address" is
    the hotel once; a question about another participant declines the whole message."""
    reply = ask_forensic(
        "P13", "2035-10-02T08:00-04:00", "que horas é o encerramento? e o jantar de despedida?"
    )
    assert "15:00" in reply and "19:00" in reply, reply
    reply = ask_forensic(
        "P17", "2035-09-22T20:00-04:00", "what's on tomorrow? and when is the farewell dinner?"
    )
    assert "Farewell dinner" in reply and reply.count("Your programme") == 1, reply
    reply = ask_forensic("P18", "2035-09-30T18:00-04:00", "which hotel tonight? the address pls")
    assert reply.count("338 Newbury Street") == 1, reply
    reply = ask_forensic(
        "P16", "2035-09-17T08:00-04:00", "what's on today? and where is Rohan Perera's hotel?"
    )
    assert "09:00" not in reply, reply


def test_an_emergency_told_without_the_word_is_an_emergency(ask_emergency: Asker) -> None:
    """Someone at the door at night, a roommate who cannot breathe, a lost suitcase: whom to
    call, at once."""
    reply = ask_emergency(
        "P05",
        "2036-04-19T23:30-05:00",
        "quelqu'un essaie d'entrer dans ma chambre, j'appelle qui??",
    )
    assert "911" in reply, reply
    reply = ask_emergency(
        "P08", "2036-04-19T02:00-06:00", "زميلي في الغرفة تعبان جداً ومش قادر ياخد نفسه، أكلم مين؟"
    )
    assert "911" in reply, reply
    reply = ask_emergency(
        "P13", "2036-04-22T16:00-04:00", "minha mala não chegou em miami!! com quem eu falo?"
    )
    assert "202 555 0150" in reply, reply


def test_the_programmes_part_of_a_message_otherwise_off_topic(ask_emergency: Asker) -> None:
    """ "Our hotel's name from the 12th? I want to book a restaurant near it": the hotel; the
    exchange rate alone stays declined."""
    reply = ask_emergency(
        "P07",
        "2036-04-10T21:00-04:00",
        "وش اسم فندقنا في نيو اورلينز من ليلة ١٢؟ ابي احجز مطعم قريب",
    )
    assert "Le Pavillon" in reply, reply
    reply = ask_emergency(
        "P16", "2036-04-14T09:00-05:00", "whats the peso to dollar rate today? need to change money"
    )
    assert "9:00" not in reply and "Army Corps" not in reply, reply


def test_a_phone_taken_to_a_visit_is_the_visits_rule(ask_emergency: Asker) -> None:
    """ "Can I go in with my phone tomorrow?" is what the visit's notes say, not whom to
    call; so is "how many bags on tomorrow's flight?" the luggage answer in Portuguese."""
    reply = ask_emergency(
        "P11", "2036-04-07T20:00-04:00", "завтра в министерство можно с телефоном?"
    )
    assert "Телефоны" in reply and "Programme officer" not in reply, reply
    reply = ask_emergency(
        "P02", "2036-04-07T20:00-04:00", "mañana en CISA se puede entrar con el celular?"
    )
    assert "lockers" in reply, reply
    reply = ask_emergency("P15", "2036-04-11T20:00-04:00", "quantas malas posso despachar amanhã?")
    assert "23 kg" in reply, reply


@pytest.fixture
def ask_courts(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2037 court-administration test programme (a court visit
    on most days)."""
    yield from _asker(DATA / "programme-courts-2037.yaml", tmp_path)


def test_a_common_word_names_the_days_own_event(ask_courts: Asker) -> None:
    """ "This morning's court": of the many courts, the one on this morning's programme."""
    reply = ask_courts(
        "P17", "2037-09-28T07:30-05:00", "good morning, address of this morning's court pls"
    )
    assert "400 East 9th" in reply, reply


def test_a_state_names_its_city_and_a_pizzeria_is_off_topic(ask_courts: Asker) -> None:
    """ "The hotel in Hawaii" is the Honolulu leg's; "the best pizzeria in Salt Lake City"
    names a city of the programme, yet is not about it."""
    reply = ask_courts(
        "P03", "2037-10-06T09:00-07:00", "hola! cual es el hotel de hawai y la direccion? gracias"
    )
    assert "1700 Ala Moana" in reply, reply
    reply = ask_courts(
        "P03", "2037-09-28T21:00-06:00", "¿Cuál es la mejor pizzería de Salt Lake City?"
    )
    assert "350 South Main" not in reply and "courtroom" not in reply, reply


@pytest.fixture
def ask_policing(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2038 community-policing test programme."""
    yield from _asker(DATA / "programme-policing-2038.yaml", tmp_path)


def test_arrived_in_the_city_one_is_in_asks_what_is_next(ask_policing: Asker) -> None:
    """ "Just got to the hotel in Atlanta, what's the next appointment?": what comes next,
    not the hotel."""
    reply = ask_policing(
        "P04",
        "2038-06-22T17:30-04:00",
        "On vient d'arriver à l'hôtel à Atlanta, merci ! C'est quoi le prochain rendez-vous ?",
    )
    assert "09:30" in reply, reply


@pytest.fixture
def ask_assets(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2030 asset-recovery test programme (clocks go back on
    Sunday 3 November, when group C in Anchorage leaves by bus at 10:00)."""
    yield from _asker(DATA / "programme-assets-2030.yaml", tmp_path)


def test_a_clock_time_said_on_a_day_names_that_days_event(ask_assets: Asker) -> None:
    """ "The 10:00 bus tomorrow, new time?": tomorrow's event at 10:00 (its bus is only in
    its description), then the clock change; "the 7.30" is a time, not 30 July or the 7th."""
    for text in (
        "clocks go back tonight, right? is the 10:00 bus tomorrow already the new time?",
        "esta noche se atrasa la hora? el bus de mañana a las 10:00 es con la hora nueva?",
    ):
        reply = ask_assets(
            "P18" if text.startswith("clocks") else "P03", "2030-11-02T21:00-08:00", text
        )
        assert "10:00" in reply and "Alaska" in reply, reply
        assert "one hour" in reply or "una hora" in reply, reply
    reply = ask_assets("P18", "2030-11-02T21:00-08:00", "is the 10.00 bus tomorrow old or new time")
    assert "10:00" in reply and "Alaska" in reply, reply


@pytest.fixture
def ask_ports(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2038 port-policing test programme (a badge FAQ; the orientation
    hands the badges out)."""
    yield from _asker(DATA / "programme-ports-2038.yaml", tmp_path)


@pytest.fixture
def ask_evidence(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2039 digital-evidence test programme (a SIM-card FAQ, hotel
    Wi-Fi in the hotels' notes, a visit moved from Monday to Tuesday, a cancelled briefing)."""
    yield from _asker(DATA / "programme-evidence-2039.yaml", tmp_path)


@pytest.fixture
def ask_integrity(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2040 anti-corruption test programme (interpreters who speak
    several languages, a gifts FAQ, an Election Day observation)."""
    yield from _asker(DATA / "programme-anticorruption-2040.yaml", tmp_path)


def test_a_thing_lost_is_what_the_faq_says_to_do(ask_ports: Asker) -> None:
    """ "I lost my badge": the FAQ says whom to call, not when the badges were handed out."""
    for key, text in (
        ("P16", "i lost my badge yesterday, what do i do?"),
        ("P10", "потерял бейдж, что теперь делать?"),
        ("P07", "ضاعت بطاقة البرنامج مني، شو أعمل؟"),
    ):
        reply = ask_ports(key, "2038-04-20T08:00-04:00", text)
        assert "410 555 0100" in reply, reply


def test_my_interpreter_speaks_my_language(ask_integrity: Asker) -> None:
    """Of interpreters who all speak Spanish, "my interpreter" is the Spanish interpreter."""
    reply = ask_integrity("P01", "2040-10-30T09:00-04:00", "el numero de mi interprete porfa")
    assert "202 555 0161" in reply and "202 555 0165" not in reply, reply
    reply = ask_integrity("P13", "2040-10-30T09:00-04:00", "qual é o número do meu intérprete?")
    assert "202 555 0165" in reply and "202 555 0161" not in reply, reply


def test_the_wifi_here_is_the_hotels_whatever_faq_says_data(ask_evidence: Asker) -> None:
    """The Wi-Fi password is in the hotel's notes; the SIM cards' FAQ speaks of data."""
    for text in ("wifi password?", "какой пароль от wifi?", "la clave del wifi aqui?"):
        key = {"w": "P16", "к": "P10", "l": "P01"}[text[0]]
        reply = ask_evidence(key, "2039-03-07T21:00-05:00", text)
        assert "Evidence39" in reply and "Meridian" not in reply, reply


def test_still_on_that_day_asks_where_the_event_is_now(ask_evidence: Asker) -> None:
    """ "Is the Brightwater visit still on Monday?": Tuesday's visit, not Monday's other one."""
    for text in (
        "is the brightwater visit still on monday?",
        "la visita a brightwater sigue siendo el lunes o la cambiaron?",
    ):
        reply = ask_evidence("P16" if text[0] == "i" else "P01", "2039-03-19T10:00-07:00", text)
        assert "14:00" in reply and "Brightwater" in reply and "RCFL" not in reply, reply


def test_a_day_read_whole_and_a_free_day_says_what_comes_next(ask_evidence: Asker) -> None:
    """A free day says when the programme picks up; "the full schedule, something this evening
    too?" is the whole day; what follows a visit skips a cancelled briefing."""
    reply = ask_evidence("P11", "2039-03-19T16:00-07:00", "что у нас завтра?")
    assert "08:15" in reply and "Caltrain" in reply, reply
    reply = ask_evidence(
        "P17", "2039-03-15T07:30-05:00", "full schedule for today pls, something this evening too?"
    )
    assert "10:00" in reply and "19:00" in reply, reply
    reply = ask_evidence("P16", "2039-03-09T12:00-05:00", "what's after the FBI visit?")
    assert "CISA" not in reply and "10:00" in reply, reply


def test_a_word_of_another_topic_in_a_title_names_the_event(ask_integrity: Asker) -> None:
    """ "Where is the elections thing today?" is the observation; who will win them is not the
    programme's; a gift offered is the gifts FAQ."""
    reply = ask_integrity("P02", "2040-11-06T08:00-08:00", "donde es lo de las elecciones hoy")
    assert "965 Trade Drive" in reply, reply
    reply = ask_integrity(
        "P02", "2040-11-06T08:00-08:00", "quien crees que va a ganar las elecciones?"
    )
    assert "965 Trade Drive" not in reply and "10:00" not in reply, reply
    reply = ask_integrity(
        "P03", "2040-10-31T16:00-06:00", "me quieren regalar un reloj, puedo aceptarlo?"
    )
    assert "USD 25" in reply, reply


def test_a_city_stayed_in_twice_a_breath_short_and_the_cold(ask_integrity: Asker) -> None:
    """The new hotel of a city stayed in twice is the stay not over yet; a roommate short of
    breath is an emergency; "gonna be cold in Philadelphia?" is the weather FAQ's."""
    reply = ask_integrity(
        "P16",
        "2040-11-07T18:00-08:00",
        "the new hotel in washington, whats it called? not the first one",
    )
    assert "Navy Yard Riverside" in reply, reply
    reply = ask_integrity(
        "P17", "2040-11-06T02:00-08:00", "my roommate is having trouble breathing, what number?"
    )
    assert "911" in reply, reply
    reply = ask_integrity(
        "P16", "2040-10-24T18:00-04:00", "gonna be cold in philadelphia? bring a coat?"
    )
    assert "8-18" in reply, reply


@pytest.fixture
def ask_prosecution(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2042 prosecution test programme (clocks go forward on the
    night before the 07:00, 08:00 and 09:30 lobby calls of the three groups' flights)."""
    yield from _asker(DATA / "programme-prosecution-2042.yaml", tmp_path)


@pytest.fixture
def ask_migration(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2043 migration test programme (a lost-passport FAQ, a
    medical FAQ and line, breakfast in the Seattle hotel's notes)."""
    yield from _asker(DATA / "programme-migration-2043.yaml", tmp_path)


def test_a_time_said_tonight_is_the_next_event_at_that_time(ask_prosecution: Asker) -> None:
    """ "Clocks change tonight: is the lobby call at 7 the new time?": tomorrow's 07:00 flight,
    whose notes say which time; "9 y media" is 9:30."""
    reply = ask_prosecution(
        "P16",
        "2042-03-08T21:30-05:00",
        "clocks change tonight right? is the lobby call at 7 the new time?",
    )
    assert "07:00" in reply and "EDT" in reply, reply
    reply = ask_prosecution(
        "P03",
        "2042-03-08T19:00-07:00",
        "esta noche cambian la hora, no? lo del lobby a las 9 y media es con la hora nueva?",
    )
    assert "9:30" in reply and "MDT" in reply, reply


def test_a_lost_passport_and_clothes_no_longer_clean(ask_migration: Asker) -> None:
    """A lost passport gets the FAQ's steps, or the duty phone when someone to call is asked
    for; "plus de vêtements propres" is the laundry, nothing lost."""
    reply = ask_migration("P10", "2043-09-08T22:00-04:00", "потерял паспорт кажется(( что делать??")
    assert "посольств" in reply, reply
    reply = ask_migration("P16", "2043-09-08T22:00-04:00", "lost my passport!! who do i call?")
    assert "202 555 0100" in reply, reply
    reply = ask_migration(
        "P06",
        "2043-09-16T21:00-04:00",
        "j'ai plus de vêtements propres lol, comment je fais laver mon linge ici ?",
    )
    assert "lendemain" in reply and "passeport" not in reply, reply


def test_after_a_visit_breakfast_and_a_fever(ask_migration: Asker) -> None:
    """What follows a visit named by a word an FAQ answer also uses; breakfast is the hotel's;
    a roommate with a fever gets the medical line and what the FAQ says of emergencies."""
    reply = ask_migration("P01", "2043-09-14T12:35-05:00", "q hay despues de la visita al puerto?")
    assert "12:45" in reply and "Almuerzo" in reply, reply
    reply = ask_migration("P16", "2043-09-20T07:00-07:00", "breakfast where?? and till when")
    assert "Sound View" in reply, reply
    reply = ask_migration(
        "P09", "2043-09-20T23:00-07:00", "زميلي بالغرفة تعبان كتير وعنده حرارة عالية، لمين نتصل؟"
    )
    assert "202 555 0190" in reply and "911" in reply, reply


def test_how_far_apart_two_cities_clocks_are(ask_prosecution: Asker) -> None:
    """The time difference between cities named, or one named and where one is, comes from
    their zones at that moment; an event's time is also given in another city asked about."""
    reply = ask_prosecution(
        "P05",
        "2042-03-10T09:00-07:00",
        "À Phoenix, on a combien d'heures de décalage avec Washington, là?",
    )
    assert "3 heures" in " ".join(reply.split()) and "MST" in reply and "EDT" in reply, reply
    reply = ask_prosecution("P07", "2042-03-10T20:00-07:00", "كم ساعة الفرق بين فينيكس وواشنطن؟")
    assert "3 ساعات" in " ".join(reply.split()), reply
    # Before the clocks go forward in Washington, Phoenix is two hours behind.
    reply = ask_prosecution(
        "P10", "2042-03-02T12:00-05:00", "на сколько часов Финикс отстает от Вашингтона?"
    )
    assert "2 часа" in " ".join(reply.split()) and "EST" in reply, reply
    reply = ask_prosecution(
        "P16",
        "2042-03-10T20:00-07:00",
        "the perryville visit tomorrow, what time here and what time is that in washington?",
    )
    assert "08:30" in reply and "11:30 in Washington" in reply, reply


@pytest.fixture
def ask_rescue(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2044 search-and-rescue test programme (a lost-items FAQ; a
    morning at a rescue centre on a military base)."""
    yield from _asker(DATA / "programme-rescue-2044.yaml", tmp_path)


@pytest.fixture
def ask_environment(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2046 environmental-crime test programme (an insects FAQ, a
    meeting moved to another day, an orientation in the Kestrel room)."""
    yield from _asker(DATA / "programme-environment-2046.yaml", tmp_path)


def test_a_thing_left_behind_and_this_mornings_one_event(ask_rescue: Asker) -> None:
    """A charger left on the minibus is the lost-items FAQ's; "this morning, is it on the
    military base?" is this morning's one event, not another day's that says "base"; the
    weather in a city this season is the FAQ's."""
    reply = ask_rescue(
        "P01",
        "2044-04-30T15:00-04:00",
        "se me quedo el cargador en el minibus del aeropuerto, q hago",
    )
    assert "24 horas" in reply, reply
    reply = ask_rescue(
        "P06",
        "2044-05-04T08:30-08:00",
        "ce matin c'est sur la base militaire c ca? adresse svp et on y va comment",
    )
    assert "10480 Sijan" in reply and "455 Commercial" not in reply, reply
    # A meeting named for this afternoon that is tomorrow's was moved: tomorrow's it is.
    reply = ask_rescue(
        "P05", "2044-05-10T07:00-07:00", "tjrs la reunion avec les pilotes cet aprem?"
    )
    assert "09:30" in reply and "Pilotes de la barre" in reply, reply
    # The weather FAQ, though a visit's title names the weather service.
    reply = ask_rescue(
        "P04",
        "2044-04-25T20:00-04:00",
        "Quel temps fait-il à Miami en cette saison ? Que dois-je emporter ?",
    )
    assert "27-31" in reply, reply


def test_insects_a_day_moved_to_and_the_first_meeting(ask_environment: Asker) -> None:
    """Bugs and mosquitoes are the insects FAQ's; "moved to which day?" gives the new day;
    tomorrow's first meeting is the day's first event, with its notes."""
    reply = ask_environment(
        "P01", "2046-07-17T06:45-06:00", "hay muchos bichos en la isla? q me echo"
    )
    assert "repelente" in reply, reply
    reply = ask_environment(
        "P08",
        "2046-07-12T16:00-04:00",
        "اجتماع لجنة فلوريدا تبع خراف البحر انتقل لأي يوم؟ وأي ساعة",
    )
    assert "14" in reply and "10:00" in reply, reply
    reply = ask_environment("P09", "2046-07-08T21:30-04:00", "بكرة الاجتماع الاول وين؟ وكيف ندخل")
    assert "Kestrel" in reply and "5275 Leesburg" not in reply, reply


@pytest.fixture
def ask_infrastructure(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2047 infrastructure test programme (participants named
    Salas and Chowdhury, a neon sign museum in Las Vegas)."""
    yield from _asker(DATA / "programme-infrastructure-2047.yaml", tmp_path)


def test_a_long_word_with_a_names_consonants_names_no_one(ask_infrastructure: Asker) -> None:
    """ "заселились" has the consonants of Salas and "старыми" a stem of Chowdhury's, yet
    neither names a participant; "Салас" does."""
    reply = ask_infrastructure(
        "P12", "2047-02-09T16:00-08:00", "где этот музей со старыми вывесками вечером?"
    )
    assert "770 North Las Vegas" in reply, reply
    reply = ask_infrastructure(
        "P10", "2047-02-07T15:00-08:00", "только заселились, во сколько и где собираемся?"
    )
    assert "других участниках" not in reply, reply
    reply = ask_infrastructure("P10", "2047-02-07T15:00-08:00", "в какой гостинице живёт Салас?")
    assert "других участниках" in reply, reply


@pytest.fixture
def ask_extremism(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2049 online-extremism test programme (an FAQ on prayer rooms
    and halal food, a luggage FAQ about the programme's flights)."""
    yield from _asker(DATA / "programme-extremism-2049.yaml", tmp_path)


def test_a_call_on_the_programme_is_not_someone_to_call(ask_infrastructure: Asker) -> None:
    """ "The Tallinn call tomorrow at 6pm their time, what is that for us?" is the video call,
    in both zones, not a list of contacts; someone who cannot walk needs 911."""
    reply = ask_infrastructure(
        "P08",
        "2047-02-07T21:00-08:00",
        "اتصال تالين بكرة الساعة 6 مساءً بتوقيتهم، يعني كم الساعة عندنا؟",
    )
    assert "08:00" in reply and "تالين" in reply, reply
    # A roommate who slipped and cannot walk is an emergency, not the winter-weather FAQ.
    reply = ask_infrastructure(
        "P17",
        "2047-02-11T07:30-05:00",
        "my roommate slipped on the ice and can't walk, who do we call",
    )
    assert "911" in reply and "non-slip" not in reply, reply


def test_an_arabic_faq_word_with_a_conjunction_attached(ask_extremism: Asker) -> None:
    """ "الطعام الحلال" finds the FAQ whose question says "والطعام الحلال"."""
    reply = ask_extremism(
        "P08", "2049-06-10T13:00-05:00", "هل الطعام الحلال متوفر في وجبات البرنامج؟"
    )
    assert "حلال" in reply and "23" not in reply, reply


@pytest.fixture
def ask_judiciary(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2048 judiciary test programme (a local coordinator per city
    besides each group's own)."""
    yield from _asker(DATA / "programme-judiciary-2048.yaml", tmp_path)


def test_our_local_person_here_is_the_citys_coordinator(ask_judiciary: Asker) -> None:
    """ "Who's our local person here in Tampa?": the coordinator whose role names Tampa first,
    not the group's own coordinator in another city."""
    reply = ask_judiciary(
        "P16", "2048-03-09T08:00-04:00", "whos our local person here in tampa? number pls"
    )
    numbers = [line for line in reply.splitlines() if "555" in line]
    assert numbers and "813 555 0144" in numbers[0], reply


@pytest.fixture
def ask_protection(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the 2045 child-protection test programme (a museum on Saturday
    4 November, a youth soccer league on Sunday 5 November)."""
    yield from _asker(DATA / "programme-protection-2045.yaml", tmp_path)


def test_the_weekend_named_by_its_two_days(ask_protection: Asker) -> None:
    """ "The weekend, what do we have Saturday and Sunday?" is both days, not Sunday alone."""
    reply = ask_protection(
        "P15", "2045-11-03T18:00-05:00", "e o fim de semana, o que a gente tem sábado e domingo?"
    )
    assert "Mill City" in reply and "11:00" in reply, reply


@pytest.fixture
def ask_corrections(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the corrections programme (clocks go back on its first Sunday)."""
    yield from _asker(DATA / "programme-corrections-2034.yaml", tmp_path)


@pytest.fixture
def ask_trafficking(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the trafficking programme."""
    yield from _asker(DATA / "programme-trafficking-2029.yaml", tmp_path)


def test_a_time_said_on_a_day_named_is_that_days_event(ask_corrections: Asker) -> None:
    """ "Tomorrow's gathering at 5:30, the new time?" is tomorrow's event at 5:30, which no
    word of its title names, with what the FAQ says of the clocks."""
    reply = ask_corrections(
        "P10", "2034-11-05T08:00-06:00", "завтра сбор в 5:30 - это по новому времени?"
    )
    assert "05:30" in reply and "Cumberland Riverfront" in reply, reply


def test_a_day_named_by_its_number_is_no_time_of_day(ask_trafficking: Asker) -> None:
    """ "Where do we sleep on the 7th?" is the hotel of the 7th, not an event at 7 pm."""
    reply = ask_trafficking(
        "P11", "2029-02-04T18:00-07:00", "где ночуем 7-го? название гостиницы и адрес"
    )
    assert "Cumberland Riverfront" in reply and "Music Row" not in reply, reply


@pytest.fixture
def ask_health(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the public health programme (hospital and fire visits)."""
    yield from _asker(DATA / "programme-health-2051.yaml", tmp_path)


@pytest.fixture
def ask_courtadmin(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the court administration programme."""
    yield from _asker(DATA / "programme-courtadmin-2052.yaml", tmp_path)


@pytest.fixture
def ask_harbors(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the harbour security programme."""
    yield from _asker(DATA / "programme-harbors-2050.yaml", tmp_path)


def test_a_word_that_sounds_an_alarm_may_name_a_visit(ask_health: Asker) -> None:
    """ "Done at the hospital, what next?" and "where is the firefighters' demo today?" ask
    about visits; an overdose is an emergency whatever the FAQ says of illness."""
    reply = ask_health("P01", "2051-11-03T11:30-04:00", "listo lo del hospital, y ahora q sigue??")
    assert "Martin Luther King" in reply and "14:00" in reply, reply
    reply = ask_health(
        "P06", "2051-11-02T08:00-06:00", "c'est ou la demo des pompiers aujourdhui ? c loin ?"
    )
    assert "11500 Sunset Gardens" in reply and "911" not in reply, reply
    reply = ask_health(
        "P14",
        "2051-11-02T22:00-05:00",
        "meu colega ta passando muito mal, acho q tomou remedio demais, pra quem eu ligo??",
    )
    assert "911" in reply, reply


def test_a_name_written_in_two_words_and_a_verb_that_sounds_like_one(
    ask_health: Asker, ask_courtadmin: Asker
) -> None:
    """ "خالد بن سعيد" is Khalid Bensaid, declined; "لاصطحابنا" ("to pick us up") is no Esteban."""
    reply = ask_health("P07", "2051-11-01T20:00-04:00", "وين رح يكون خالد بن سعيد بكرة؟")
    assert "Sidco" not in reply and "GEMA" not in reply, reply
    reply = ask_courtadmin(
        "P09", "2052-10-03T12:00-05:00", "متى يأتي المضيفون لاصطحابنا إلى العشاء الليلة؟"
    )
    assert "17:45" in reply, reply


def test_just_arrived_is_the_leg_begun_today(ask_health: Asker, ask_courtadmin: Asker) -> None:
    """ "Just landed at DCA, the hotel's address?" on a leg's first day is that leg's hotel, not
    the next city's."""
    reply = ask_health(
        "P05",
        "2051-10-23T13:30-04:00",
        "jsuis arrivée a DCA, c quoi l'adresse de l'hotel ? le taxi me demande",
    )
    assert "1721 Connecticut" in reply and "Nashville" not in reply, reply
    reply = ask_courtadmin(
        "P10", "2052-09-28T15:30-04:00", "приехали на south station, какой адрес отеля??"
    )
    assert "275 Tremont" in reply, reply


def test_the_duty_phone_asked_as_a_staff_number(ask_harbors: Asker) -> None:
    """ "Locked out, nobody at the front desk, a staff number for tonight?" is the duty phone."""
    reply = ask_harbors(
        "P16",
        "2050-05-17T22:30-08:00",
        "locked out of my room and nobody at the front desk, is there a staff number for tonight?",
    )
    assert "202 555 0100" in reply, reply


def test_topics_named_beside_a_day(ask_courtadmin: Asker) -> None:
    """The luggage allowance on tomorrow's flight, the cold at night in a city, and the Zoom ID
    of this afternoon's session: each what its own source says."""
    reply = ask_courtadmin(
        "P18", "2052-09-27T22:00-04:00", "How many bags can I check on the flight tomorrow?"
    )
    assert "23 kg" in reply, reply
    reply = ask_courtadmin(
        "P17",
        "2052-10-04T15:00-06:00",
        "does it get cold in SLC at night this time of year? should i buy a jacket",
    )
    assert "4-21" in reply, reply
    reply = ask_courtadmin(
        "P04",
        "2052-10-01T14:00-04:00",
        "Quel est l'identifiant Zoom pour la séance en ligne de cet après-midi ?",
    )
    assert "882 5052 1001" in reply, reply


@pytest.fixture
def ask_cyberfinance(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the cybercrime and finance programme."""
    yield from _asker(DATA / "programme-cyberfinance-2053.yaml", tmp_path)


@pytest.fixture
def ask_wildcrime(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the environmental crime programme (lunch at some visits)."""
    yield from _asker(DATA / "programme-wildcrime-2054.yaml", tmp_path)


@pytest.fixture
def ask_narcoborder(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the border programme (early lobby calls, Arizona time)."""
    yield from _asker(DATA / "programme-narcoborder-2055.yaml", tmp_path)


def test_tomorrow_asked_after_midnight_is_the_day_about_to_begin(
    ask_narcoborder: Asker,
) -> None:
    """ "Still awake, what's on tomorrow?" at 00:30 is the day that has just begun; "I know it
    is late" names no afternoon."""
    reply = ask_narcoborder(
        "P15", "2055-02-09T00:30-07:00", "oi, ainda acordada aqui kkk o que tem amanhã?"
    )
    assert "Pima" in reply and "9 de fevereiro" in reply, reply
    reply = ask_narcoborder(
        "P01",
        "2055-02-01T00:40-07:00",
        "oye ya se q es tarde jaja pero q hay mañana?? y a q hora hay q bajar al lobby",
    )
    assert "7:00" in reply and "14:30" in reply, reply


def test_arrived_and_the_time_at_home_now(ask_narcoborder: Asker) -> None:
    """ "We landed in Tucson, what time is it in San Diego now?" gives the clock there; "we are
    at LAX, how do we get to the hotel?" gives the hotel of the leg begun today; "on the road"
    ("по дороге") names no Tarek."""
    reply = ask_narcoborder(
        "P09", "2055-02-05T14:30-07:00", "وصلنا توسان. هلأ الساعة كم بسان دييغو؟"
    )
    assert "13:30" in reply, reply
    reply = ask_narcoborder(
        "P07", "2055-02-10T13:00-08:00", "وصلنا مطار LAX، كيف بدنا نروح عالفندق؟"
    )
    assert "Marisol" in reply, reply
    reply = ask_narcoborder(
        "P10", "2055-02-05T08:00-07:00", "где будет остановка по дороге и когда приедем в Тусон?"
    )
    assert "Columbus" in reply, reply


def test_this_meeting_a_game_and_how_friday_looks(ask_cyberfinance: Asker) -> None:
    """ "After this meeting, where do we go?" follows the meeting just over; "where is the
    hockey game tonight?" is the programme's game; "and Friday, how does it look?" is Friday."""
    reply = ask_cyberfinance("P08", "2053-03-12T12:00-05:00", "وبعد هذا الاجتماع وين نروح؟")
    assert "2800 Post Oak" in reply, reply
    reply = ask_cyberfinance(
        "P16",
        "2053-03-08T17:30-05:00",
        "Where is the hockey game tonight? Are we walking there from the hotel?",
    )
    assert "601 F Street" in reply, reply
    reply = ask_cyberfinance("P14", "2053-03-05T22:00-05:00", "e na sexta-feira, como fica?")
    assert "09:30" in reply and "19:30" in reply, reply


def test_lunch_and_the_passport_at_a_visit(ask_wildcrime: Asker) -> None:
    """Whether lunch is given and whether a passport is needed at a visit: that visit's notes."""
    reply = ask_wildcrime("P12", "2054-06-25T20:00-07:00", "Завтра в порту обед будет?")
    assert "Обед предоставляется" in reply, reply
    reply = ask_wildcrime(
        "P02", "2054-06-21T19:00-05:00", "mañana en el puerto hay que llevar el pasaporte?"
    )
    assert "Se requiere pasaporte" in reply, reply


@pytest.fixture
def ask_prisons(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the prison management programme (Boise, Milwaukee, a moved visit)."""
    yield from _asker(DATA / "programme-prisons-2058.yaml", tmp_path)


@pytest.fixture
def ask_sports(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the sports integrity programme (clocks go back mid-programme)."""
    yield from _asker(DATA / "programme-sportsintegrity-2057.yaml", tmp_path)


def test_clocks_apart_a_moved_visit_and_a_call_in_our_time(ask_prisons: Asker) -> None:
    """How far behind Washington a city is, whatever words come between; whether a visit is
    still on Tuesday; what time a call set in Oslo's time is here."""
    reply = ask_prisons(
        "P17",
        "2058-07-13T15:00-05:00",
        "Just landed in Milwaukee. How many hours are we behind DC?",
    )
    assert "1 hour" in reply, reply
    reply = ask_prisons(
        "P12", "2058-07-14T10:00-06:00", "на скока часов бойсе отстаёт от вашингтона?"
    )
    assert "2 час" in reply, reply
    reply = ask_prisons(
        "P05",
        "2058-07-14T12:00-05:00",
        "La visite de la House of Correction, c'est toujours mardi ?",
    )
    assert "13:00" in reply, reply
    reply = ask_prisons(
        "P01", "2058-07-22T08:00-04:00", "la videollamada con Oslo a q hora es en hora de aca?"
    )
    assert "10:00" in reply and "Oslo" in reply, reply


def test_done_at_a_visit_lost_in_town_and_a_second_instalment(ask_prisons: Asker) -> None:
    """ "Done at San Quentin, where now?" is what follows; "I am lost, the hotel's address?" is
    the hotel; "the second part of the per diem" names no Monday."""
    reply = ask_prisons(
        "P02", "2058-07-25T12:15-07:00", "ya salimos de San Quentin, y ahora pa donde vamos?"
    )
    assert "15:00" in reply, reply
    reply = ask_prisons(
        "P03",
        "2058-07-19T22:30-07:00",
        "estoy perdida, cual es la direccion del hotel?? el taxista no cacha",
    )
    assert "1230 J Street" in reply, reply
    reply = ask_prisons(
        "P14", "2058-07-18T09:00-05:00", "Quando recebemos a segunda parte das diárias?"
    )
    assert "18" in reply and "segunda-feira" not in reply, reply


def test_bets_lunch_a_greeting_in_latin_letters_and_a_lost_passport(ask_sports: Asker) -> None:
    """A betting tip is declined though the game is on the programme; "after lunch" follows the
    meeting just over; "sba7 el khir" greets; "سفري" ("my trip") names no Echeverría."""
    reply = ask_sports(
        "P12",
        "2057-11-11T08:00-05:00",
        "podskazhi na kogo stavit segodnya v matche Dolphins? kakoi koef luchshe",
    )
    assert "347 Don Shula" not in reply, reply
    reply = ask_sports("P08", "2057-11-06T12:45-07:00", "وبعد الغدا لوين رايحين؟")
    assert "14:00" in reply, reply
    reply = ask_sports("P09", "2057-11-02T07:30-05:00", "sba7 el khir, shu 3anna el yom?")
    assert "18:30" in reply, reply
    reply = ask_sports("P09", "2057-11-12T10:00-05:00", "ضيعت جواز سفري!! شو لازم أعمل؟")
    assert "202 555 0199" in reply, reply
    reply = ask_sports(
        "P11",
        "2057-11-03T22:00-04:00",
        "Часы переводят сегодня ночью? Сбор в холле в 9:30 - это уже по новому времени?",
    )
    assert "09:30" in reply, reply


@pytest.fixture
def ask_youth(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the youth policing programme (Salt Lake City, then Portland)."""
    yield from _asker(DATA / "programme-youthpolicing-2059.yaml", tmp_path)


def test_a_time_said_is_read_in_the_other_city_named(ask_youth: Asker) -> None:
    """ "The Portland flight lands at 14:00, what time is that in Salt Lake?" reads 14:00 in
    Portland's clock; "the ride-along at 18:30, what time in DC?" reads the event's."""
    reply = ask_youth(
        "P06",
        "2059-09-17T08:00-06:00",
        "le vol pour Portland arrive à 14h, ça fait quelle heure à Salt Lake ?",
    )
    assert "15:00" in reply, reply
    reply = ask_youth(
        "P18",
        "2059-09-18T21:00-07:00",
        "the ride-along tomorrow at 18:30, what time is that in DC? my boss wants to follow along",
    )
    assert "21:30" in reply, reply


def test_any_activity_asks_for_the_days_programme(ask_youth: Asker) -> None:
    """ "And tomorrow, Sunday, any activity?" is Sunday's programme, not an FAQ whose answer
    says "activity"."""
    reply = ask_youth("P15", "2059-09-13T20:00-06:00", "E amanhã, domingo, temos alguma atividade?")
    assert "14 de setembro" in reply and "livre" in reply, reply


@pytest.fixture
def ask_justice(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the access to justice programme (Raleigh, Austin, Honolulu)."""
    yield from _asker(DATA / "programme-justiceaccess-2061.yaml", tmp_path)


@pytest.fixture
def ask_west(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the western programme (Denver first)."""
    yield from _asker(DATA / "programme-west-2025.yaml", tmp_path)


def test_a_flight_west_lands_on_the_clock_of_the_city_reached(ask_sports: Asker) -> None:
    """A journey into another zone shows its arrival on the clock of the city reached."""
    reply = ask_sports(
        "P16", "2057-11-09T19:00-08:00", "what time do we land in Miami tomorrow, Miami time?"
    )
    assert "16:10" in reply and "13:10" not in reply, reply


def test_a_landing_time_said_is_read_on_the_clock_of_the_city_reached(ask_youth: Asker) -> None:
    """ "It lands in LA at 10:40, what time is that at home in Baltimore?" reads LA's clock."""
    reply = ask_youth(
        "P04",
        "2059-09-21T21:00-04:00",
        "L'avion de demain arrive à LA à 10h40, ça fait quelle heure chez nous à Baltimore ?",
    )
    assert "13:40" in reply, reply


def test_the_call_to_leave_comes_with_what_is_next(ask_justice: Asker) -> None:
    """What is next says when the coach leaves, not only when the visit starts."""
    reply = ask_justice(
        "P03", "2061-06-11T06:30-10:00", "holaa ya desperte, q sigue? a q hora sale el bus??"
    )
    assert "07:15" in reply, reply


def test_checkout_in_a_city_named_is_the_hotels(ask_west: Asker) -> None:
    """ "Checkout in Denver, what time?" is the hotel's checkout, not the city's events."""
    reply = ask_west("W07", "2025-09-12T21:00-06:00", "во сколько чекаут в Денвере?")
    assert "11:00" in reply, reply


def test_the_time_back_home_or_in_a_world_city(ask_sports: Asker) -> None:
    """ "What time is that in Dakar / back home?": cities and countries beyond the programme's,
    home being the participant's country on the roster."""
    reply = ask_sports(
        "P16",
        "2057-11-09T19:00-08:00",
        "what time do we land in Miami tomorrow? and what time is that in Manila?",
    )
    # 16:10 in Miami (EST) is 05:10 the next day in Manila.
    assert "05:10" in reply, reply
    # P09 comes from Tunisia (UTC+1): 07:30 in Chicago is 13:30 there.
    reply = ask_sports("P09", "2057-11-02T07:30-05:00", "كم الساعة الآن في بلدي؟")
    assert "13:30" in reply, reply
    reply = ask_sports("P16", "2057-11-02T07:30-05:00", "what time is it back home right now?")
    assert "14:30" in reply, reply


@pytest.fixture
def ask_probation(tmp_path: Path) -> Iterator[Asker]:
    """Ask as a participant of the probation programme (Detroit, St. Louis, San Juan, LA)."""
    yield from _asker(DATA / "programme-probation-2067.yaml", tmp_path)


def test_the_first_day_asked_before_leaving_home(ask_probation: Asker) -> None:
    """ "Flying out tonight; what happens on the first day?" is the programme's first day,
    though "tonight" names a day before it."""
    reply = ask_probation(
        "P17", "2067-10-22T18:00+05:30", "Hi, flying out tonight. What happens on the first day?"
    )
    assert "15:00" in reply and "19:00" in reply, reply


def test_the_dollar_against_the_euro_is_another_topic(ask_probation: Asker) -> None:
    """A title with "Euro" in it does not make the exchange rate a question about it."""
    reply = ask_probation("P13", "2067-11-08T07:00-08:00", "quanto tá o dólar pro euro hoje?")
    assert "09:00" not in reply, reply


def _folder(tmp_path: Path, name: str) -> Path:
    """A store of its own for one programme, so that a test may ask on several."""
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _asking(programme: str, doc: str) -> Any:
    """A fixture asking on one test programme, in a store of its own (a test may use several)."""

    def asking(tmp_path: Path) -> Iterator[Asker]:
        yield from _asker(DATA / programme, _folder(tmp_path, programme))

    asking.__doc__ = doc
    return pytest.fixture(asking)


ask_drones = _asking(
    "programme-drones-2064.yaml",
    "Ask as a participant of the drones programme (groups apart in Huntsville, Boise and "
    "Anchorage).",
)


ask_missing = _asking(
    "programme-missing-2065.yaml",
    "Ask as a participant of the missing persons programme (Phoenix in the week asked).",
)


ask_aml = _asking(
    "programme-aml-2063.yaml",
    "Ask as a participant of the anti-money-laundering programme (DC, Las Vegas, Seattle).",
)


ask_cargo = _asking(
    "programme-cargo-2066.yaml",
    "Ask as a participant of the cargo theft programme (Kansas City last).",
)


ask_hostage = _asking(
    "programme-hostage-2062.yaml",
    "Ask as a participant of the hostage programme (Denver for group C).",
)


ask_timber = _asking(
    "programme-timber-2027.yaml",
    "Ask as a participant of the timber trafficking programme (Portland, Anchorage, Salt Lake "
    "City apart; Chicago together).",
)


ask_ransomware = _asking(
    "programme-ransomware-2028.yaml",
    "Ask as a participant of the ransomware programme (Nashville, Phoenix, Honolulu apart; "
    "Boston together).",
)


ask_gangs = _asking(
    "programme-gangs-2026.yaml",
    "Ask as a participant of the youth gangs programme (San Diego, Minneapolis, Albuquerque "
    "apart).",
)


ask_piracy = _asking(
    "programme-piracy-2027.yaml",
    "Ask as a participant of the piracy programme (Norfolk, Houston, San Juan; Seattle).",
)


ask_disinformation = _asking(
    "programme-disinformation-2028.yaml",
    "Ask as a participant of the election security programme (Philadelphia last).",
)


ask_dna = _asking(
    "programme-dna-2027.yaml",
    "Ask as a participant of the DNA evidence programme (Washington first, Las Vegas last).",
)


def test_a_capital_no_zone_is_named_after(ask_probation: Asker, ask_missing: Asker) -> None:
    """Brasília and Chennai keep the clocks of São Paulo and Kolkata, under their own names."""
    reply = ask_probation(
        "P17",
        "2067-11-09T12:00-08:00",
        "my family in Chennai wants to watch the closing session live - what time does it start"
        " for them?",
    )
    assert "03:30" in reply and "Chennai" in reply, reply
    reply = ask_missing(
        "P15",
        "2065-10-27T20:00-07:00",
        "o webinar de amanhã é a que horas aqui? e que horas vai ser em Brasília?",
    )
    assert "12:00" in reply, reply


def test_another_groups_hotel_in_a_city_named(ask_drones: Asker, ask_gangs: Asker) -> None:
    """A city only another group stays in gives that group's hotel, said to be theirs, and
    one's own for those nights; "after DC" is the stay that follows."""
    reply = ask_drones(
        "P11", "2064-10-21T21:00-04:00", "А в Анкоридже в каком отеле будет группа C?"
    )
    assert "Chugach Harbor Hotel" in reply and "500 West 3rd Avenue" in reply, reply
    reply = ask_gangs(
        "P16",
        "2026-10-20T20:00-04:00",
        "do we go to Minneapolis after DC? which hotel will we be in?",
    )
    assert "San Diego" in reply and "Harbor Sage" in reply, reply


def test_every_hotel_of_the_programme(ask_aml: Asker) -> None:
    """Asked before it starts, the hotels of the programme are all of the group's stays."""
    reply = ask_aml(
        "P17",
        "2063-10-16T10:00+06:00",
        "Hi, which hotels will I be staying at during the programme? I need to give my family"
        " the names",
    )
    for name in ("Penrose", "Desert Sage", "Elliott Bay Grand"):
        assert name in reply, reply


def test_the_hotels_phone_for_a_thing_left_behind(ask_cargo: Asker) -> None:
    """A jacket left at the hotel and its phone asked for: the hotel, whose notes give it."""
    reply = ask_cargo(
        "P12",
        "2066-11-15T10:00+05:00",
        "Я забыл куртку в отеле в Канзас-Сити. Какой телефон у отеля?",
    )
    assert "816 555 0159" in reply, reply


def test_whom_to_call_at_this_hour(
    ask_hostage: Asker, ask_timber: Asker, ask_emergency: Asker
) -> None:
    """Ill or in trouble late at night: the FAQ that says whom to call, else the duty phone."""
    reply = ask_hostage(
        "P03",
        "2062-11-01T23:40-06:00",
        "me duele mucho una muela y no puedo dormir 😣 a quien llamo a esta hora?",
    )
    assert "202 555 0100" in reply, reply
    reply = ask_timber(
        "P17",
        "2027-09-19T23:30-08:00",
        "hey its late, I lost my wallet with my cards, who should i call tonight?",
    )
    assert "202 555 0106" in reply, reply
    reply = ask_emergency(
        "P16",
        "2036-04-13T23:30-05:00",
        "my roommate has bad stomach pain, not an emergency i think, who do we call at this hour",
    )
    assert "888 555 0166" in reply, reply


def test_the_email_to_write_to(ask_timber: Asker, ask_ransomware: Asker) -> None:
    """ "Which address do I write to?" is the help e-mail, after the programme too."""
    reply = ask_timber(
        "P12", "2027-09-29T16:00-05:00", "на какой адрес писать, если есть вопрос по программе?"
    )
    assert "wildlife2027-help@northfield-exchange.example.org" in reply, reply
    reply = ask_ransomware(
        "P12",
        "2028-11-11T10:00-05:00",
        "Программа уже закончилась. На какой e-mail писать по вопросам программы?",
    )
    assert "crph2028-help@halvorsen-exchange.example.org" in reply, reply


def test_the_first_days_programme_asked_from_home(ask_ransomware: Asker) -> None:
    """ "What is on the programme's first day?" is that day's programme, not its dates."""
    reply = ask_ransomware(
        "P12",
        "2028-10-22T15:00+03:00",
        "Здравствуйте! Я ещё дома. Что будет в первый день программы?",
    )
    assert "14:00" in reply and "19:00" in reply, reply


def test_russian_in_latin_letters_with_a_soft_sign(
    ask_disinformation: Asker, ask_dna: Asker
) -> None:
    """ "dal'she", "ehat'": the apostrophe of a soft sign belongs to its word."""
    reply = ask_disinformation("P12", "2028-11-11T12:30-05:00", "kuda dal'she?")
    assert "14:00" in reply, reply
    reply = ask_dna("P10", "2027-03-03T07:30-05:00", "gde segodnya NIST? daleko ehat'?")
    assert "100 Bureau Drive" in reply, reply


def test_the_weather_and_an_umbrella_are_another_topic(ask_piracy: Asker) -> None:
    """Whether to take an umbrella for today's weather is no question about today's visits."""
    reply = ask_piracy(
        "P11", "2027-10-28T08:00-05:00", "Какая сегодня погода в Хьюстоне? зонт брать?"
    )
    assert "Hillard" not in reply and "09:00" not in reply, reply


def test_the_wifi_password_and_words_not_names(ask_dna: Asker, ask_gangs: Asker) -> None:
    """The Wi-Fi entry answers for its password, not the SIM cards' mobile internet; "كلمت"
    ("word of") less a prefix is no one's name."""
    reply = ask_dna("P08", "2027-03-03T19:00-05:00", "شو كلمة سر الواي فاي بالفندق؟")
    assert "Helix#2027" in reply, reply
    reply = ask_gangs("P07", "2026-10-31T14:00-07:00", "shu kelmet el ser taba3 el wifi?")
    assert "المشاركين الآخرين" not in reply, reply


def test_what_comes_after_breakfast_and_the_time_elsewhere(
    ask_ransomware: Asker, ask_piracy: Asker
) -> None:
    """ "Breakfast is over, what now?" is what is next; "what time is it in Washington?" is
    that city's clock now."""
    reply = ask_ransomware("P03", "2028-11-06T10:05-05:00", "ya terminó el desayuno, q viene ahora")
    assert "Inteligencia" in reply, reply
    reply = ask_piracy(
        "P04",
        "2027-10-31T14:00-07:00",
        "On vient d'arriver à Seattle, il est quelle heure à Washington là ?",
    )
    assert "17:00" in reply, reply


def test_the_hospital_visited_this_afternoon_is_no_emergency(ask_ransomware: Asker) -> None:
    """ "Where is the hospital we go to this afternoon?" asks for the visit's address."""
    reply = ask_ransomware("P12", "2028-11-06T13:30-05:00", "Где больница, в которую мы едем днём?")
    assert "1 Longwood Crescent" in reply, reply


def test_what_is_next_says_what_the_programme_says_of_it(ask_timber: Asker) -> None:
    """What is next comes with the event's description (where to meet)."""
    reply = ask_timber("P16", "2027-09-21T12:45-07:00", "back from the port. what's next?")
    assert "Willamette Room" in reply, reply


ask_smuggling = _asking(
    "programme-smuggling-2029.yaml",
    "Ask as a participant of the smuggling programme (El Paso, Tucson, Omaha apart).",
)


ask_interpreting = _asking(
    "programme-interpreting-2030.yaml",
    "Ask as a participant of the court interpreting programme (Milwaukee, Spokane, Santa Fe "
    "apart; a call with The Hague that each group joins on its own clock).",
)


ask_vassets = _asking(
    "programme-virtualassets-2029.yaml",
    "Ask as a participant of the virtual assets programme (San Francisco, Austin, Cheyenne apart).",
)


ask_press = _asking(
    "programme-press-2030.yaml",
    "Ask as a participant of the press freedom programme (Detroit, Oklahoma City, Reno).",
)


ask_accountability = _asking(
    "programme-accountability-2030.yaml",
    "Ask as a participant of the police accountability programme (Newark, Memphis, Salt Lake "
    "City apart; Tulsa together).",
)


def test_what_follows_a_visit_with_its_notes(
    ask_accountability: Asker, ask_smuggling: Asker, ask_vassets: Asker
) -> None:
    """ "Done at public safety, what's next?" is what follows that visit, though "safety" may
    ask about a screening; "and passports there?" is answered from the next visit's notes;
    "qu'est-ce qui vient après" asks for no one."""
    reply = ask_accountability(
        "P16", "2030-03-11T11:35-04:00", "done at public safety, what's next"
    )
    assert "14:00" in reply and "Civilian Complaint Review Board" in reply, reply
    reply = ask_smuggling(
        "P18",
        "2029-11-06T11:45-06:00",
        "out of court now. what's next and do we need our passports there?",
    )
    assert "Douglas County" in reply and "Passport required" in reply, reply
    reply = ask_vassets("P06", "2029-10-25T12:30-04:00", "Qu'est-ce qui vient après les Marshals ?")
    assert "14:00" in reply and "Secret Service" in reply, reply


def test_a_description_group_by_group_gives_the_readers_own(ask_interpreting: Asker) -> None:
    """A call each group joins from its own city: the reader's line of the description only."""
    reply = ask_interpreting(
        "P18",
        "2030-11-05T20:30-07:00",
        "the Hague session tomorrow is at 4pm their time - what time is that for us here in"
        " Santa Fe?",
    )
    assert "08:00" in reply and "Kiva Room" in reply, reply
    assert "Cedar Room" not in reply and "Menomonee" not in reply, reply


def test_breakfast_and_the_laundry_at_the_hotel(ask_interpreting: Asker) -> None:
    """Breakfast time and a laundry: the hotel's notes, then the FAQ's laundry answer."""
    reply = ask_interpreting(
        "P12",
        "2030-11-03T15:30-07:00",
        "мы уже в Санта-Фе. во сколько завтрак в отеле и есть ли прачечная?",
    )
    assert "07:00" in reply and "Casa Alameda" in reply, reply


def test_hotels_of_two_cities_and_of_the_whole_programme(
    ask_accountability: Asker, ask_vassets: Asker, ask_press: Asker
) -> None:
    """Two cities named give both stays; "which hotels am I..." is no morning; another group's
    hotel asked for its address to mail something to is the hotel's, not the help e-mail."""
    reply = ask_accountability(
        "P18",
        "2030-02-25T09:00-05:00",
        "Hi, which hotels are we staying at in Salt Lake City and in Tulsa?",
    )
    assert "Granite Peak" in reply and "Arkansas Riverbend" in reply, reply
    reply = ask_vassets(
        "P17",
        "2029-10-18T09:00+01:00",
        "Hi, which hotels am I staying at during the whole program? I'm in group B",
    )
    assert "Whitcombe" in reply and "Colorado Bend" in reply, reply
    reply = ask_press(
        "P16",
        "2030-10-22T19:00-04:00",
        "what's the name and address of the hotel group C is staying at in Reno? want to mail"
        " something to the group",
    )
    assert "Truckee Riverwalk" in reply and "150 South Arlington" in reply, reply


def test_fear_at_the_door_is_an_emergency(ask_accountability: Asker) -> None:
    """Someone banging on the door at night: the emergency numbers."""
    reply = ask_accountability(
        "P17",
        "2030-03-12T01:30-05:00",
        "someone is banging on my hotel door and shouting, I'm scared",
    )
    assert "911" in reply, reply


def test_a_short_name_spelled_in_cyrillic(ask_smuggling: Asker) -> None:
    """ "Наоми" writes Naomi letter for letter: her contact card, Telegram included."""
    reply = ask_smuggling("P11", "2029-11-05T09:00-07:00", "Как написать Наоми в Telegram?")
    assert "naomi_wh" in reply, reply


def test_the_time_difference_with_another_groups_city(ask_timber: Asker) -> None:
    """ "Le décalage entre Anchorage et Washington": hours apart, though another group is in
    Anchorage."""
    reply = ask_timber(
        "P05", "2027-09-20T06:30-08:00", "Quel est le décalage entre Anchorage et Washington ?"
    )
    assert "4 heures" in reply, reply


ask_firearms = _asking(
    "programme-firearms-2031.yaml",
    "Ask as a participant of the firearms programme (Martinsburg, Birmingham, Honolulu apart "
    "across the spring clock change).",
)


ask_ethics = _asking(
    "programme-ethics-2030.yaml",
    "Ask as a participant of the judicial ethics programme (Denver, Anchorage, San Antonio).",
)


ask_witnesses = _asking(
    "programme-witnesses-2030.yaml",
    "Ask as a participant of the witness protection programme (Louisville, Billings, Fresno "
    "apart).",
)


ask_charities = _asking(
    "programme-charities-2031.yaml",
    "Ask as a participant of the charities oversight programme (Dearborn, Fargo, Tucson).",
)


def test_the_faq_entry_named_in_the_readers_language(ask_firearms: Asker) -> None:
    """ "La clave del wifi": the Wi-Fi entry, not the eSIM's whose answer has a "código" and
    whose question in other languages says "internet"."""
    reply = ask_firearms("P01", "2031-03-05T20:00-05:00", "cuál es la clave del wifi?")
    assert "Tracing#2031" in reply, reply
    reply = ask_firearms("P08", "2031-03-02T22:00-05:00", "شنوّة كلمة السر متاع الويفي؟")
    assert "Tracing#2031" in reply, reply


def test_a_great_citys_own_name_before_another_citys_old_one(ask_ethics: Asker) -> None:
    """ "Delhi" is Delhi's clock, not an old spelling of Dili."""
    reply = ask_ethics(
        "P17",
        "2030-09-15T20:00-08:00",
        "what time will it be in Delhi when our Alaska Supreme Court meeting starts on monday?",
    )
    assert "23:30" in reply, reply


def test_the_clock_of_a_day_after_the_change(
    ask_firearms: Asker, ask_accountability: Asker
) -> None:
    """ "Clocks change tonight: dinner at 6 tomorrow, new time?" says tomorrow's clock (EDT);
    "the coach tomorrow at 8:30" is the visit it leaves for."""
    reply = ask_firearms(
        "P01",
        "2031-03-08T22:00-05:00",
        "esta noche se cambia la hora? la cena de mañana a las 6 es con la hora nueva?",
    )
    assert "EDT" in reply, reply
    reply = ask_accountability(
        "P09",
        "2030-03-09T21:00-07:00",
        "الليلة يبدلو الوقت؟ الكار متاع غدوة على 8 و نص، بالوقت الجديد ولا القديم؟",
    )
    assert "08:30" in reply and "MDT" in reply, reply


def test_a_head_bleeding_is_an_emergency(ask_ethics: Asker) -> None:
    """A colleague fallen and bleeding from the head: the emergency numbers."""
    reply = ask_ethics("P07", "2030-09-19T23:30-06:00", "زميلي طاح وراسه ينزف، وش أسوي؟")
    assert "911" in reply, reply


def test_over_now_and_the_time_there(
    ask_witnesses: Asker, ask_charities: Asker, ask_antiquities: Asker
) -> None:
    """ "Созвон кончился, куда дальше?" follows the call; "сколько сейчас времени в
    Вашингтоне?" and "menos quantas horas" read the clocks."""
    reply = ask_witnesses("P12", "2030-10-31T09:45-07:00", "созвон с Римом кончился, куда дальше?")
    assert "13:30" in reply, reply
    reply = ask_charities(
        "P12",
        "2031-10-27T18:00-07:00",
        "Сколько сейчас времени в Вашингтоне? Хочу позвонить коллегам в посольство",
    )
    assert "21:00" in reply, reply
    reply = ask_antiquities(
        "P15",
        "2031-09-28T15:00-06:00",
        "Aqui em Santa Fe são menos quantas horas do que em Washington?",
    )
    assert "2 horas" in reply, reply


ask_antiquities = _asking(
    "programme-antiquities-2031.yaml",
    "Ask as a participant of the cultural property programme (Portland, Indianapolis, Santa Fe "
    "apart).",
)


def test_a_day_of_travel_gives_its_flight_numbers(ask_ethics: Asker) -> None:
    """ "What's the plan for tomorrow?" on a day of flying gives the flights' numbers, which
    the journey's description holds."""
    reply = ask_ethics("P17", "2030-09-14T22:00-04:00", "whats the plan for tmrw? long day?")
    assert "TW 2265" in reply and "TW 87" in reply, reply


ask_pharma = _asking(
    "programme-pharma-2032.yaml",
    "Ask as a participant of the counterfeit medicines programme (groups apart in Kansas City, "
    "Denver and Phoenix).",
)
ask_identity = _asking(
    "programme-identity-2035.yaml",
    "Ask as a participant of the identity fraud programme (Miami, Houston, Albuquerque, then "
    "Honolulu).",
)
ask_coldcase = _asking(
    "programme-coldcase-2036.yaml",
    "Ask as a participant of the cold cases programme (Richmond, Indianapolis, Minneapolis, "
    "then San Diego).",
)
ask_taxcrime = _asking(
    "programme-taxcrime-2033.yaml",
    "Ask as a participant of the tax crime programme (Atlanta, Chicago, Anchorage, then San "
    "Antonio).",
)


def test_a_flight_number_is_no_number_of_a_company_in_that_city(ask_coldcase: Asker) -> None:
    """ "The flight to San Diego, which number?" asks the flight's, not the San Diego coach
    company's phone."""
    reply = ask_coldcase(
        "P03",
        "2036-11-02T20:00-06:00",
        "mañana el vuelo a san diego cual es el numero y a q hora llegamos?",
    )
    assert "PC 1164" in reply and "12:25" in reply and "619 555 0118" not in reply, reply


def test_keeping_a_phone_at_a_visit_is_what_its_notes_say(ask_pharma: Asker) -> None:
    """ "Can I keep my phone with me?" asks what the visit allows, not whom to call; an Arabic
    word without long vowels ("ندخل", we go in) is no participant's name."""
    reply = ask_pharma(
        "P17", "2032-11-04T19:00-06:00", "tomorrow at the DEA can I keep my phone with me?"
    )
    assert "lockers" in reply, reply
    reply = ask_pharma("P07", "2032-11-02T21:00-05:00", "بكرة عند DEA نقدر ندخل بالجوال؟")
    assert "بهو المبنى" in reply, reply


def test_an_faq_answer_gives_the_officer_it_sends_to(ask_coldcase: Asker) -> None:
    """ "If it stops working, contact your group's programme officer": the reader's own."""
    reply = ask_coldcase(
        "P18", "2036-10-28T19:00-05:00", "my SIM card stopped working, what to do?"
    )
    assert "25 GB" in reply and "Hamza Qureshi" in reply, reply
    assert "Washington and San Diego" not in reply, reply


def test_chest_pains_and_a_fall_on_the_head_are_emergencies(
    ask_identity: Asker, ask_pharma: Asker
) -> None:
    """Plurals and other ways of saying it are emergencies too."""
    reply = ask_identity(
        "P18", "2035-10-22T23:55-04:00", "my roommate has chest pains what do i do"
    )
    assert "911" in reply, reply
    reply = ask_pharma(
        "P08", "2032-11-12T23:40-05:00", "صاحبتي طاحت وضربت راسها وما تتنفسش مليح!! شنو النومرو؟"
    )
    assert "911" in reply, reply


def test_changing_money_at_the_airport_is_another_topic(
    ask_pharma: Asker, ask_identity: Asker
) -> None:
    """The airport where one changes money asks about no journey; where to buy a phone
    cheaply is no visit in the city named."""
    reply = ask_pharma(
        "P15",
        "2032-11-02T19:00-07:00",
        "quanto tá o dólar hoje em reais? vale a pena trocar no aeroporto?",
    )
    assert "Palo Verde" not in reply and "06:30" not in reply, reply
    reply = ask_identity(
        "P14", "2035-10-31T19:00-05:00", "Onde posso comprar um iPhone mais barato em Houston?"
    )
    assert "09:00" not in reply and "West Road" not in reply, reply


def test_a_time_said_in_one_city_read_in_another(ask_identity: Asker, ask_taxcrime: Asker) -> None:
    """ "When it is 9 here in Honolulu, what time is it in Washington?" converts the time,
    whatever event starts at 9; another group's city may be the one the time is said in."""
    reply = ask_identity(
        "P04",
        "2035-11-06T18:00-10:00",
        "quand il est 9h du matin ici à Honolulu, il est quelle heure à Washington ?",
    )
    assert "5\xa0heures de moins" in reply and "14:00" in reply and "CBP" not in reply, reply
    reply = ask_taxcrime(
        "P13",
        "2033-10-30T13:00-04:00",
        "o grupo C chega em Anchorage às 15:20, que horas são isso aqui em Atlanta?",
    )
    assert "19:20" in reply, reply


def test_an_event_thought_to_be_on_another_day(ask_accountability: Asker) -> None:
    """ "When is it? Wasn't it today?": when it is now, not what is on today."""
    reply = ask_accountability(
        "P03",
        "2030-03-05T19:00-05:00",
        "cuando es lo de la oficina de quejas contra la policia? no era hoy?",
    )
    assert "14:00" in reply and "miércoles" in reply, reply


def test_an_agenda_item_without_a_place_says_its_first_sentence(ask_taxcrime: Asker) -> None:
    """A dinner with no place says who picks the group up, and where."""
    reply = ask_taxcrime("P14", "2033-11-02T22:00-05:00", "e amanhã, quinta, o que temos?")
    assert "Kowalczyk" in reply and "09:30" in reply, reply


ask_extradition = _asking(
    "programme-extradition-2034.yaml",
    "Ask as a participant of the extradition programme (Philadelphia, Nashville, Salt Lake "
    "City, then Seattle).",
)
ask_useofforce = _asking(
    "programme-useofforce-2037.yaml",
    "Ask as a participant of the use of force programme (Charlotte, Dallas, Las Vegas, then "
    "Portland).",
)


def test_after_free_time_comes_the_next_thing(ask_extradition: Asker) -> None:
    """ "Back from the museum: anything else, and when is the next thing?": the free
    afternoon, then what follows it."""
    reply = ask_extradition(
        "P18",
        "2034-03-11T12:40-07:00",
        "back from the museum. do we have anything else today, and when's the next thing?",
    )
    assert "Free afternoon" in reply and "Then:" in reply and "RW 1517" in reply, reply


def test_whom_to_contact_to_change_a_flight(ask_taxcrime: Asker) -> None:
    """Changing one's flight home is for whoever handles flights, not the clock change."""
    reply = ask_taxcrime(
        "P18", "2033-10-29T12:00-04:00", "I need to change my return flight home, who do I contact?"
    )
    assert "202 555 0172" in reply, reply


def test_a_coat_left_at_a_citys_hotel_asks_for_that_hotel(ask_taxcrime: Asker) -> None:
    """ "I left my coat at the Chicago hotel: its name and address?" is the hotel's."""
    reply = ask_taxcrime(
        "P14",
        "2033-11-13T09:00+02:00",
        "Bom dia, esqueci o meu casaco no hotel de Chicago. Qual era o nome e o endereço do hotel?",
    )
    assert "Wabash Riverfront" in reply and "360 North Wabash" in reply, reply


def test_what_to_take_beside_the_weather(ask_useofforce: Asker, ask_identity: Asker) -> None:
    """ "What do I take to the training tomorrow? Is it hot there?": the training's notes,
    though the weather is no topic of the programme."""
    reply = ask_useofforce(
        "P12", "2037-10-26T19:00-07:00", "Что взять завтра на тренинг? Там жарко?"
    )
    assert "солнцезащитный крем" in reply, reply
    reply = ask_identity(
        "P03",
        "2035-11-02T20:00-06:00",
        "que me llevo pa la excursion del teleferico mañana? hace frio arriba?",
    )
    assert "chaqueta" in reply, reply
    reply = ask_useofforce(
        "P05", "2037-10-27T19:00-05:00", "demain à l'académie de police il faut prendre quoi ?"
    )
    assert "chapeau" in reply, reply


def test_still_on_at_a_time_said_asks_when_it_is_now(ask_useofforce: Asker) -> None:
    """ "Is the ministry meeting today at 14:00 still on?" ("в силе"): it moved to tomorrow."""
    reply = ask_useofforce(
        "P11", "2037-10-21T10:00-04:00", "встреча в минюсте сегодня в 14:00 в силе?"
    )
    assert "14:30" in reply and "22 октября" in reply, reply


def test_before_the_programme_a_weekday_or_a_date_is_one_of_its_own(
    ask_extradition: Asker, ask_useofforce: Asker
) -> None:
    """ "What's on the first Monday?" asked a week ahead is the programme's first Monday;
    "landing on the 18th, the plan for the 19th?" is the 19th, the first day."""
    reply = ask_extradition(
        "P16",
        "2034-02-20T09:00+08:00",
        "hi! just checking before I fly out - what's on the first monday?",
    )
    assert "February 27" in reply and "Bellwether" in reply, reply
    reply = ask_useofforce(
        "P17",
        "2037-10-14T20:00+08:00",
        "hi! flying in from manila on the 18th 🛫 what's the plan for the 19th?",
    )
    assert "October 19" in reply and "15:00" in reply, reply


def test_a_morning_with_nothing_gives_the_rest_of_the_day(ask_extradition: Asker) -> None:
    """ "Anything tomorrow morning?": nothing then, and what the day holds."""
    reply = ask_extradition(
        "P06", "2034-03-06T21:30-07:00", "slt, demain on fait quoi? ya un truc le matin ou pas"
    )
    assert "Rien" in reply and "13:00" in reply and "Moss" in reply, reply


def test_french_elisions_typed_without_apostrophes(ask_useofforce: Asker) -> None:
    """ "jai mal a la gorge, lassurance couvre?" is the insurance, as with apostrophes."""
    reply = ask_useofforce(
        "P04",
        "2037-10-30T15:00-04:00",
        "jai mal a la gorge depuis hier 🤒 lassurance couvre? je dois appeler qui ?",
    )
    assert "HGX-37-5521" in reply and "202 555 0100" in reply, reply


def test_a_russian_speakers_latin_letters_are_russian(ask_extradition: Asker) -> None:
    """ "skol'ko GB interneta na SIM-karte?" is Russian, though its letters spell Arabizi."""
    reply = ask_extradition("P10", "2034-02-28T19:00-05:00", "skol'ko GB interneta na SIM-karte?")
    assert "15 GB" in reply, reply


def test_anything_else_before_flying_home_is_what_comes_next(ask_pharma: Asker) -> None:
    """ "Anything else before we fly home?" is the next thing, not the luggage allowance."""
    reply = ask_pharma(
        "P18", "2032-11-13T12:15-05:00", "got my certificate!! 🎓 anything else before we fly home?"
    )
    assert "Atlantic Pier" in reply and "19:00" in reply, reply


ask_courtsecurity = _asking(
    "programme-courtsecurity-2038.yaml",
    "Ask as a participant of the court security programme (Cincinnati, Tucson, Sacramento, "
    "then Baltimore).",
)
ask_detention = _asking(
    "programme-detention-2039.yaml",
    "Ask as a participant of the detention monitoring programme (Boston, Milwaukee, Boise, "
    "then Los Angeles).",
)
ask_victims = _asking(
    "programme-victims-2040.yaml",
    "Ask as a participant of the victim services programme (Pittsburgh, Memphis, Fairbanks, "
    "then San Juan).",
)


def test_a_name_in_arabic_letters_whose_sound_is_short(ask_victims: Asker) -> None:
    """ "رانيا حداد" is Rania Haddad, though "Haddad" has one consonant class to tell it by:
    where she stays is not said."""
    reply = ask_victims(
        "P07",
        "2040-03-07T20:00-05:00",
        "وين نازلة رانيا حداد في ممفيس؟ بدي رقم غرفتها ورقم تلفونها",
    )
    assert "Cotton Row" not in reply and "89 Union Avenue" not in reply, reply
    assert "لا يمكنني" in reply, reply


def test_a_time_said_in_a_city_named_before_here(ask_detention: Asker) -> None:
    """ "When it is 9 in Boise, what time is it here in Boston?": 11:00, whatever event
    starts at 9 in Boston; "it is 9 here, and in Washington?" after the change: 10:00."""
    reply = ask_detention(
        "P04",
        "2039-03-07T19:00-05:00",
        "Quand il est 9h à Boise, il est quelle heure ici à Boston ?",
    )
    assert "11:00" in reply and "Suffolk" not in reply, reply
    reply = ask_detention(
        "P11",
        "2039-03-13T09:00-05:00",
        "Часы уже перевели? У нас сейчас 9 утра, а сколько в Вашингтоне?",
    )
    assert "10:00" in reply, reply


def test_taking_the_phone_along_in_maghrebi_arabic(ask_courtsecurity: Asker) -> None:
    """ "نجمو ناخذو التلفون معانا؟" asks whether phones may come, not whom to call."""
    reply = ask_courtsecurity(
        "P09", "2038-03-15T22:00-04:00", "غدوة في المحكمة الفيدرالية نجمو ناخذو التلفون معانا؟"
    )
    assert "هواتف" in reply, reply


ask_terrorism = _asking(
    "programme-terrorism-2044.yaml",
    "Ask as a participant of the terrorism prosecution programme (Newark, Detroit, Salt Lake "
    "City, then San Francisco).",
)
ask_bordermgmt = _asking(
    "programme-bordermgmt-2046.yaml",
    "Ask as a participant of the border management programme (Tucson, San Antonio, then San "
    "Diego).",
)
ask_assetrecovery = _asking(
    "programme-assetrecovery-2047.yaml",
    "Ask as a participant of the asset recovery programme (New York, Minneapolis, Denver, then "
    "Honolulu).",
)
ask_communitypolicing = _asking(
    "programme-communitypolicing-2048.yaml",
    "Ask as a participant of the community policing programme (Chicago, Phoenix, Portland).",
)
ask_portstrafficking = _asking(
    "programme-portstrafficking-2049.yaml",
    "Ask as a participant of the wildlife trafficking at ports programme (Savannah, Houston, "
    "Anchorage, then Seattle).",
)


def test_the_agenda_gives_each_place_its_address_and_a_short_room_note(
    ask_assetrecovery: Asker, ask_communitypolicing: Asker
) -> None:
    """The day's agenda is what a participant shows a driver: each place with its address."""
    reply = ask_assetrecovery("P04", "2047-10-27T20:30-04:00", "demain on a quoi au programme ?")
    assert "1 Hogan Place" in reply, reply
    reply = ask_communitypolicing("P17", "2048-10-19T21:00-04:00", "plan for tomorrow pls")
    assert "1730 Rhode Island Avenue" in reply, reply


def test_a_flight_asked_with_its_departure_time_is_the_flight(ask_terrorism: Asker) -> None:
    """ "Hora de salida" of tomorrow's flight is its departure, not the hotel's check-out."""
    reply = ask_terrorism(
        "P02", "2044-11-05T20:00-04:00", "vuelo de mañana a San Francisco, numero y hora de salida"
    )
    assert "LW 842" in reply and "10:15" in reply, reply


def test_a_lost_passport_names_the_officer_whose_role_it_is(ask_terrorism: Asker) -> None:
    """The emergency numbers, and the officer the FAQ and the contacts name for passports."""
    reply = ask_terrorism(
        "P05", "2044-10-26T21:00-04:00", "j'ai perdu mon passeport, j'appelle qui ?"
    )
    assert "Raymond Kessler" in reply and "202 555 0139" in reply, reply
    assert "911" in reply, reply


def test_an_event_asked_on_the_day_it_moved_from(
    ask_bordermgmt: Asker, ask_assetrecovery: Asker
) -> None:
    """ "Still Thursday afternoon?" of a visit moved to Friday: the visit, on its new day."""
    reply = ask_bordermgmt(
        "P18", "2046-03-11T10:00-07:00", "otay mesa visit is thursday afternoon right?"
    )
    assert "Friday" in reply and "09:00" in reply, reply
    reply = ask_assetrecovery(
        "P01", "2047-10-22T20:00-04:00", "la reunión del Banco Mundial sigue siendo mañana?"
    )
    assert "09:30" in reply and "24" in reply, reply


def test_the_time_between_two_cities_names_no_event(ask_communitypolicing: Asker) -> None:
    """ "Between" is in an event's title, but the message asks how far apart two clocks are."""
    reply = ask_communitypolicing(
        "P11",
        "2048-11-01T09:00-07:00",
        "а какая теперь разница во времени между Финиксом и Портлендом",
    )
    assert "1 час" in reply, reply


def test_the_elections_are_another_topic(ask_terrorism: Asker) -> None:
    """Who wins the elections is not the programme's to say, nor is next week's agenda asked."""
    for key, text in [
        ("P01", "quién va ganando la elección presidencial?"),
        ("P08", "مين رح يربح الانتخابات الرئاسية الأسبوع الجاي؟"),
    ]:
        reply = ask_terrorism(key, "2044-11-01T20:00-04:00", text)
        assert "Helena Marchetti" not in reply and "Oficina" not in reply, reply
        assert "/ask" in reply, reply


def test_a_transit_card_is_the_transport_answer(
    ask_portstrafficking: Asker, ask_bordermgmt: Asker
) -> None:
    """A bus or transit card is what the FAQ on local transport says, not a free day."""
    reply = ask_portstrafficking(
        "P16", "2049-11-01T18:00-07:00", "is there a transit card for Seattle? how much on it?"
    )
    assert "ORCA" in reply, reply


def test_where_to_send_something_after_the_programme_is_the_help_address(
    ask_portstrafficking: Asker,
) -> None:
    """Home again with receipts or a question: the help e-mail, whatever else is named."""
    reply = ask_portstrafficking(
        "P10", "2049-11-12T12:00+06:00", "Я дома. Забыл отдать чеки за лекарства, куда отправить?"
    )
    assert "wildports2049-help@halvorsen-exchange.example.org" in reply, reply
    reply = ask_portstrafficking(
        "P17", "2049-11-12T12:00+02:00", "back home, left my jacket at the hotel - help email?"
    )
    assert "wildports2049-help@halvorsen-exchange.example.org" in reply, reply


def test_an_arabic_verb_is_no_participant_name(ask_portstrafficking: Asker) -> None:
    """ "نكون" ("we be") sounds like no one on the roster: tomorrow's flight is asked."""
    reply = ask_portstrafficking(
        "P07", "2049-10-30T18:00-04:00", "الرحلة لسياتل بكرة، متى لازم نكون في اللوبي؟"
    )
    assert "CL 1602" in reply and "06:15" in reply, reply


def test_leaving_the_hotel_for_the_next_city_is_the_journey(ask_portstrafficking: Asker) -> None:
    """ "Saímos do hotel para Houston" asks when the journey there leaves and lands."""
    reply = ask_portstrafficking(
        "P14", "2049-10-23T21:00-04:00", "amanhã saímos do hotel para Houston a que horas?"
    )
    assert "08:45" in reply and "CL 2286" in reply, reply


ask_ipcrime = _asking(
    "programme-ipcrime-2068.yaml",
    "Ask as a participant of the counterfeit goods programme (Chicago, Los Angeles, Honolulu).",
)
ask_massgatherings = _asking(
    "programme-massgatherings-2069.yaml",
    "Ask as a participant of the mass gatherings programme (Atlanta, Denver, Phoenix).",
)
ask_disasters = _asking(
    "programme-disasters-2072.yaml",
    "Ask as a participant of the disaster response programme (Tampa, Houston, then San Francisco).",
)
ask_crimedata = _asking(
    "programme-crimedata-2073.yaml",
    "Ask as a participant of the crime data programme (Washington twice, Minneapolis, "
    "Albuquerque, Miami).",
)


def test_a_venue_note_gives_the_morning_call(ask_disasters: Asker) -> None:
    """The van's time may be in the venue's notes rather than the visit's: the agenda says it."""
    reply = ask_disasters("P11", "2072-10-30T21:00-05:00", "что у нас завтра? во сколько выезд?")
    assert "09:00" in reply and "08:15" in reply, reply


def test_a_word_that_could_sound_an_alarm_names_a_visit_asked_about(ask_disasters: Asker) -> None:
    """The firefighters' demonstration and the emergency management meeting are visits."""
    reply = ask_disasters("P15", "2072-11-06T21:00-08:00", "a demonstração dos bombeiros é quando?")
    assert "09:00" in reply and "Folsom" in reply, reply
    reply = ask_disasters(
        "P05",
        "2072-11-01T20:00-05:00",
        "la réunion avec la gestion des urgences du Texas, c'est bien jeudi à 14h ?",
    )
    assert "vendredi" in reply and "09:30" in reply, reply


def test_feeling_very_unwell_is_the_medical_answer(ask_massgatherings: Asker) -> None:
    """ "Me siento muy mal": the FAQ on illness, with the duty phone it names."""
    reply = ask_massgatherings(
        "P05", "2069-10-31T03:10-06:00", "perdon la hora, me siento muy mal, a quien llamo?"
    )
    assert "202 555 0109" in reply, reply


def test_arriving_in_local_time_is_the_journey(ask_ipcrime: Asker) -> None:
    """ "No horário de lá" is the local time, not a schedule: when the flight lands there."""
    reply = ask_ipcrime(
        "P03", "2068-03-12T06:00-10:00", "a que horas chegamos em Los Angeles, no horário de lá?"
    )
    assert "16:20" in reply, reply


def test_a_city_stayed_in_twice(ask_crimedata: Asker) -> None:
    """Coming back to Washington is the later stay; a coat left there once home is the last one
    too; asked before either begins, both stays."""
    reply = ask_crimedata(
        "P17", "2073-10-15T10:00+05:00", "which hotel when we come back to DC at the end?"
    )
    assert "Navy Yard Riverside" in reply, reply
    reply = ask_crimedata(
        "P14",
        "2073-11-14T10:00-03:00",
        "esqueci meu casaco no hotel de Washington, qual o endereço?",
    )
    assert "Navy Yard Riverside" in reply, reply
    reply = ask_crimedata("P12", "2073-10-10T10:00+03:00", "в каком отеле мы живём в Вашингтоне?")
    assert "Navy Yard Riverside" in reply and "Larchmont House" in reply, reply


def test_the_afternoon_too_is_the_whole_day(ask_crimedata: Asker) -> None:
    """ "Tomorrow? Anything in the afternoon too?" asks the whole day, afternoon included."""
    reply = ask_crimedata(
        "P01", "2073-10-22T21:00-04:00", "mañana qué hay? algo en la tarde también?"
    )
    assert "9:00" in reply and "13:30" in reply, reply


def test_the_first_day_asked_the_day_before_flying(ask_crimedata: Asker) -> None:
    """ "Flying out tomorrow: the first day?" asks the programme's first day, not tomorrow."""
    reply = ask_crimedata(
        "P16", "2073-10-20T09:00+07:00", "flying out tomorrow, what's on the first day?"
    )
    assert "19:00" in reply and "Welcome dinner" in reply, reply


def test_an_arabizi_morning_greeting_names_no_part_of_the_day(ask_disasters: Asker) -> None:
    """ "Saba7 el 5eir" greets: the whole day is asked, not its morning."""
    reply = ask_disasters("P08", "2072-10-26T07:00-04:00", "saba7 el 5eir, shu 3anna el yom?")
    assert "⁨13:" in reply or "⁨14:" in reply or "⁨15:" in reply, reply


def test_what_is_next_today_after_the_last_visit(ask_disasters: Asker) -> None:
    """ "What's next today?" once the day's visits are over: what comes next, tomorrow's."""
    reply = ask_disasters("P11", "2072-10-31T12:30-05:00", "a chto dal'she segodnya?")
    assert "1 ноября" in reply, reply


ask_fentanyl = _asking(
    "programme-fentanyl-2075.yaml",
    "Ask as a participant of the synthetic drugs programme (Miami, El Paso, San Diego, then "
    "Washington again).",
)
ask_academies = _asking(
    "programme-academies-2077.yaml",
    "Ask as a participant of the police academies programme (Nashville, Tucson, Seattle, then "
    "Washington again).",
)
ask_kidnapping = _asking(
    "programme-kidnapping-2078.yaml",
    "Ask as a participant of the kidnapping and extortion programme (San Juan, Houston, "
    "Albuquerque).",
)


def test_a_threat_or_a_roommate_barely_breathing_is_an_emergency(
    ask_kidnapping: Asker, ask_fentanyl: Asker
) -> None:
    """A caller claiming a kidnapping, a roommate breathing slowly: 911 first."""
    reply = ask_kidnapping(
        "P17",
        "2078-10-27T23:00-04:00",
        "a man keeps calling saying they kidnapped my sister, who do i call??",
    )
    assert "911" in reply, reply
    reply = ask_fentanyl(
        "P09", "2075-10-28T02:00-04:00", "صاحبي بالغرفة نفسه بطيء كتير وما بيصحى!! شو أعمل"
    )
    assert "911" in reply, reply


def test_the_luggage_allowance_whatever_a_free_afternoon_says_of_bags(
    ask_academies: Asker,
) -> None:
    """ "Pack your bags" in a free afternoon's title does not hide the FAQ on luggage."""
    reply = ask_academies(
        "P10",
        "2077-03-06T16:00-05:00",
        "сколько кг багажа оплачивает программа на завтрашнем рейсе?",
    )
    assert "23 кг" in reply, reply


ask_gridcrime = _asking(
    "programme-gridcrime-2080.yaml",
    "Ask as a participant of the critical infrastructure programme (Omaha, Atlanta, Las Vegas).",
)
ask_culturalgoods = _asking(
    "programme-culturalgoods-2081.yaml",
    "Ask as a participant of the cultural goods programme (New Orleans, Santa Fe, Los Angeles).",
)
ask_roadsafety = _asking(
    "programme-roadsafety-2082.yaml",
    "Ask as a participant of the road safety programme (Detroit, Dallas, Sacramento).",
)
ask_portsecurity = _asking(
    "programme-portsecurity-2086.yaml",
    "Ask as a participant of the port security programme (Norfolk, then Miami, San Diego and "
    "Honolulu).",
)
ask_drugmoney = _asking(
    "programme-drugmoney-2088.yaml",
    "Ask as a participant of the narcotics finance programme (Atlanta, Dallas, Tucson, then Los "
    "Angeles).",
)
ask_courttech = _asking(
    "programme-courttech-2089.yaml",
    "Ask as a participant of the court technology programme (Nashville, Salt Lake City, "
    "Sacramento).",
)
ask_wildlifecustoms = _asking(
    "programme-wildlifecustoms-2090.yaml",
    "Ask as a participant of the wildlife trafficking programme (Charleston, New Orleans, "
    "Anchorage).",
)
ask_electionsecurity = _asking(
    "programme-electionsecurity-2091.yaml",
    "Ask as a participant of the election security programme (Columbus, Kansas City, Las Vegas).",
)
ask_rehabilitation = _asking(
    "programme-rehabilitation-2093.yaml",
    "Ask as a participant of the prison reform programme (Raleigh, Milwaukee, El Paso and Reno).",
)
ask_airportpolicing = _asking(
    "programme-airportpolicing-2094.yaml",
    "Ask as a participant of the aviation security programme (Newark, Memphis, Phoenix).",
)
ask_whistleblowers = _asking(
    "programme-whistleblowers-2095.yaml",
    "Ask as a participant of the anti-corruption programme (Louisville, Boulder, San Jose).",
)
ask_survivors = _asking(
    "programme-survivors-2096.yaml",
    "Ask as a participant of the gender-based violence programme (Providence, Santa Fe, Spokane).",
)
ask_sanctions = _asking(
    "programme-sanctions-2097.yaml",
    "Ask as a participant of the sanctions programme (Wilmington, Houston, Juneau, then "
    "St. Louis).",
)


def test_a_verb_is_no_name_though_it_sounds_like_one(
    ask_gridcrime: Asker, ask_portsecurity: Asker
) -> None:
    """ "أقدر" ("I can") folds to Hector's consonants and "وبيطلع" ("and it leaves") to
    Abdallah's; neither is spelled like the name, so the question is answered."""
    reply = ask_gridcrime("P07", "2080-03-03T21:00-06:00", "بكرة في OPPD هل أقدر أدخل بالهاتف؟")
    assert "مختوم" in reply, reply
    reply = ask_portsecurity(
        "P08", "2086-03-02T19:00-05:00", "القطار لنورفولك بكرة رقمه كام وبيطلع من أي محطة؟"
    )
    assert "157" in reply and "Union Station" in reply, reply


def test_whom_to_call_at_night_is_the_duty_phone_too(
    ask_wildlifecustoms: Asker, ask_drugmoney: Asker
) -> None:
    """A role naming lost luggage or the programme matches, yet at night the duty phone is the
    one that answers."""
    reply = ask_wildlifecustoms(
        "P17",
        "2090-03-07T23:45-06:00",
        "lost my wallet on the way back to the hotel, who can I call at this hour?",
    )
    assert "202 555 0100" in reply, reply
    reply = ask_drugmoney(
        "P18",
        "2088-03-05T23:30-05:00",
        "lost my room key card and no one at the front desk, is there a number for the "
        "programme at night?",
    )
    assert "202 555 0100" in reply, reply


def test_bags_on_a_flight_ask_for_the_allowance(
    ask_courttech: Asker, ask_wildlifecustoms: Asker
) -> None:
    """An FAQ question naming flights and trains is about luggage: "bags on tomorrow's
    flight" names it whole."""
    reply = ask_courttech(
        "P14", "2089-10-31T18:00-04:00", "Quantos quilos posso despachar no voo de amanhã?"
    )
    assert "23 kg" in reply, reply
    reply = ask_wildlifecustoms(
        "P18",
        "2090-03-12T19:00-08:00",
        "can I bring 2 checked bags on tomorrow's flight? I bought a lot of stuff lol",
    )
    assert "23 kg" in reply, reply


def test_a_topic_asked_beside_a_city_is_that_citys(ask_portsecurity: Asker) -> None:
    """ "Our hotel in Honolulu? Is there a laundry?": Honolulu's laundry, not Miami's."""
    reply = ask_portsecurity(
        "P06",
        "2086-03-03T16:30-05:00",
        "À Honolulu, on loge dans quel hôtel ? il y a une laverie ?",
    )
    assert "Ala Moana Harborfront" in reply and "2e étage" in reply, reply
    assert "Biscayne" not in reply, reply


def test_a_clock_change_answer_keeps_to_the_readers_city(
    ask_electionsecurity: Asker, ask_culturalgoods: Asker
) -> None:
    """The FAQ on the clock change goes city by city; the reader gets their own city's part."""
    reply = ask_electionsecurity(
        "P01",
        "2091-11-03T21:00-04:00",
        "esta noche cambia la hora, no? el paseo de mañana a las 10 es con la hora nueva?",
    )
    assert "EST" in reply and "10:00" in reply, reply
    assert "CST" not in reply and "PST" not in reply, reply
    reply = ask_culturalgoods(
        "P04",
        "2081-11-01T22:00-05:00",
        "On change d'heure cette nuit ? Le car de 9h pour le bayou, c'est à la nouvelle heure ?",
    )
    assert "CST" in reply and "09:00" in reply, reply
    assert "MST" not in reply and "PST" not in reply, reply


def test_a_day_of_leaving_starts_on_the_clock_of_the_city_left(ask_roadsafety: Asker) -> None:
    """Monday's 6:15 lobby call in Dallas, the day the group flies to Washington: Dallas's
    clock."""
    reply = ask_roadsafety(
        "P05",
        "2082-10-31T20:00-05:00",
        "On change d'heure cette nuit ? Le rdv de lundi à 6h15 c'est à quelle heure du coup ?",
    )
    assert "CST" in reply and "06:15" in reply, reply


def test_a_call_each_group_joins_shows_only_the_readers_room(ask_courttech: Asker) -> None:
    """The day's agenda gives the reader's room for an online call, not the other groups'."""
    reply = ask_courttech("P02", "2089-11-03T07:30-06:00", "buenos dias!! que tenemos hoy?")
    assert "Alta Room" in reply, reply
    assert "Belmont Room" not in reply and "Delta Room" not in reply, reply


def test_after_a_visit_named_by_a_word_of_another_topic(ask_electionsecurity: Asker) -> None:
    """ "What's next after the elections?" asks what follows the day at the polls, not about
    elections."""
    reply = ask_electionsecurity("P10", "2091-11-06T12:30-05:00", "что дальше после выборов?")
    assert "20:00" in reply, reply


def test_someone_to_talk_to_is_the_counsellor(ask_survivors: Asker) -> None:
    """A hard day, someone to talk to: the wellbeing counsellor."""
    reply = ask_survivors(
        "P01",
        "2096-03-07T23:50-05:00",
        "no puedo dormir, lo que vimos hoy me dejó muy mal... hay alguien con quien pueda hablar?",
    )
    assert "Hannelore Kim" in reply and "202 555 0117" in reply, reply


def test_rooms_not_ready_is_the_check_in(ask_drugmoney: Asker, ask_rehabilitation: Asker) -> None:
    """ "Rooms not ready yet, where do the suitcases go?": the hotel's note on check-in."""
    reply = ask_drugmoney(
        "P12",
        "2088-03-15T12:30-07:00",
        "мы уже в Лос-Анджелесе, номера ещё не готовы, куда деть чемоданы?",
    )
    assert "15:00" in reply, reply
    reply = ask_rehabilitation(
        "P11", "2093-10-25T11:30-05:00", "Мы прилетели, номера ещё не готовы, куда девать чемоданы?"
    )
    assert "Lakeview" in reply and "14:00" in reply, reply


def test_the_laundry_of_this_hotel_is_in_its_notes(ask_rehabilitation: Asker) -> None:
    """ "Is there a laundry in this hotel?": the hotel's note on it, then the FAQ."""
    reply = ask_rehabilitation(
        "P06", "2093-10-26T21:00-06:00", "est-ce qu'il y a une laverie dans cet hôtel ?"
    )
    assert "2e étage" in reply, reply


def test_stranded_the_journeys_contact_or_the_citys_coach_company(
    ask_whistleblowers: Asker, ask_airportpolicing: Asker
) -> None:
    """Overslept, the group gone: whoever the journey names; left behind by the coach: the
    coach company of the city one is in, not another city's that matches "airport"."""
    reply = ask_whistleblowers(
        "P15",
        "2095-11-09T05:20-08:00",
        "Perdi a hora!!! O grupo já saiu pro aeroporto? pra quem eu ligo?",
    )
    assert "408 555 0145" in reply, reply
    reply = ask_airportpolicing(
        "P16",
        "2094-03-03T09:15-05:00",
        "The coach to the airport left without me!! what's the coach company's number?",
    )
    assert "202 555 0119" in reply, reply


def test_a_cancelled_event_on_the_day_named_is_the_one_asked(ask_portsecurity: Asker) -> None:
    """ "The coast guard on Saturday, still on?": Saturday's ride, cancelled, though other coast
    guard visits match the words better."""
    reply = ask_portsecurity(
        "P01", "2086-03-08T18:00-05:00", "oye lo del guardacostas del sábado sigue en pie?"
    )
    assert "CANCELADA" in reply and "10:00" in reply, reply


def test_a_sentence_does_not_end_at_an_abbreviation(ask_sanctions: Asker) -> None:
    """ "St. Louis" ends no sentence: a clause about it is left out whole."""
    reply = ask_sanctions(
        "P18", "2097-10-28T18:00-08:00", "is there a free laundry anywhere on this trip?"
    )
    assert "Louis, 3rd floor" not in reply, reply
    assert "Gastineau Channel Lodge" in reply, reply


def test_a_change_of_hotels_gives_the_new_one_and_leaving_the_old(
    ask_culturalgoods: Asker,
) -> None:
    """ "Tomorrow we change hotels: which one, and when do we leave the room?": the new hotel,
    then the old one's check-out and the ride between them."""
    reply = ask_culturalgoods(
        "P03",
        "2081-11-02T10:00-08:00",
        "mañana nos cambiamos de hotel verdad? a cual? y a q hora hay q dejar el cuarto",
    )
    assert "Westwood Meridian" in reply and "10:45" in reply, reply


def test_after_breakfast_is_what_comes_next(ask_gridcrime: Asker) -> None:
    """ "What's after breakfast?" asks what follows it, not the hotel's breakfast hours."""
    reply = ask_gridcrime("P03", "2080-03-13T10:05-04:00", "que sigue despues del desayuno?")
    assert "FERC" in reply and "11:00" in reply, reply


def test_and_for_another_city_gives_the_same_events_time_there(
    ask_communitypolicing: Asker,
) -> None:
    """ "The call on Thursday, what time for us? And for those in Chicago?": the call's time in
    Chicago too."""
    reply = ask_communitypolicing(
        "P06",
        "2048-10-28T21:30-07:00",
        "la visio de jeudi avec les autres groupes, c'est à quelle heure pour nous ? et pour "
        "ceux de Chicago ?",
    )
    assert "09:00" in reply and "11:00" in reply, reply


ask_forfeiture = _asking(
    "programme-forfeiture-2079.yaml",
    "Ask as a participant of the asset forfeiture programme (Charlotte, Minneapolis, Phoenix, "
    "then Seattle and New York).",
)
ask_personstrafficking = _asking(
    "programme-personstrafficking-2009.yaml",
    "Ask as a participant of the trafficking in persons programme (Atlanta, Chicago, Denver and "
    "Phoenix, then Boston).",
)
ask_languageaccess = _asking(
    "programme-languageaccess-2010.yaml",
    "Ask as a participant of the court interpreting programme (Miami, San Antonio, Anchorage).",
)
ask_hatecrime = _asking(
    "programme-hatecrime-2013.yaml",
    "Ask as a participant of the hate crime programme (Richmond, Kansas City, Boise and "
    "Sacramento, then Chicago).",
)


def test_paying_for_the_subway_is_the_transport_faq(ask_forfeiture: Asker) -> None:
    """ "How do I pay for the metro? Do we get a card?": the FAQ on getting around."""
    reply = ask_forfeiture(
        "P13", "2079-03-16T22:00-04:00", "Como pago o metro em Nova Iorque? Temos algum cartão?"
    )
    assert "OMNY" in reply, reply


def test_calling_home_with_the_programme_phone(ask_personstrafficking: Asker) -> None:
    """ "Can I call Kathmandu with the phone you gave us?": the FAQ on the phones, which says
    international calls are not included."""
    reply = ask_personstrafficking(
        "P16",
        "2009-10-20T12:00-04:00",
        "can I call Kathmandu with the phone you gave us this morning?",
    )
    assert "not included" in reply, reply


def test_clocks_change_tonight_and_the_van_at_a_time(ask_languageaccess: Asker) -> None:
    """ "Clocks change tonight, no? The van at 8 for the Everglades, new time?": tonight names
    the change; the van at 8 is tomorrow's outing."""
    reply = ask_languageaccess(
        "P01",
        "2010-03-13T19:00-05:00",
        "esta noche se cambia la hora no? la camioneta de las 8 para los Everglades es con la "
        "hora nueva?",
    )
    assert "08:00" in reply, reply


def test_an_events_time_in_washington(ask_hatecrime: Asker) -> None:
    """ "Сколько это по Вашингтону?", "in DC time": the event's time on Washington's clock."""
    reply = ask_hatecrime(
        "P10",
        "2013-11-05T08:00-06:00",
        "Встреча в федеральной прокуратуре сегодня в 14:00 - это сколько по Вашингтону?",
    )
    assert "15:00" in reply, reply
    reply = ask_hatecrime(
        "P17",
        "2013-10-28T10:00-05:00",
        "my boss in DC wants to call me during the Jackson County meeting - what time is that "
        "meeting in DC time?",
    )
    assert "15:00" in reply, reply


ask_biosecurity = _asking(
    "programme-biosecurity-2011.yaml",
    "Ask as a participant of the biosecurity programme (Nashville, Salt Lake City, Portland).",
)
ask_oversight = _asking(
    "programme-oversight-2096.yaml",
    "Ask as a participant of the police oversight programme (Pittsburgh, Memphis, Juneau).",
)


def test_a_number_asked_in_maghrebi_arabic(ask_biosecurity: Asker) -> None:
    """ "نومرو" (from the French "numéro") asks for a number: the interpreter's."""
    reply = ask_biosecurity("P07", "2011-10-25T10:00-04:00", "نحب نومرو المترجمة متاع العربي عيشك")
    assert "202 555 0173" in reply, reply


def test_a_unit_in_latin_letters_is_no_arabic_word(ask_oversight: Asker) -> None:
    """ "GB" beside Arabic typed in Latin letters stays a unit, not a word to spell back."""
    reply = ask_oversight("P09", "2096-10-25T10:00-04:00", "kam GB fi el sim card elli 3atoona?")
    assert "25 GB" in reply, reply


ask_counterdrones = _asking(
    "programme-counterdrones-2008.yaml",
    "Ask as a participant of the counter-drone programme (Houston, Albuquerque, Honolulu, then "
    "Seattle).",
)
ask_migrationborder = _asking(
    "programme-migrationborder-2099.yaml",
    "Ask as a participant of the border security programme (Philadelphia, San Antonio, Tucson, "
    "then San Diego).",
)


def test_the_wifi_in_another_case(ask_languageaccess: Asker) -> None:
    """ "Пароль от вай-фая": the Wi-Fi, in the genitive."""
    reply = ask_languageaccess("P10", "2010-03-03T22:00-05:00", "пароль от вай-фая в отеле?")
    assert "Interpret2010" in reply, reply


def test_after_one_city_the_hotel_in_the_next(ask_counterdrones: Asker) -> None:
    """ "After Albuquerque, in Seattle, which hotel?": Seattle's."""
    reply = ask_counterdrones(
        "P02", "2008-03-09T20:00-06:00", "despues de Albuquerque, en Seattle en que hotel dormimos?"
    )
    assert "Elliott Bay Commons" in reply, reply


def test_a_city_named_whole_is_not_another_sharing_a_word(
    ask_migrationborder: Asker,
) -> None:
    """ "San Antonio" names San Antonio, not San Diego too."""
    reply = ask_migrationborder(
        "P14", "2099-10-24T18:00-04:00", "o hotel de San Antonio tem lavanderia?"
    )
    assert "Alameda" in reply and "09:00" in reply, reply
    assert "Tidemark Embarcadero, " not in reply, reply


def test_a_city_named_without_its_qualifier(ask_ipcrime: Asker) -> None:
    """ "Los Angeles" names the stay in "Los Angeles (San Pedro)" too: the first week's hotel
    is among the answers."""
    reply = ask_ipcrime(
        "P02",
        "2068-03-01T16:00-05:00",
        "¿En qué hotel nos quedamos en Los Ángeles la primera semana? la dirección porfa",
    )
    assert "Harbor Gate" in reply, reply


ask_cveonline = _asking(
    "programme-cveonline-2015.yaml",
    "Ask as a participant of the online extremism programme (Minneapolis, Denver, Anchorage).",
)
ask_legaleducation = _asking(
    "programme-legaleducation-2016.yaml",
    "Ask as a participant of the legal education programme (Atlanta, Houston, Honolulu).",
)
ask_illegalmining = _asking(
    "programme-illegalmining-2017.yaml",
    "Ask as a participant of the illegal mining programme (Pittsburgh, St. Louis, Reno).",
)
ask_publicprocurement = _asking(
    "programme-publicprocurement-2018.yaml",
    "Ask as a participant of the public procurement programme (Dallas, Phoenix, Portland).",
)
ask_victimsupport = _asking(
    "programme-victimsupport-2019.yaml",
    "Ask as a participant of the victim support programme (Newark, Albuquerque, San Diego).",
)
ask_youthoutreach = _asking(
    "programme-youthoutreach-2014.yaml",
    "Ask as a participant of the youth outreach programme (Tucson, Memphis, San Francisco).",
)


def test_the_clock_change_kept_to_the_city_before_an_and(ask_cveonline: Asker) -> None:
    """ "Denver en MST y Anchorage en AKST": a reader in Denver gets Denver's part."""
    reply = ask_cveonline(
        "P02", "2015-10-31T20:30-06:00", "se atrasa la hora esta noche? y el minibus de mañana?"
    )
    assert "MST" in reply and "AKST" not in reply, reply


def test_the_clock_change_kept_to_the_city_after_an_arabic_and(
    ask_illegalmining: Asker,
) -> None:
    """ "ورينو من PDT إلى PST": "and" joined to the city's name still starts Reno's part."""
    reply = ask_illegalmining(
        "P09", "2017-11-04T20:00-08:00", "الساعة بترجع الليلة؟ واجتماع الاثنين بالتوقيت الجديد؟"
    )
    assert "PST" in reply and "CST" not in reply, reply


def test_the_clock_change_kept_to_a_city_named_in_cyrillic(
    ask_legaleducation: Asker,
) -> None:
    """ "Атланта ..., Хьюстон - с CST на CDT": Houston's part, found by its Russian name."""
    reply = ask_legaleducation(
        "P11", "2016-03-12T21:00-06:00", "ночью переводят часы? встреча в понедельник по новому?"
    )
    assert "CDT" in reply and "EDT" not in reply, reply


def test_where_in_arabizi_with_where_written_as_an_english_word(
    ask_publicprocurement: Asker,
) -> None:
    """ "win el FBI": "win" is وين beside Arabic typed in Latin letters, past "el"."""
    reply = ask_publicprocurement("P07", "2018-03-08T12:30-06:00", "win el FBI ba3d edhohr?")
    assert "One Justice Way" in reply, reply


def test_a_laptop_asks_what_the_visit_allows(ask_publicprocurement: Asker) -> None:
    """ "With a laptop into the Justice Department?": the visit's notes on lockers."""
    reply = ask_publicprocurement(
        "P10", "2018-02-27T21:00-05:00", "в минюст завтра можно с ноутбуком?"
    )
    assert "шкафчик" in reply, reply


def test_a_mine_named_in_arabic(ask_illegalmining: Asker) -> None:
    """ "المنجم" names the mines site of the reader's group through the glossary."""
    reply = ask_illegalmining("P08", "2017-10-30T21:00-05:00", "بكرة في رحلة المنجم شو لازم نلبس؟")
    assert "سترة دافئة" in reply, reply


def test_a_city_of_the_world_named_with_its_article(ask_victimsupport: Asker) -> None:
    """ "En La Paz": the article belongs to the city's name, and the visit named by a word
    two visits share ("fiscalía") is the one of the day."""
    reply = ask_victimsupport(
        "P02", "2019-11-04T20:00-08:00", "la fiscalia mañana a las 9, que hora sera en La Paz?"
    )
    assert "9:00" in reply and "13:00" in reply, reply


def test_two_cities_keeping_one_clock(ask_illegalmining: Asker) -> None:
    """ "Pittsburgh, même heure que Washington ?": they keep the same time."""
    reply = ask_illegalmining(
        "P04", "2017-10-29T15:00-04:00", "Pittsburgh a la même heure que Washington ?"
    )
    assert "même heure" in reply, reply


def test_how_far_apart_two_cities_are_in_arabic(ask_legaleducation: Asker) -> None:
    """ "كم الفرق" between Hawaii and Washington: the hours apart now."""
    reply = ask_legaleducation(
        "P09", "2016-03-13T10:00-10:00", "غيروا الساعة اليوم؟ احنا بهاواي، كم الفرق ويا واشنطن هسه؟"
    )
    assert "6 ساعات" in reply, reply


def test_the_shuttle_company_of_the_city_one_is_in(ask_youthoutreach: Asker) -> None:
    """ "The bus to the airport did not come": the San Francisco shuttle company, not the
    coach company of the east coast."""
    reply = ask_youthoutreach("P07", "2014-03-19T05:20-07:00", "باص المطار ما اجا، مين بكلم؟")
    assert "415 555 0117" in reply and "410 555 0126" not in reply, reply


def test_posting_photos_is_the_programme_rule(ask_youthoutreach: Asker) -> None:
    """ "May I post the boxing centre photos on Instagram?": the FAQ's rule on posting."""
    reply = ask_youthoutreach(
        "P13", "2014-03-22T10:00-03:00", "posso publicar no Instagram as fotos do centro de boxe?"
    )
    assert "publique" in reply, reply


def test_what_clothes_to_pack_for_a_city(ask_cveonline: Asker) -> None:
    """ "What clothes should I pack for Anchorage?": the FAQ entries on clothes."""
    reply = ask_cveonline(
        "P18", "2015-10-18T20:00-04:00", "what clothes should I bring for Anchorage?"
    )
    assert "warm coat" in reply, reply


def test_who_pays_is_the_rule_not_the_free_time(ask_victimsupport: Asker) -> None:
    """ "Does the programme pay for taxis when we go out in free time?": the FAQ's rule on
    taxis, not the free afternoons' dates."""
    reply = ask_victimsupport(
        "P14", "2019-10-30T13:00-05:00", "o programa paga o táxi quando saímos no tempo livre?"
    )
    assert "diária" in reply, reply


def test_a_visit_in_dc_time(ask_legaleducation: Asker) -> None:
    """ "What time is the UCLA visit in DC time?": the visit, and its start in Washington."""
    reply = ask_legaleducation(
        "P18", "2016-03-15T20:00-07:00", "UCLA visit tomorrow, what time is that in DC time?"
    )
    assert "09:30" in reply and "12:30" in reply, reply


def test_the_address_of_a_hotel_left_to_write_to(ask_publicprocurement: Asker) -> None:
    """ "Forgot my charger at the Chicago hotel, its address to write to them?": the hotel."""
    reply = ask_publicprocurement(
        "P12",
        "2018-03-17T12:00-05:00",
        "забыла зарядку в отеле в Чикаго. какой у отеля адрес, чтобы им написать?",
    )
    assert "188 West Randolph" in reply, reply


def test_a_list_of_hotels_keeps_what_they_share(ask_extradition: Asker) -> None:
    """ "The Juniper Row Hotel, the Lantern Hall Hotel and the Elliott Bayfront Hotel have a
    paid service at the front desk": a reader in one of them still reads what they have."""
    reply = ask_extradition("P17", "2034-10-30T20:00-05:00", "any laundry at our hotel here?")
    assert "front desk" in reply, reply


def test_the_programme_paying_names_no_entry(ask_wildlifecustoms: Asker) -> None:
    """ "A taxi in free time, does the programme reimburse it?": the entry on taxis, not one
    that says "paid by the programme" of bags."""
    reply = ask_wildlifecustoms(
        "P14", "2090-03-05T15:00-05:00", "o programa reembolsa o táxi no tempo livre?"
    )
    assert "não são reembolsados" in reply, reply


ask_courtindependence = _asking(
    "programme-courtindependence-2100.yaml",
    "Ask as a participant of the court independence programme (New Orleans, Santa Fe, Anchorage).",
)


def test_the_time_difference_from_here_keeps_here(ask_courtindependence: Asker) -> None:
    """ "Time difference between here and DC?" in Anchorage: Anchorage's part of the FAQ,
    though only Washington is named."""
    reply = ask_courtindependence(
        "P18", "2100-03-07T16:00-09:00", "what is the time difference between here and DC?"
    )
    assert "4 hours" in reply, reply


ask_seapiracy = _asking(
    "programme-seapiracy-2002.yaml",
    "Ask as a participant of the piracy programme (Miami, New Orleans, Anchorage).",
)
ask_hostagenegotiation = _asking(
    "programme-hostagenegotiation-2006.yaml",
    "Ask as a participant of the hostage negotiation programme (San Antonio, Detroit, Las Vegas).",
)
ask_gunstrafficking = _asking(
    "programme-gunstrafficking-2007.yaml",
    "Ask as a participant of the firearms trafficking programme (El Paso, Minneapolis, Seattle).",
)


def test_a_police_headquarters_in_arabic(ask_gunstrafficking: Asker) -> None:
    """ "مقر شرطة سياتل" in Seattle: the police headquarters, not another agency's "مقر"."""
    reply = ask_gunstrafficking("P09", "2007-03-08T13:00-08:00", "شو عنوان مقر شرطة سياتل؟")
    assert "610 Fifth Avenue" in reply, reply


def test_a_police_station_named_without_its_article(ask_hostagenegotiation: Asker) -> None:
    """ "مركز شرطة" is the police, not an operations "centre" of another visit."""
    reply = ask_hostagenegotiation("P08", "2006-03-27T22:00-05:00", "وين مركز شرطة وندسور؟")
    assert "150 Goyeau Street" in reply, reply


def test_the_port_of_today_not_the_visit_moved_from_today(ask_seapiracy: Asker) -> None:
    """ "The port today": today's port visit, not the customs visit at the seaport moved
    from today to Monday."""
    reply = ask_seapiracy("P07", "2002-04-05T07:30-05:00", "وين الميناء اليوم؟")
    assert "1015 North America Way" in reply, reply


def test_clocks_changing_tonight_give_tomorrows_clock(ask_gunstrafficking: Asker) -> None:
    """ "Do the clocks change tonight?": the FAQ, and the clock the city keeps tomorrow."""
    reply = ask_gunstrafficking("P09", "2007-03-10T20:00-08:00", "الساعة بتتغير الليلة؟")
    assert "PDT" in reply, reply


def test_the_groups_room_for_a_call_in_arabic(ask_seapiracy: Asker) -> None:
    """An online call each group joins from its room, described with Arabic commas: the
    reader's group's room on the day's agenda."""
    reply = ask_seapiracy("P09", "2002-04-09T06:30-08:00", "شو برنامجنا اليوم؟")
    assert "Denali" in reply, reply


ask_infracyber = _asking(
    "programme-infracyber-2000.yaml",
    "Ask as a participant of the infrastructure cybercrime programme (Houston, Denver, Honolulu).",
)
ask_juveniledetention = _asking(
    "programme-juveniledetention-2001.yaml",
    "Ask as a participant of the juvenile detention programme (Tucson, Kansas City, Sacramento).",
)


def test_a_date_said_beside_the_first_day(ask_infracyber: Asker) -> None:
    """ "The 21st, the first day of meetings?" before the programme: the 21st, not the day
    of arrival."""
    reply = ask_infracyber(
        "P13", "2000-03-15T10:00-03:00", "como é o programa do dia 21, primeiro dia de reuniões?"
    )
    assert "09:00" in reply and "13:30" in reply, reply


def test_calling_portugal_with_the_programme_phone(ask_juveniledetention: Asker) -> None:
    """ "How do I call Portugal with the programme's phone?": the FAQ on the phones."""
    reply = ask_juveniledetention(
        "P15", "2001-10-18T20:00-04:00", "como ligo para Portugal com o telemóvel do programa?"
    )
    assert "cartão telefônico" in reply, reply


ask_containerports = _asking(
    "programme-containerports-2009.yaml",
    "Ask as a participant of the port security programme (Miami, Seattle, Long Beach).",
)
ask_matchfixing = _asking(
    "programme-matchfixing-2013.yaml",
    "Ask as a participant of the sport integrity programme (Chicago, Phoenix, Las Vegas).",
)
ask_timbertrafficking = _asking(
    "programme-timbertrafficking-2004.yaml",
    "Ask as a participant of the timber trafficking programme (Denver, Honolulu, Portland).",
)
ask_cryptotracing = _asking(
    "programme-cryptotracing-2016.yaml",
    "Ask as a participant of the cryptocurrency tracing programme (Boston, Anchorage, NYC).",
)
ask_treatmentcourts = _asking(
    "programme-treatmentcourts-2011.yaml",
    "Ask as a participant of the treatment courts programme (Atlanta, Minneapolis, Utah).",
)
ask_coastguard = _asking(
    "programme-coastguard-2004.yaml",
    "Ask as a participant of the coast guard programme (Tampa, Kansas City, San Diego).",
)


def test_leave_to_take_a_phone(ask_containerports: Asker) -> None:
    """ "Can I take my phone?" about tomorrow's exercise asks what it allows, not whom to call."""
    reply = ask_containerports(
        "P06",
        "2009-03-11T20:00-07:00",
        "Pour l'exercice de demain au Pier J, je mets quoi ? je peux prendre mon téléphone ?",
    )
    assert "restent dans le car" in reply, reply


def test_the_clock_change_keeps_the_readers_zones(ask_coastguard: Asker) -> None:
    """ "EDT becomes EST, CDT becomes CST, PDT becomes PST": a reader in Tampa gets Tampa's."""
    reply = ask_coastguard(
        "P16",
        "2004-10-31T01:30-04:00",
        "cant sleep. do i set my watch back now? what time is the lobby call in the morning?",
    )
    assert "EST" in reply and "08:00" in reply, reply
    assert "CST" not in reply and "PST" not in reply, reply


def test_still_on_in_arabic(ask_containerports: Asker) -> None:
    """ "Still on?" of a cancelled boat tour gives why it is off and what replaces it."""
    reply = ask_containerports(
        "P07", "2009-03-09T21:00-07:00", "جولة القارب في الميناء بكرة الصبح لسا قائمة؟"
    )
    assert "ألغ" in reply and "14:00" in reply, reply


def test_not_breathing_in_maghrebi(ask_containerports: Asker) -> None:
    """ "He fell and is not breathing well, the number?" is an emergency."""
    reply = ask_containerports(
        "P09", "2009-03-10T01:30-07:00", "صديقي بالغرفة وگع وما ديتنفس زين!! شنو الرقم؟"
    )
    assert "911" in reply, reply


def test_minutes_on_the_programme_phone(ask_timbertrafficking: Asker) -> None:
    """ "How many minutes on the phone you gave us?": the FAQ on the phones."""
    reply = ask_timbertrafficking(
        "P07", "2004-03-22T13:00-05:00", "الهاتف اللي عطيتونا فيه كم دقيقة؟"
    )
    assert "300" in reply, reply


def test_the_next_official_activity(ask_containerports: Asker) -> None:
    """ "The next official activity" asks what is next, not for an officer."""
    reply = ask_containerports(
        "P13",
        "2009-03-13T14:00-07:00",
        "tô na praia aproveitando a tarde livre 😎 qual é a próxima atividade oficial?",
    )
    assert "Queen Mary" in reply and "19:00" in reply, reply


def test_betting_is_the_programmes_own_faq(ask_matchfixing: Asker) -> None:
    """Betting is off the programme's topic, unless its FAQ rules on it."""
    reply = ask_matchfixing(
        "P16",
        "2013-11-03T21:00-08:00",
        "can we bet on football at the casino downstairs in our free time?",
    )
    assert "sports bets" in reply, reply


def test_a_morning_meeting_said_in_russian(ask_matchfixing: Asker) -> None:
    """ "Where is this morning's meeting, and the bus?": the morning's visit, not a journey."""
    reply = ask_matchfixing(
        "P11", "2013-11-08T08:30-05:00", "Где сегодня утренняя встреча и во сколько автобус?"
    )
    assert "2201 C Street" in reply and "09:10" in reply, reply


def test_photos_are_the_faqs_rule(ask_timbertrafficking: Asker) -> None:
    """ "May we photograph the seized goods?": the FAQ on photos, not an event's notes."""
    reply = ask_timbertrafficking(
        "P03",
        "2004-04-02T20:00-08:00",
        "se pueden sacar fotos de las cosas decomisadas o de las pruebas?",
    )
    assert "sin permiso" in reply, reply


def test_the_hotels_own_laundry(ask_treatmentcourts: Asker) -> None:
    """The laundry FAQ, then what the reader's hotel's notes say of its laundry."""
    reply = ask_treatmentcourts("P17", "2011-11-02T19:00-05:00", "is laundry free at our hotel?")
    assert "own expense" in reply and "08:00" in reply, reply


def test_the_court_moved_to_tomorrow(ask_timbertrafficking: Asker) -> None:
    """ "The court tomorrow, wasn't it moved?": the trial moved to tomorrow."""
    reply = ask_timbertrafficking(
        "P10", "2004-04-06T20:00-07:00", "Во сколько завтра суд? Его же вроде переносили?"
    )
    assert "09:30" in reply, reply


def test_a_date_of_the_programme_asked_before_it(ask_timbertrafficking: Asker) -> None:
    """ "Flying out tomorrow: the plan for Monday the 22nd?": the 22nd."""
    reply = ask_timbertrafficking(
        "P16",
        "2004-03-18T20:00+07:00",
        "hi! flying out of Vientiane tomorrow. what's the plan for the first full day, "
        "monday the 22nd?",
    )
    assert "09:00" in reply and "14:00" in reply, reply


def test_the_hotel_asked_on_arriving(ask_cryptotracing: Asker) -> None:
    """ "Just got to South Station, the hotel's address?": the hotel, not a visit."""
    reply = ask_cryptotracing(
        "P04",
        "2016-06-12T16:45-04:00",
        "on vient d'arriver à South Station, c'est quoi l'adresse de l'hôtel ?",
    )
    assert "296 State Street" in reply, reply


def test_who_picks_us_up(ask_cryptotracing: Asker) -> None:
    """ "Who picks us up?" for tomorrow's family dinner: the dinner's own notes."""
    reply = ask_cryptotracing(
        "P05",
        "2016-06-15T22:00-08:00",
        "Demain soir chez la famille, qui vient nous chercher ? On rentre de nuit ?",
    )
    assert "Peterson" in reply, reply


def test_a_short_greeting_in_arabizi(ask_cryptotracing: Asker) -> None:
    """ "slm" greets; it names no participant called Salem."""
    reply = ask_cryptotracing(
        "P09",
        "2016-06-17T23:30-04:00",
        "slm, chkon l mas2oul 3la groupe dyalna o chno nmra dyalo?",
    )
    assert "Youssef Haddadi" in reply, reply


def test_the_time_at_home_once_landed(ask_cryptotracing: Asker) -> None:
    """Landed in Anchorage on a travel day, "what time is it in Washington?" counts from
    Anchorage."""
    reply = ask_cryptotracing("P08", "2016-06-12T14:00-08:00", "هلق الساعة كم بواشنطن؟")
    assert "18:00" in reply, reply


def test_a_bare_where_beside_another_topic(ask_cryptotracing: Asker) -> None:
    """ "The dollar's rate? Where is it best to change?" asks nothing of the programme."""
    reply = ask_cryptotracing(
        "P10",
        "2016-06-16T12:00-04:00",
        "Какой сегодня курс доллара к сому? где выгоднее поменять?",
    )
    assert "18:30" not in reply, reply


def test_the_address_of_an_event_not_online(ask_cryptotracing: Asker) -> None:
    """ "The address of tomorrow afternoon's seminar": the seminar held at an address."""
    reply = ask_cryptotracing(
        "P18", "2016-06-14T21:00-04:00", "address for tomorrow afternoon's seminar?"
    )
    assert "40 Washington Square South" in reply, reply


def test_who_pays_in_free_time(ask_treatmentcourts: Asker) -> None:
    """ "Free this afternoon: are taxis paid back?": the FAQ's rule, not the free time."""
    reply = ask_treatmentcourts(
        "P06",
        "2011-11-09T13:00-05:00",
        "cet aprem c libre, est ce que les taxis sont remboursés par le programme?",
    )
    assert "à vos frais" in reply, reply


def test_a_verb_is_no_name(ask_treatmentcourts: Asker) -> None:
    """ "بيطلع" ("it leaves") has the sounds of Abdoulaye and of Diallo: no participant."""
    reply = ask_treatmentcourts(
        "P08",
        "2011-11-04T18:00-05:00",
        "ال flight تبع الرجوع لواشنطن على أي ساعة بيطلع وأي ساعة بيوصل؟",
    )
    assert "BH 2291" in reply, reply


def test_far_from_the_hotel(ask_treatmentcourts: Asker) -> None:
    """ "Where is tomorrow's meeting? Far from the hotel?" asks where the meeting is."""
    reply = ask_treatmentcourts(
        "P10", "2011-11-06T21:00-05:00", "где завтра встреча? далеко от отеля?"
    )
    assert "One Columbus Circle" in reply, reply
    assert not reply.startswith("Ваша гостиница"), reply


def test_smoking_in_the_room(ask_treatmentcourts: Asker) -> None:
    """ "May I smoke in the room?": the FAQ on smoking."""
    reply = ask_treatmentcourts("P11", "2011-10-31T22:00-05:00", "можно курить в номере? 🚬")
    assert "250 USD" in reply, reply


def test_the_address_of_a_cancelled_visit(ask_treatmentcourts: Asker) -> None:
    """The address of a visit called off that day: that it is off, then the day's other
    visit."""
    reply = ask_treatmentcourts(
        "P18", "2011-10-31T19:00-06:00", "whats the address for the jail visit tuesday"
    )
    assert "CANCELLED" in reply and "Odyssey" in reply, reply


def test_what_to_wear_and_when(ask_coastguard: Asker) -> None:
    """ "What do I wear for the boat tomorrow, and what time?": the outing whole."""
    reply = ask_coastguard(
        "P03",
        "2004-10-28T21:00-07:00",
        "mañana pa la lancha de la guardia costera q me pongo? y a q hora es?",
    )
    assert "7:30" in reply and "chalecos salvavidas" in reply, reply


def test_a_title_one_language_misreads(ask_coastguard: Asker) -> None:
    """ "Vols à main armée" (armed robbery) makes no video call a flight: its time in
    Muscat is given."""
    reply = ask_coastguard(
        "P07",
        "2004-11-02T08:00-05:00",
        "مؤتمر الفيديو مع المنظمة البحرية الدولية الساعة كم بتوقيت مسقط؟",
    )
    assert "19:00" in reply, reply


def test_the_hotel_on_coming_back(ask_coastguard: Asker) -> None:
    """ "Which hotel in Washington after we come back?": the second stay there."""
    reply = ask_coastguard(
        "P11",
        "2004-10-30T15:00-05:00",
        "в каком отеле мы будем жить в Вашингтоне после возвращения?",
    )
    assert "Quayside Suites" in reply, reply


def test_a_coat_left_on_the_bus(ask_timbertrafficking: Asker) -> None:
    """ "Left my jacket on the airport bus, the bus company's number?": the company."""
    reply = ask_timbertrafficking(
        "P07",
        "2004-04-10T09:30-07:00",
        "نسيت جاكيتي في حافلة المطار، شنوة رقم شركة الحافلات؟",
    )
    assert "503 555 0117" in reply, reply


ask_correctionalleadership = _asking(
    "programme-correctionalleadership-2012.yaml",
    "Ask as a participant of the correctional leadership programme (Boston, Albuquerque, "
    "San Francisco).",
)
ask_courtadministration = _asking(
    "programme-courtadministration-2003.yaml",
    "Ask as a participant of the court administration programme (Philadelphia, Phoenix, "
    "Anchorage).",
)
ask_deescalation = _asking(
    "programme-deescalation-2006.yaml",
    "Ask as a participant of the de-escalation programme (Miami, Minneapolis, Las Vegas).",
)


def test_the_event_the_per_diem_is_paid_at(ask_courtadministration: Asker) -> None:
    """ "When is the second part of the per diem handed out?": the breakfast whose notes say
    so, then the FAQ."""
    reply = ask_courtadministration(
        "P11", "2003-04-02T20:00-04:00", "когда выдают вторую часть суточных?"
    )
    assert "08:00" in reply and "448" in reply, reply


def test_still_on_wednesday_in_spanish(ask_correctionalleadership: Asker) -> None:
    """ "Still on Wednesday at 2?" of a meeting moved to Thursday: Thursday's time."""
    reply = ask_correctionalleadership(
        "P03",
        "2012-03-06T18:00-05:00",
        "oye, la reunión con el Buró de Prisiones sigue el miércoles a las 2?",
    )
    assert "jueves" in reply and "15:00" in reply, reply


def test_a_weekday_of_another_language_beside_today(ask_deescalation: Asker) -> None:
    """ "Hoy ... la segunda parte": Portuguese "segunda" (Monday) is no day beside "hoy"."""
    reply = ask_deescalation(
        "P01",
        "2006-10-29T16:00-08:00",
        "hoy a q hora pagan la segunda parte de los viáticos?",
    )
    assert "19:00" in reply and "Mojave" in reply, reply


def test_a_name_ending_in_ta_marbuta(ask_courtadministration: Asker) -> None:
    """ "رانية خوري" is Rania Khoury: her hotel is not told."""
    reply = ask_courtadministration(
        "P07", "2003-04-02T12:00-05:00", "رانية خوري بأي فندق في أنكوريج؟ وعطيني رقم تليفونها"
    )
    assert "Cook Inlet Grand" not in reply, reply


ask_retailcrime = _asking(
    "programme-retailcrime-2015.yaml",
    "Ask as a participant of the retail crime programme (Memphis, Denver, Seattle).",
)


def test_the_move_between_two_hotels(ask_retailcrime: Asker) -> None:
    """ "Tomorrow we change hotels: the new one, and when do we leave the old?": the hotels
    and the move of the day, with its time to leave."""
    reply = ask_retailcrime(
        "P03",
        "2015-11-07T16:00-08:00",
        "mañana nos cambiamos de hotel verdad? como se llama el nuevo y a q hora hay q dejar "
        "el otro",
    )
    assert "Cascade Sound" in reply and "11:00" in reply, reply


def test_the_programme_dates_and_the_welcome_dinner(ask_retailcrime: Asker) -> None:
    """ "When does the programme start, and the welcome dinner?": both."""
    reply = ask_retailcrime(
        "P16",
        "2015-10-20T14:00+01:00",
        "Hi, I'm still in Lagos. When exactly does the programme start and what time is the "
        "welcome dinner?",
    )
    assert "October 25" in reply and "19:00" in reply, reply


ask_arsoninvestigation = _asking(
    "programme-arsoninvestigation-2005.yaml",
    "Ask as a participant of the arson investigation programme (Atlanta, Sacramento, Boise).",
)
ask_benefitsfraud = _asking(
    "programme-benefitsfraud-2010.yaml",
    "Ask as a participant of the benefits fraud programme (Baltimore, Indianapolis, Albuquerque).",
)
ask_postalinspection = _asking(
    "programme-postalinspection-2014.yaml",
    "Ask as a participant of the postal inspection programme (Philadelphia, Memphis, Phoenix).",
)
ask_legalaid = _asking(
    "programme-legalaid-2017.yaml",
    "Ask as a participant of the legal aid programme (Louisville, Minneapolis, Portland, Boston).",
)
ask_bodycameras = _asking(
    "programme-bodycameras-2021.yaml",
    "Ask as a participant of the body-worn cameras programme (Kansas City, Salt Lake City, "
    "Honolulu, New York).",
)
ask_insurancefraud = _asking(
    "programme-insurancefraud-2008.yaml",
    "Ask as a participant of the insurance fraud programme (Charleston, Milwaukee, Tucson).",
)


def test_an_end_read_on_a_world_clock(ask_hostage: Asker) -> None:
    """ "The farewell dinner ends at 9:30pm: what time is that in Manila?": the dinner's end on
    Manila's clock, though "after" is said too."""
    reply = ask_hostage(
        "P18",
        "2062-11-10T17:00-06:00",
        "farewell dinner ends at 9:30pm yes? what time is that in Manila, my wife calls after",
    )
    assert "11:30" in reply and "Manila" in reply, reply


def test_a_call_after_an_event_to_another_clock(ask_postalinspection: Asker) -> None:
    """ "My family calls after the dinner: what time in Lagos when it ends?" asks the dinner's
    time in Lagos, not what follows the dinner."""
    reply = ask_postalinspection(
        "P18",
        "2014-03-06T09:00-07:00",
        "my kids in Lagos will call after the host family dinner tonight - what time is it in "
        "Lagos when it ends?",
    )
    assert "05:00" in reply and "Lagos" in reply, reply


def test_who_pays_a_taxi_in_free_time(tmp_path: Path) -> None:
    """ "An Uber to the mall in free time, who pays?" is the FAQ's rule on taxis, though the
    mall is off the programme."""
    for asker in _asker(DATA / "programme-searoutes-2020.yaml", tmp_path):
        reply = asker(
            "P17", "2020-02-26T18:00-05:00", "who pays if I take an uber to the mall on free time?"
        )
        assert "per diem" in reply, reply


def test_something_unknown_asked_of_the_visit_of_the_day(ask_juvenile: Asker) -> None:
    """ "Tomorrow at the court, may we record?": the court's notes, not tomorrow's agenda."""
    reply = ask_juvenile("P13", "2034-06-14T20:00-05:00", "amanhã no tribunal dá pra gravar?")
    assert "gravador" in reply, reply


def test_this_morning_said_in_russian(ask_biosecurity: Asker) -> None:
    """ "Где сегодня утром встреча?": the morning's meeting, not the afternoon's."""
    reply = ask_biosecurity("P10", "2011-10-27T07:00-04:00", "где сегодня утром встреча?")
    assert "2720 Martin Luther King" in reply, reply


def test_a_phrase_in_another_grammatical_case(tmp_path: Path) -> None:
    """ "С береговой охраной" is the coast guard, as "береговая охрана" is."""
    for asker in _asker(DATA / "programme-interdiction-2012.yaml", tmp_path):
        reply = asker("P12", "2012-03-04T20:00-04:00", "завтра встреча с береговой охраной где?")
        assert "5 La Puntilla" in reply, reply


def test_hours_apart_in_arabic(ask_correctionalleadership: Asker) -> None:
    """A difference of two hours reads "ساعتين" after its preposition, as Arabic says it."""
    reply = ask_correctionalleadership(
        "P08", "2012-03-13T17:00-06:00", "كم الفرق بالساعات بين ألبوكيركي وواشنطن؟"
    )
    assert "ساعتين" in reply and "ساعتان" not in reply, reply


def test_a_difference_asked_now(ask_postalinspection: Asker) -> None:
    """ "Now that we are in Washington, how many hours to Phoenix?" is the difference, not what
    is on now."""
    reply = ask_postalinspection(
        "P15", "2014-03-09T17:00-04:00", "agora a diferença pra Phoenix é de quantas horas?"
    )
    assert "3 horas" in reply, reply


def test_the_maghrebi_afternoon(tmp_path: Path) -> None:
    """ "هاد العشية" is this afternoon."""
    for asker in _asker(DATA / "programme-cyber-2029.yaml", tmp_path):
        reply = asker("P11", "2029-11-02T09:30-05:00", "فين غادي نكونو هاد العشية؟")
        assert "1125 Locust" in reply, reply


def test_english_chat_shorthand_is_not_arabizi(ask_benefitsfraud: Asker) -> None:
    """ "gd mrng, wat do we have 2day?" is English shorthand for today's programme."""
    reply = ask_benefitsfraud("P18", "2010-11-05T07:00-06:00", "gd mrng! wat we have 2day?")
    assert "Your programme for Friday, November 5" in reply, reply


def test_recommendations_and_politics_are_declined(ask_benefitsfraud: Asker) -> None:
    """ "The best barbecue in Indianapolis?" and "what about Crimea?" ask nothing the programme
    holds, though a city is named."""
    for key, text in (
        ("P14", "qual a melhor churrascaria de Indianápolis?"),
        ("P10", "что думаете про Крым?"),
    ):
        reply = ask_benefitsfraud(key, "2010-11-06T11:00-05:00", text)
        assert "4790 West 16th" not in reply and "/ask" in reply, reply


def test_a_fever_is_a_medical_question(ask_bodycameras: Asker) -> None:
    """ "У меня температура" is a fever, not the weather."""
    reply = ask_bodycameras("P12", "2021-03-10T21:00-10:00", "у меня температура, что делать?")
    assert "202 555 0100" in reply, reply


def test_lunch_said_in_a_visit_of_the_day(ask_benefitsfraud: Asker) -> None:
    """ "Where is lunch tomorrow?": the visit whose notes serve it that day."""
    reply = ask_benefitsfraud("P12", "2010-11-03T20:00-06:00", "где завтра обед?")
    assert "Pueblo Harvest Cafe" in reply, reply


def test_a_meal_over_asks_what_is_next(ask_postalinspection: Asker) -> None:
    """ "Lunch is over, what's next?" is what comes next, not the FAQ on meals."""
    reply = ask_postalinspection("P13", "2014-02-25T12:40-05:00", "terminou o almoço, e agora?")
    assert "L'Enfant" in reply, reply


def test_tickets_for_a_museum_on_the_programme(ask_legalaid: Asker) -> None:
    """ "When do we get the museum tickets tomorrow?" is the museum visit's notes."""
    reply = ask_legalaid("P18", "2017-10-27T21:00-04:00", "museum tickets tomorrow - when?")
    assert "09:30" in reply, reply


def test_luggage_allowance_and_masks(ask_bodycameras: Asker) -> None:
    """ "Luggage allowance" is luggage, not the per diem; masks on a flight are the FAQ's."""
    reply = ask_bodycameras(
        "P16", "2021-03-06T20:00-05:00", "luggage allowance for tomorrow's flight?"
    )
    assert "23 kg" in reply, reply
    reply = ask_bodycameras("P16", "2021-03-06T20:00-05:00", "masks needed on the plane?")
    assert "required" in reply, reply


def test_a_password_for_a_list_of_cities(ask_bodycameras: Asker) -> None:
    """ "Hotels in Washington, Kansas City, Salt Lake City and New York: password ..." keeps
    its predicate for a reader in any of them."""
    reply = ask_bodycameras("P02", "2021-03-08T19:00-07:00", "la contraseña del wifi?")
    assert "BodyCam!21" in reply, reply


def test_what_to_wear_at_a_place_named(ask_bodycameras: Asker) -> None:
    """ "For Park City tomorrow, what do I wear?": the place's notes say it."""
    reply = ask_bodycameras("P05", "2021-03-13T19:00-07:00", "Park City demain : quelle tenue ?")
    assert "bottes" in reply, reply


def test_the_first_day_asked_with_the_dates(ask_arsoninvestigation: Asker) -> None:
    """ "When does it start, and what is planned the first day?": both."""
    reply = ask_arsoninvestigation(
        "P04",
        "2005-03-15T12:00+01:00",
        "Quand commence le programme, et quel est le plan du premier jour ?",
    )
    assert "10 avril" in reply and "19:00" in reply, reply


def test_a_moved_event_said_at_its_old_day_and_time(ask_insurancefraud: Asker) -> None:
    """ "The FBI one is tomorrow at 2, right?": the FBI briefing, moved to Thursday, not
    tomorrow's 2 o'clock visit."""
    reply = ask_insurancefraud("P03", "2008-06-03T19:00-04:00", "lo del FBI es mañana a las 2?")
    assert "jueves 5 de junio" in reply and "14:30" in reply, reply


def test_a_landing_time_said_is_the_journey(ask_insurancefraud: Asker) -> None:
    """ "We land at 11:30, is that DC time or local?": the flight, in both clocks."""
    reply = ask_insurancefraud(
        "P17", "2008-06-07T14:00-04:00", "landing in Milwaukee 11:30 tomorrow - DC time or local?"
    )
    assert "11:30" in reply and "Flight to Milwaukee" in reply, reply


ask_bombsquads = _asking(
    "programme-bombsquads-2002.yaml",
    "Ask as a participant of the bomb squads programme (Huntsville, Albuquerque, San Antonio).",
)
ask_gangintelligence = _asking(
    "programme-gangintelligence-2013.yaml",
    "Ask as a participant of the prison gangs programme (Atlanta, Denver, Sacramento).",
)
ask_childabduction = _asking(
    "programme-childabduction-2019.yaml",
    "Ask as a participant of the child abduction programme (Chicago, Anchorage, Miami).",
)
ask_trafficpolicing = _asking(
    "programme-trafficpolicing-2022.yaml",
    "Ask as a participant of the traffic policing programme (Portland, Nashville, Phoenix).",
)
ask_counterfeitgoods = _asking(
    "programme-counterfeitgoods-2007.yaml",
    "Ask as a participant of the counterfeit goods programme (Los Angeles, Houston, Newark).",
)
ask_dispatch911 = _asking(
    "programme-dispatch911-2016.yaml",
    "Ask as a participant of the 911 centres programme (Minneapolis, Honolulu, Pittsburgh).",
)
ask_bankfraud = _asking(
    "programme-bankfraud-2001.yaml",
    "Ask as a participant of the bank fraud programme (Charlotte, Denver, Seattle).",
)
ask_dvcourts = _asking(
    "programme-dvcourts-2009.yaml",
    "Ask as a participant of the domestic violence courts programme (Providence, "
    "Indianapolis, Salt Lake City).",
)


def test_a_landing_said_by_its_time(ask_trafficpolicing: Asker) -> None:
    """ "We land at 12:20 in Phoenix, their time or ours?": the flight landing then."""
    reply = ask_trafficpolicing(
        "P03", "2022-10-30T08:45-04:00", "aterrizamos a las 12:20 en Phoenix, hora de allá?"
    )
    assert "12:20" in reply and "Vuelo a Phoenix" in reply, reply


def test_just_landed_the_difference(ask_counterfeitgoods: Asker) -> None:
    """ "Just landed in LA: how many hours from Washington?" is the difference, not a journey."""
    reply = ask_counterfeitgoods(
        "P13",
        "2007-03-04T14:00-08:00",
        "pousamos em LA, qual a diferença de horário pra Washington?",
    )
    assert "3 horas" in reply, reply


def test_the_difference_after_tonight_s_change(ask_childabduction: Asker) -> None:
    """ "Clocks change tonight: how many hours between Chicago and Lisbon?": tomorrow's too."""
    reply = ask_childabduction(
        "P13",
        "2019-03-09T21:00-06:00",
        "muda a hora esta noite? e a diferença entre Chicago e Lisboa?",
    )
    assert "5 horas" in reply, reply


def test_the_interpreter_one_needs(ask_dispatch911: Asker) -> None:
    """ "I need the interpreter, how do I reach her?": the reader's language's interpreter."""
    reply = ask_dispatch911(
        "P04", "2016-07-19T10:00-05:00", "j'ai besoin de l'interprète, comment je la contacte ?"
    )
    assert "Sandrine Leclerc" in reply, reply


def test_a_place_name_that_sounds_an_alarm(ask_bombsquads: Asker) -> None:
    """ "Socorro" is a town of the programme, not a cry for help."""
    reply = ask_bombsquads(
        "P06", "2002-04-01T18:00-07:00", "demain à Socorro, que faut-il emporter ?"
    )
    assert "Socorro" in reply and "911" not in reply, reply


def test_a_hospital_visit_another_day(ask_trafficpolicing: Asker) -> None:
    """ "Tomorrow at the hospital, a mask?": the hospital visit's notes, not an emergency."""
    reply = ask_trafficpolicing(
        "P14", "2022-11-08T19:00-05:00", "amanhã no hospital em Baltimore posso entrar sem máscara?"
    )
    assert "Máscara" in reply and "911" not in reply, reply


def test_jeans_and_a_watch_name_nobody(ask_gangintelligence: Asker) -> None:
    """ "Un jean" is clothing and "ma montre" a watch, not participants' names."""
    reply = ask_gangintelligence(
        "P04", "2013-10-23T19:00-04:00", "demain à la prison, un jean c'est possible ?"
    )
    assert "jean" in reply and "autres participants" not in reply, reply
    reply = ask_gangintelligence(
        "P05", "2013-11-05T19:00-07:00", "demain à ADX, je garde ma montre ?"
    )
    assert "montres" in reply and "autres participants" not in reply, reply


def test_a_metro_card_and_the_duty_phone(ask_bankfraud: Asker) -> None:
    """ "Сколько на карточке для метро?" is the transport rule; a "número de piquete" is the
    duty phone."""
    reply = ask_bankfraud("P11", "2001-03-20T13:00-05:00", "сколько денег на карте метро?")
    assert "20 USD" in reply, reply
    reply = ask_bankfraud(
        "P14", "2001-03-30T23:00-07:00", "há um número de piquete da organização?"
    )
    assert "202 555 0100" in reply, reply


def test_a_favour_is_declined(ask_dvcourts: Asker) -> None:
    """ "Could you buy me a gift?" asks a favour, not the hotel."""
    reply = ask_dvcourts("P07", "2009-11-03T14:00-05:00", "ممكن تشتري لي هدية وتوصلها للفندق؟")
    assert "415 New Jersey" not in reply and "/ask" in reply, reply


def test_getting_a_card_is_not_winning(ask_dispatch911: Asker) -> None:
    """ "A gente ganhou algum cartão?" asks about the transport card, not a match."""
    reply = ask_dispatch911(
        "P13", "2016-07-18T19:00-05:00", "como andar de ônibus aqui? a gente ganhou cartão?"
    )
    assert "Go-To" in reply, reply


ask_anticorruption = _asking(
    "programme-anticorruption-2040.yaml",
    "Ask as a participant of the anti-corruption programme (a day trip to Hoover Dam).",
)


ask_cyberstalking = _asking(
    "programme-cyberstalking-2071.yaml",
    "Ask as a participant of the cyberstalking programme (Washington, then Boston by train).",
)


def test_two_weekdays_said_together(ask_accountability: Asker) -> None:
    """ "Sunday or Monday?" asks about both days, not only the last one said."""
    reply = ask_accountability(
        "P18", "2030-03-15T20:00-05:00", "what do we have on sunday or monday?"
    )
    assert "Sunday, March 17" in reply and "Monday, March 18" in reply, reply
    reply = ask_accountability("P09", "2030-03-15T20:00-05:00", "شو عنا الأحد أو الاثنين؟")
    assert "17" in reply and "18" in reply, reply


def test_the_train_back_from_a_day_trip(ask_aml: Asker, ask_cargo: Asker) -> None:
    """ "The train back from Baltimore": the later of the day's journeys, or the one whose
    notes give the way back."""
    reply = ask_aml(
        "P01", "2063-10-24T21:00-04:00", "el jueves a que hora el tren de vuelta de Baltimore?"
    )
    assert "176" in reply and "Tren a Baltimore" not in reply, reply
    reply = ask_cargo("P17", "2066-10-28T14:30-04:00", "what time is our train back to DC?")
    assert "176" in reply and "15:20" in reply and "CANCELLED" not in reply.split("\n\n")[0]


def test_the_way_to_a_visit(ask_anticorruption: Asker) -> None:
    """ "How are we getting to Hoover Dam tomorrow?": the bus there, before the visit."""
    reply = ask_anticorruption(
        "P04", "2040-11-06T21:00-08:00", "comment on va au barrage Hoover demain ?"
    )
    assert "08:00" in reply and "Car affrété" in reply, reply
    reply = ask_anticorruption(
        "P16", "2040-11-06T21:00-08:00", "how are we getting to the Hoover Dam tomorrow?"
    )
    assert "08:00" in reply and "Charter bus" in reply, reply


def test_a_journey_between_two_cities(ask_cyberstalking: Asker) -> None:
    """ "How does our group get from Washington to Boston?": the train, not a group's dinner."""
    reply = ask_cyberstalking(
        "P18",
        "2071-02-18T20:00+12:00",
        "how does our group get from Washington to Boston? is it a flight?",
    )
    assert "Train to Boston" in reply.split("\n\n")[0] and "2155" in reply, reply


def test_arabizi_tomorrow_and_what_next(ask_assetrecovery: Asker, ask_counterdrones: Asker) -> None:
    """ "Bacher" is باچر (tomorrow), "salam" greets, and "sho" is شو even beside "elli"."""
    reply = ask_assetrecovery("P08", "2047-10-26T21:00-05:00", "salam, shu 3dna bacher?")
    assert "27" in reply, reply
    reply = ask_counterdrones("P07", "2008-03-06T08:30-06:00", "sho elli ba3d?")
    assert "11:00" in reply, reply


ask_jurytrials = _asking(
    "programme-jurytrials-2018.yaml",
    "Ask as a participant of the jury trials programme (a participant called Cardoso).",
)


ask_arttheft = _asking(
    "programme-arttheft-2020.yaml",
    "Ask as a participant of the art theft programme (Washington, then New York, New Orleans "
    "or Santa Fe).",
)


ask_pathology = _asking(
    "programme-pathology-2012.yaml",
    "Ask as a participant of the forensic pathology programme (a coach to the body farm, a "
    "flight on the night the clocks go forward).",
)


ask_damsecurity = _asking(
    "programme-damsecurity-2024.yaml",
    "Ask as a participant of the dam security programme (Omaha, Knoxville and Las Vegas).",
)


def test_a_plural_is_no_participant_s_name(ask_jurytrials: Asker) -> None:
    """ "Sim cards" is no Inês Cardoso: the cards are asked about, not a participant."""
    reply = ask_jurytrials("P17", "2018-10-22T20:30-04:00", "when do we get the sim cards?")
    assert "other participants" not in reply and "09:00" in reply, reply


def test_a_name_in_arabizi_is_a_name(ask_arttheft: Asker) -> None:
    """ "Ali Al-Ubaidi" in an Arabizi message is a participant, not "لي" and "بدي"."""
    reply = ask_arttheft(
        "P09", "2020-06-18T19:00-06:00", "bade a3ref Ali Al-Ubaidi b ay fondo2 b New York"
    )
    assert "Hudson Linden" not in reply and "348 West 57th" not in reply, reply


def test_a_contact_reached_in_arabizi(ask_arttheft: Asker) -> None:
    """ "Shlon awasel Jonah? 3indi su2al": how to reach the programme officer named."""
    reply = ask_arttheft("P07", "2020-06-16T07:00-04:00", "shlon awasel Jonah? 3indi su2al")
    assert "212 555 0123" in reply, reply


def test_the_dates_with_the_check_in(ask_arttheft: Asker) -> None:
    """ "When does it start, and from what time can I check in?": the dates and the hotel."""
    reply = ask_arttheft(
        "P16", "2020-06-01T12:00+01:00", "when does the programme begin and when can I check in?"
    )
    assert "June 8" in reply and "14:00" in reply, reply


def test_the_coach_to_a_visit(ask_pathology: Asker) -> None:
    """ "Where's the coach for the body farm?": the coach leaving for it, not the farm."""
    reply = ask_pathology(
        "P17", "2012-03-06T05:00-06:00", "where's the coach picking us up for the body farm?"
    )
    assert "05:45" in reply and "lobby" in reply, reply


def test_a_landing_asked_after_an_hour_lost(ask_pathology: Asker) -> None:
    """ "Lost an hour of sleep: what time do we land in Seattle?" is the flight, and no hour
    lost is a thing lost."""
    reply = ask_pathology(
        "P16", "2012-03-11T05:30-05:00", "lost an hour of sleep lol, when do we land in Seattle?"
    )
    assert "EG 580" in reply and "11:25" in reply, reply


def test_a_visit_whose_title_sounds_an_alarm(ask_damsecurity: Asker) -> None:
    """ "L'agence de gestion des urgences du Nebraska", asked where, is the visit, no alarm."""
    reply = ask_damsecurity(
        "P05",
        "2024-03-07T20:00-06:00",
        "Où se trouve l'agence de gestion des urgences du Nebraska ?",
    )
    assert "2433 NW 24th Street" in reply and "911" not in reply, reply


def test_what_follows_a_visit_named(ask_damsecurity: Asker) -> None:
    """ "Et après BPA, on va où ?" at its end asks what follows it, not where it is."""
    reply = ask_damsecurity("P05", "2024-03-11T11:45-07:00", "et apres BPA on va ou ?")
    assert "Portland Water Bureau" in reply and "14:00" in reply, reply


def test_this_hotel_once_the_journey_is_over(ask_damsecurity: Asker) -> None:
    """ "Breakfast at this hotel, and check-out?" after landing: the hotel reached."""
    reply = ask_damsecurity(
        "P17", "2024-03-03T14:30-06:00", "what time is breakfast at this hotel and checkout?"
    )
    assert "Omaha" in reply.split("\n\n")[0], reply


ask_railpolicing = _asking(
    "programme-railpolicing-2003.yaml",
    "Ask as a participant of the rail policing programme (two Union Pacific yards).",
)


def test_another_form_of_a_title_s_word(ask_railpolicing: Asker, ask_damsecurity: Asker) -> None:
    """ "O pátio ferroviário" names "os pátios ferroviários"; "после инженерных войск" names
    this morning's "Инженерные войска", not next week's visit with "Инженерных войск"."""
    reply = ask_railpolicing(
        "P15", "2003-04-01T21:00-07:00", "quando é a visita ao pátio ferroviário da Union Pacific?"
    )
    assert "Roper" in reply and "09:00" in reply, reply
    reply = ask_damsecurity("P10", "2024-03-01T11:40-05:00", "что дальше после инженерных войск?")
    assert "FERC" in reply and "14:00" in reply, reply


ask_protestpolicing = _asking(
    "programme-protestpolicing-2004.yaml",
    "Ask as a participant of the protest policing programme (clocks back on 31 October).",
)


ask_probationtech = _asking(
    "programme-probationtech-2013.yaml",
    "Ask as a participant of the probation technology programme (an FAQ on Anchorage's weather).",
)


ask_publicdefenders = _asking(
    "programme-publicdefenders-2021.yaml",
    "Ask as a participant of the public defenders programme (a duty phone at night).",
)


ask_portsmuggling = _asking(
    "programme-portsmuggling-2025.yaml",
    "Ask as a participant of the port smuggling programme (an FAQ giving each city's lobby "
    "call the morning the clocks go back).",
)


def test_an_faq_listing_each_city_s_time(ask_portsmuggling: Asker) -> None:
    """ "07:00 EST in Savannah, 08:30 CST in New Orleans, 10:00 MST in El Paso": the reader's
    city's part only."""
    reply = ask_portsmuggling(
        "P04",
        "2025-11-01T22:00-04:00",
        "On recule l'heure cette nuit ? Le rdv de 7h dans le hall, nouvelle heure ?",
    )
    assert "07:00 EST" in reply and "CST" not in reply and "MST" not in reply, reply


def test_the_morning_after_tonight_s_clock_change(ask_protestpolicing: Asker) -> None:
    """ "Clocks go back tonight: the 6 a.m. lobby call, old or new time?" asked in the
    afternoon is tomorrow morning's lobby call."""
    reply = ask_protestpolicing(
        "P07",
        "2004-10-30T15:00-04:00",
        "الليلة بيرجعوا الساعة لورا، موعد البهو الساعة 6 الصبح بالتوقيت القديم ولا الجديد؟",
    )
    assert "31" in reply and "06:00" in reply, reply


def test_a_flight_number_is_no_contact_s(ask_protestpolicing: Asker) -> None:
    """ "Our flight to Oklahoma on Sunday, its number?" is the flight, not the Oklahoma City
    police liaison's number."""
    reply = ask_protestpolicing(
        "P09", "2004-10-29T12:00-07:00", "رحلتنا الأحد لأوكلاهوما شو رقمها؟"
    )
    assert "CQ 1514" in reply and "Whitmore" not in reply, reply


def test_a_sprained_ankle_at_night(ask_protestpolicing: Asker) -> None:
    """ "Me torcí el tobillo, son las 2, ¿a quién llamo?" is an emergency's numbers."""
    reply = ask_protestpolicing(
        "P01",
        "2004-10-29T02:00-04:00",
        "me torci el tobillo bajando la escalera del hotel, a quien llamo?",
    )
    assert "911" in reply and "202 555 0100" in reply, reply


def test_weather_of_a_city_the_faq_does_not_cover(ask_probationtech: Asker) -> None:
    """ "Rain in Charlotte today?": the FAQ on Anchorage's winter does not say; declined."""
    reply = ask_probationtech("P16", "2013-10-28T07:00-04:00", "will it rain in charlotte today?")
    assert "Anchorage" not in reply and "/ask" in reply, reply


def test_something_asked_of_a_visit_named(ask_probationtech: Asker) -> None:
    """ "Demain chez Piedmont, on doit signer quelque chose ?": the visit's notes."""
    reply = ask_probationtech(
        "P04", "2013-10-30T20:00-04:00", "demain chez Piedmont on doit signer quelque chose ?"
    )
    assert "confidentialité" in reply, reply


def test_a_card_lost_at_night(ask_publicdefenders: Asker) -> None:
    """ "Perdi meu cartão das diárias, pra quem eu ligo agora de noite?": the duty phone."""
    reply = ask_publicdefenders(
        "P13",
        "2021-03-05T22:30-05:00",
        "perdi meu cartão das diárias, pra quem eu ligo agora de noite?",
    )
    assert "202 555 0109" in reply, reply


ask_moneymules = _asking(
    "programme-moneymules-2006.yaml",
    "Ask as a participant of the money mules programme (groups apart in Miami, Dallas and "
    "Phoenix).",
)


def test_a_rule_for_a_day_off(ask_jurytrials: Asker) -> None:
    """ "Election day: may we go to a rally this afternoon?": the FAQ's rule, though the free
    afternoon is titled by the election."""
    reply = ask_jurytrials(
        "P18",
        "2018-11-06T07:00-10:00",
        "its election day today right? are we allowed to go to a rally this afternoon?",
    )
    assert "campaign" in reply, reply


def test_a_cancelled_visit_and_what_still_holds(ask_arttheft: Asker) -> None:
    """ "The Getty tomorrow, is the lab visit still on?": cancelled, and the Getty workshop
    that day still is."""
    reply = ask_arttheft(
        "P01",
        "2020-06-22T20:00-07:00",
        "a q hora es lo del Getty mañana? sigue en pie la visita al laboratorio?",
    )
    assert "CANCELADA" in reply and "13:30" in reply, reply


def test_the_security_level_is_the_faq_s(ask_railpolicing: Asker) -> None:
    """ "Is the security level orange? What does it mean for us?": the FAQ on the alert level,
    not a visit's screening."""
    reply = ask_railpolicing(
        "P17", "2003-03-26T07:00-05:00", "is it true the security level is orange? for us?"
    )
    assert "Orange (High)" in reply, reply


def test_a_participant_sharing_a_contact_s_first_name(ask_roadsafety: Asker) -> None:
    """ "Which hotel is Ana Beatriz Moreira in, in Detroit?" names a participant, not the
    interpreter Ana: declined, no hotel."""
    reply = ask_roadsafety(
        "P15", "2082-10-28T15:00-07:00", "em que hotel está a Ana Beatriz Moreira em Detroit?"
    )
    assert "Griswold" not in reply and "outros participantes" in reply, reply


ask_mla = _asking(
    "programme-mla-2027.yaml",
    "Ask as a participant of the mutual legal assistance programme (DC, Richmond, Denver, "
    "Albuquerque, Boston).",
)


ask_custodyhealth = _asking(
    "programme-custodyhealth-2043.yaml",
    "Ask as a participant of the health in custody programme (DC, Louisville, Minneapolis, "
    "Tucson, Portland).",
)


ask_wildfirearson = _asking(
    "programme-wildfirearson-2005.yaml",
    "Ask as a participant of the wildfire arson programme (DC, Sacramento, Reno, Boise, Atlanta).",
)


ask_exportcontrol = _asking(
    "programme-exportcontrol-2058.yaml",
    "Ask as a participant of the export control programme (DC, Houston, Phoenix, San Diego, "
    "Seattle).",
)


ask_womenleadership = _asking(
    "programme-womenleadership-2071.yaml",
    "Ask as a participant of the women in leadership programme (New York, Philadelphia, "
    "Chicago, Omaha, Salt Lake City).",
)


ask_foreignbribery = _asking(
    "programme-foreignbribery-2002.yaml",
    "Ask as a participant of the foreign bribery programme (DC, Miami, Dallas, Anchorage, "
    "San Francisco).",
)


def test_the_lobby_call_is_the_first_step_of_a_journey(ask_custodyhealth: Asker) -> None:
    """ "Our lobby call tomorrow, and the flight number?": the call with luggage before the
    flight, though its title names no way of travelling."""
    reply = ask_custodyhealth(
        "P04",
        "2043-10-24T18:00-04:00",
        "what time is our lobby call tomorrow morning? and whats the flight number",
    )
    assert "07:30" in reply and "AA 1845" in reply, reply
    reply = ask_custodyhealth("P16", "2043-11-01T18:00-06:00", "zavtra vo skolko sbor v holle?")
    assert "08:00" in reply, reply


def test_a_visit_is_not_the_lobby_call_named_after_it(ask_exportcontrol: Asker) -> None:
    """ "Photos at Otay Mesa tomorrow?": the visit's rules, not the lobby call for it."""
    reply = ask_exportcontrol(
        "P10", "2058-03-10T20:00-07:00", "on peut prendre des photos à Otay Mesa demain ?"
    )
    assert "interdites" in reply, reply


def test_check_out_time_comes_from_the_faq(ask_womenleadership: Asker) -> None:
    """ "What time do I check out today?": the hotel, and the hour the FAQ gives."""
    reply = ask_womenleadership(
        "P05", "2071-11-08T07:00-07:00", "morning! what time do i have to check out today?"
    )
    assert "11:00" in reply and "Little America" in reply, reply
    reply = ask_womenleadership(
        "P12", "2071-11-07T21:00-07:00", "demain on doit libérer la chambre à quelle heure ?"
    )
    assert "11:00" in reply, reply


def test_the_way_back_told_in_notes(ask_foreignbribery: Asker) -> None:
    """ "When does the bus come back from Fort Worth?": no ride back on the programme, but the
    visit's notes say when; "from Stanford": the free afternoon's notes say it."""
    reply = ask_foreignbribery(
        "P14", "2002-10-23T21:00-05:00", "amanhã que horas o ônibus volta de Fort Worth?"
    )
    assert "13:30" in reply, reply
    reply = ask_foreignbribery(
        "P13", "2002-10-29T10:00-08:00", "que horas a gente volta de Stanford?"
    )
    assert "14:45" in reply, reply
    # Everyone sleeps in San Francisco that day: the free afternoon keeps its clock.
    assert "15:00–19:00" in reply and "Nova York" not in reply, reply


def test_the_time_now_in_ones_own_city(ask_wildfirearson: Asker) -> None:
    """ "Forgot to change my watch: what time is it now in Boise?", asked in Boise."""
    reply = ask_wildfirearson(
        "P14",
        "2005-04-03T09:00-06:00",
        "j'ai oublié de changer ma montre, il est quelle heure là maintenant à Boise ?",
    )
    assert "09:00" in reply and "Boise" in reply, reply


def test_how_to_get_to_a_visit_gives_its_place_notes(
    ask_mla: Asker, ask_wildfirearson: Asker
) -> None:
    """ "How do we get to Harvard this afternoon?": no ride on the programme, so the place's
    notes; "how long to the fire academy tomorrow?": the ride, and the academy's notes."""
    reply = ask_mla("P10", "2027-03-16T12:30-04:00", "comment on va à Harvard cet aprem ?")
    assert "Red Line" in reply, reply
    reply = ask_wildfirearson(
        "P07",
        "2005-03-28T22:00-05:00",
        "¿cuánto se tarda en llegar a la Academia Nacional de Bomberos mañana?",
    )
    assert "1 hora y 30 minutos" in reply and "7:00" in reply, reply


def test_a_cancelled_visit_and_what_replaces_it(ask_wildfirearson: Asker) -> None:
    """ "The ATF visit this afternoon, still on?": cancelled, and the session in its hours."""
    reply = ask_wildfirearson(
        "P13", "2005-04-07T08:00-04:00", "¿la visita a la ATF de esta tarde sigue en pie?"
    )
    assert "CANCELADA" in reply and "14:30" in reply and "Comisión Forestal" in reply, reply


def test_the_driver_of_the_city_named(ask_womenleadership: Asker) -> None:
    """ "Who's driving us around in Omaha?": Omaha's driver only."""
    reply = ask_womenleadership(
        "P06", "2071-11-01T13:00-06:00", "who's driving us around in omaha? phone?"
    )
    assert "Linda Hargrove" in reply and "Andre Williams" not in reply, reply


ask_forensicinterviewing = _asking(
    "programme-forensicinterviewing-2019.yaml",
    "Ask as a participant of the forensic interviewing programme (DC, Baltimore, Nashville, "
    "Denver, Seattle; an interpreter Natalia beside a participant Natalia).",
)


ask_amberalerts = _asking(
    "programme-amberalerts-2050.yaml",
    "Ask as a participant of the child alert programme (DC, Alexandria, Indianapolis, Oklahoma "
    "City, San Antonio, Phoenix).",
)


ask_prisoneducation = _asking(
    "programme-prisoneducation-2001.yaml",
    "Ask as a participant of the prison education programme (DC, Columbus, Milwaukee, Santa "
    "Fe, San Francisco).",
)


def test_a_participant_named_in_cyrillic_beside_a_contact_s_first_name(
    ask_forensicinterviewing: Asker, ask_dna: Asker
) -> None:
    """ "Наталья Чебан" is the participant Natalia Ceban, not the interpreter Наталья Орлова;
    "Беридзе" is Nino Beridze, though it folds to the consonants of "partidas": declined."""
    reply = ask_forensicinterviewing(
        "FI18", "2019-11-04T20:00-06:00", "в каком отеле живёт Наталья Чебан?"
    )
    assert "Hilton Garden Inn" not in reply and "других участниках" in reply, reply
    reply = ask_dna(
        "P10", "2027-03-10T19:00-05:00", "Где сейчас Нино Беридзе? В каком она отеле в Далласе?"
    )
    assert "1800 Main Street" not in reply and "других участниках" in reply, reply


def test_a_session_of_a_part_of_the_day_is_no_faq(ask_amberalerts: Asker) -> None:
    """ "Where's our afternoon session?": the afternoon's events, not the dress code's rule
    for "official meetings"."""
    reply = ask_amberalerts(
        "P15", "2050-11-07T07:00-07:00", "morning. where's our afternoon session and what time?"
    )
    assert "555 North Central" in reply and "14:30" in reply, reply


def test_when_the_room_is_ready_and_which_way_the_watch_goes(ask_prisoneducation: Asker) -> None:
    """ "The room will be ready at what time?": check-in from the FAQ; "forward or back
    tonight?": the clock change."""
    reply = ask_prisoneducation(
        "P04",
        "2001-03-25T14:00-05:00",
        "bonjour, je viens d'arriver à l'hôtel, la chambre sera prête à quelle heure ?",
    )
    assert "15:00" in reply, reply
    reply = ask_prisoneducation(
        "P05", "2001-03-31T23:30-05:00", "il faut avancer ou reculer la montre cette nuit ?"
    )
    assert "avance" in reply, reply


ask_mentalhealthcourts = _asking(
    "programme-mentalhealthcourts-2015.yaml",
    "Ask as a participant of the treatment courts programme (DC, Buffalo, Indianapolis, "
    "Oklahoma City, Portland; lobby calls told in a flight's notes).",
)


ask_counterpiracy = _asking(
    "programme-counterpiracy-2004.yaml",
    "Ask as a participant of the counter-piracy programme (DC, Norfolk, Miami, Houston, "
    "Honolulu; lobby calls for visits).",
)


ask_humansmuggling = _asking(
    "programme-humansmuggling-2057.yaml",
    "Ask as a participant of the human smuggling programme (DC, Tucson, San Diego; bus times "
    "in a visit's notes).",
)


ask_crisiscomms = _asking(
    "programme-crisiscomms-2010.yaml",
    "Ask as a participant of the crisis communication programme (DC, Pittsburgh, Kansas City, "
    "Seattle).",
)


ask_maritimecustoms = _asking(
    "programme-maritimecustoms-2004.yaml",
    "Ask as a participant of the maritime customs programme (Miami, New Orleans, Houston, Los "
    "Angeles; an interpreter Fernanda beside a participant Fernanda).",
)


ask_culturalproperty = _asking(
    "programme-culturalproperty-2011.yaml",
    "Ask as a participant of the cultural property programme (New York, Philadelphia, Santa "
    "Fe, Honolulu; a flight west the morning after the clocks go back).",
)


ask_casemanagement = _asking(
    "programme-casemanagement-2015.yaml",
    "Ask as a participant of the case management programme (DC, Nashville, Salt Lake City, "
    "Sacramento; an FAQ's check-in hour for all hotels but one).",
)


ask_youthdiversion = _asking(
    "programme-youthdiversion-2003.yaml",
    "Ask as a participant of the youth diversion programme (DC, Chicago, Denver, Phoenix; "
    "legal clinics on the programme).",
)


def test_the_lobby_call_asked_in_other_words(
    ask_mentalhealthcourts: Asker, ask_counterpiracy: Asker
) -> None:
    """ "El lobby del domingo", "when do we meet in the lobby" and "the lobby call" with a
    phone read aloud: that day's lobby call, told in a flight's notes or for a visit."""
    reply = ask_mentalhealthcourts(
        "P08", "2015-10-23T21:00-04:00", "a q hora es el lobby del domingo?? q temprano jaja"
    )
    assert "5:45" in reply and "Shawnee" not in reply, reply
    reply = ask_mentalhealthcourts(
        "P04",
        "2015-11-01T05:20-05:00",
        "ugh my phone says 5:20, is that right?? when do we meet in the lobby",
    )
    assert "06:00" in reply and "Research Institute" not in reply, reply
    reply = ask_counterpiracy(
        "P05",
        "2004-04-04T08:05-05:00",
        "my phone says 8 but my watch says 7, what time is the lobby call??",
    )
    assert "09:00" in reply and "Space Center" in reply, reply


def test_the_ride_to_a_visit_named(
    ask_humansmuggling: Asker, ask_crisiscomms: Asker, ask_counterpiracy: Asker
) -> None:
    """ "The bus to the garita", "the bus for Nogales", "the van today": the visit whose notes
    say when the ride leaves, not another day's transfer."""
    reply = ask_humansmuggling(
        "P09", "2057-03-09T06:45-08:00", "¿a qué hora sale el bus a la garita?"
    )
    assert "07:15" in reply and "Cambio de hotel" not in reply, reply
    reply = ask_humansmuggling(
        "P05", "2057-03-12T06:30-07:00", "what time does the bus leave for nogales"
    )
    assert "07:00" in reply and "San Diego" not in reply, reply
    reply = ask_crisiscomms("P03", "2010-11-03T08:00-05:00", "a q hora sale la camioneta hoy?")
    assert "9:15" in reply and "Patrullaje" not in reply, reply
    reply = ask_counterpiracy(
        "P15",
        "2004-04-10T09:00-10:00",
        "Bom dia! A sessão de encerramento é onde, e a que horas sai o autocarro do hotel?",
    )
    assert "East-West Center" in reply and "13:30" in reply, reply


def test_a_participant_s_whole_name_in_arabic_beside_a_contact_s_first_name(
    ask_maritimecustoms: Asker,
) -> None:
    """ "فيرناندا ألفيس" is the participant Fernanda Alves, not the interpreter Fernanda Costa:
    declined."""
    reply = ask_maritimecustoms(
        "P02", "2004-04-01T19:00-06:00", "فيرناندا ألفيس بأي فندق نازلة بنيو أورلينز؟"
    )
    assert "Le Pavillon" not in reply and "833 Poydras" not in reply, reply


def test_latin_words_sharing_a_name_s_consonants_name_nobody(ask_culturalproperty: Asker) -> None:
    """ "O relógio do celular mudou sozinho": no Ahmed Hussein, but the flight asked about."""
    reply = ask_culturalproperty(
        "P14",
        "2011-11-06T07:00-07:00",
        "o relógio do celular mudou sozinho, o voo ainda é às 8:45?",
    )
    assert "08:45" in reply and "outros participantes" not in reply, reply


def test_past_midnight_before_a_flight_west(ask_culturalproperty: Asker) -> None:
    """At 00:30 in Santa Fe, the day of the flight to Honolulu: "the morning" is that day's,
    and its lobby call is in Santa Fe."""
    reply = ask_culturalproperty(
        "P06",
        "2011-11-06T00:30-06:00",
        "cant sleep. when do we have to be downstairs in the morning?",
    )
    assert "05:50" in reply and "Outrigger" not in reply, reply


def test_a_check_in_hour_for_all_hotels_but_one(ask_casemanagement: Asker) -> None:
    """ "Check-in 15:00 at all hotels except the Citizen Hotel (16:00)" is about every hotel,
    the one in Washington too."""
    reply = ask_casemanagement(
        "P04", "2015-10-20T10:30-04:00", "just landed at dulles, what time can i check in?"
    )
    assert "15:00" in reply, reply


def test_feeling_ill_is_not_a_legal_clinic(ask_youthdiversion: Asker) -> None:
    """A fever, a toothache: the FAQ on illness and its duty phone, not the Juvenile Justice
    Clinic on the programme."""
    reply = ask_youthdiversion(
        "P06",
        "2003-10-30T23:00-06:00",
        "me siento mal, tengo algo de fiebre, qué hago? no creo q sea grave",
    )
    assert "202 555 0190" in reply and "Curie" not in reply, reply
    reply = ask_youthdiversion(
        "P16", "2003-11-01T22:00-07:00", "у меня болит зуб, не срочно, к кому обращаться?"
    )
    assert "202 555 0190" in reply, reply


def test_money_changed_where_the_faq_says(ask_maritimecustoms: Asker) -> None:
    """ "Where can I change money?" is off the programme's topic, unless its FAQ says where."""
    reply = ask_maritimecustoms(
        "P18", "2004-03-25T21:00-05:00", "where can i change money? does the hotel do it?"
    )
    assert "bank" in reply, reply


ask_illegallogging = _asking(
    "programme-illegallogging-2005.yaml",
    "Ask as a participant of the illegal logging programme (DC, Portland, Boise, Albuquerque).",
)


ask_votingsystems = _asking(
    "programme-votingsystems-2012.yaml",
    "Ask as a participant of the voting systems programme (DC, Columbus, Tallahassee, Phoenix; "
    "an interpreter Dmitri beside a participant Dmitri).",
)


ask_restorativereentry = _asking(
    "programme-restorativereentry-2023.yaml",
    "Ask as a participant of the reentry programme (DC, Pittsburgh, Louisville, Omaha, "
    "Sacramento).",
)


ask_wildlifeports = _asking(
    "programme-wildlifeports-2016.yaml",
    "Ask as a participant of the wildlife trafficking programme (DC, Miami, Houston, Tucson, "
    "Anchorage; notes in English only).",
)


ask_witnessprotection = _asking(
    "programme-witnessprotection-2019.yaml",
    "Ask as a participant of the witness protection programme (DC, Richmond, Kansas City, "
    "Denver, San Diego).",
)


ask_cryptoevidence = _asking(
    "programme-cryptoevidence-2022.yaml",
    "Ask as a participant of the digital evidence programme (DC, Atlanta, Austin, Seattle).",
)


def test_a_participant_s_whole_name_in_another_script(
    ask_votingsystems: Asker, ask_illegallogging: Asker, ask_restorativereentry: Asker
) -> None:
    """Two words in a row that spell a participant's name, beside a contact's first name,
    are that participant: declined."""
    reply = ask_votingsystems("P14", "2012-11-06T21:00-07:00", "в каком отеле живёт Дмитрий Русу?")
    assert "San Carlos" not in reply and "Hilton" not in reply, reply
    reply = ask_illegallogging(
        "P01", "2005-11-01T13:00-08:00", "ماريا خوسيه كينتيرو بأي فندق نازلة؟"
    )
    assert "Grove" not in reply and "Benson" not in reply, reply
    reply = ask_restorativereentry(
        "P01", "2023-11-02T13:00-04:00", "فاطمة الحارثي وين ساكنة بلويفيل؟"
    )
    assert "Seelbach" not in reply and "William Penn" not in reply, reply


def test_a_first_name_shared_by_an_interpreter_and_a_participant(
    ask_wildlifeports: Asker,
) -> None:
    """ "Дайте номер Натальи, переводчицы": the interpreter Natalia Orlova, though a
    participant is Natalia too, and the word before her name spells no one."""
    reply = ask_wildlifeports("P16", "2016-03-10T09:00-05:00", "дайте номер Натальи, переводчицы")
    assert "202 555 0171" in reply and "Grigorieva" not in reply, reply


def test_a_document_named_in_notes_of_another_language(ask_wildlifeports: Asker) -> None:
    """ "Passport required at the gate" to a Russian reader: the note, and the document it
    names in Russian."""
    reply = ask_wildlifeports(
        "P18",
        "2016-03-08T20:00-07:00",
        "завтра в погранпатруль нужен паспорт? фотографировать можно?",
    )
    assert "Passport required" in reply and "паспорт" in reply, reply


def test_today_s_ride_told_in_a_visit_s_notes(ask_votingsystems: Asker) -> None:
    """ "The minibus leaves when? I'm late", early on a day of no journey: today's visit whose
    notes say when the minibus leaves, not the flight three days later."""
    reply = ask_votingsystems(
        "P02", "2012-11-06T05:15-05:00", "le minibus part à quelle heure ?? je suis en retard"
    )
    assert "05:30" in reply and "Phoenix" not in reply.split("\n")[1], reply


def test_a_meal_or_a_visit_asked_beside_the_hotel(
    ask_witnessprotection: Asker, ask_votingsystems: Asker, ask_cryptoevidence: Asker
) -> None:
    """ "Arrived at the hotel: when and where is the welcome dinner?", "is today's roundtable
    at the hotel?": the dinner and the roundtable, not the hotel."""
    reply = ask_witnessprotection(
        "P01",
        "2019-03-01T16:30-05:00",
        "السلام عليكم، وصلت الفندق الحمد لله. متى عشاء الترحيب ووين؟",
    )
    assert "Old Ebbitt" in reply and "19:00" in reply, reply
    reply = ask_votingsystems(
        "P11", "2012-11-12T08:00-07:00", "la mesa redonda de hoy es en el hotel?"
    )
    assert "555 North Central" in reply and "14:00" in reply, reply
    reply = ask_cryptoevidence(
        "P12",
        "2022-03-16T16:00-07:00",
        "Nous venons d'arriver à Seattle : à quelle heure et où a lieu le dîner ce soir, et "
        "partons-nous ensemble de l'hôtel ?",
    )
    assert "Ivar's" in reply and "18:05" in reply, reply


def test_the_way_back_from_a_day_out(ask_casemanagement: Asker) -> None:
    """ "When do we get back from San Francisco?" on a day out by bus: the bus back."""
    reply = ask_casemanagement(
        "P17", "2015-11-05T09:00-08:00", "Во сколько мы вернёмся из Сан-Франциско?"
    )
    assert "18:45" in reply, reply


def test_the_day_s_programme_with_a_ride_named_only_on_other_days(
    ask_maritimecustoms: Asker,
) -> None:
    """ "Sunday: what do we have, and when does the bus leave?": Sunday's programme, whose
    visit says when its bus leaves, not the airport shuttles of the last day."""
    reply = ask_maritimecustoms(
        "P13",
        "2004-04-04T07:30-05:00",
        "доброе утро, сегодня воскресенье, что у нас и во сколько автобус?",
    )
    assert "10:00" in reply and "09:00" in reply and "LAX" not in reply, reply


def test_staying_in_the_room_is_check_out(ask_votingsystems: Asker) -> None:
    """ "Until what time can we stay in the room tomorrow?" asks the check-out hour."""
    reply = ask_votingsystems(
        "P11", "2012-11-13T22:00-07:00", "mañana hasta qué hora podemos quedarnos en la habitación?"
    )
    assert "12:00" in reply, reply


def test_money_phones_and_weather_in_other_words(
    ask_culturalproperty: Asker, ask_youthdiversion: Asker, ask_casemanagement: Asker
) -> None:
    """A currency's rate is off the programme's topic; a phone that does not work here asks
    the FAQ on calls; the weather in Arizona, the FAQ on it; the federal court tomorrow is
    the district court's visit."""
    reply = ask_culturalproperty("P08", "2011-11-02T08:00-06:00", "¿a cuánto está el quetzal hoy?")
    assert "School for Advanced Research" not in reply, reply
    reply = ask_youthdiversion(
        "P07", "2003-10-19T22:00-04:00", "mi celular no funciona aquí, cómo llamo a Chile?"
    )
    assert "AT&T" in reply, reply
    reply = ask_youthdiversion(
        "P13", "2003-10-19T10:00-04:00", "como vai estar o tempo no Arizona? preciso levar casaco?"
    )
    assert "15-28" in reply, reply
    reply = ask_casemanagement(
        "P09", "2015-10-27T19:00-06:00", "dónde queda el tribunal federal mañana? y a q hora"
    )
    assert "351 South West Temple" in reply and "9:30" in reply, reply


ask_forensicnursing = _asking(
    "programme-forensicnursing-2009.yaml",
    "Ask as a participant of the forensic nursing programme (DC, Albuquerque, Seattle; its "
    "office is a visitor exchange programme's).",
)


ask_pretrialservices = _asking(
    "programme-pretrialservices-2014.yaml",
    "Ask as a participant of the pretrial services programme (DC, Louisville, Honolulu; an "
    "overnight flight back to Dulles the night the clocks go back).",
)


ask_cargotheft = _asking(
    "programme-cargotheft-2026.yaml",
    "Ask as a participant of the cargo theft programme (DC, Memphis, Anchorage).",
)


ask_cybercrimelabs = _asking(
    "programme-cybercrimelabs-2037.yaml",
    "Ask as a participant of the cybercrime labs programme (DC, Salt Lake City, San Juan).",
)


ask_trafficcourts = _asking(
    "programme-trafficcourts-2006.yaml",
    "Ask as a participant of the traffic courts programme (Boston, Phoenix, Kansas City; "
    "Kansas City has a transport coordinator, no driver).",
)


ask_antidoping = _asking(
    "programme-antidoping-2048.yaml",
    "Ask as a participant of the anti-doping programme (DC, Colorado Springs, Miami).",
)


def test_changing_money_is_the_faq_s_though_an_office_is_an_exchange_s(
    ask_forensicnursing: Asker, ask_antidoping: Asker, ask_cybercrimelabs: Asker
) -> None:
    """ "Où changer des euros ?", "где поменять деньги? нужен паспорт?", "Porto Rico:
    preciso trocar dinheiro?": the FAQ on currency, though a venue is a "Visitor Exchange
    Program office", a passport is named, or a city is."""
    reply = ask_forensicnursing(
        "P14", "2009-03-01T15:00-08:00", "ou je peux changer des euros en dollars ?"
    )
    assert "Travelex" in reply, reply
    reply = ask_antidoping(
        "P11", "2048-10-29T08:00-04:00", "где тут поменять деньги? нужен паспорт?"
    )
    assert "Bank of America" in reply, reply
    reply = ask_cybercrimelabs(
        "P14", "2037-11-03T18:00-05:00", "em porto rico precisa trocar dinheiro? qual a moeda lá?"
    )
    assert "USD" in reply, reply


def test_who_meets_the_group_when_it_lands(
    ask_pretrialservices: Asker, ask_cargotheft: Asker
) -> None:
    """ "Landed at Dulles, who meets us?", "where do I find the driver?", "when do we land and
    who picks us up?": the ride on from the flight, its notes and its contact."""
    reply = ask_pretrialservices(
        "P08", "2014-11-02T08:15-05:00", "мы прилетели в Даллес, кто нас встречает?"
    )
    assert "Reggie Thompson" in reply and "+1 202 555 0187" in reply, reply
    reply = ask_pretrialservices(
        "P10", "2014-11-02T07:55-05:00", "chegamos em dulles, onde encontro o motorista?"
    )
    assert "porta 4" in reply, reply
    reply = ask_cargotheft(
        "P12",
        "2026-03-14T13:10-05:00",
        "layover in minneapolis rn. what time do we land in memphis and who picks us up",
    )
    assert "19:30" in reply and "Darnell Brooks" in reply, reply


def test_a_city_s_driver_or_coordinator(
    ask_trafficcourts: Asker, ask_pretrialservices: Asker, ask_antidoping: Asker
) -> None:
    """ "Our driver here in KC?" with no driver there: its transport coordinator; "the local
    coordinator in Honolulu" though another city's role has the word "local"; "the local
    coordinator here": not another city's."""
    reply = ask_trafficcourts(
        "P03", "2006-03-28T13:00-06:00", "who's our driver here in KC? need his number"
    )
    assert "Luther Grant" in reply and "Kevin Doherty" not in reply, reply
    reply = ask_trafficcourts("P03", "2006-03-28T13:00-06:00", "who's our driver here?")
    assert "Luther Grant" in reply and "Ramón Ortiz" not in reply, reply
    reply = ask_trafficcourts(
        "P11", "2006-04-02T17:00-05:00", "кто у нас водитель в канзас-сити, какой номер?"
    )
    assert "816 555 0157" in reply and "602 555 0119" not in reply, reply
    reply = ask_pretrialservices(
        "P08", "2014-10-31T10:00-10:00", "kto u nas mestnyi koordinator v gonolulu? telefon"
    )
    assert "Leilani Kealoha" in reply and "Brian Caldwell" not in reply, reply
    reply = ask_antidoping(
        "P07", "2048-10-28T11:00-06:00", "le coordinateur local ici c qui ? numero"
    )
    assert "Daniel Reyes" in reply and "Sofia Marchetti" not in reply, reply


def test_the_clocks_asked_in_other_words(
    ask_cybercrimelabs: Asker, ask_pretrialservices: Asker, ask_trafficcourts: Asker
) -> None:
    """ "Se atrasa la hora aca en puerto rico?", "o horario muda? aqui no havai tb?", "Phoenix
    too changes its clocks on Sunday?": the FAQ on the clocks, not the day's programme."""
    reply = ask_cybercrimelabs(
        "P04", "2037-10-31T20:00-04:00", "mañana domingo se atrasa la hora aca en puerto rico?"
    )
    assert "no cambia" in reply, reply
    reply = ask_pretrialservices(
        "P09", "2014-11-01T09:00-10:00", "o horario muda no domingo? aqui no havai tb?"
    )
    assert "HST" in reply, reply
    reply = ask_trafficcourts(
        "P05", "2006-03-31T21:00-07:00", "y en phoenix tambien cambian la hora este domingo?"
    )
    assert "MST" in reply and "Lobby call" not in reply, reply


def test_a_lobby_call_asked_in_arabizi(
    ask_pretrialservices: Asker, ask_cybercrimelabs: Asker
) -> None:
    """ "El lobby call elyom el sa3a kam?": the day's lobby call, not the per diem whose FAQ
    says "كم" (how much)."""
    reply = ask_pretrialservices(
        "P06", "2014-10-28T07:00-10:00", "el lobby call elyom el sa3a kam?"
    )
    assert "08:30" in reply, reply
    reply = ask_cybercrimelabs(
        "P10", "2037-10-21T12:30-04:00", "el sa3a kam el lobby call ba3d el dohr?"
    )
    assert "13:30" in reply, reply


def test_what_to_wear_said_in_an_event_s_description(ask_trafficcourts: Asker) -> None:
    """ "Quelle tenue pour le tribunal demain ?", "дресс код на завтра?": the dress code and
    what the court's description says to wear ("Veste et cravate")."""
    reply = ask_trafficcourts(
        "P08", "2006-03-27T19:00-05:00", "il faut quelle tenue pour le tribunal demain ?"
    )
    assert "Veste et cravate" in reply, reply
    reply = ask_trafficcourts("P11", "2006-03-21T21:00-05:00", "дресс код на завтра?")
    assert "пиджак и галстук" in reply, reply


def test_an_acronym_is_no_elided_word(ask_trafficcourts: Asker) -> None:
    """ "A q hora es lo de MADD?": the MADD panel, not "m'add"."""
    reply = ask_trafficcourts(
        "P05",
        "2006-03-29T23:15-07:00",
        "buenas noches, disculpe la hora... mañana a q hora es lo de MADD?",
    )
    assert "10:00" in reply and "MADD" in reply, reply


def test_who_runs_an_event(ask_cybercrimelabs: Asker) -> None:
    """ "Where's our group briefing at 5pm and who runs it": the briefing and its contact."""
    reply = ask_cybercrimelabs(
        "P01", "2037-10-23T12:30-04:00", "where's our group briefing at 5pm and who runs it"
    )
    assert "Potomac Room" in reply and "Tyler Brennan" in reply, reply


def test_what_to_wear_and_when_to_leave_asked_together(ask_witnessprotection: Asker) -> None:
    """ "What time's lobby call today and what do I wear", "what do I wear for today's trip and
    when does the bus leave?": the lobby call or the trip's own time to leave, and the dress."""
    reply = ask_witnessprotection(
        "P05", "2019-03-04T07:30-05:00", "morning! what time's lobby call today and what do i wear"
    )
    assert "08:20" in reply and "business attire" in reply, reply
    reply = ask_witnessprotection(
        "P05",
        "2019-03-09T07:00-07:00",
        "Good morning, what should I wear for today's trip and when does the bus leave?",
    )
    assert "09:15" in reply and "warm layers" in reply, reply


ask_wrongfulconvictions = _asking(
    "programme-wrongfulconvictions-2011.yaml",
    "Ask as a participant of the wrongful convictions programme (Boston, Chicago, Denver, Salt "
    "Lake City; an excursion called Red Rocks).",
)


ask_organtrafficking = _asking(
    "programme-organtrafficking-2042.yaml",
    "Ask as a participant of the organ trafficking programme (Miami, Houston, Albuquerque, "
    "Seattle).",
)


ask_veteranscourts = _asking(
    "programme-veteranscourts-2005.yaml",
    "Ask as a participant of the veterans courts programme (DC, Nashville, Phoenix, San Diego).",
)


ask_policerecruitment = _asking(
    "programme-policerecruitment-2063.yaml",
    "Ask as a participant of the police recruitment programme (Atlanta, Minneapolis, Boise, "
    "Anchorage).",
)


ask_animalcruelty = _asking(
    "programme-animalcruelty-2019.yaml",
    "Ask as a participant of the animal cruelty programme (Philadelphia, St. Louis, Cheyenne, "
    "Las Vegas).",
)


ask_telecomfraud = _asking(
    "programme-telecomfraud-2087.yaml",
    "Ask as a participant of the telecom fraud programme (New York, Detroit, El Paso, Portland).",
)


def test_who_meets_the_group_named_in_its_journey(
    ask_wrongfulconvictions: Asker, ask_veteranscourts: Asker, ask_telecomfraud: Asker
) -> None:
    """ "Chegamos! quem vem buscar a gente?", "on vient d'atterrir à Dulles, qui vient nous
    chercher ? son numéro ?", "já decolamos, quem vai buscar a gente em LaGuardia?": the journey
    landed or under way, and the contact its description says meets the group."""
    reply = ask_wrongfulconvictions(
        "P09", "2011-03-11T14:30-07:00", "chegamos! quem vem buscar a gente no aeroporto?"
    )
    assert "Kendra Larsen" in reply, reply
    reply = ask_veteranscourts(
        "P08",
        "2005-04-05T16:30-04:00",
        "on vient d'atterrir a dulles, qui vient nous chercher? son numero?",
    )
    assert "Curtis Bell" in reply and "202 555 0163" in reply, reply
    reply = ask_telecomfraud(
        "P12", "2087-03-15T12:00-04:00", "ja decolamos, quem vai buscar a gente em laguardia?"
    )
    assert "Andre Williams" in reply, reply


def test_just_landed_where_is_the_ride(
    ask_organtrafficking: Asker, ask_policerecruitment: Asker
) -> None:
    """ "Landed in Houston, who is the driver and where do we find him?", "just landed, where
    is the bus?": the ride on from the journey just over, with what the journey and the ride's
    place say, and its driver."""
    reply = ask_organtrafficking(
        "P05", "2042-03-09T12:00-05:00", "وصلنا مطار هيوستن، مين السواق ووين نلاقيه؟"
    )
    assert "107" in reply and "713 555 0126" in reply, reply
    reply = ask_policerecruitment(
        "P01",
        "2063-02-27T12:30-05:00",
        "hola!! acabo de aterrizar en atlanta, donde encuentro a la gente del programa?",
    )
    assert "cinta de equipajes 5" in reply and "Marcus Dupree" in reply, reply
    reply = ask_policerecruitment(
        "P01",
        "2063-03-04T11:50-06:00",
        "ya aterrizamos en MSP donde nos espera la van y quien maneja?",
    )
    assert "Kari Lindqvist" in reply and "12:00" in reply, reply
    reply = ask_policerecruitment(
        "P08", "2063-03-11T21:00-04:00", "прилетели! где нас ждёт автобус?"
    )
    assert "N4" in reply, reply


def test_photos_at_a_visit_are_its_own_notes(
    ask_organtrafficking: Asker, ask_policerecruitment: Asker
) -> None:
    """ "Tomorrow at the CBP, photos allowed? do I take my passport?", "photos at the range
    today?": what the day's visit says, not only the programme's rule on photos."""
    reply = ask_organtrafficking(
        "P01",
        "2042-03-12T20:00-05:00",
        "mañana en el aeropuerto con CBP se puede sacar fotos? llevo pasaporte?",
    )
    assert "Prohibido tomar fotos" in reply, reply
    reply = ask_organtrafficking(
        "P06", "2042-03-10T07:00-06:00", "مسموح التصوير اليوم عند المحقق الطبي؟"
    )
    assert "ممنوع" in reply, reply
    reply = ask_organtrafficking("P07", "2042-03-05T21:00-05:00", "завтра в морге можно фоткать?")
    assert "запрещ" in reply, reply
    reply = ask_policerecruitment(
        "P08", "2063-03-07T08:00-09:00", "сегодня на стрельбище можно фоткать?"
    )
    assert "запрещено" in reply, reply


def test_leaving_the_hotel_is_the_lobby_call(
    ask_veteranscourts: Asker, ask_animalcruelty: Asker
) -> None:
    """ "A que horas saímos do hotel hoje?", "the farewell dinner today, where, and when do we
    leave the hotel?", "во сколько сбор в холле на ужин?": the lobby call."""
    reply = ask_veteranscourts(
        "P09", "2005-03-25T07:00-05:00", "bom dia, a que horas saimos do hotel hoje?"
    )
    assert "08:15" in reply, reply
    reply = ask_veteranscourts("P10", "2005-03-30T21:00-08:00", "amanha a q horas saimos do hotel?")
    assert "08:00" in reply, reply
    reply = ask_veteranscourts(
        "P11", "2005-03-24T17:00-05:00", "привет, во сколько сбор в холле на ужин?"
    )
    assert "18:40" in reply, reply
    reply = ask_animalcruelty(
        "P02", "2019-03-19T15:00-07:00", "عشاء الوداع اليوم وين؟ ومتى منطلع من الفندق؟"
    )
    assert "18:30" in reply and "Fremont Street" in reply, reply


def test_a_title_s_words_name_no_faq_entry(ask_wrongfulconvictions: Asker) -> None:
    """ "Are we leaving for Red Rocks already?" names the excursion, not the Wi-Fi entry whose
    Spanish answer says "red" (network)."""
    reply = ask_wrongfulconvictions(
        "P07", "2011-03-13T09:35-06:00", "мы уже выезжаем в red rocks?? я опаздываю"
    )
    assert "09:30" in reply and "Wi-Fi" not in reply, reply


def test_a_contact_asked_for_a_colleague(
    ask_organtrafficking: Asker, ask_animalcruelty: Asker
) -> None:
    """ "Is there a French interpreter? My colleague Mamadou needs help": the interpreter, which
    tells nothing of the colleague; "Hector's hotel?" is still declined."""
    reply = ask_animalcruelty(
        "P04",
        "2019-03-11T16:30-06:00",
        "is there a french interpreter? my colleague mamadou needs help, number pls",
    )
    assert "215 555 0135" in reply, reply
    reply = ask_organtrafficking(
        "P11", "2042-03-07T15:00-05:00", "who's the spanish interpreter? hector needs her number"
    )
    assert "305 555 0119" in reply, reply
    reply = ask_organtrafficking("P11", "2042-03-07T15:00-05:00", "which hotel is hector in?")
    assert "cannot share" in reply, reply


def test_a_watch_and_a_phone_that_disagree(ask_wrongfulconvictions: Asker) -> None:
    """ "My watch says 7:30 but my phone says 8:30", "o relógio do quarto marca 6h mas o
    celular 7h": the change of clocks."""
    reply = ask_wrongfulconvictions(
        "P12",
        "2011-03-13T08:30-06:00",
        "my watch says 7:30 but my phone says 8:30?? which one is right",
    )
    assert "2:00" in reply and "MDT" in reply, reply
    reply = ask_wrongfulconvictions(
        "P10",
        "2011-03-13T07:00-06:00",
        "acordei e o relogio do quarto marca 6h mas o celular 7h, qual ta certo?",
    )
    assert "MDT" in reply, reply


def test_changing_money_and_storing_luggage_in_other_words(
    ask_veteranscourts: Asker, ask_telecomfraud: Asker
) -> None:
    """ "Where can I change dirhams?", "onde troco reais por dólar?", "can I leave a suitcase at
    the hotel?", "checked out, where do I leave the big bag?": the FAQ entries."""
    reply = ask_veteranscourts(
        "P02", "2005-04-07T07:30-04:00", "وين بقدر أصرف دراهم؟ الفندق بيصرف؟"
    )
    assert "Travelex" in reply, reply
    reply = ask_telecomfraud(
        "P13", "2087-03-02T15:00-05:00", "onde troco reais por dolar? no aeroporto compensa?"
    )
    assert "Chase" in reply, reply
    reply = ask_veteranscourts(
        "P06",
        "2005-03-29T22:00-05:00",
        "puedo dejar una maleta en el hotel mientras estamos en san diego?",
    )
    assert "Curtis Bell" in reply, reply
    reply = ask_veteranscourts(
        "P10",
        "2005-03-30T07:00-05:00",
        "ja fiz checkout, onde deixo a mala grande enquanto estamos fora?",
    )
    assert "Curtis Bell" in reply and "Henley Park" in reply, reply


def test_unwell_or_locked_out_whom_to_call(
    ask_veteranscourts: Asker,
    ask_policerecruitment: Asker,
    ask_wrongfulconvictions: Asker,
) -> None:
    """ "I have a fever, whom do I call?" in Levantine Arabic ("عندي" is no participant's name),
    "je me sens pas très bien", "locked out of my room, who can I call?", "someone followed me,
    who do I report it to?": the duty phone or the security officer."""
    reply = ask_veteranscourts("P01", "2005-04-06T10:00-04:00", "عندي حرارة وتعبان شوي، مين بتصل؟")
    assert "202 555 0100" in reply, reply
    reply = ask_policerecruitment(
        "P04",
        "2063-03-10T11:00-06:00",
        "je me sens pas très bien, c'est pas urgent, j'appelle qui ?",
    )
    assert "404 555 0100" in reply, reply
    reply = ask_wrongfulconvictions(
        "P11", "2011-03-18T02:10-06:00", "locked out of my room at 2am lol, who can i call?"
    )
    assert "617 555 0100" in reply, reply
    reply = ask_policerecruitment(
        "P11",
        "2063-03-13T19:00-04:00",
        "someone was following me near the hotel earlier, who do i report that to? security "
        "person?",
    )
    assert "404 555 0199" in reply, reply


def test_a_whole_day_holds_its_morning(ask_wrongfulconvictions: Asker) -> None:
    """ "What's on today? Anything in the morning?": the whole day."""
    reply = ask_wrongfulconvictions(
        "P08", "2011-03-16T08:00-05:00", "что у нас сегодня? утром что-то есть?"
    )
    assert "18:30" in reply, reply


def test_the_next_pope_is_another_topic(ask_veteranscourts: Asker) -> None:
    """ "Qui sera le prochain pape ?" asks of no next event."""
    reply = ask_veteranscourts(
        "P07", "2005-04-07T12:00-04:00", "tu penses qui sera le prochain pape?"
    )
    assert "750 17th Street" not in reply and "programme" in reply, reply


def test_the_dress_of_a_visit_named(ask_policerecruitment: Asker, ask_telecomfraud: Asker) -> None:
    """ "Roupa pra amanhã no centro de treinamento?" (a centre, not downtown), "o traje pro
    briefing no EPIC?": the visit's own dress."""
    reply = ask_policerecruitment(
        "P09", "2063-03-13T20:30-04:00", "qual a roupa pra amanhã no centro de treinamento?"
    )
    assert "sapatos fechados" in reply, reply
    reply = ask_telecomfraud("P13", "2087-03-09T14:00-06:00", "qual o traje pro briefing no EPIC?")
    assert "business" in reply, reply


def test_journeys_and_days_in_other_words(
    ask_animalcruelty: Asker,
    ask_wrongfulconvictions: Asker,
    ask_organtrafficking: Asker,
) -> None:
    """ "Kogda my letim v Denver?" (no stay there: the journey named), "a gente voa pra Salt
    Lake", "gde vstrecha 14-go?", "не спится. zavtra vo skolko sbor v lobbi?" (Latin words in a
    Cyrillic message), "le briefing sécurité, à quelle heure ?"."""
    reply = ask_animalcruelty(
        "P14", "2019-03-07T18:00-05:00", "kogda my letim v denver? nomer reysa?"
    )
    assert "UA 1498" in reply and "08:45" in reply, reply
    reply = ask_wrongfulconvictions(
        "P10", "2011-03-16T12:45-06:00", "quinta a gente voa pra salt lake que horas?"
    )
    assert "11:15" in reply and "F9 411" in reply, reply
    reply = ask_animalcruelty("P13", "2019-03-12T21:00-05:00", "gde vstrecha 14-go? adres")
    assert "1 Government Drive" in reply, reply
    reply = ask_organtrafficking(
        "P07", "2042-03-09T01:15-05:00", "не спится. zavtra vo skolko sbor v lobbi?"
    )
    assert "07:15" in reply, reply
    reply = ask_organtrafficking(
        "P04", "2042-03-04T14:00-05:00", "c'est a quelle heure le briefing securite ?"
    )
    assert "15:45" in reply, reply


def test_smoke_or_fire_is_an_emergency(ask_telecomfraud: Asker) -> None:
    """ "There's smoke in my room", "fi 7ari2 bil fundu2", "في ريحة دخان", "huele a humo",
    "пахнет дымом": 911 first; "can I smoke in the room?" is no emergency."""
    asked = [
        ("P01", "there's smoke in my room, what do i do??"),
        ("P08", "fi 7ari2 bil fundu2"),
        ("P08", "في ريحة دخان بالممر"),
        ("P04", "huele a humo en el pasillo del hotel"),
        ("P10", "в коридоре пахнет дымом, что делать"),
        ("P12", "tem cheiro de fumaça no quarto"),
        ("P06", "il y a de la fumée dans le couloir"),
    ]
    for key, text in asked:
        reply = ask_telecomfraud(key, "2087-03-08T23:00-05:00", text)
        assert "911" in reply and "555 0100" in reply, (text, reply)
    reply = ask_telecomfraud("P01", "2087-03-08T23:00-05:00", "can I smoke in the room?")
    assert "911" not in reply, reply


def test_an_article_written_apart_reads_with_its_word(ask_telecomfraud: Asker) -> None:
    """ "el sa3a btet2ayar el lele?": "el sa3a" is الساعه, not لاي ساعه (to which hour), and
    the clock change is answered."""
    reply = ask_telecomfraud("P08", "2087-03-08T20:00-05:00", "el sa3a btet2ayar el lele?")
    assert "02:00" in reply and "03:00" in reply, reply


def test_who_drives_us_is_the_driver(ask_telecomfraud: Asker) -> None:
    """ "¿Quién nos lleva a la cena con la familia?", "кто нас везет на ужин?": the group's
    driver, not every contact."""
    reply = ask_telecomfraud(
        "P04", "2087-03-13T09:00-06:00", "quien nos lleva a la cena con la familia?"
    )
    assert "Rubén Olivas" in reply and "Camila Duarte" not in reply, reply
    reply = ask_telecomfraud("P10", "2087-03-13T09:00-06:00", "кто нас везет на ужин в семью?")
    assert "Rubén Olivas" in reply and "Pavel Grinberg" not in reply, reply


def test_a_dress_code_in_its_russian_forms(ask_telecomfraud: Asker) -> None:
    """ "Завтра что по дресс-коду?": the dress code, not the Wi-Fi code nor a person."""
    reply = ask_telecomfraud("P10", "2087-03-17T09:00-04:00", "завтра что по дресс-коду?")
    assert "business" in reply.lower() and "motor2087" not in reply, reply


def test_a_possessive_ending_in_arabizi(ask_telecomfraud: Asker) -> None:
    """ "emta tayyaretna 3a detroit" (طيارتنا, "our plane"), "wein fondo2na bi detroit": the
    flight and the hotel."""
    reply = ask_telecomfraud("P08", "2087-03-07T12:00-05:00", "emta tayyaretna 3a detroit")
    assert "DL 1187" in reply and "09:30" in reply, reply
    reply = ask_telecomfraud("P08", "2087-03-05T12:00-05:00", "wein fondo2na bi detroit")
    assert "Griswold" in reply and "Carlisle" not in reply, reply


def test_changing_any_currency_in_arabic(ask_telecomfraud: Asker) -> None:
    """ "بدي صرّف مصاري، معي دينار، وين بقدر؟": the currency entry, not the lobby call."""
    reply = ask_telecomfraud("P08", "2087-03-13T09:00-04:00", "بدي صرّف مصاري، معي دينار، وين بقدر؟")
    assert "ATM" in reply and "Lobby call" not in reply, reply


def test_just_arrived_back_is_the_leg_one_is_on(ask_telecomfraud: Asker) -> None:
    """ "Acabamos de chegar, qual o endereço do hotel?" days into a leg: this leg's hotel, not
    the next one; "when we get to New York, which hotel?" is the next."""
    reply = ask_telecomfraud(
        "P13", "2087-03-13T09:00-06:00", "acabamos de chegar, qual o endereço do hotel?"
    )
    assert "106 West Mills" in reply and "Fulton" not in reply, reply
    reply = ask_telecomfraud(
        "P13", "2087-03-13T09:00-06:00", "quando chegamos em nova york, qual é o hotel?"
    )
    assert "Fulton Landing" in reply, reply


def test_two_events_joined_by_and(ask_telecomfraud: Asker) -> None:
    """ "¿A qué hora es la clausura y la cena de despedida?": both, though "despedida" names
    the dinner too; "quand sont la clôture et le dîner d'adieu ?" likewise."""
    for key, text in (
        ("P04", "a que hora es la clausura y la cena de despedida?"),
        ("P06", "quand sont la cloture et le diner d'adieu ?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-17T09:00-04:00", text)
        assert "10:00" in reply and "19:00" in reply, (text, reply)


def test_who_meets_us_on_landing_in_a_named_city(ask_telecomfraud: Asker) -> None:
    """ "Who picks us up when we land in Detroit?" days before: the flight into that city and
    the driver who meets it, not today's lobby call."""
    reply = ask_telecomfraud(
        "P01", "2087-03-05T12:00-05:00", "who picks us up when we land in Detroit?"
    )
    assert "DL 1187" in reply and "Marek Kowalczyk" in reply, reply
    reply = ask_telecomfraud(
        "P04", "2087-03-05T12:00-05:00", "quien nos recoge cuando aterricemos en El Paso?"
    )
    assert "Rubén Olivas" in reply and "Marek Kowalczyk" not in reply, reply


def test_the_time_now_in_cities_named(ask_telecomfraud: Asker) -> None:
    """ "What is the time in El Paso?", asked in New York: El Paso's clock now, though an event
    has El Paso in its title; "in Detroit and El Paso": both clocks."""
    reply = ask_telecomfraud("P01", "2087-03-05T12:00-05:00", "what is the time in El Paso?")
    assert "10:00" in reply and "Group reports" not in reply, reply
    reply = ask_telecomfraud(
        "P01", "2087-03-05T12:00-05:00", "what's the time in detroit and el paso?"
    )
    assert "12:00" in reply and "10:00" in reply, reply


def test_my_group_and_a_quick_question_are_politeness(ask_telecomfraud: Asker) -> None:
    """ "Quick one: what's on for my group tomorrow?", "rapidito: qué hay mañana para mi
    grupo?": tomorrow's agenda, not a contact or the groups."""
    for key, text in (
        ("P01", "quick one: what's on for my group tomorrow?"),
        ("P04", "rapidito: que hay mañana para mi grupo?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-05T12:00-05:00", text)
        assert "Northstar" in reply, (text, reply)


def test_which_group_am_i_in(ask_telecomfraud: Asker) -> None:
    """ "Which group am I in?" in every language: the asker's own group, not an event titled
    "group reports"; asked of someone else, declined."""
    for key, text in (
        ("P01", "which group am I in?"),
        ("P04", "en que grupo estoy?"),
        ("P06", "je suis dans quel groupe ?"),
        ("P13", "qual é o meu grupo?"),
        ("P10", "в какой я группе?"),
        ("P08", "انا في اي مجموعة؟"),
    ):
        reply = ask_telecomfraud(key, "2087-03-05T12:00-05:00", text)
        assert "Group " in reply and "Group reports" not in reply, (text, reply)
    assert "Group A (Detroit)" in ask_telecomfraud(
        "P01", "2087-03-05T12:00-05:00", "which group am I in?"
    )
    reply = ask_telecomfraud("P01", "2087-03-05T12:00-05:00", "what group is Rania in?")
    assert "Group" not in reply, reply


def test_a_theft_in_the_room_is_an_emergency(ask_telecomfraud: Asker) -> None:
    """ "Alguém entrou no meu quarto e roubou meu notebook": the police number first, in every
    language; an event about stolen goods is still that event."""
    for key, text in (
        ("P13", "alguem entrou no meu quarto e roubou meu notebook, o que faço?"),
        ("P01", "someone broke into my room and stole my laptop"),
        ("P04", "alguien entró a mi cuarto y robó mi computadora"),
        ("P06", "quelqu'un est entré dans ma chambre et a volé mon ordinateur"),
        ("P10", "кто-то залез в номер и украл ноутбук"),
        ("P08", "حدا فات على غرفتي وسرق اللابتوب"),
    ):
        reply = ask_telecomfraud(key, "2087-03-05T23:00-05:00", text)
        assert "911" in reply, (text, reply)


def test_a_slip_in_typing_a_day(ask_telecomfraud: Asker) -> None:
    """ "What do we have tommorow?", "on fait quoi demian ?", "что у нас завтро?": tomorrow's
    programme; a word of the programme is never read as a day."""
    for key, text in (
        ("P01", "what do we have tommorow?"),
        ("P06", "on fait quoi demian ?"),
        ("P10", "что у нас завтро?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-05T12:00-05:00", text)
        assert "Northstar" in reply, (text, reply)


def test_at_the_airport_the_hotel_address(ask_telecomfraud: Asker) -> None:
    """ "Bonjour je suis à JFK, l'adresse de l'hôtel ?": the hotel one goes to, not the
    shuttles that leave for JFK on the last day."""
    for key, text in (
        ("P06", "bonjour je suis a jfk, ladresse de l'hotel?"),
        ("P01", "I'm at JFK, what's the hotel address?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-02T10:00-05:00", text)
        assert "145 East 44th Street" in reply and "Shuttle" not in reply, (text, reply)


def test_arabic_days_as_they_are_said(ask_telecomfraud: Asker) -> None:
    """ "Nhar essebt shu fi?" (the article said as the s of سبت) is Saturday."""
    reply = ask_telecomfraud("P08", "2087-03-05T10:00-05:00", "nhar essebt shu fi?")
    assert "8 مارس" in reply, reply


def test_who_drives_us_there_and_when(ask_telecomfraud: Asker) -> None:
    """ "¿Quién nos lleva a la cena con la familia y a qué hora nos recogen?": the dinner's
    time and the driver, not the driver alone."""
    for key, text in (
        ("P04", "quien nos lleva a la cena con la familia y a que hora nos recogen?"),
        ("P10", "кто водитель на ужин в семью и во сколько выезд?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-13T09:00-06:00", text)
        assert "18:30" in reply and "Rubén Olivas" in reply, (text, reply)


def test_when_we_can_get_into_the_rooms(ask_telecomfraud: Asker) -> None:
    """ "Ya aterrizamos en El Paso, ¿a qué hora podemos entrar al hotel?", "we just landed,
    what time can we get into our rooms?": the check-in rule, not the hotel's address alone."""
    for key, text in (
        ("P04", "ya aterrizamos en el paso, a que hora podemos entrar al hotel?"),
        ("P02", "we just landed, what time can we get into our rooms?"),
        ("P10", "мы прилетели, во сколько можно заселиться?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-08T13:30-07:00", text)
        assert "Check-in from 15:00" in reply, (text, reply)


def test_a_lobby_call_and_where_it_leads(ask_telecomfraud: Asker) -> None:
    """ "Послезавтра во сколько сбор в лобби и куда едем?": the lobby call that sets off for
    the police headquarters, and the visit there with its address."""
    reply = ask_telecomfraud(
        "P10", "2087-03-08T20:00-07:00", "послезавтра во сколько сбор в лобби и куда едем?"
    )
    assert "08:00" in reply and "911 North Raynor" in reply, reply


def test_the_email_to_write_to_about_a_problem(ask_telecomfraud: Asker) -> None:
    """ "A qué correo escribo si tengo un problema...?", "لو عندي مشكلة أبعت ايميل لمين؟": a
    trouble one writes about asks for the help e-mail, not the emergency numbers."""
    for key, text in (
        ("P04", "a q correo escribo si tengo un problema con la tarjeta de viaticos?"),
        ("P09", "لو عندي مشكلة أبعت ايميل لمين؟"),
        ("P01", "if I have a problem, what email do I write to?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-05T20:00-05:00", text)
        assert "tccf2087-help@example.org" in reply and "911" not in reply, (text, reply)


def test_or_is_it_free(ask_telecomfraud: Asker) -> None:
    """ "Et après-demain, on a quelque chose ou c'est libre ?": the day's programme, not the
    free afternoon alone ("ou" is "or" here, and "c'est" is read once)."""
    reply = ask_telecomfraud(
        "P06", "2087-03-05T20:00-05:00", "et apres-demain, on a quelque chose ou c'est libre?"
    )
    assert "08:00" in reply and "14:00" in reply, reply


def test_someone_of_the_organisers_at_night(ask_telecomfraud: Asker) -> None:
    """ "Y a quelqu'un de l'organisation joignable la nuit ?": the duty officer."""
    for key, text in (
        ("P06", "y a quelqu'un de l'organisation joignable la nuit ?"),
        ("P01", "is anyone from the organisers reachable at night?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-06T03:10-05:00", text)
        assert "+1 212 555 0100" in reply, (text, reply)


def test_my_group_and_where_it_goes(ask_telecomfraud: Asker) -> None:
    """ "Which group am I in, and where does it go after New York?": the group and its cities."""
    reply = ask_telecomfraud(
        "P01", "2087-03-05T20:00-05:00", "which group am I in, and where does it go after New York?"
    )
    assert "Group A" in reply and "Detroit" in reply and "El Paso" not in reply, reply


def test_washing_clothes_in_maghrebi_arabizi(ask_telecomfraud: Asker) -> None:
    """ "Wach kayn fin nghsel 7wayji f l'hotel?": the laundry entry."""
    reply = ask_telecomfraud(
        "P09", "2087-03-05T20:00-05:00", "salam, wach kayn fin nghsel 7wayji f l'hotel?"
    )
    assert "coin laundry" in reply, reply


def test_a_day_asked_after_saying_where_one_is(ask_telecomfraud: Asker) -> None:
    """ "Finally in my room lol. Day after tomorrow are we busy?": that day's programme."""
    reply = ask_telecomfraud(
        "P01", "2087-03-05T20:00-05:00", "finally in my room lol. day after tomorrow are we busy?"
    )
    assert "Statue of Liberty" in reply, reply


ask_juvenilediversion = _asking(
    "programme-juvenilediversion-2087.yaml",
    "Ask as a participant of the juvenile diversion programme (Washington, Minneapolis, Seattle).",
)


def test_when_we_leave_the_city_we_are_in(ask_juvenilediversion: Asker) -> None:
    """ "When do we leave Minneapolis?", "сколько мы в Миннеаполисе? когда улетаем?" asked
    there: the flight out, not the one that brought the group in; just landed, the one in."""
    for text in ("when do we leave Minneapolis?", "how long are we in Minneapolis?"):
        reply = ask_juvenilediversion("P16", "2087-10-28T20:00-05:00", text)
        assert "NS 735" in reply and "NS 412" not in reply, (text, reply)
    reply = ask_juvenilediversion("P16", "2087-10-25T13:00-05:00", "just landed in Minneapolis")
    assert "NS 735" not in reply, reply


def test_a_ride_and_the_visit_it_takes_us_to(ask_telecomfraud: Asker) -> None:
    """ "Where does the bus leave from this morning, and where is it taking us?": the ride and
    the visit it brings the group to."""
    reply = ask_telecomfraud(
        "P01",
        "2087-03-07T07:00-05:00",
        "where does the bus leave from this morning and where's it taking us exactly?",
    )
    assert "08:00" in reply and "Castle Clinton" in reply, reply


def test_a_day_of_the_month_with_its_russian_ending(ask_telecomfraud: Asker) -> None:
    """ "Расписание на 7е": the 7th."""
    reply = ask_telecomfraud("P10", "2087-03-03T09:00-05:00", "расписание на 7е скинь пжл")
    assert "7 марта" in reply and "Castle Clinton" in reply, reply


def test_the_weather_and_a_coat(ask_telecomfraud: Asker) -> None:
    """ "What's the weather like in Detroit this week? Do I need a coat?", "il fait combien de
    degrés ?": the programme's word on the weather, not the week's visits."""
    for key, text in (
        ("P01", "what's the weather going to be like in detroit this week? do i need a coat"),
        ("P06", "il fait combien de degres a detroit en ce moment ?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-09T09:00-04:00", text)
        assert "°C" in reply and "09:" not in reply and "14:" not in reply, (text, reply)


def test_how_many_kilos_to_check_in_on_a_flight(ask_telecomfraud: Asker) -> None:
    """ "How many kg can I check in on the domestic flights?": the luggage rule, not the
    hotel's check-in."""
    reply = ask_telecomfraud(
        "P01", "2087-03-05T21:00-05:00", "quick one - how many kg can I check in on the flights?"
    )
    assert "kg" in reply and "Check-in from 15:00" not in reply, reply


def test_football_and_prices_in_arabic_are_outside_the_programme(ask_telecomfraud: Asker) -> None:
    """ "Howa el ahly keseb embare7 wala la2?" (did Al Ahly win yesterday?), "بكام الايفون
    هنا؟" (how much is an iPhone here?): outside what the assistant knows, no agenda."""
    for text in ("howa el ahly keseb embare7 wala la2?", "بكام الايفون هنا في امريكا؟"):
        reply = ask_telecomfraud("P09", "2087-03-05T08:00-05:00", text)
        assert "/ask" in reply and "09:" not in reply, (text, reply)


def test_the_gate_of_a_visit(ask_telecomfraud: Asker) -> None:
    """ "К каким воротам подходить завтра в ФБР?", "¿por qué puerta entramos mañana al FBI?":
    the place's notes on getting in."""
    for key, text in (
        ("P10", "к каким воротам подходить завтра в ФБР?"),
        ("P04", "por que puerta entramos manana al FBI?"),
    ):
        reply = ask_telecomfraud(key, "2087-03-03T20:00-05:00", text)
        assert "Duane Street" in reply, (text, reply)


def test_a_cancelled_visit_and_what_comes_instead(ask_telecomfraud: Asker) -> None:
    """ "Are we still doing the FCC videoconference tomorrow?": cancelled, and what comes next."""
    reply = ask_telecomfraud(
        "P01", "2087-03-06T19:00-05:00", "are we still doing the FCC videoconference tomorrow?"
    )
    assert "CANCELLED" in reply and "07:15" in reply, reply


def test_a_first_name_in_another_script(ask_telecomfraud: Asker) -> None:
    """ "ممكن رقم نادية؟", "как связаться с Павлом?": a contact's first name, spelled without
    its short vowels or with a case's ending; "وين نازل يوسف الإدريسي" is another participant."""
    reply = ask_telecomfraud("P08", "2087-03-03T09:00-05:00", "ممكن رقم نادية؟")
    assert "555 0125" in reply, reply
    reply = ask_telecomfraud("P10", "2087-03-03T09:00-05:00", "как связаться с Павлом?")
    assert "555 0127" in reply, reply
    reply = ask_telecomfraud("P08", "2087-03-03T09:00-05:00", "وين نازل يوسف الإدريسي هلأ")
    assert "Carlisle" not in reply, reply


def test_a_forecast_is_outside_the_programme(ask_aml: Asker) -> None:
    """ "How cold is it gonna get today?" asks a forecast, which no programme without a word on
    the weather holds: not the day's agenda."""
    reply = ask_aml(
        "P16", "2063-10-22T07:00-04:00", "how cold is it gonna get in washington today?? freezing?"
    )
    assert "outside what I know" in reply and "programme for" not in reply, reply


def test_a_coat_the_faq_says_to_bring(ask_aml: Asker) -> None:
    """ "Il faut prendre un manteau ?", cold or not: the FAQ entry that says to bring one."""
    for text in ("il faut prendre un manteau ?", "il va faire froid, il faut un manteau chaud ?"):
        reply = ask_aml("P04", "2063-10-18T18:00+00:00", text)
        assert "manteau" in reply and "Tenue de ville" in reply, (text, reply)


def test_a_laundry_room(ask_aml: Asker) -> None:
    """ "Is there a laundry room at the hotel?": the FAQ on laundry with the hotel's own word."""
    reply = ask_aml("P16", "2063-10-22T07:00-04:00", "is there a laundry room at the hotel?")
    assert "Laundry is at your own expense" in reply, reply


def test_a_cold_is_a_medical_matter(ask_telecomfraud: Asker) -> None:
    """ "Tô meio gripado, não é emergência": whom to call when unwell, not an emergency."""
    reply = ask_telecomfraud(
        "P12", "2087-03-04T07:00-05:00", "tô meio gripado, não é emergência, o que eu faço?"
    )
    assert "555 0100" in reply, reply


def test_the_night_into_a_day_in_russian(ask_telecomfraud: Asker) -> None:
    """ "В ночь на 9-е" is the night from the 8th: that night's hotel."""
    reply = ask_telecomfraud("P10", "2087-03-03T09:00-05:00", "где ночуем в ночь на 9-е?")
    assert "Plaza del Norte" in reply, reply
    reply = ask_telecomfraud("P10", "2087-03-03T09:00-05:00", "где ночуем в ночь на 8-е?")
    assert "Carlisle" in reply, reply


def test_check_in_said_in_a_transfers_description(ask_insurancefraud: Asker) -> None:
    """ "From what time can we check in at the new hotel?": the transfer there, whose
    description gives the hour."""
    reply = ask_insurancefraud(
        "P01", "2008-06-15T09:00-04:00", "from what time can we check in at the new hotel?"
    )
    assert "Registro en el Tidewater Commons" in reply, reply


def test_a_city_abroad_is_its_country(ask_anticorruption: Asker) -> None:
    """ "ممكن أروح تورونتو يوم السبت؟", "можно съездить в Тихуану?": a trip to Canada or
    Mexico, which the FAQ on visas rules on."""
    for text in ("ممكن أروح تورونتو يوم السبت؟", "можно съездить в Тихуану?"):
        reply = ask_anticorruption("P07", "2040-10-24T09:00-04:00", text)
        assert "J-1" in reply, (text, reply)


def test_an_opinion_on_the_news_is_outside_the_programme(ask_telecomfraud: Asker) -> None:
    """ "What do you think about the new tariffs?", "что думаете про нового мэра?": an opinion
    on the news, which the programme does not hold (not the day's agenda)."""
    reply = ask_telecomfraud(
        "P01", "2087-03-05T19:00-05:00", "what do you think about the new tariffs? good idea or not"
    )
    assert "outside what I know" in reply, reply
    reply = ask_telecomfraud(
        "P10", "2087-03-05T19:00-05:00", "что думаете про нового мэра Нью-Йорка?"
    )
    assert "за рамки" in reply and "Statue" not in reply, reply


def test_what_to_wear_in_maghrebi_arabic(ask_telecomfraud: Asker) -> None:
    """ "شنو خاصنا نلبسو فالاجتماعات الرسمية؟" asks what to wear ("نلبسو", "we wear")."""
    reply = ask_telecomfraud(
        "P09", "2087-03-03T21:00-05:00", "شنو خاصنا نلبسو فالاجتماعات الرسمية؟"
    )
    assert "لم أفهم" not in reply and "لباس" in reply, reply


def test_a_german_tz_written_with_a_cyrillic_ts(ask_courtsecurity: Asker) -> None:
    """ "Когда едем в Гармац?": Garmatz, its "tz" written "ц"; the visit there, not a flight."""
    reply = ask_courtsecurity("P10", "2038-03-10T09:00-05:00", "когда едем в Гармац?")
    assert "Garmatz" in reply and "16 марта" in reply and "BM 527" not in reply, reply


def test_the_day_after_tomorrow_in_gulf_arabic(ask_aml: Asker) -> None:
    """ "عقب باجر شو البرنامج؟": the programme of the day after tomorrow, not tomorrow's."""
    reply = ask_aml("P07", "2063-10-22T09:00-04:00", "عقب باجر شو البرنامج؟")
    assert "Realtors" in reply and "Treasury" not in reply, reply


def test_the_check_out_hour_asked_in_russian(ask_telecomfraud: Asker) -> None:
    """ "До скольки надо выехать из отеля?" on the last day: the check-out event, whose
    description gives the hour the hotel's notes do not."""
    reply = ask_telecomfraud("P10", "2087-03-20T07:00-04:00", "до скольки надо выехать из отеля?")
    assert "11:00" in reply and "Выезд из отеля и отъезд" in reply, reply


def test_the_start_and_the_first_hotel_asked_before_the_programme(ask_aml: Asker) -> None:
    """ "Sorry if this was in the email already, what date does the programme start and which
    hotel are we in first?": the dates and the first hotel."""
    reply = ask_aml(
        "P16",
        "2063-10-15T12:00+02:00",
        "hello! sorry if this was in the email already, what date does the programme start "
        "and which hotel are we in first?",
    )
    assert "October 21" in reply and "Hotel Penrose" in reply, reply


def test_a_contacts_mobile_by_first_name_in_spanish(ask_aml: Asker) -> None:
    """ "¿Cuál es el celular de Anders?": that contact's phone, not the day's agenda."""
    reply = ask_aml("P01", "2063-10-22T07:00-04:00", "cual es el celular de anders?")
    assert "555 0167" in reply and "Orientación" not in reply, reply


def test_going_in_by_an_entrance_said_with_rentrer(ask_trafficpolicing: Asker) -> None:
    """ "Demain au tribunal on rentre par quelle entrée ?": the court's notes on its entrance,
    not the evening visit whose description says the van comes back."""
    reply = ask_trafficpolicing(
        "P05", "2022-11-02T20:00-05:00", "demain au tribunal on rentre par quelle entrée ?"
    )
    assert "Public Square" in reply and "Charlotte Pike" not in reply, reply


def test_kilos_in_the_suitcase_is_the_faq_allowance(ask_youthoutreach: Asker) -> None:
    """ "¿Cuántos kilos puedo llevar en la maleta?": the FAQ's allowance, not tomorrow's train
    whose title says to bring the luggage down."""
    reply = ask_youthoutreach(
        "P01", "2014-03-03T20:00-05:00", "¿cuántos kilos puedo llevar en la maleta?"
    )
    assert "23 kg" in reply and "09:05" not in reply, reply


def test_a_contact_asked_by_its_alias_with_a_day(ask_cryptoevidence: Asker) -> None:
    """ "What's the shuttle number for the airport on Tuesday?": the contact called the
    airport shuttle, not that day's departures."""
    reply = ask_cryptoevidence(
        "P04", "2022-03-20T20:00-07:00", "what's the shuttle number for the airport on tuesday?"
    )
    assert "555 0158" in reply and "04:30" not in reply, reply


def test_the_initials_of_a_name_inside_a_title(ask_evidence: Asker) -> None:
    """ "When do we go to MLK?": the visit to the Martin Luther King Jr. National Historical
    Park, though nothing calls it MLK."""
    reply = ask_evidence("P16", "2039-03-10T20:00-05:00", "when do we go to MLK?")
    assert "March 12" in reply and "10:00" in reply, reply


def test_a_steakhouse_in_portuguese_is_outside_the_programme(ask_aml: Asker) -> None:
    """ "Tem algum restaurante bom de carne aqui em Washington?": outside the programme ("carne"
    is no "care" of the FAQ on medical care), no agenda."""
    reply = ask_aml(
        "P13",
        "2063-10-23T19:00-04:00",
        "tem algum restaurante bom de carne aqui em washington?",
    )
    assert "/ask" in reply and "09:30" not in reply and "GXI" not in reply, reply


def test_a_stolen_passport_at_night_is_an_emergency(ask_identity: Asker) -> None:
    """ "My wallet with my passport got stolen on the way back from dinner!! who do i call at
    this hour": the emergency and duty numbers, not a visit whose title names passports."""
    reply = ask_identity(
        "P16",
        "2035-10-22T22:40-04:00",
        "my wallet with my passport got stolen on the way back from dinner!! "
        "who do i call at this hour",
    )
    assert "911" in reply and "555 0100" in reply and "Truman" not in reply, reply


def test_a_hotel_address_asked_after_the_programme(ask_aml: Asker) -> None:
    """ "Программа уже закончилась, но я забыл зарядку в отеле в Майами. Какой у них адрес?":
    that city's hotel, though the programme is over."""
    reply = ask_aml(
        "P10",
        "2063-11-12T10:00+05:00",
        "программа уже закончилась, но я забыл зарядку в отеле в Майами. какой у них адрес?",
    )
    assert "1550 Biscayne Boulevard" in reply, reply


ask_securitiesfraud = _asking(
    "programme-securitiesfraud-2034.yaml",
    "Ask as a participant of the securities fraud programme (everyone in New York; the stock "
    "exchange visit cancelled).",
)


def test_a_stock_exchange_visit_asked_about_in_portuguese(ask_securitiesfraud: Asker) -> None:
    """ "A visita na bolsa de valores hoje à tarde ainda tá de pé?": the visit, cancelled (the
    stock exchange is a topic of its own, but here the visit's name)."""
    reply = ask_securitiesfraud(
        "P13", "2034-10-17T08:00-04:00", "a visita na bolsa de valores hoje à tarde ainda tá de pé?"
    )
    assert "CANCELADA" in reply and "11 Wall Street" in reply and "/ask" not in reply, reply


def test_the_check_out_hour_asked_the_evening_before(ask_telecomfraud: Asker) -> None:
    """ "До скольки надо выехать из отеля?" the evening before leaving: tomorrow's check-out
    event, not only tonight's hotel."""
    reply = ask_telecomfraud("P10", "2087-03-19T20:00-04:00", "до скольки надо выехать из отеля?")
    assert "Check out by 11:00" in reply and "20 марта" in reply, reply


def test_two_short_words_of_a_name_in_cyrillic(ask_aml: Asker) -> None:
    """ "Когда идём на Пайк Плейс?": Pike Place, two short words that sound a name together."""
    reply = ask_aml("P10", "2063-11-03T20:00-08:00", "когда идём на Пайк Плейс?")
    assert "4 ноября" in reply and "13:00" in reply, reply


ask_denver_houston = _asking(
    "programme-wildlifeports-2052.yaml",
    "Ask as a participant of the wildlife and ports programme (Denver, then Houston).",
)


def test_altitude_advice_asked_in_russian(ask_denver_houston: Asker) -> None:
    """ "Что посоветуете насчёт высоты?": the FAQ entry on altitude, not a visit in Denver."""
    reply = ask_denver_houston(
        "P10",
        "2052-09-08T19:00-06:00",
        "Денвер ведь высоко в горах? что посоветуете насчёт высоты?",
    )
    assert "1,600" in reply and "Youth Center" not in reply, reply


def test_heat_in_a_city_is_the_faq_on_it(ask_denver_houston: Asker) -> None:
    """ "Dizem que Houston é muito quente": the FAQ entry on the heat there."""
    reply = ask_denver_houston(
        "P13", "2052-09-08T19:00-06:00", "dizem que Houston é muito quente, o que devo levar?"
    )
    assert "um litro" in reply and "Partidas" not in reply, reply


def test_what_to_bring_says_what_the_ride_there_asks(ask_denver_houston: Asker) -> None:
    """ "Qué hay que llevar mañana para Galveston?": the visit's notes, and the bus's there."""
    reply = ask_denver_houston(
        "P01", "2052-09-12T20:00-05:00", "que hay que llevar mañana para Galveston?"
    )
    assert "Pasaporte" in reply and "sombrero" in reply, reply


def test_a_surname_that_is_a_city_is_the_city(ask_denver_houston: Asker) -> None:
    """ "Ya volví a Lima": the city, though a participant is called Lima; the whole name is
    still someone else's."""
    after = "2052-09-20T10:00-05:00"
    reply = ask_denver_houston(
        "P01", after, "hola, hoy hay algo del programa? ya volví a Lima jaja"
    )
    assert "14 de septiembre" in reply and "otros participantes" not in reply, reply
    reply = ask_denver_houston("P01", after, "dónde está Rafael Lima?")
    assert "otros participantes" in reply, reply


@pytest.mark.parametrize(
    ("key", "now", "text", "end"),
    [
        ("P01", "2052-09-09T10:00-06:00", "¿hasta qué fecha es el programa?", "14 de septiembre"),
        ("P07", "2052-09-09T10:00-06:00", "البرنامج من أي تاريخ لأي تاريخ بالضبط؟", "14 سبتمبر"),
        (
            "P13",
            "2052-09-20T10:00-05:00",
            "ainda tem alguma atividade do programa esta semana?",
            "14 de setembro",
        ),
    ],
)
def test_the_programme_dates_asked_by_date(
    ask_denver_houston: Asker, key: str, now: str, text: str, end: str
) -> None:
    """ "Until what date?", "from which date to which?" during the programme, "anything this
    week?" after it: the programme's dates."""
    reply = ask_denver_houston(key, now, text)
    assert end in reply and "8 " in reply, reply


def test_who_won_the_match_in_arabizi_is_out_of_scope(ask_denver_houston: Asker) -> None:
    """ "Min faz bi mubarat el 3iraq mbare7?": a match, not a contact."""
    reply = ask_denver_houston(
        "P07", "2052-09-10T10:00-06:00", "mar7aba, min faz bi mubarat el 3iraq mbare7?"
    )
    assert "/ask" in reply and "555 0130" not in reply, reply


def test_a_request_ending_in_a_full_stop_is_a_question_of_its_own(
    ask_denver_houston: Asker,
) -> None:
    """ "Programme du jour svp. Et on garde les valises ce matin ?": the whole day, and what
    the morning's visit says of the luggage."""
    reply = ask_denver_houston(
        "P04",
        "2052-09-11T06:30-06:00",
        "Bonjour, programme du jour svp. Et est-ce qu'on garde les valises avec nous ce matin ?",
    )
    assert "Vol pour Houston" in reply and "Bring your luggage on the bus" in reply, reply


def test_two_questions_joined_by_and(ask_denver_houston: Asker) -> None:
    """ "What time is the dinner, and where is the youth center visit?": both answered."""
    reply = ask_denver_houston(
        "P16",
        "2052-09-08T19:00-06:00",
        "what time is the dinner with the family on tuesday, and where is the youth center visit?",
    )
    assert "18:30" in reply and "3400 Zuni Street" in reply, reply


def test_the_hotel_there_after_a_question_on_the_flight(ask_denver_houston: Asker) -> None:
    """ "Le vol demain, rdv à quelle heure ? Et l'hôtel là-bas ?": the flight, and the hotel
    of the city it flies to."""
    reply = ask_denver_houston(
        "P04",
        "2052-09-10T20:00-06:00",
        "bonsoir ! demain pour le vol vers Houston, rdv à quelle heure dans le hall ? "
        "et l'hôtel là-bas s'appelle comment ?",
    )
    assert "12:30" in reply and "Bayou Crest Hotel" in reply, reply


def test_an_event_two_questions_name_is_shown_once(ask_denver_houston: Asker) -> None:
    """ "Tomorrow is the turtle lab right? What time does the bus leave": the lab once, with
    the bus, not the lab again for the second question."""
    reply = ask_denver_houston(
        "P16",
        "2052-09-12T20:00-05:00",
        "tomorrow is the turtle lab right? what time does the bus leave",
    )
    assert reply.count("sea turtle protection") == 1 and "07:00" in reply, reply
    assert "Passport required at the gate" in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P16", "where is the restaurant tonight?"),
        ("P04", "l'adresse du resto ce soir svp"),
        ("P01", "dónde queda el restaurante esta noche?"),
        ("P10", "где ресторан сегодня вечером?"),
    ],
)
def test_the_restaurant_of_a_day_is_the_programme_meal(
    ask_denver_houston: Asker, key: str, text: str
) -> None:
    """ "Where is the restaurant tonight?": the dinner on the programme that evening."""
    reply = ask_denver_houston(key, "2052-09-13T15:00-05:00", text)
    assert "3828 Seawall Boulevard" in reply, reply


def test_a_restaurant_recommendation_is_not_the_programme_meal(
    ask_denver_houston: Asker,
) -> None:
    """ "Know a good restaurant near the hotel for tonight?" asks a recommendation."""
    reply = ask_denver_houston(
        "P16", "2052-09-13T15:00-05:00", "know a good restaurant near the hotel for tonight?"
    )
    assert "Seawall" not in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P16", "who's the lead programme officer?"),
        ("P16", "the lead officer's number please"),
    ],
)
def test_the_lead_officer_is_found_in_another_city(
    ask_denver_houston: Asker, key: str, text: str
) -> None:
    """ "Who's the lead programme officer?" asked in Houston: the lead, though the Houston
    officer's role is the city's."""
    reply = ask_denver_houston(key, "2052-09-12T10:00-05:00", text)
    assert "Miriam Castellanos-Hart" in reply and "Curtis Delacroix" not in reply, reply


def test_the_city_officer_is_the_local_one(ask_denver_houston: Asker) -> None:
    """ "Who's the programme officer here?" in Houston: Houston's."""
    reply = ask_denver_houston("P16", "2052-09-12T10:00-05:00", "who's the programme officer?")
    assert "Curtis Delacroix" in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P16", "what's our first meeting?"),
        ("P01", "cual es la primera reunion?"),
        ("P07", "ما هو أول اجتماع؟"),
        ("P10", "какая первая встреча?"),
    ],
)
def test_the_first_meeting_before_the_programme(
    ask_denver_houston: Asker, key: str, text: str
) -> None:
    """ "What's our first meeting?" before the programme: its first meeting, not its first
    visit and not "I did not understand"."""
    reply = ask_denver_houston(key, "2052-09-05T10:00-05:00", text)
    assert re.search(r"\b0?8:00", reply) and "Colorado Parks" in reply, reply
    assert "Youth Center" not in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P13", "a lavanderia do hotel é paga pelo programa?"),
        ("P01", "la lavandería del hotel la paga el programa?"),
        ("P07", "هل المصبغة في الفندق مدفوعة من البرنامج؟"),
    ],
)
def test_the_hotel_laundry_is_the_faq(ask_denver_houston: Asker, key: str, text: str) -> None:
    """ "Is the hotel laundry paid by the programme?": the laundry entry, not the per diem."""
    reply = ask_denver_houston(key, "2052-09-12T10:00-05:00", text)
    assert "does not cover laundry" in reply, reply


def test_the_contact_an_event_names(ask_denver_houston: Asker) -> None:
    """ "For friday's NOAA visit, what time does it start and who's our contact person?": the
    time, and the contact the visit names, not the whole contact list."""
    reply = ask_denver_houston(
        "P16",
        "2052-09-11T20:00-05:00",
        "For friday's NOAA visit, what time does it start and who's our contact person?",
    )
    assert "09:00" in reply and "Curtis Delacroix" in reply, reply
    assert "Miriam Castellanos-Hart" not in reply and "911" not in reply, reply


def test_a_second_question_with_its_own_part_of_the_day(ask_denver_houston: Asker) -> None:
    """ "I land on the 13th. The visit, when, and is there anything that evening?": the
    evening's dinner as well as the visit."""
    reply = ask_denver_houston(
        "P16",
        "2052-09-10T20:00-06:00",
        "I go to Galveston on the 13th. when is the turtle lab, and is there anything that "
        "evening?",
    )
    assert "09:00" in reply and "Farewell dinner" in reply, reply


def test_the_first_meeting_after_a_day_without_one(ask_denver_houston: Asker) -> None:
    """ "The hotel on the 8th, and when is the first meeting?": the first meeting from that
    day on, though the day said has none."""
    reply = ask_denver_houston(
        "P16",
        "2052-09-01T10:00-05:00",
        "which hotel on the 9th, and when is the first meeting?",
    )
    assert "Colorado Parks" in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P16", "I twisted my ankle on the stairs, not an emergency i think. who do i call?"),
        ("P01", "me torcí el tobillo, no es grave. a quién llamo?"),
    ],
)
def test_a_small_injury_is_the_medical_entry(
    ask_denver_houston: Asker, key: str, text: str
) -> None:
    """A twisted ankle that is no emergency: the medical entry's advice."""
    reply = ask_denver_houston(key, "2052-09-12T10:00-05:00", text)
    assert "urgent care" in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P16", "any good sushi place near the hotel for tonight? something not too pricey"),
        ("P01", "che, conocés algun lugar bueno para comer un asado esta noche?"),
        ("P01", "jaja alguien sabe como salio Olimpia ayer?"),
    ],
)
def test_food_tips_and_scores_are_declined(ask_denver_houston: Asker, key: str, text: str) -> None:
    """A restaurant tip or a match result is outside the programme: no agenda."""
    reply = ask_denver_houston(key, "2052-09-12T17:00-05:00", text)
    assert "Barbours Cut" not in reply and "Seawall" not in reply, reply
    assert "/ask" in reply, reply


def test_an_article_written_apart_is_no_first_day(ask_denver_houston: Asker) -> None:
    """ "sho 3enna ba3d el dohr el yom?": this afternoon, today ("el yom"), not the first day
    ("أول يوم"); "eli fi" is "that is in", not Wi-Fi."""
    reply = ask_denver_houston("P07", "2052-09-12T12:30-05:00", "sho 3enna ba3d el dohr el yom?")
    assert "Denver County Youth Center" not in reply and "12" in reply, reply
    reply = ask_denver_houston(
        "P07", "2052-09-12T12:30-05:00", "el fondo2 eli fi houston shu esmo?"
    )
    assert "Bayou Crest Hotel" in reply, reply


def test_a_tunisian_check_in(ask_denver_houston: Asker) -> None:
    """ "وقتاش نجمو ندخلو للأوتيل": from what time the hotel's rooms are ready."""
    reply = ask_denver_houston(
        "P07", "2052-09-01T20:00+04:00", "عسلامة، وقتاش نجمو ندخلو للأوتيل في دنفر؟"
    )
    assert "15:00" in reply, reply


def test_a_name_of_vowels_is_read_by_its_whole_spelling() -> None:
    """ "لويولا" is Loyola, though its consonants are too few to sound alike by."""
    from bot.assistant.knowledge import EntityIndex
    from bot.assistant.lexicon import Lexicons
    from bot.assistant.names import NameSkeletons

    lexicons = Lexicons()
    sounds = NameSkeletons(lexicons.name_letters, lexicons.name_endings)
    index = EntityIndex(
        {"loyola": {"loyola", "law"}, "vanderbilt": {"vanderbilt"}},
        sounds,
        lexicons.stems,
        lexicons.is_everyday,
    )
    assert index.search(["لويولا"])[0][0] == "loyola"
    assert index.resolve("لوا") is None


@pytest.mark.parametrize(
    ("key", "text", "rule"),
    [
        ("P16", "can we take photos this morning?", "Do not photograph"),
        ("P13", "e de manhã, o que tem? pode tirar foto lá?", "Não fotografe"),
    ],
)
def test_photos_on_a_day_are_the_visit_rule(
    ask_denver_houston: Asker, key: str, text: str, rule: str
) -> None:
    """ "Can we take photos this morning?" with no FAQ entry on photos: what the morning's
    visit says of them."""
    reply = ask_denver_houston(key, "2052-09-12T07:00-05:00", text)
    assert rule in reply and "Barbours Cut" in reply, reply


def test_another_participant_named_in_arabic_with_a_particle(ask_denver_houston: Asker) -> None:
    """ "وين نازلة نور الراوي؟" names Noor Al-Rawi (the particle joined to the surname): a
    decline, with no hotel of anyone's."""
    reply = ask_denver_houston(
        "P07", "2052-09-12T20:00-05:00", "وين نازلة نور الراوي هالأسبوع؟ بأي فندق؟"
    )
    assert "Bayou Crest" not in reply and "Larimer" not in reply, reply
    assert "المشاركين الآخرين" in reply, reply


@pytest.mark.parametrize(
    ("key", "text", "fact"),
    [
        ("P16", "does the per diem cover the farewell dinner tonight?", "US$ 70"),
        ("P04", "le per diem c'est pour payer le dîner d'adieu ce soir ou pas ?", "70 $ US"),
    ],
)
def test_what_the_per_diem_covers_is_its_entry(
    ask_denver_houston: Asker, key: str, text: str, fact: str
) -> None:
    """ "Does the per diem cover the farewell dinner tonight?": the per diem's entry, though
    an event is named."""
    reply = ask_denver_houston(key, "2052-09-13T15:00-05:00", text)
    assert fact in reply, reply


ask_cyber_boston = _asking(
    "programme-cyber-2029.yaml",
    "Ask as a participant of the cyber programme (Pittsburgh, then Boston by Logan airport).",
)


def test_the_hotel_asked_on_landing(ask_cyber_boston: Asker) -> None:
    """ "Just landed at Logan: the hotel's address?": the hotel, not the departures shuttle
    to Logan."""
    reply = ask_cyber_boston(
        "P03",
        "2029-11-06T14:20-05:00",
        "just landed at logan. whats the hotel address again? taxi driver is asking",
    )
    assert "60 Seaport Lane" in reply, reply


def test_the_hotel_asked_for_a_taxi(ask_counterpiracy: Asker) -> None:
    """ "My hotel here? Need the address for a taxi": the hotel, not a visit whose place
    speaks of taxis."""
    reply = ask_counterpiracy(
        "P06", "2004-04-02T19:00-06:00", "whats my hotel here again? need the address for a taxi"
    )
    assert "1100 Texas Avenue" in reply, reply


ask_harbour = _asking(
    "programme-harbourpatrol-2058.yaml",
    "Ask as a participant of the harbour patrol programme (Seattle, then Anchorage or Portland).",
)


@pytest.mark.parametrize(
    ("key", "now", "text", "facts"),
    [
        # An acronym of the programme typed beside Arabizi stays the name it is.
        ("P03", "2058-09-11T15:00-08:00", "ijtima3 el NOAA mata w wain", ["09:30", "222 West 7th"]),
        # Russian typed in Latin letters: "i" is "and", two questions.
        (
            "P04",
            "2058-09-12T18:00-07:00",
            "zavtra subbota: zakrytie vo skolko i gde proshchalnyi uzhin",
            ["15:00", "18:30"],
        ),
        # The date of a statement, then a weekday asked about.
        (
            "P01",
            "2058-09-06T20:00-05:00",
            "hola llego a seattle el 8 en la noche, la orientacion del lunes a q hora es y donde",
            ["Orientación del programa", "9:00"],
        ),
        # Chat shorthand "n" and "smth": two questions.
        (
            "P07",
            "2058-09-06T10:00+02:00",
            "hi! arriving seattle the 8th. can i get my room early or is there a set time, "
            "n is there smth that night",
            ["19:00", "Welcome dinner"],
        ),
        (
            "P07",
            "2058-09-09T22:00-07:00",
            "going to bed soon. is there something tomorrow morning and what do we wear?",
            ["10:00", "business"],
        ),
    ],
)
def test_questions_joined_in_chat_shorthand_and_other_scripts(
    ask_harbour: Asker, key: str, now: str, text: str, facts: list[str]
) -> None:
    """Messages that ask two things in chat shorthand, Latin-typed Russian, or with a date of a
    statement before the day asked: each question answered."""
    reply = ask_harbour(key, now, text)
    assert all(fact in reply for fact in facts), reply


@pytest.mark.parametrize(
    ("key", "text", "facts"),
    [
        # "Name and number", then a second "and": two contacts.
        (
            "P07",
            "who is the programme officer for our group here in portland and what is the number, "
            "and also give me the 24 hour duty phone just in case please",
            ["503 555 0148", "206 555 0100"],
        ),
        (
            "P06",
            "qual é o número do intérprete de português e como se chama, e o do coordenador do "
            "nosso grupo aqui em Portland?",
            ["Rodrigo Nascimento", "503 555 0148"],
        ),
        (
            "P07",
            "how much is the per diem per day and when do we get it, and please what is the wifi "
            "password for the meeting room",
            ["74", "Tide2058"],
        ),
        # Arabic joins its "and" to the word after a comma.
        (
            "P03",
            "بدي اسألك شو رقم المنسق تبعنا، وكمان شو رقم الطوارئ هون بأميركا",
            ["907 555 0141", "911"],
        ),
        (
            "P07",
            "locked out of my room, nobody at the front desk. is there a 24h number i can call??",
            ["206 555 0100"],
        ),
    ],
)
def test_several_contacts_or_entries_in_one_message(
    ask_harbour: Asker, key: str, text: str, facts: list[str]
) -> None:
    """Two contacts, or two FAQ entries, asked in one message: both given."""
    reply = ask_harbour(key, "2058-09-12T08:00-07:00", text)
    assert all(fact in reply for fact in facts), reply


@pytest.mark.parametrize(
    ("key", "now", "text", "fact"),
    [
        (
            "P06",
            "2058-09-09T20:00-07:00",
            "amanhã no prédio federal posso levar meu canivete e o desodorante spray na mochila?",
            "Canivetes",
        ),
        (
            "P03",
            "2058-09-09T20:00-07:00",
            "بالمبنى الفيدرالي بكرا بقدر أفوت موبايلي؟",
            "Second Avenue",
        ),
        (
            "P06",
            "2058-09-01T10:00+01:00",
            "Olá, estou fazendo a mala em Luanda. O que é bom levar pro programa? "
            "cartão de visita?",
            "business cards",
        ),
    ],
)
def test_what_to_bring_to_a_visit_or_when_packing(
    ask_harbour: Asker, key: str, now: str, text: str, fact: str
) -> None:
    """What a visit on a day allows, not the luggage allowance; packing for the programme is
    the entry on what to bring."""
    reply = ask_harbour(key, now, text)
    assert fact in reply, reply


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("P04", "а где завтра будет Азиз Рахимов"),
        ("P07", "hows the weather looking in portland this weekend?"),
    ],
)
def test_declines_whatever_a_word_sounds_like(ask_harbour: Asker, key: str, text: str) -> None:
    """A participant named in Cyrillic whose surname sounds like an officer's, and the weather
    of a weekend whose free morning an Arabic title calls "صباح حر" ("free", also "heat"):
    declined, no programme given."""
    reply = ask_harbour(key, "2058-09-11T21:00-07:00", text)
    assert "Free morning" not in reply and "Свободное" not in reply, reply
    assert "Terminal 6" not in reply and "Knik Arm" not in reply, reply


def test_a_common_word_is_no_name(ask_harbour: Asker) -> None:
    """ "Do we pay the hotel ourselves?" in Russian ("сами") names no Sami."""
    reply = ask_harbour(
        "P04", "2058-09-12T08:00-07:00", "суточные сколько в день? и гостиницу мы сами оплачиваем?"
    )
    assert "74" in reply and "других участниках" not in reply, reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts"),
    [
        # A meeting in the lobby a visit's description sets, not a dinner in a "Hall".
        ("P05", "2058-09-13T07:30-08:00", "Во сколько сбор в холле?", ["10:40"]),
        # Before the programme, when it starts is its first event too.
        (
            "P02",
            "2058-09-01T10:00+00:00",
            "Bonjour, le programme commence quand exactement ? Je dois réserver mon vol",
            ["8 septembre", "14:00"],
        ),
        # Egyptian "we fly" and "which terminal": the flight, with its description.
        (
            "P03",
            "2058-09-11T06:00-07:00",
            "احنا هنطير النهارده الساعة كام ومن أنهي ترمينال؟",
            ["09:15"],
        ),
        # Tunisian "when can we get into the room".
        (
            "P08",
            "2058-09-05T10:00+01:00",
            "نهار 8 سبتمبر نوصل لسياتل. الفندق شنوة اسمو ومن وقتاش نجمو ندخلو للبيت؟",
            ["Elliott Bay", "14:00"],
        ),
        # "What shoes to put on": the dress of tomorrow's visit.
        (
            "P02",
            "2058-09-11T20:00-08:00",
            "demain on fait quoi ? faut mettre quoi comme chaussures",
            ["09:30", "closed shoes"],
        ),
        # An e-mail asked after a hotel's address, in one message.
        (
            "P07",
            "2058-09-20T09:00+02:00",
            "i am back home now, i forgot my jacket in the portland hotel, what is the address "
            "of that hotel, and what is the email for the programme support so i can write them",
            ["615 SW Broadway", "harbour2058-help@"],
        ),
    ],
)
def test_lobby_calls_start_flights_rooms_shoes_and_mail(
    ask_harbour: Asker, key: str, now: str, text: str, facts: list[str]
) -> None:
    """Lobby calls set in a description, the first event before the programme, Arabic dialect
    words for flying and rooms, shoes, an e-mail asked second."""
    reply = ask_harbour(key, now, text)
    assert all(fact in reply for fact in facts), reply


ask_customs = _asking(
    "programme-customsforum-2059.yaml",
    "Ask as a participant of the customs forum (San Francisco, then Raleigh or Austin).",
)


@pytest.mark.parametrize(
    ("key", "now", "text", "facts"),
    [
        # Before the programme, meeting at the airport is the arrival's arrangement.
        (
            "P06",
            "2059-05-08T09:00+03:00",
            "Hello, I'm flying out tomorrow and land at SFO on Saturday morning. From what time "
            "can I check in, and will someone meet us at the airport?",
            ["14:00", "CUSTOMS FORUM"],
        ),
        (
            "P07",
            "2059-05-06T18:00+03:00",
            "مرحبا، راح أوصل سان فرانسيسكو يوم ١٠ الصبح. منو يستقبلنا بالمطار؟",
            ["CUSTOMS FORUM"],
        ),
        # The FAQ on the airport transfer, and the hotel's address asked after it.
        (
            "P06",
            "2059-05-05T20:00+03:00",
            "I'm flying into San Francisco on May 10. Is there an airport transfer to the "
            "hotel? And what's the exact hotel address?",
            ["BART", "240 Mason Street"],
        ),
        # Egyptian "receive the room": the check-in.
        (
            "P07",
            "2059-05-06T22:00+02:00",
            "أنا واصل سان فرانسيسكو يوم ١٠ مايو. الفندق اسمه ايه؟ وأقدر أستلم الأوضة الساعة كام؟",
            ["Nob Hill Crescent", "14:00"],
        ),
        # "The same day" is no day of its own.
        (
            "P03",
            "2059-05-05T14:00+03:00",
            "السلام عليكم، متى جلسة التعريف بالبرنامج ووين مكانها؟ وهل يعطونا البدل اليومي "
            "بنفس اليوم؟",
            ["09:30", "240 Mason Street", "68"],
        ),
    ],
)
def test_arriving_from_home(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str]
) -> None:
    """Asked from home before the programme: who meets the flight, how to get to the hotel,
    when the room is ready, the first session."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts"),
    [
        # A contact's language asked about is no request to switch languages.
        (
            "P06",
            "2059-05-11T17:00-07:00",
            "the number of our programme officer please, does she speak french?",
            ["Here is who you can contact", "512 555 0148"],
        ),
        (
            "P02",
            "2059-05-11T17:00-07:00",
            "le numéro du chargé de programme du groupe A svp ? il parle français ou pas ?",
            ["919 555 0141"],
        ),
        # An e-mail in the accusative.
        (
            "P04",
            "2059-05-18T14:00+06:00",
            "Добрый день, я уже дома. Пришлите, пожалуйста, почту Мириам",
            ["miriam.hart@"],
        ),
        # "Nobody answered me" asks no language; a number to call at night.
        (
            "P07",
            "2059-05-14T23:10-05:00",
            "لو صار شي بالليل وما حد رد علي، على أي رقم أتصل؟ مو طوارئ يعني بس مشكلة بالغرفة",
            ["415 555 0100"],
        ),
        # A meeting whose title names the role asked when and where.
        (
            "P04",
            "2059-05-12T17:00-07:00",
            "15-го встреча с координатором где и во сколько?",
            ["10:00", "410 Fayetteville Street"],
        ),
    ],
)
def test_contacts_asked_beside_languages_and_meetings(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str]
) -> None:
    """Contacts asked with a language, by e-mail in Russian, at night in Gulf Arabic; a meeting
    with the officer, asked where and when."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply


@pytest.mark.parametrize(
    ("key", "now", "text"),
    [
        (
            "P01",
            "2059-05-10T18:30-07:00",
            "conocen algun buen restaurante peruano en san francisco para esta noche? algo no muy "
            "caro",
        ),
        (
            "P06",
            "2059-05-14T19:00-05:00",
            "any lekker bbq spots near the hotel? and what time does the game start tonight",
        ),
        (
            "P06",
            "2059-05-12T19:00-07:00",
            "honestly do you think the elections are rigged? and who r u voting for lol",
        ),
        (
            "P02",
            "2059-05-12T20:00-07:00",
            "franchement, vous êtes plutôt démocrate ou républicain ?",
        ),
        (
            "P07",
            "2059-05-14T12:00-05:00",
            "في قهوة هنا بتجيب ماتش الأهلي النهارده؟ والماتش الساعة كام بتوقيت أوستن؟",
        ),
        ("P03", "2059-05-14T12:30-04:00", "عافاك واش تعرف شي ريسطو حلال قريب من الأوطيل؟"),
    ],
)
def test_restaurants_games_and_politics_declined(
    ask_customs: Asker, key: str, now: str, text: str
) -> None:
    """A restaurant, a game or politics, with "something", "tonight", "the hotel" or a clock
    named: declined, with neither the day's programme nor the hotel."""
    reply = ask_customs(key, now, text)
    for private in ("Harbor Lantern", "Congress Avenue", "Capital Oaks", "Nob Hill", "10:00"):
        assert private not in reply, reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts", "absent"),
    [
        # French "ou" between two words is "or".
        (
            "P02",
            "2059-05-11T12:00-07:00",
            "On dort où le 12 au soir ? Toujours à San Francisco ou déjà à Raleigh ?",
            ["Nob Hill Crescent"],
            ["Capital Oaks"],
        ),
        # A short city's name in Cyrillic.
        ("P04", "2059-05-12T12:00-07:00", "как называется отель в Роли?", ["Capital Oaks"], []),
        # What only an event's description says.
        (
            "P08",
            "2059-05-10T15:00-07:00",
            "Здравствуйте! Я уже в отеле, где получить бейдж?",
            ["hospitality desk"],
            [],
        ),
        # "The 1st one" is which meeting, not the 1st of the month.
        (
            "P06",
            "2059-05-11T21:30-07:00",
            "hi!! tmrw we have 2 meetings rite? wat time is the 1st one",
            ["09:30", "CBP San Francisco"],
            ["Nothing is scheduled"],
        ),
        # Whether the dinner is at the hotel asks where the dinner is.
        (
            "P05",
            "2059-05-10T15:30-07:00",
            "e à noite há jantar, é no hotel mesmo?",
            ["Harbor Lantern"],
            [],
        ),
    ],
)
def test_or_short_cities_descriptions_ordinals_and_places(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str], absent: list[str]
) -> None:
    """French "ou", a short city in Cyrillic, a badge only a description mentions, "the 1st
    one", and "is it at the hotel?"."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply
    assert not any(other in reply for other in absent), reply


@pytest.mark.parametrize(
    ("key", "now", "text", "fact"),
    [
        ("P05", "2059-05-11T09:00-07:00", "As ajudas de custo são pagas quando?", "68"),
        ("P08", "2059-05-11T15:00-07:00", "mozhno brat' noutbuk na vizity v agentstva?", "USB"),
        (
            "P07",
            "2059-05-12T18:00-07:00",
            "سؤال: معي مصاري كاش أكتر من عشرة آلاف دولار، لازم صرّح عنن بالطيارة؟",
            "الرحلات الداخلية",
        ),
        (
            "P02",
            "2059-05-08T10:00+00:00",
            "Le transfert de l'aéroport samedi, c'est payé par le programme ?",
            "BART",
        ),
        # The afternoon's visit says what it allows, beside the FAQ.
        (
            "P05",
            "2059-05-14T12:00-05:00",
            "na visita ao laboratório à tarde pode tirar foto? tem alguma regra pra gente?",
            "Proibido fotografar",
        ),
        ("P03", "2059-05-11T20:00-07:00", "باجر شنلبس؟ اكو اجتماع رسمي؟", "business"),
    ],
)
def test_faq_topics_in_other_words(
    ask_customs: Asker, key: str, now: str, text: str, fact: str
) -> None:
    """Per diem in European Portuguese, laptops on visits in Latin-typed Russian, cash in
    Levantine Arabic, who pays the taxi, photos at the afternoon's visit, Iraqi "what do we
    wear"."""
    reply = ask_customs(key, now, text)
    assert fact in reply, reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts", "absent"),
    [
        # Just landed before the programme: the hotel, and the way from the airport.
        (
            "P06",
            "2059-05-10T09:00-07:00",
            "Hi, I just landed at SFO. How do I get to the hotel?",
            ["240 Mason Street", "BART"],
            [],
        ),
        (
            "P02",
            "2059-05-10T09:00-07:00",
            "Bonjour, je viens d'atterrir. Comment je vais à l'hôtel ?",
            ["240 Mason Street", "BART"],
            [],
        ),
        # Landing in another city later: that city's hotel, no word of the first airport.
        (
            "P01",
            "2059-05-13T15:30-04:00",
            "acabamos de aterrizar, cual es la direccion del hotel?",
            ["410 Fayetteville Street"],
            ["BART"],
        ),
        # From the airport to the hotel, said in full, is the transfer.
        (
            "P05",
            "2059-05-04T10:00-03:00",
            "como faço do aeroporto para o hotel no dia 10?",
            ["BART"],
            [],
        ),
        # What to bring to a city: the FAQ entry its question writes for that city.
        (
            "P01",
            "2059-05-12T20:00-07:00",
            "que tengo que llevar a Raleigh?",
            ["impermeable"],
            ["North Carolina ports"],
        ),
        ("P06", "2059-05-12T20:00-07:00", "What should I bring to Raleigh?", ["rain jacket"], []),
        # A topic named in one's own words: "money mules" in Spanish for an English title.
        (
            "P05",
            "2059-05-13T20:00-05:00",
            "quando é aquilo das mulas de dinheiro?",
            ["Money mule networks", "14:00"],
            [],
        ),
        (
            "P08",
            "2059-05-13T20:00-05:00",
            "когда встреча про денежных мулов?",
            ["Money mule networks", "14:00"],
            [],
        ),
    ],
)
def test_arrivals_cities_packed_for_and_topics_in_own_words(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str], absent: list[str]
) -> None:
    """Just landed, the way to the hotel; the airport to the hotel said in full; what to
    bring to a city; money mules named in Portuguese or Russian."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply
    assert not any(other in reply for other in absent), reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts", "absent"),
    [
        # A day a phrase ends on ("nos toca mañana") is still the day asked.
        (
            "P01",
            "2059-05-12T20:00-07:00",
            "Qué más, ¿qué mismo nos toca mañana, ve?",
            ["Flight to Raleigh"],
            ["FinCEN"],
        ),
        # Saturday in Darija typed in Latin letters, without its article.
        ("P07", "2059-05-08T10:00+01:00", "salam, chno 3andna nhar sebt?", ["19:00"], []),
        # Is a day free: that day's programme, not another day's free time.
        (
            "P05",
            "2059-05-11T20:00-07:00",
            "is tomorrow totally free or do we have something?",
            ["09:30", "CBP San Francisco"],
            ["Free evening"],
        ),
        # The first meeting of a day and its dress: the meeting, with its time.
        (
            "P05",
            "2059-05-10T10:00-07:00",
            "na segunda qual a primeira reunião e o traje?",
            ["09:30", "CBP San Francisco"],
            [],
        ),
        # The night of a day said "na noite de 13".
        (
            "P05",
            "2059-05-05T09:00-03:00",
            "onde vamos dormir na noite de 13?",
            ["520 Congress"],
            [],
        ),
        # A topic named alone, then ", and where": both asked.
        (
            "P06",
            "2059-05-11T18:00-07:00",
            "whats the per diem here, and where is tomorrow's first meeting?",
            ["68", "240 Mason Street"],
            [],
        ),
        # A journey tomorrow, then how many bags: the FAQ's allowance.
        (
            "P01",
            "2059-05-12T20:00-07:00",
            "a que hora sale el vuelo mañana y cuantas maletas podemos llevar?",
            ["6:00", "23 kg"],
            [],
        ),
        # Will I miss anything, arriving late on a day.
        (
            "P02",
            "2059-05-02T11:00+00:00",
            "Bjr, j'arrive à San Francisco le 10 au soir vers 20h. Est-ce que je rate qqch "
            "d'important ?",
            ["Welcome dinner", "19:00"],
            [],
        ),
        # "Avoir ma chambre" is the check-in; "time" finds no FAQ to add to it.
        (
            "P02",
            "2059-05-10T11:00-07:00",
            "je viens d'atterrir. À partir de quelle heure je peux avoir ma chambre ?",
            ["14:00"],
            ["BART"],
        ),
    ],
)
def test_days_in_phrases_free_days_and_clauses(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str], absent: list[str]
) -> None:
    """A day a phrase ends on, "nhar sebt", whether a day is free, the first meeting's dress,
    "noite de 13", a topic before ", and where", bags after a journey, "je rate qqch", "avoir
    ma chambre"."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply
    assert not any(other in reply for other in absent), reply


@pytest.mark.parametrize(
    ("key", "now", "text", "facts", "absent"),
    [
        # The laundry entry's list in brackets is kept with the sentence it is in.
        ("P01", "2059-05-11T18:00-07:00", "hay lavadora en el hotel? cuanto cuesta", ["3 USD"], []),
        # Sunscreen in other words, a thing forgotten at home.
        (
            "P05",
            "2059-05-13T18:00-05:00",
            "esqueci meu protetor solar no Brasil kkk onde compro aqui e qual fator?",
            ["FPS 30"],
            [],
        ),
        (
            "P06",
            "2059-05-11T15:00-07:00",
            "can i use any sunscreen at the port visits?",
            ["SPF 30"],
            [],
        ),
        # What to take with us (Tunisian): the visit's notes.
        (
            "P03",
            "2059-05-13T21:00-04:00",
            "شنوة لازمنا ناخذو معانا لزيارة الميناء غدوة؟",
            ["لترين"],
            [],
        ),
        # An opinion on a law, a food spot: declined.
        (
            "P02",
            "2059-05-12T08:00-07:00",
            "Franchement, vous pensez quoi de la nouvelle loi sur les douanes votée au Congrès ?",
            [],
            ["CBP", "09:30"],
        ),
        (
            "P06",
            "2059-05-14T12:30-05:00",
            "any good jerk chicken spot in austin? missing home food bad",
            [],
            ["Austin Police", "14:00"],
        ),
    ],
)
def test_topics_in_other_words_and_declines(
    ask_customs: Asker, key: str, now: str, text: str, facts: list[str], absent: list[str]
) -> None:
    """Laundry told city by city in brackets, sunscreen in other words, what to take with us
    in Tunisian; a law's merits and a food spot declined."""
    reply = ask_customs(key, now, text)
    assert all(fact in reply for fact in facts), reply
    assert not any(other in reply for other in absent), reply
