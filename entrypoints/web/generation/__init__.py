"""Text and image generation, the history of generations, and the media they made."""
