"""The OpenRouter adapter: OpenRouterGateway (the AIGateway port) and its httpx client."""
