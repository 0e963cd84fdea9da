"""Caselog: the application factory."""

import os
from pathlib import Path

from flask import Flask

from caselog import config
from caselog.unit_of_work import CaselogFlask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: load config, bind extensions, register blueprints, commands and hooks."""
    app = CaselogFlask(
        __name__,
        instance_path=os.environ.get("CASELOG_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(_asset_dir("templates")),
        static_folder=str(_asset_dir("static")),
    )
    load_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_request_hooks(app)
    register_proxies(app)
    return app


def _asset_dir(name: str) -> Path:
    """templates/ and static/ sit beside the package in a checkout, inside it in a wheel."""
    inside = Path(__file__).resolve().parent / name
    return inside if inside.is_dir() else PROJECT_ROOT / name


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then CASELOG_* variables, then the test's settings."""
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CASELOG")
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'caselog.sqlite'}"
        )
    in_development = app.debug or app.testing or app.config.get("TESTING")
    for name, default in (
        ("SECRET_KEY", config.DEFAULT_SECRET_KEY),
        ("SIGNATURE_KEY", config.DEFAULT_SIGNATURE_KEY),
    ):
        if app.config[name] == default and not in_development:
            raise RuntimeError(
                f"Refusing to start with the default {name}. Set {name} in "
                f"{app.instance_path}/config.py or the CASELOG_{name} environment variable."
            )


def register_extensions(app: Flask) -> None:
    """Bind every extension from caselog.extensions to this app."""
    from caselog import mail as mailing
    from caselog import models  # noqa: F401 - register the tables with the metadata
    from caselog.audit import checkpoints
    from caselog.auth.routes import load_user
    from caselog.extensions import babel, bootstrap, csrf, db, login_manager, mail, migrate
    from caselog.i18n import select_locale

    db.init_app(app)
    migrations = str(Path(__file__).parent / "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    mailing.configure(app.config)  # SMTP with MAIL_SERVER, else printed
    mail.init_app(app)
    checkpoints.init_app(app)  # the audit trail's head, checkpointed after each commit


def register_blueprints(app: Flask) -> None:
    """Each feature is a blueprint in its own package; `<int:...>` in their routes is an id
    (caselog.bounds), so a number beyond any id is 404."""
    from caselog.bounds import IdConverter

    app.url_map.converters["int"] = IdConverter
    from caselog.admin.routes import bp as admin_bp
    from caselog.auth.routes import bp as auth_bp
    from caselog.cases.routes import bp as cases_bp
    from caselog.catalogue.routes import bp as catalogue_bp
    from caselog.cohort.routes import bp as cohort_bp
    from caselog.exports.routes import bp as exports_bp
    from caselog.frameworks.routes import bp as frameworks_bp
    from caselog.profile.routes import bp as profile_bp
    from caselog.programs.routes import bp as programs_bp
    from caselog.progress.routes import bp as progress_bp
    from caselog.reports.routes import bp as reports_bp
    from caselog.second_factor.routes import bp as second_factor_bp
    from caselog.signoff.routes import bp as signoff_bp
    from caselog.verify.routes import bp as verify_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(programs_bp)
    app.register_blueprint(signoff_bp)
    app.register_blueprint(frameworks_bp)
    app.register_blueprint(cohort_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(second_factor_bp)


def register_commands(app: Flask) -> None:
    """Commands of the `flask` CLI, listed in caselog/cli.py."""
    from caselog.cli import commands

    for command in commands:
        app.cli.add_command(command)


def register_request_hooks(app: Flask) -> None:
    """Security headers on every response, error pages, template helpers, the reader's
    language and formats."""
    from caselog import formatting, i18n, security, templating

    security.init_app(app)
    templating.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client's address and scheme are the ones
    they forward (X-Forwarded-For, X-Forwarded-Proto): sign-in is throttled per client, not
    per proxy. With none (the default) these headers are ignored, so nobody chooses their own."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
