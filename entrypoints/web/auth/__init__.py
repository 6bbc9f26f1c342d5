"""Sign-in, registration, sign-out, and the signed-in account: dashboard and password."""
