"""What the chat page says when the API refuses: the generation words, plus its own."""

from __future__ import annotations

from entrypoints.web.api_errors import ApiProblem
from entrypoints.web.generation.problems import generation_message

NOT_FOUND = "That conversation no longer exists."
OVER_BUDGET = "You have reached your spending limit. Ask an admin to raise it, then try again."
MESSAGES = {"not_found": NOT_FOUND, "budget_exceeded": OVER_BUDGET}
DELETED = "The conversation was deleted."
RENAMED = "The conversation was renamed."
UNTITLED = "Untitled chat"


def chat_message(problem: ApiProblem) -> str:
    return MESSAGES.get(problem.code or "") or generation_message(problem)
