"""The model picker: the API's model list, or a free-text model id when there is no list."""

from __future__ import annotations

from dataclasses import dataclass, field

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.formatting import model_label
from entrypoints.web.generation.problems import SERVICE_DOWN, generation_message
from entrypoints.web.session import api, call_api

EXAMPLES = {"text": "openai/gpt-4o-mini", "image": "google/gemini-2.5-flash-image"}


@dataclass(frozen=True, slots=True)
class ModelOption:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class ModelPicker:
    """`options` empty means the list is unavailable; `note` then says why."""

    options: list[ModelOption] = field(default_factory=list)
    note: str = ""
    example: str = ""

    def with_selected(self, model_id: str | None) -> list[ModelOption]:
        """The options, plus a model typed earlier that the list does not (or no longer) hold."""
        if not model_id or any(option.id == model_id for option in self.options):
            return self.options
        return [*self.options, ModelOption(model_id, model_id)]


def load_models(output: str) -> ModelPicker:
    example = EXAMPLES.get(output, "")
    try:
        models = call_api(lambda token: api().models(token, output))
    except ApiProblem as problem:
        return ModelPicker(note=generation_message(problem), example=example)
    except ApiUnavailableError:
        return ModelPicker(note=SERVICE_DOWN, example=example)
    options = [ModelOption(str(m["id"]), model_label(m)) for m in models if m.get("id")]
    return ModelPicker(options=options, example=example)
