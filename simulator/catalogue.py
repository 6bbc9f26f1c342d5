"""Built-in model catalogue for `GET /models`: text models, image models and the recorded ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_TEXT_PARAMS = ("max_tokens", "temperature", "top_p", "stop", "seed", "tools", "tool_choice")
_VARIANTS = (":nitro", ":floor", ":online")


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One chat-completions model. Prices are USD per token, as strings like OpenRouter's."""

    id: str
    name: str
    provider: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    context: int
    max_output: int
    prompt: str
    completion: str
    image_output: str = "0"
    served_as: str | None = None
    tokenizer: str = "Other"
    created: int = 1735689600

    @property
    def makes_images(self) -> bool:
        return "image" in self.outputs

    @property
    def response_model(self) -> str:
        return self.served_as or self.id


_MODALITIES = {"t": "text", "i": "image", "f": "file"}
_TOKENIZERS = {"openai": "GPT", "anthropic": "Claude", "google": "Gemini", "mistralai": "Mistral"}
# id | provider | inputs | outputs (t=text, i=image, f=file) | context | max output |
# prompt, completion, image-output USD per token | response `model` when it differs from id
_TABLE = """
openai/gpt-4o|OpenAI|tif|t|128000|16384|0.0000025|0.00001|0|
openai/gpt-4o-mini|OpenAI|tif|t|128000|16384|0.00000015|0.0000006|0|
openai/gpt-4.1-mini|OpenAI|tif|t|1047576|32768|0.0000004|0.0000016|0|
openai/gpt-3.5-turbo|OpenAI|t|t|16385|4096|0.0000005|0.0000015|0|
openai/gpt-5-mini|OpenAI|tif|t|400000|128000|0.00000025|0.000002|0|
openai/gpt-5.2|OpenAI|tif|t|400000|128000|0.00000175|0.000014|0|
anthropic/claude-haiku-4.5|Amazon Bedrock|tif|t|200000|64000|0.000001|0.000005|0|\
anthropic/claude-4.5-haiku-20251001
anthropic/claude-sonnet-4.5|Google|tif|t|1000000|64000|0.000003|0.000015|0|
anthropic/claude-sonnet-4|Anthropic|tif|t|1000000|64000|0.000003|0.000015|0|\
anthropic/claude-4-sonnet-20250522
mistralai/mistral-small|Mistral|t|t|32768|4096|0.0000002|0.0000006|0|
deepseek/deepseek-chat|DeepSeek|t|t|163840|16384|0.0000003|0.00000085|0|
minimax/minimax-m2:free|Minimax|t|t|204800|131072|0|0|0|
liquid/lfm-2.5-2.6b:free|Liquid|t|t|32768|8192|0|0|0|
google/gemini-2.0-flash-exp:free|Google|tif|t|1048576|8192|0|0|0|
google/gemma-4-31b-it:free|Google AI Studio|tif|t|131072|8192|0|0|0|
google/gemini-2.5-flash-image|Google AI Studio|ti|ti|32768|8192|0.0000003|0.0000025|0.00003|
google/gemini-2.5-flash-image-preview|Google AI Studio|ti|ti|32768|8192|0.0000003|0.0000025|\
0.00003|
google/gemini-3-pro-image-preview|Google AI Studio|ti|ti|65536|32768|0.000002|0.000012|0.00012|
google/gemini-3.1-flash-lite-image|Google AI Studio|ti|ti|65536|32768|0.00000025|0.0000015|\
0.00003|
openai/gpt-5-image|OpenAI|ti|ti|400000|128000|0.00001|0.00001|0.00004|
black-forest-labs/flux.2-pro|Black Forest Labs|ti|i|46864|46864|0|0|0.00003|
"""


def _spec(line: str) -> ModelSpec:
    model, provider, inputs, outputs, context, max_out, prompt, completion, image, served = (
        line.split("|")
    )
    author, _, slug = model.partition("/")
    return ModelSpec(
        model,
        f"{author.title()}: {slug}",
        provider,
        tuple(_MODALITIES[code] for code in inputs),
        tuple(_MODALITIES[code] for code in outputs),
        int(context),
        int(max_out),
        prompt,
        completion,
        image,
        served or None,
        _TOKENIZERS.get(author, "Other"),
    )


