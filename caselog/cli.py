"""Commands of the `flask` CLI. Each reads the clock once (caselog.clock) and passes the
time to the services it calls."""

import smtplib
from contextlib import nullcontext

import click
from flask.cli import with_appcontext

from caselog.unit_of_work import unit_of_work

CLI_REASON = "on the command line (flask create-admin)"


@click.command("load-catalogue")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load_catalogue_command(path):
    """Load or update the procedure catalogue from a TOML file (default: the starter one)."""
    from caselog import clock
    from caselog.catalogue.loader import STARTER_CATALOGUE, import_catalogue

    with unit_of_work():
        summary = import_catalogue(path or STARTER_CATALOGUE, now=clock.now())
    click.echo(summary)


@click.command("seed-demo")
@click.option(
    "--password",
    default="caselog-demo",
    show_default=True,
    help="Password given to every demo account.",
)
@with_appcontext
def seed_demo_command(password):
    """Replace the database's contents with the demo world and print the demo log-ins."""
    from caselog import clock
    from caselog.audit import checkpoints
    from caselog.demo.seed import seed_demo

    with unit_of_work():
        lines = seed_demo(password, now=clock.now())
        # A new trail: the old one's checkpoints would call it tampered. Kept beside.
        checkpoints.set_aside(".before-seed-demo")
    for line in lines:
        click.echo(line)


@click.command("create-admin")
@click.argument("email")
@click.argument("full_name")
@click.password_option()
@with_appcontext
def create_admin_command(email, full_name, password):
    """Create an administrator account, with the same checks as on the admin pages (audited
    as made on the command line)."""
    from caselog import clock
    from caselog.admin.services import create_account
    from caselog.errors import DomainError

    try:
        with unit_of_work():
            account = create_account(
                full_name,
                email,
                password,
                is_admin=True,
                own_password=True,
                actor=None,
                now=clock.now(),
                reason=CLI_REASON,
            )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Administrator {account.email} created.")


@click.command("verify-audit")
@with_appcontext
def verify_audit_command():
    """Walk the audit trail's hash chain and hold it to the checkpoints kept outside the
    database; exit 1 naming the first event changed, removed or forged, events cut from its
    end, an older copy put back, a forged checkpoint, or a trail with no checkpoint at all."""
    from caselog.audit.services import verify_chain

    report = verify_chain()
    click.echo(report.summary(), err=not report.holds)
    if not report.holds:
        click.get_current_context().exit(1)


@click.command("checkpoint-audit")
@with_appcontext
def checkpoint_audit_command():
    """Verify the audit trail, then write its head (seq and hash, sealed) to the checkpoint
    file, so that events cut from its end later, or an older copy put back, show.

    Meant for a scheduler (say, hourly) besides the checkpoint each commit writes. Writes
    nothing, and exits 1, when the trail does not verify: a broken trail is not anchored.
    """
    from caselog import clock
    from caselog.audit import checkpoints
    from caselog.audit.services import verify_chain

    now = clock.now()
    report = verify_chain()
    if not report.intact or report.refused:
        click.echo(report.summary(), err=True)
        click.echo("No checkpoint written.", err=True)
        click.get_current_context().exit(1)
    head = checkpoints.head()
    if head is None:
        click.echo("The audit trail is empty: nothing to checkpoint.")
        return
    try:
        where = checkpoints.append(head, now=now, sync=True)
    except OSError as error:
        click.echo(f"Could not write the audit checkpoint: {error}", err=True)
        click.get_current_context().exit(1)
    click.echo(f"Audit checkpoint written to {where}: event #{head.seq} ({head.hash[:16]}).")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Mail each mentor whose sign-off queue is longer or older than their program allows.

    Meant for a scheduler (say, daily). Without MAIL_SERVER the mail is printed instead.
    """
    from caselog import clock, mail
    from caselog.signoff import reminders

    now = clock.now()
    due = reminders.due(now=now)
    sent = failed = 0
    try:
        with mail.connection() if due else nullcontext() as connection:
            for queue in due:
                try:
                    with unit_of_work():  # no audit event for a mail that did not go
                        reminders.remind(queue, connection, now=now)
                except (OSError, smtplib.SMTPException) as error:
                    failed += 1
                    click.echo(f"Could not mail {queue.mentor.email}: {error}", err=True)
                else:
                    sent += 1
    except (OSError, smtplib.SMTPException) as error:  # the mail server could not be reached
        failed = len(due) - sent
        click.echo(f"Could not reach the mail server: {error}", err=True)
    click.echo(f"Reminded {sent} mentor{'' if sent == 1 else 's'}.")
    if failed:
        click.get_current_context().exit(1)


commands = [
    load_catalogue_command,
    seed_demo_command,
    create_admin_command,
    verify_audit_command,
    checkpoint_audit_command,
    send_reminders_command,
]
