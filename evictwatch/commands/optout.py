"""`evictwatch optout`: the households that asked not to be contacted, never on any list again."""

from __future__ import annotations

import typer
from rich.markup import escape

from evictwatch.commands.common import err, fail, out
from evictwatch.commands.database import existing_store, open_store
from pipeline.store.queries import case_files, household_case_count

optout_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Households that asked not to be contacted.")


@optout_app.command("add")
def optout_add(
    ctx: typer.Context,
    case: str = typer.Option(None, "--case", help="A case of the household (its household is opted out)."),
    household: str = typer.Option(None, "--household", help="A household key, as `evictwatch case` shows it."),
    reason: str = typer.Option(None, "--reason", help="Why, for the record."),
) -> None:
    """Never list or alert this household again."""
    store = open_store(ctx.obj)
    if bool(case) == bool(household):
        fail("give exactly one of --case or --household", code=2)
    if case:
        files = case_files(store, case.strip().upper())
        if not files or not files[0].derived["household"]:
            fail(f"no stored case {case} with a household to opt out")
        household = files[0].derived["household"]
    elif not household_case_count(store, household):
        err.print(f"[yellow]note:[/] no stored case has household {escape(household)} yet; the opt-out is kept "
                  "and applies as soon as one does (check the key with `evictwatch case N`)", highlight=False)
    number = store.ledger.opt_out(household, case.strip().upper() if case else None, reason)
    out.print(f"opt-out {number} recorded for household {escape(household)}", highlight=False)


@optout_app.command("list")
def optout_list(ctx: typer.Context) -> None:
    """Every opt-out, oldest first."""
    opt_outs = existing_store(ctx.obj).ledger.opt_outs()
    if not opt_outs:
        err.print("no opt-outs recorded")
    for o in opt_outs:
        out.print(f"{o.id}\t{o.created_at:%Y-%m-%d}\t{escape(o.household_key)}\t{o.case_number or ''}\t"
                  f"{escape(o.reason or '')}", highlight=False)


@optout_app.command("remove")
def optout_remove(ctx: typer.Context, opt_out_id: int = typer.Argument(..., help="The number `optout list` shows.")) -> None:
    """Take an opt-out back (the household may be listed again)."""
    if not open_store(ctx.obj).ledger.remove_opt_out(opt_out_id):
        fail(f"no opt-out number {opt_out_id}")
    out.print(f"opt-out {opt_out_id} removed")


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(optout_app, name="optout")