MODELS: tuple[ModelSpec, ...] = tuple(_spec(line) for line in _TABLE.strip().splitlines())
_BY_ID = {spec.id: spec for spec in MODELS}


def lookup(model: str) -> ModelSpec | None:
    """Exact id, or an id with a routing variant suffix such as `:nitro`."""
    if model in _BY_ID:
        return _BY_ID[model]
    for variant in _VARIANTS:
        if model.endswith(variant):
            return _BY_ID.get(model.removesuffix(variant))
    return None


def cost_of(
    spec: ModelSpec, prompt_tokens: int, completion_tokens: int, image_tokens: int = 0
) -> tuple[float, float]:
    """(prompt cost, completion cost) in USD."""
    text_tokens = completion_tokens - image_tokens
    completion = text_tokens * float(spec.completion) + image_tokens * float(spec.image_output)
    return round(prompt_tokens * float(spec.prompt), 10), round(completion, 10)


def price(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """USD for a text completion of a catalogue model (KeyError for an unknown model)."""
    spec = lookup(model)
    if spec is None:
        raise KeyError(model)
    return round(sum(cost_of(spec, prompt_tokens, completion_tokens)), 10)


def model_entry(
    model_id: str,
    name: str,
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    pricing: dict[str, str],
    *,
    context: int = 0,
    max_output: int | None = None,
    slug: str | None = None,
    tokenizer: str = "Other",
    created: int = 1735689600,
) -> dict[str, Any]:
    """A `GET /models` entry in the 2026 shape (models-llm-openrouter-2026-08-filtered.json)."""
    canonical = slug or model_id
    return {
        "id": model_id,
        "canonical_slug": canonical,
        "hugging_face_id": "",
        "name": name,
        "created": created,
        "description": f"{name} (simulated by the allucanget simulator).",
        "context_length": context,
        "architecture": {
            "modality": f"{'+'.join(inputs)}->{'+'.join(outputs)}",
            "input_modalities": list(inputs),
            "output_modalities": list(outputs),
            "tokenizer": tokenizer,
            "instruct_type": None,
        },
        "pricing": pricing,
        "top_provider": {
            "context_length": context,
            "max_completion_tokens": max_output,
            "is_moderated": False,
        },
        "per_request_limits": None,
        "supported_parameters": list(_TEXT_PARAMS) if "text" in outputs else [],
        "default_parameters": {"temperature": None, "top_p": None, "frequency_penalty": None},
        "supported_voices": None,
        "knowledge_cutoff": None,
        "expiration_date": None,
        "links": {"details": f"/api/v1/models/{canonical}/endpoints"},
        "benchmarks": {"design_arena": [], "artificial_analysis": {}},
    }


def chat_model_entry(spec: ModelSpec) -> dict[str, Any]:
    pricing = {
        "prompt": spec.prompt,
        "completion": spec.completion,
        "request": "0",
        "image": "0",
        "web_search": "0",
        "internal_reasoning": "0",
    }
    if spec.makes_images:
        pricing["image_output"] = spec.image_output
    return model_entry(
        spec.id,
        spec.name,
        spec.inputs,
        spec.outputs,
        pricing,
        context=spec.context,
        max_output=spec.max_output,
        slug=spec.served_as,
        tokenizer=spec.tokenizer,
        created=spec.created,
    )


def _wanted(value: str | None, default: str) -> set[str]:
    return {part.strip() for part in (value or default).split(",") if part.strip()}


def filter_models(
    entries: list[dict[str, Any]], output: str | None, input_: str | None, parameters: str | None
) -> list[dict[str, Any]]:
    """`output_modalities` defaults to `text`; `all` lists everything (openrouter.md section 5)."""
    outputs, inputs = _wanted(output, "text"), _wanted(input_, "all")
    needed = _wanted(parameters, "")
    kept = []
    for entry in entries:
        arch = entry["architecture"]
        if "all" not in outputs and not outputs & set(arch["output_modalities"]):
            continue
        if "all" not in inputs and not inputs & set(arch["input_modalities"]):
            continue
        if not needed <= set(entry["supported_parameters"]):
            continue
        kept.append(entry)
    return kept
