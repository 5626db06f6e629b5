"""What the rest of the bot needs to know of how the programme is configured: its time
zone and its Director. `bot.config.Settings` is one; tests may hand in their own."""

from __future__ import annotations

from typing import Protocol
from zoneinfo import ZoneInfo


class Programme(Protocol):
    @property
    def tz(self) -> ZoneInfo: ...

    @property
    def director_user_ids(self) -> frozenset[str]: ...

    @property
    def director_channel_id(self) -> str | None: ...

    def is_director(self, user_id: str) -> bool: ...
