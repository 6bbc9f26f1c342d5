"""What every exchange in a conversation does: store the user's message before anything
goes upstream, send it with the earlier turns that fit the model's window, and store the
answer whole, with its generation, in one transaction, however the call ended."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import TypedDict, Unpack

from application.budget.spending import Charge, GenerationSpending
from application.conversations.exchange_spending import charged, close_charge
from application.conversations.ownership import conversation_key, owned
from application.errors import OwnerDeletedError, StreamCancelledError
from application.generation.recording import failed, failed_until_served, succeeded
from application.generation.text_requests import DEFAULT_MAX_TOKENS
from application.locks import owner_key
from application.ports.conversations import ContextWindows
from application.ports.generation import AIGateway, TextRequest
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.conversations import (
    Conversation,
    InvalidConversationError,
    Message,
    MessageStatus,
    Role,
    check_content,
    context_turns,
    fit_context,
    title_from,
)
from domain.errors import Error
from domain.generations import Generation, GenerationKind, GenerationStatus, check_model_id

MAX_ANSWER_TOKENS = 128_000


class AnswerOptions(TypedDict, total=False):
    """How an answer is asked for, beyond the conversation's own settings."""

    model: str | None  # instead of the conversation's model, for this answer
    max_tokens: int | None
    temperature: float | None


@dataclass(frozen=True, slots=True)
class Pending:
    """A stored user message, and the request and generation that will answer it."""

    conversation: Conversation
    question: Message
    request: TextRequest
    generation: Generation
    context_trimmed: int
    supersede: bool = False  # a regenerated answer replaces the earlier ones
    charge: Charge | None = None  # the budget's hold, closed when the answer is stored


@dataclass(frozen=True, slots=True)
class Exchange:
    conversation: Conversation
    user_message: Message
    assistant_message: Message
    context_trimmed: int


def status_of(outcome: Generation) -> MessageStatus:
    if outcome.status is GenerationStatus.SUCCEEDED:
        return MessageStatus.COMPLETED
    if outcome.error_code == StreamCancelledError.code:
        return MessageStatus.CANCELLED
    return MessageStatus.FAILED


def check_max_tokens(max_tokens: int | None) -> int:
    if max_tokens is None:
        return DEFAULT_MAX_TOKENS
    if not 1 <= max_tokens <= MAX_ANSWER_TOKENS:
        raise InvalidConversationError(f"max_tokens must be between 1 and {MAX_ANSWER_TOKENS}.")
    return max_tokens


def checked(options: AnswerOptions) -> tuple[str | None, int, float | None]:
    """The model (None: the conversation's), max_tokens (a default when absent) and
    temperature; a malformed model or max_tokens out of range is a validation error."""
    model = options.get("model")
    if model is not None:
        check_model_id(model)
    return model, check_max_tokens(options.get("max_tokens")), options.get("temperature")


