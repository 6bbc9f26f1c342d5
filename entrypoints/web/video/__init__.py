"""Video jobs: from a prompt or from an image, and the page that follows a job to its end."""
