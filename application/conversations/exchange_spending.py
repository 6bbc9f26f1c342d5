"""The budget and limit hooks of a conversation exchange: a message reserves and settles
like a text generation (application.budget.spending) and takes one of the user's slots."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from application.budget.limit_generations import freed
from application.budget.spending import GenerationSpending, close
from domain.generations import Generation

if TYPE_CHECKING:
    from application.conversations.exchange import Pending


async def charged(spending: GenerationSpending, pending: Pending) -> Pending:
    """Take a generation slot and reserve the most the answer can cost, before the call."""
    charge = await spending.opened(
        pending.conversation.user_id,
        spending.for_text(pending.request),
        generation_id=pending.generation.id,
    )
    return replace(pending, charge=charge)


async def close_charge(
    spending: GenerationSpending | None, pending: Pending, outcome: Generation
) -> None:
    """After the answer is stored (settling takes the owner lock: never under it)."""
    if pending.charge is None or spending is None:
        return
    try:
        await asyncio.shield(close(pending.charge, outcome))
    finally:
        await freed(spending.limiter, pending.conversation.user_id)