@dataclass(frozen=True, slots=True)
class Exchanges:
    uow: UnitOfWork
    gateway: AIGateway
    windows: ContextWindows
    clock: Clock
    ids: IdGenerator
    locks: Locks
    spending: GenerationSpending | None = None  # limits and budget, like a text generation

    async def ask(
        self,
        *,
        user_id: str,
        conversation_id: str,
        content: str,
        **options: Unpack[AnswerOptions],
    ) -> Pending:
        """Validate, then store the user's message (committed before anything goes upstream)."""
        content = check_content(content)
        model, tokens, temperature = checked(options)
        async with (
            self.locks.hold(conversation_key(conversation_id)),
            self.locks.hold(owner_key(user_id)),
        ):
            conversation, question, earlier = await retry_on_conflict(
                lambda: self._store_question(user_id, conversation_id, content)
            )
        return await self._pending(conversation, question, earlier, model, tokens, temperature)

    async def again(
        self, *, user_id: str, conversation_id: str, **options: Unpack[AnswerOptions]
    ) -> Pending:
        """A new answer to the conversation's last user message."""
        model, tokens, temperature = checked(options)
        async with self.uow as uow:
            conversation = await owned(uow, conversation_id, user_id)
            messages = await uow.conversations.messages(conversation_id)
        asked = [index for index, m in enumerate(messages) if m.role is Role.USER]
        if not asked:
            raise InvalidConversationError("There is no message to answer yet.")
        question, earlier = messages[asked[-1]], messages[: asked[-1]]
        pending = await self._pending(conversation, question, earlier, model, tokens, temperature)
        return replace(pending, supersede=True)

    async def complete(self, pending: Pending) -> Exchange:
        """The answer in one piece; a failure is stored, then raised."""
        generation = pending.generation
        try:
            result = await self.gateway.complete_text(pending.request)
        except Error as error:
            await self.answer(pending, failed(generation, error, self.clock.now()))
            raise
        except asyncio.CancelledError:  # the client left: the answer is cancelled, not lost
            gone = failed(generation, StreamCancelledError(), self.clock.now())
            await asyncio.shield(self.answer(pending, gone))
            raise
        done = succeeded(
            generation,
            result.served,
            self.clock.now(),
            text=result.text,
            finish_reason=result.finish_reason,
        )
        return await self.answer(pending, done)

    async def answer(self, pending: Pending, outcome: Generation) -> Exchange:
        """Store the answer and its generation together. A deleted user's answer is refused
        (OwnerDeletedError); an answer in a conversation deleted meanwhile keeps only its
        generation (it was paid for)."""
        message = Message(
            id=self.ids.new_id(),
            conversation_id=pending.conversation.id,
            user_id=pending.conversation.user_id,
            position=-1,
            role=Role.ASSISTANT,
            content=outcome.text or "",
            created_at=self.clock.now(),
            status=status_of(outcome),
            model=outcome.served_model or outcome.model,
            usage=outcome.usage,
            error_code=outcome.error_code,
            reply_to=pending.question.id,
            generation_id=outcome.id,
        )
        user_id = pending.conversation.user_id
        try:
            async with (
                self.locks.hold(conversation_key(pending.conversation.id)),
                self.locks.hold(owner_key(user_id)),
            ):
                return await retry_on_conflict(
                    lambda: self._store_answer(pending, message, outcome)
                )
        finally:
            await close_charge(self.spending, pending, outcome)

    async def _store_question(
        self, user_id: str, conversation_id: str, content: str
    ) -> tuple[Conversation, Message, list[Message]]:
        now = self.clock.now()
        async with self.uow as uow:
            conversation = await owned(uow, conversation_id, user_id)
            earlier = await uow.conversations.messages(conversation_id)
            question = Message(
                id=self.ids.new_id(),
                conversation_id=conversation_id,
                user_id=user_id,
                position=earlier[-1].position + 1 if earlier else 0,
                role=Role.USER,
                content=content,
                created_at=now,
            )
            await uow.conversations.add_message(question)
            first = not any(m.role is Role.USER for m in earlier)
            title = title_from(content) if first and not conversation.titled else None
            conversation = replace(
                conversation,
                title=title or conversation.title,
                updated_at=now,
                message_count=len(earlier) + 1,
            )
            await uow.conversations.update(conversation)
            await uow.commit()
        return conversation, question, earlier

    async def _pending(
        self,
        conversation: Conversation,
        question: Message,
        earlier: list[Message],
        model: str | None,
        max_tokens: int,
        temperature: float | None,
    ) -> Pending:
        chosen = check_model_id(model or conversation.model)
        fitted = fit_context(
            system=conversation.system,
            history=context_turns(earlier),
            message=question.content,
            context_length=await self.windows.context_length(chosen),
            max_tokens=max_tokens,
        )
        request = TextRequest(
            model=chosen,
            prompt=question.content,
            max_tokens=max_tokens,
            system=conversation.system,
            history=fitted.history,
            temperature=temperature,
        )
        options: dict[str, object] = {
            "conversation_id": conversation.id,
            "system": conversation.system,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "context_trimmed": fitted.trimmed or None,
        }
        generation = failed_until_served(
            generation_id=self.ids.new_id(),
            user_id=conversation.user_id,
            kind=GenerationKind.TEXT,
            model=chosen,
            prompt=question.content,
            options=options,
            now=self.clock.now(),
        )
        pending = Pending(conversation, question, request, generation, fitted.trimmed)
        if self.spending is None:
            return pending
        try:
            return await charged(self.spending, pending)
        except Error as error:  # a refusal (429, 402, 422) is stored like a failed call
            await self.answer(pending, failed(generation, error, self.clock.now()))
            raise

    async def _store_answer(
        self, pending: Pending, message: Message, outcome: Generation
    ) -> Exchange:
        async with self.uow as uow:
            if await uow.users.get(pending.conversation.user_id) is None:
                raise OwnerDeletedError()
            await uow.generations.add(outcome)
            conversation = await uow.conversations.get(pending.conversation.id)
            if conversation is not None:
                if pending.supersede:
                    await uow.conversations.supersede(conversation.id, pending.question.id)
                position = await uow.conversations.last_position(conversation.id) + 1
                message = replace(message, position=position)
                await uow.conversations.add_message(message)
                conversation = replace(
                    conversation,
                    updated_at=message.created_at,
                    message_count=conversation.message_count + 1,
                )
                await uow.conversations.update(conversation)
            await uow.commit()
        return Exchange(
            conversation or pending.conversation,
            pending.question,
            message,
            pending.context_trimmed,
        )
