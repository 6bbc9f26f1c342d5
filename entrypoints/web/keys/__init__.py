"""API keys: the signed-in user's (create, list, revoke) and, for admins, any user's."""
