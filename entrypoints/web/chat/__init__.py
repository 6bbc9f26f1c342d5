"""The chat page: conversations kept by the API, answers streamed in (conversations contract)."""
