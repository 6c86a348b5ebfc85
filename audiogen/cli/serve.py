"""`audiogen serve`: the built tracks, on a phone or in a browser."""

from __future__ import annotations

from pathlib import Path

import click

from audiogen.errors import UsageError


@click.command()
@click.argument("folder", default="out", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 shares it on the local network (for a phone).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
def serve(folder: Path, host: str, port: int) -> None:
    """Serve the tracks in FOLDER to a phone or a browser.

    FOLDER [default: out/] holds built tracks (audio and sidecars). Serves a library
    page, a follow-along page per track and a podcast feed, read-only. Ctrl-C stops it.
    """
    # Imported here, not at the top: the web stack (starlette, jinja2, uvicorn, feedgen
    # with lxml) adds about 140 ms (measured with -X importtime) to every other command.
    from audiogen.serve.app import create_app
    from audiogen.serve.server import bind, run

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", hint="build a workout first, or name one")
    sock = bind(host, port)
    _announce(folder, host, sock.getsockname()[1])
    try:
        run(create_app(folder), sock)
    except KeyboardInterrupt:
        # Ctrl-C is how a server is stopped: a short word, and the interrupted exit code.
        click.echo("\nStopped.", err=True)
        raise SystemExit(130) from None
    finally:
        sock.close()


def _announce(folder: Path, host: str, port: int) -> None:
    from audiogen.serve.qr import phone_host, terminal_qr, url_for  # segno: see serve()

    local = url_for("127.0.0.1" if host in {"0.0.0.0", ""} else host, port)
    if host == "::":
        local = url_for("::1", port)
    click.echo(f"Serving {folder}/ at {local}  (feed: {local}feed.xml); Ctrl-C stops.")
    shared = phone_host(host)
    if shared is None:
        if host not in {"0.0.0.0", "::", ""}:
            click.echo("Only this computer can reach it: add --host 0.0.0.0 for a phone.")
        return
    phone = url_for(shared, port)
    click.echo(f"On your phone (same Wi-Fi), open {phone}  or subscribe to {phone}feed.xml")
    click.echo(terminal_qr(phone), nl=False)
