"""Callback, block and action ids of the staff console, shared by the builders and the parsers."""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    """Callback ids of the modals."""

    BROADCAST_COMPOSE = "broadcast_compose"
    BROADCAST_CONFIRM = "broadcast_confirm"
    CHECKIN_COMPOSE = "checkin_compose"
    EVENT_EDIT = "event_edit"
    NOTICE = "notice"


class Input(StrEnum):
    """Block ids of the modals' inputs; each input's element has its block's id as action id."""

    KIND = "kind"
    GROUPS = "groups"
    CITY = "city"
    DAY = "day"
    PARTICIPANTS = "participants"
    TEXT = "text"
    FLAGS = "flags"
    SEND_AT = "send_at"
    MODE = "mode"
    START = "start"
    END = "end"
    PLACE = "place"
    STATUS = "status"


# A broadcast's translation inputs are this prefix and the language code.
TRANSLATION = "tr_"


class Action(StrEnum):
    """Action ids of buttons and selects that act at once."""

    EVENT_PICK = "event_pick"
    REMIND = "report_remind"
    RETRY = "report_retry"
    ALERT_TAKE = "alert_take"
    ALERT_RESOLVE = "alert_resolve"
    QUESTION_ANSWERED = "question_answered"
    QUESTION_NO_REPLY = "question_no_reply"
    HOME_BROADCAST = "home_broadcast"
    HOME_CHECKIN = "home_checkin"
    HOME_AGENDA = "home_agenda"
    HOME_ROSTER = "home_roster"


class Choice(StrEnum):
    """Values of the broadcast options and the check-in modes."""

    URGENT = "urgent"
    ACK = "ack"
    DRILL = "drill"
    REAL = "real"


class Part(StrEnum):
    """Block ids of the parts of messages and tabs that are found again (to edit them)."""

    REPORT_ACTIONS = "report_actions"
    ALERT_ACTIONS = "alert_actions"
    QUESTION_ACTIONS = "question_actions"
    QUESTION_CLOSED = "question_closed"
    HOME_ACTIONS = "home_actions"
