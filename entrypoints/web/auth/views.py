"""Sign in, register and sign out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.auth.forms import LoginForm, RegisterForm
from entrypoints.web.auth.problems import present
from entrypoints.web.client_ip import browser_address
from entrypoints.web.security import safe_next
from entrypoints.web.session import api, forget, refresh_token, remember, signed_in

bp = Blueprint("auth", __name__)

REGISTRATION_CLOSED = "Registration is disabled on this server."
SIGNED_OUT = "You have been signed out."
ACCOUNT_READY = "Welcome to allucanget! Your account is ready."
SIGN_IN_AFTER_REGISTER = "Your account was created. Please sign in."


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    next_path = safe_next(request.args.get("next"), "")
    target = next_path or url_for("dashboard.index")
    if request.method == "GET" and signed_in():
        return redirect(target)
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, next_path, 400 if form.is_submitted() else 200)
    try:
        pair = api().login(form.email.data, form.password.data, browser_address())
        # The sign-in answer names the user; an API from before that is asked who it is.
        user = pair.get("user") or api().me(pair["access_token"])
    except ApiProblem as problem:
        return _login_page(form, next_path, present(problem, form))
    remember(pair, user)
    return redirect(target)


def _login_page(form: LoginForm, next_path: str, status: int) -> ResponseReturnValue:
    action = url_for("auth.login", next=next_path) if next_path else url_for("auth.login")
    return render_template("auth/login.html", form=form, action=action), status


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if request.method == "GET" and signed_in():
        return redirect(url_for("dashboard.index"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return _register_page(form, 400 if form.is_submitted() else 200)
    try:
        user = api().register(form.email.data, form.password.data, request.remote_addr)
    except ApiProblem as problem:
        fields = {"email_taken": "email", "weak_password": "password"}
        status = present(problem, form, fields=fields, messages={"forbidden": REGISTRATION_CLOSED})
        return _register_page(form, status)
    try:
        pair = api().login(form.email.data, form.password.data, browser_address())
    except ApiProblem:
        flash(SIGN_IN_AFTER_REGISTER, "info")  # e.g. throttled: the account exists all the same
        return redirect(url_for("auth.login"))
    remember(pair, user)
    flash(ACCOUNT_READY, "success")
    return redirect(url_for("dashboard.index"))


def _register_page(form: RegisterForm, status: int) -> ResponseReturnValue:
    return render_template("auth/register.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    token = refresh_token()
    if token is not None:
        try:
            api().logout(token)  # security.md #23: revoke the family server-side
        except (ApiProblem, ApiUnavailableError) as exc:
            current_app.logger.warning("API logout failed: %s", type(exc).__name__)
    forget()
    flash(SIGNED_OUT, "info")
    return redirect(url_for("auth.login"))
