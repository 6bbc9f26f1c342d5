"""Use case: make images from a prompt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from application.budget.spending import Charge, GenerationSpending, cost_of
from application.errors import InvalidImageError, UpstreamUnavailableError
from application.generation.recording import failed, failed_until_served, succeeded
from application.ports.generation import (
    AIGateway,
    GeneratedImage,
    GenerationRecorder,
    ImageInspector,
    ImageRequest,
    MediaStore,
)
from application.ports.system import Clock, IdGenerator
from domain.errors import Error, InvalidGenerationRequestError
from domain.generations import (
    ASPECT_RATIOS,
    Generation,
    GenerationKind,
    check_model_id,
    check_prompt,
)
from domain.media import MediaRef


@dataclass(frozen=True, slots=True)
class GenerateImage:
    """Ask an image model for pictures; store each as a media file of the user's (checked
    to really be an image) and keep the generation in the history, failed ones included."""

    recorder: GenerationRecorder
    gateway: AIGateway
    media: MediaStore
    inspector: ImageInspector
    clock: Clock
    ids: IdGenerator
    spending: GenerationSpending | None = None

    async def execute(
        self,
        *,
        user_id: str,
        model: str,
        prompt: str,
        aspect_ratio: str | None = None,
        origin: Mapping[str, object] | None = None,
    ) -> Generation:
        """`origin`: more options to record, e.g. `{"via": "v1", "api_key": name}`."""
        if aspect_ratio is not None and aspect_ratio not in ASPECT_RATIOS:
            raise InvalidGenerationRequestError(f"Aspect ratio must be one of {ASPECT_RATIOS}.")
        request = ImageRequest(check_model_id(model), check_prompt(prompt), aspect_ratio)
        generation = failed_until_served(
            generation_id=self.ids.new_id(),
            user_id=user_id,
            kind=GenerationKind.IMAGE,
            model=model,
            prompt=prompt,
            options={"aspect_ratio": aspect_ratio, **(origin or {})},
            now=self.clock.now(),
        )
        if self.spending is None:
            return await self._make(request, generation)
        async with self.spending.image(
            user_id, model=request.model, prompt=request.prompt, generation_id=generation.id
        ) as charge:
            return await self._make(request, generation, charge)

    async def _make(
        self, request: ImageRequest, generation: Generation, charge: Charge | None = None
    ) -> Generation:
        try:
            result = await self.gateway.generate_image(request)
            if charge is not None:  # billed now, whatever happens to the pictures
                await charge.settle(cost_of(result.served.usage))
            refs = [self._ref(generation, image) for image in result.images]
            if not refs:
                raise UpstreamUnavailableError(
                    "The model returned no image.", reason="bad_response"
                )
        except Error as error:
            await self.recorder.record(failed(generation, error, self.clock.now()))
            raise
        try:
            for ref, image in zip(refs, result.images, strict=True):
                await self.media.save(ref, image.data)
        except Error as error:  # the disk is full or read-only: keep no file, say so
            await self.media.delete(refs)
            await self.recorder.record(failed(generation, error, self.clock.now()))
            raise
        done = succeeded(
            generation, result.served, self.clock.now(), text=result.text, media=tuple(refs)
        )
        try:
            await self.recorder.record(done)
        except BaseException:
            await self.media.delete(refs)  # no file without its row
            raise
        return done

    def _ref(self, generation: Generation, image: GeneratedImage) -> MediaRef:
        try:
            facts = self.inspector.inspect(image.data)
        except InvalidImageError as exc:
            raise UpstreamUnavailableError(
                "The model returned an unreadable image.", reason="bad_response"
            ) from exc
        return MediaRef(
            id=self.ids.new_id(),
            owner_id=generation.user_id,
            generation_id=generation.id,
            content_type=facts.content_type,
            size_bytes=len(image.data),
            width=facts.width,
            height=facts.height,
            created_at=self.clock.now(),
        )
