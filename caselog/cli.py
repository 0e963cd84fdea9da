"""Commands of the `flask` CLI."""

import click
from flask.cli import with_appcontext


@click.command("load-catalogue")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load_catalogue_command(path):
    """Load or update the procedure catalogue from a TOML file (default: the starter one)."""
    from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
    from caselog.extensions import db

    summary = load_catalogue(path or STARTER_CATALOGUE)
    db.session.commit()
    click.echo(summary)


@click.command("seed-demo")
@click.option("--password", default="caselog-demo", show_default=True,
              help="Password given to every demo account.")
@with_appcontext
def seed_demo_command(password):
    """Replace the database's contents with the demo world and print the demo log-ins."""
    from caselog.demo.seed import seed_demo

    for line in seed_demo(password):
        click.echo(line)


@click.command("create-admin")
@click.argument("email")
@click.argument("full_name")
@click.password_option()
@with_appcontext
def create_admin_command(email, full_name, password):
    """Create an administrator account."""
    from caselog.auth.services import hash_password, normalise_email
    from caselog.extensions import db
    from caselog.models import User

    db.session.add(User(email=normalise_email(email), full_name=full_name,
                        password_hash=hash_password(password), is_admin=True))
    db.session.commit()
    click.echo(f"Administrator {email} created.")


commands = [load_catalogue_command, seed_demo_command, create_admin_command]
