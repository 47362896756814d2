"""Answer latency on a large generated programme, in process.

Generates a programme (default 2,100 events, 10,000 participants, 10 groups, 21 days),
imports it into a fresh SQLite store, then asks varied questions in all six languages as
random participants at random moments and prints latency percentiles.

    python bench/answers.py [--questions 1200] [--participants 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FixedClock
from bot.config import Settings
from bot.programme.importer import import_programme
from bot.programme.schema import validate
from bot.services import services

START = date(2025, 3, 3)
DAYS = 21
CITIES = [
    ("Washington, DC", "America/New_York", 38.90, -77.03),
    ("Chicago, IL", "America/Chicago", 41.88, -87.63),
    ("Denver, CO", "America/Denver", 39.74, -104.99),
    ("Phoenix, AZ", "America/Phoenix", 33.45, -112.07),
    ("Seattle, WA", "America/Los_Angeles", 47.61, -122.33),
    ("New York, NY", "America/New_York", 40.71, -74.00),
]
HOSTS = [
    "FBI field office",
    "DEA division",
    "Department of Justice",
    "State Department",
    "Police Department",
    "District Attorney's Office",
    "University law school",
    "Federal Reserve Bank",
    "County Sheriff's Office",
    "Homeland Security",
    "City Council",
    "Public Defender's Office",
    "Juvenile Court",
    "Customs and Border Protection",
]
TOPICS = [
    "community policing",
    "cybercrime",
    "money laundering",
    "human trafficking",
    "victim assistance",
    "court administration",
    "border security",
    "opioid crisis",
    "gang violence",
    "prosecutorial cooperation",
    "forensic science",
    "corruption cases",
]
LANGUAGES = ["en", "es", "fr", "ar", "ru", "pt"]
QUESTIONS = {
    "en": [
        "What's on today?",
        "What do we have tomorrow?",
        "What's next?",
        "Hotel address?",
        "Where is the {host}?",
        "When is the meeting on {topic}?",
        "What's on {weekday}?",
        "Who is my programme officer?",
        "Emergency number",
        "What's the wifi password?",
        "What should I wear tomorrow?",
        "/today",
        "/contacts",
        "tomorrow afternoon?",
    ],
    "es": [
        "¿Qué hay hoy?",
        "¿Qué tenemos mañana?",
        "¿Qué sigue?",
        "¿Dónde está el hotel?",
        "¿Dónde es la reunión con la {host}?",
        "¿Cuándo es la cena?",
        "¿Qué hay el jueves?",
        "¿Quién es mi coordinador?",
        "número de emergencia",
        "contraseña del wifi",
    ],
    "fr": [
        "Qu'est-ce qu'on fait aujourd'hui ?",
        "Quel est le programme de demain ?",
        "Et ensuite ?",
        "Où est l'hôtel ?",
        "Où a lieu la réunion avec le {host} ?",
        "Qu'est-ce qu'on fait le 12 mars ?",
        "Quel est le numéro de l'interprète ?",
    ],
    "ar": [
        "ما هو برنامج اليوم؟",
        "ما هو برنامج الغد؟",
        "ما التالي؟",
        "أين الفندق؟",
        "ماذا لدينا يوم الخميس؟",
        "رقم الطوارئ",
        "من هو المنسق؟",
        # Arabic typed in Latin letters ("Arabizi").
        "shu 3anna bokra?",
        "wein el fondo2?",
        "emta el ijtima3 ma3 el {host}?",
    ],
    "ru": [
        "Что у нас сегодня?",
        "Что у нас завтра?",
        "Что дальше?",
        "Где гостиница?",
        "Кто наш координатор программы?",
        "Что у нас 12 марта?",
        "Где встреча в ФБР?",
        # Russian typed in Latin letters.
        "chto u nas zavtra?",
        "gde gostinica?",
        "kogda vstrecha s {host}?",
    ],
    "pt": [
        "O que temos hoje?",
        "O que temos amanhã?",
        "Qual é o próximo?",
        "Qual é o endereço do hotel?",
        "A que horas é o jantar?",
        "senha do wifi",
    ],
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generate(
    participants: int, seed: int, *, common_per_day: int = 10, group_per_day: int = 9
) -> dict[str, Any]:
    """Return a programme document (format v1): 21 days of events for everyone and per group."""
    rng = random.Random(seed)
    groups = [f"G{i:02d}" for i in range(1, 11)]
    places: list[dict[str, Any]] = []
    for c, (city, tz, lat, lon) in enumerate(CITIES):
        places.append(
            {
                "key": f"hotel-{c}",
                "name": f"{city.split(',')[0]} Grand Hotel",
                "address": f"{100 + c} Main Street, {city}",
                "city": city,
                "lat": lat,
                "lon": lon,
                "timezone": tz,
                "kind": "hotel",
            }
        )
        for v in range(30):
            host = HOSTS[(c * 30 + v) % len(HOSTS)]
            places.append(
                {
                    "key": f"venue-{c}-{v}",
                    "name": f"{host} {city.split(',')[0]} {v}",
                    "address": f"{v + 1} {host.split()[0]} Avenue, {city}",
                    "city": city,
                    "lat": lat + v / 1000,
                    "lon": lon - v / 1000,
                    "timezone": tz,
                    "kind": "venue",
                    "notes": {"en": "Photo ID required. Bring your passport."},
                }
            )
    legs = [
        {"city": CITIES[0][0], "from": START, "to": START + timedelta(days=6), "hotel": "hotel-0"}
    ]
    for g, group in enumerate(groups):
        c = 1 + g % 4
        legs.append(
            {
                "groups": [group],
                "city": CITIES[c][0],
                "from": START + timedelta(days=7),
                "to": START + timedelta(days=13),
                "hotel": f"hotel-{c}",
            }
        )
    legs.append(
        {
            "city": CITIES[5][0],
            "from": START + timedelta(days=14),
            "to": START + timedelta(days=DAYS - 1),
            "hotel": "hotel-5",
        }
    )
    events: list[dict[str, Any]] = []
    for day in range(DAYS):
        when = START + timedelta(days=day)
        for slot in range(common_per_day + group_per_day * len(groups)):
            group = (
                None if slot < common_per_day else groups[(slot - common_per_day) // group_per_day]
            )
            # Week 2 splits the groups over four cities; weeks 1 and 3 are together.
            home = 1 + groups.index(group) % 4 if group else 0
            city = home if 7 <= day <= 13 else (0 if day < 7 else 5)
            venue = rng.randrange(30)
            hour = 8 + (slot % 10)
            title = f"{HOSTS[(day + slot) % len(HOSTS)]} - {TOPICS[(day * 7 + slot) % len(TOPICS)]}"
            event = {
                "key": f"e{day:02d}-{slot:03d}",
                "title": title,
                "start": f"{when} {hour:02d}:00",
                "end": f"{when} {hour:02d}:50",
                "place": f"venue-{city}-{venue}",
                "kind": "meeting",
            }
            if group:
                event["groups"] = [group]
            if slot % 10 == 9:
                event.update(
                    title={
                        "en": "Dinner with a local family",
                        "es": "Cena con una familia",
                        "pt": "Jantar com uma família",
                    },
                    kind="meal",
                )
            events.append(event)
    contacts = [
        {
            "key": "emergency",
            "name": "Emergency services",
            "role": "Emergency",
            "phone": "911",
            "kind": "emergency",
        },
        {
            "key": "duty",
            "name": "Duty phone",
            "role": "Duty phone",
            "phone": "+1 202 555 0100",
            "kind": "emergency",
        },
        {
            "key": "lead",
            "name": "Lead Officer",
            "role": "Lead programme officer",
            "phone": "+1 202 555 0101",
        },
        *[
            {
                "key": f"po-{g}",
                "name": f"Officer {g}",
                "role": f"Programme officer, group {g}",
                "phone": f"+1 202 555 01{i + 10}",
                "groups": [g],
            }
            for i, g in enumerate(groups)
        ],
        {
            "key": "interp-fr",
            "name": "French Interpreter",
            "role": "French interpreter",
            "phone": "+1 202 555 0175",
        },
    ]
    people = [
        {
            "key": f"P{i:05d}",
            "name": f"Participant {i}",
            "language": LANGUAGES[i % 6],
            "group": groups[i % 10],
            "invite_code": f"CODE{i:06d}",
        }
        for i in range(participants)
    ]
    return {
        "version": 1,
        "programme": {
            "key": "bench",
            "title": "Benchmark programme",
            "default_language": "en",
            "languages": LANGUAGES,
            "timezone": "America/New_York",
            "start": START,
            "end": START + timedelta(days=DAYS - 1),
            "help_email": "help@example.org",
        },
        "groups": [{"key": g, "name": f"Group {g}"} for g in groups],
        "places": places,
        "legs": legs,
        "contacts": contacts,
        "participants": people,
        "events": events,
        "faq": [
            {"key": "wifi", "question": "Wi-Fi password", "answer": "Password Bench2025."},
            {"key": "dress", "question": "Dress code", "answer": "Business attire."},
        ],
    }


def question(rng: random.Random) -> tuple[str, str]:
    """Return a random question and its language."""
    language = rng.choice(LANGUAGES)
    text = rng.choice(QUESTIONS[language]).format(
        host=rng.choice(HOSTS), topic=rng.choice(TOPICS), weekday=rng.choice(WEEKDAYS)
    )
    return language, text


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(args: argparse.Namespace) -> None:
    """Generate, import, warm up, then measure."""
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        async with services(
            settings, FixedClock(datetime(2025, 3, 3, tzinfo=ZoneInfo("UTC")))
        ) as app:
            started = time.perf_counter()
            doc = validate(generate(args.participants, args.seed), "generated")
            async with app.sessions.begin() as session:
                await import_programme(session, doc, invite_secret="bench", now=app.clock.now())
            print(
                f"programme: {len(doc.events)} events, {len(doc.participants)} participants, "
                f"{len(doc.places)} places; validated and imported in "
                f"{time.perf_counter() - started:.1f} s"
            )
            keys = [p["key"] for p in doc.participants]
            full: list[float] = []
            core: list[float] = []
            by_language: dict[str, list[float]] = {code: [] for code in LANGUAGES}
            unanswered = 0
            for i in range(args.questions + args.warmup):
                language, text = question(rng)
                moment = datetime(2025, 3, 3, 6, tzinfo=ZoneInfo("America/New_York")) + timedelta(
                    minutes=rng.randrange(DAYS * 24 * 60)
                )
                t0 = time.perf_counter()
                async with app.sessions() as session:
                    person = await app.assistant.participant(session, rng.choice(keys))
                    t1 = time.perf_counter()
                    reply = await app.assistant.ask(session, person, text, moment)
                    t2 = time.perf_counter()
                t3 = time.perf_counter()  # the session closed: its connection handed back
                if i < args.warmup:
                    continue  # the first question builds the indexes
                full.append((t3 - t0) * 1000)
                core.append((t2 - t1) * 1000)
                by_language[language].append((t3 - t0) * 1000)
                unanswered += not reply.understood
    print(
        f"questions: {len(full)} in {len(LANGUAGES)} languages "
        f"({unanswered} got the did-not-understand reply)"
    )
    for name, values in (
        ("per question (session open and close + participant + answer)", full),
        ("answer only (understand + compose, incl. revision check)", core),
    ):
        print(
            f"{name}: p50 {percentile(values, 0.5):.2f} ms, p90 {percentile(values, 0.9):.2f} ms, "
            f"p99 {percentile(values, 0.99):.2f} ms, mean {statistics.fmean(values):.2f} ms"
        )
    for code, values in by_language.items():
        if values:
            print(
                f"  {code}: n={len(values)} p50 {percentile(values, 0.5):.2f} ms, "
                f"p99 {percentile(values, 0.99):.2f} ms"
            )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
